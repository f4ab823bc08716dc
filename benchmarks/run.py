"""fosi's benchmarks: each measure against its goal, in one run on this machine.

    python benchmarks/run.py            # everything (about five minutes)
    python benchmarks/run.py --quick    # all but the test suite
    python benchmarks/run.py --only each   # one measure

Ratios are measured within the same run and environment, so a shared, noisy machine
affects both sides alike. Each timing is the median of several runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import write_responses  # noqa: E402


def median_time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def python(*args: str, cwd: Path = ROOT) -> None:
    subprocess.run([sys.executable, *args], cwd=cwd, check=True, capture_output=True)


def measure_import(repeat: int) -> dict:
    fosi = median_time(lambda: python("-c", "import fosi"), repeat)
    pandas = median_time(lambda: python("-c", "import pandas"), repeat)
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, fosi; print(sorted(m for m in ('matplotlib', 'seaborn', 'papermill', "
                               "'pdfplumber', 'pandas', 'scipy') if m in sys.modules))"],
        capture_output=True, text=True, check=True).stdout.strip()
    return {"import fosi / import pandas": (fosi / pandas, "<= 1.15", fosi / pandas <= 1.15,
                                            f"{fosi:.3f} s / {pandas:.3f} s; heavy modules loaded: {loaded}")}


def measure_parse(count: int) -> dict:
    """Read, parse, validate and render seed-sized files as fosi build does (on every core),
    taking nothing from a last generation and writing no dataset."""
    from fosi.build import code_fingerprint, file_inputs, process_files

    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder)
        write_responses(raw, count)
        items = file_inputs(sorted(raw.glob("*.txt")), [], "corrections.csv", code_fingerprint())
        list(process_files(items[:50], "corrections.csv"))  # warm up

        def run() -> None:
            parts = list(process_files(items, "corrections.csv"))
            assert all(part.figures and not part.failed for part in parts)  # every file read, none failed

        seconds = median_time(run, 5)
    rate = count / seconds
    return {"parse + validate, seed-sized": (rate, ">= 2000 /s", rate >= 2000,
                                             f"{count} files in {seconds:.3f} s, {os.cpu_count()} cores")}


def cold_build(command: list[str], out: Path) -> float:
    """The median wall time of the build command into an output folder removed before each run."""
    cold = []
    for _ in range(3):
        subprocess.run(["rm", "-rf", str(out)], check=True)
        started = time.perf_counter()
        python(*command)
        cold.append(time.perf_counter() - started)
    return statistics.median(cold)


def measure_build(count: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        raw, out = Path(folder) / "raw", Path(folder) / "processed"
        write_responses(raw, count)
        command = ["-m", "fosi", "build", str(raw), "-o", str(out), "--quiet"]
        cold_s = cold_build(command, out)
        unchanged = median_time(lambda: python(*command), 5)
    return {
        f"fosi build, {count} files, cold": (cold_s, "<= 5 s", cold_s <= 5, "command wall time"),
        f"fosi build, {count} files, unchanged": (unchanged, "<= 0.5 s", unchanged <= 0.5,
                                                  "command wall time; every output checked against its hash"),
    }


def measure_incremental(count: int) -> dict:
    """One changed file in a large folder, against a cold build of the same folder, in one run."""
    with tempfile.TemporaryDirectory() as folder:
        raw, out = Path(folder) / "raw", Path(folder) / "processed"
        write_responses(raw, count)
        command = ["-m", "fosi", "build", str(raw), "-o", str(out), "--quiet"]
        cold_s = cold_build(command, out)
        changed = raw / "response_0005.txt"
        lines = changed.read_text(encoding="utf-8")
        edits = iter(range(1, 100))

        def one_changed() -> None:
            changed.write_text(lines + f"Reviewed {next(edits)} times.\n", encoding="utf-8")  # a new note
            python(*command)

        incremental = median_time(one_changed, 5)
    ratio = incremental / cold_s
    return {f"fosi build, {count} files, one changed / cold": (
        ratio, "<= 0.2", ratio <= 0.2, f"{incremental:.2f} s against {cold_s:.2f} s cold (command wall time)")}


def measure_report(repeat: int) -> dict:
    import nbformat

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        empty = folder / "empty.ipynb"
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, empty)
        # papermill on an empty notebook, shutting its kernel down at once: papermill's CLI waits for
        # a graceful shutdown that stalls for seconds in some runs, which would flatter the ratio.
        papermill_floor = median_time(
            lambda: python("-c", f"import papermill; papermill.execute_notebook({str(empty)!r}, "
                                 f"{str(folder / 'out.ipynb')!r}, progress_bar=False, shutdown_kernel='immediate')"),
            repeat)
        export_floor = median_time(
            lambda: python("-m", "jupyter", "nbconvert", "--to", "html", "--no-input", str(folder / "out.ipynb"),
                           "--output-dir", str(folder)), repeat)
        books = len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
        report = median_time(lambda: python("-m", "fosi", "report", "-o", str(folder / "reports"), "--quiet"),
                             repeat)
    floor = (papermill_floor + export_floor) * books
    ratio = report / floor
    return {"fosi report / notebook floor": (ratio, "<= 1.3", ratio <= 1.3,
                                            f"{report:.2f} s for {books} notebook(s); floor {floor:.2f} s "
                                            f"(papermill {papermill_floor:.2f} s + nbconvert {export_floor:.2f} s)")}


def measure_each(count: int) -> dict:
    """`fosi report --each` on generated responses against the same number of plain papermill runs of
    the rates notebook, one per response, one after another (as a shell loop over the files runs
    them), in the same run. The plain runs shut their kernel down at once (papermill's CLI waits for a
    graceful shutdown that stalls for seconds in some runs, which would flatter the ratio) and export
    no HTML. fosi's run does more: the three reports over all the responses, the dataset's files,
    HTML for every report, and the index."""
    notebook = ROOT / "notebooks" / "01_outcome_rates.ipynb"
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        raw = folder / "raw"
        write_responses(raw, count)
        files = sorted(raw.glob("*.txt"))
        started = time.perf_counter()
        for index, file in enumerate(files):
            python("-c", f"import papermill; papermill.execute_notebook({str(notebook)!r}, "
                         f"{str(folder / f'plain_{index}.ipynb')!r}, parameters={{'sources': [{str(file)!r}]}}, "
                         f"cwd={str(ROOT)!r}, progress_bar=False, shutdown_kernel='immediate')")
        papermill_s = time.perf_counter() - started
        started = time.perf_counter()
        python("-m", "fosi", "report", str(raw), "--each", "-o", str(folder / "reports"), "--quiet")
        each_s = time.perf_counter() - started
        written = len(list((folder / "reports" / "responses").glob("*.html")))
    ratio = each_s / papermill_s
    return {f"fosi report --each / papermill, {count} responses": (
        ratio, "<= 0.4", ratio <= 0.4 and written == count,
        f"{each_s:.1f} s for {written} per-response reports (and the 3 reports over all, HTML, index, dataset) vs "
        f"{papermill_s:.1f} s for {count} plain papermill runs ({papermill_s / count:.2f} s each)")}


def measure_roundrobin() -> dict:
    """`fosi report --each` on the 45-force round-robin fixture (tests/roundrobin/responses) against
    its floor in the same run: papermill then nbconvert (HTML, no input) on the same notebooks with
    the same sources, one after another: each numbered notebook over the folder, and the rates
    notebook once per reply. Goal: at most half the floor."""
    responses = ROOT / "tests" / "roundrobin" / "responses"
    books = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    rates = ROOT / "notebooks" / "01_outcome_rates.ipynb"
    sys.path.insert(0, str(ROOT))
    from fosi.readers import response_files

    runs = [(book, [str(responses)]) for book in books] + [(rates, [str(f)]) for f in response_files([responses])]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        started = time.perf_counter()
        for index, (book, sources) in enumerate(runs):
            out = folder / f"floor_{index}.ipynb"
            python("-c", f"import papermill; papermill.execute_notebook({str(book)!r}, {str(out)!r}, "
                         f"parameters={{'sources': {sources!r}}}, cwd={str(ROOT)!r}, progress_bar=False, "
                         f"shutdown_kernel='immediate')")
            python("-m", "jupyter", "nbconvert", "--to", "html", "--no-input", str(out), "--output-dir", str(folder))
        floor_s = time.perf_counter() - started
        started = time.perf_counter()
        # Exit 1 is expected: the fixture holds a scanned PDF fosi cannot read (it is reported, the rest built).
        subprocess.run([sys.executable, "-m", "fosi", "report", str(responses), "--each", "-o",
                        str(folder / "reports"), "--quiet"], cwd=ROOT, capture_output=True)
        each_s = time.perf_counter() - started
        written = len(list((folder / "reports" / "responses").glob("*.html")))
        if not (folder / "reports" / "index.html").is_file():
            raise SystemExit("fosi report --each wrote no index for the round robin")
    ratio = each_s / floor_s
    return {f"fosi report --each, round robin / papermill + nbconvert, {len(runs)} runs": (
        ratio, "<= 0.5", ratio <= 0.5,
        f"{each_s:.1f} s ({written} per-reply reports, the 3 over all, index, dataset) vs floor {floor_s:.1f} s")}


def measure_tests() -> dict:
    started = time.perf_counter()
    result = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return {"make test": (seconds, "<= 120 s", seconds <= 120 and result.returncode == 0,
                          "passed" if result.returncode == 0 else "FAILED")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the test-suite timing")
    parser.add_argument("--only", choices=["import", "parse", "build", "incremental", "report", "each", "roundrobin",
                                           "tests"],
                        action="append", help="run only these measures (repeatable)")
    args = parser.parse_args()
    chosen = args.only or ["import", "parse", "build", "incremental", "report", "each", "roundrobin"] + (
        [] if args.quick else ["tests"])
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "0")
    results: dict = {}
    for name in chosen:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        results.update({
            "import": lambda: measure_import(7),
            "parse": lambda: measure_parse(2000),
            "build": lambda: measure_build(1000),
            "incremental": lambda: measure_incremental(10_000),
            "report": lambda: measure_report(5),
            "each": lambda: measure_each(45),
            "roundrobin": measure_roundrobin,
            "tests": measure_tests,
        }[name]())
    width = max(len(k) for k in results)
    print(f"{'measure':<{width}}  {'value':>10}  {'goal':<11} result  detail")
    for name, (value, goal, ok, detail) in results.items():
        print(f"{name:<{width}}  {value:>10.3f}  {goal:<11} {'pass' if ok else 'FAIL':<6}  {detail}")
    return 0 if all(ok for _, _, ok, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
