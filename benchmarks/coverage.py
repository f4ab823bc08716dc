"""Coverage of fosi's text reader by layout family: generated tables and the real corpus.

    python benchmarks/coverage.py                 # 200 seeded tables per layout, and the real corpus
    python benchmarks/coverage.py -n 50 --layout tab --layout csv
    python benchmarks/coverage.py --show wrong    # print the first wrong table of each layout
    python benchmarks/coverage.py --json          # the same numbers as JSON
    python benchmarks/coverage.py --check         # fail if any corpus file reads worse than the baseline
    python benchmarks/coverage.py --write-baseline  # record the corpus's counts as the new baseline

Generated tables (tests/tablegen.py, the round-trip tests' generator, with seeded random
choices) are counted per layout as read exactly / refused (a table-not-read finding, and every
figure produced is right) / wrong (a figure that is not in the table: a different number, an
invented one, one at another label or at a line where it is not printed) / missed (figures
left out with no finding) / rejected (the whole file refused with an error) / crashed.

The real corpus (tests/corpus/real/expected.json when it exists, or --corpus FILE) is counted
per file and per figure: exact (labels, count, marker, kind and outcome as expected), invented
(produced but not expected), unread but flagged (expected, not produced, and a table-not-read
or numbers-not-read finding covers its line, or the count is read as a prose figure at its line)
and unread silently. A finding covers the lines
from its own line up to the next line where a figure was read or the next such finding,
whichever comes first. A file's layout family is its entry's "layout" field.

No regression, ever: benchmarks/coverage_baseline.json holds, for every corpus file, how many
figures were read exactly and how many at a wrong label (invented or misplaced). ``--check``
reads the corpus again and exits 1 if any file reads fewer exactly or more at a wrong label
(tests/test_coverage.py runs it, so CI fails then). Improving the baseline is a commit of its
own: ``--write-baseline`` after a change that reads more.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import tablegen  # noqa: E402

REAL_CORPUS = ROOT / "tests" / "corpus" / "real" / "expected.json"
BASELINE = ROOT / "benchmarks" / "coverage_baseline.json"
# The reading findings (fosi.model.findings.READING_RULES) that say numbers were not read; a
# table-truncated warning says a table may be cut, not which numbers were left out.
COVERING_RULES = ("table-not-read", "numbers-not-read")
FILE_VERDICTS = ("exact", "refused", "wrong", "missed", "rejected", "crashed")


# --- generated tables --------------------------------------------------------------------------

def _layout_counts(job: tuple[str, int, int, str | None]) -> tuple[str, Counter, dict[str, str]]:
    """Read ``count`` seeded renderings of one layout: verdict counts, and the first explanation
    of each verdict named in ``show``."""
    layout, count, seed, show = job
    rng = random.Random(f"{seed}-{layout}")
    counts: Counter = Counter()
    shown: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        for index in range(count):
            rendering = tablegen.random_rendering(rng, layout)
            verdict = tablegen.read_and_judge(rendering, Path(folder))
            counts[verdict.verdict] += 1
            if show and verdict.verdict in show.split(",") and verdict.verdict not in shown:
                shown[verdict.verdict] = f"table {index} of seed {seed}\n" + verdict.explain(rendering)
    return layout, counts, shown


def generated_matrix(layouts: list[str], count: int, seed: int, show: str | None, workers: int
                     ) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, str]]]:
    jobs = [(layout, count, seed, show) for layout in layouts]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_layout_counts, jobs))
    else:
        results = [_layout_counts(job) for job in jobs]
    matrix = {layout: {v: counts.get(v, 0) for v in tablegen.VERDICTS} for layout, counts, _ in results}
    return matrix, {layout: shown for layout, _, shown in results if shown}


# --- the real corpus ---------------------------------------------------------------------------

def _expected_items(entry: dict) -> list[tuple[tuple, int | None]]:
    """(key, line) for every figure and total the entry expects; the key is what must match."""
    items = []
    for kind, name in (("figure", "figures"), ("total", "totals")):
        for item in entry.get(name, []):
            keys = list(item["keys"]) + [None, None, None]
            row_group = item.get("row_group", keys[2])
            items.append(((keys[0], keys[1], item.get("column_group"), row_group, item.get("count"),
                           item.get("marker"), kind, item.get("outcome")), item.get("line")))
    return items


def _produced_items(response) -> list[tuple[tuple, int | None]]:
    """Table figures and totals (prose figures are scored apart: their labels are words around them)."""
    return [((r["row_label"], r["column_label"], r.get("column_group"), r["row_group"], r["count"], r["marker"],
              r["kind"], r["outcome_code"]), r["line"]) for r in response.records if r["kind"] != "prose"]


def _prose_scores(entry: dict, response) -> dict:
    """Prose figures matched by count and line."""
    wanted = Counter((p["count"], p["line"]) for p in entry.get("prose", []))
    got = Counter((r["count"], r["line"]) for r in response.records if r["kind"] == "prose")
    return {"prose_expected": sum(wanted.values()), "prose_exact": sum((wanted & got).values()),
            "prose_invented": sum((got - wanted).values())}


def _covered_lines(response, last: int) -> set[int]:
    """Lines that a table-not-read or numbers-not-read finding says were not read."""
    findings = sorted((f for f in response.findings if f.rule in COVERING_RULES and f.line is not None),
                      key=lambda f: f.line)
    read_lines = sorted({r["line"] for r in response.records if r["line"] is not None})
    covered: set[int] = set()
    for index, finding in enumerate(findings):
        later = [line for line in read_lines if line > finding.line]
        later += [f.line for f in findings[index + 1:] if f.line > finding.line]
        end = min(later) - 1 if later else last
        covered.update(range(finding.line, end + 1))
    return covered


def score_file(entry: dict, response, last_line: int) -> dict:
    """Figure counts and a verdict for one real response (``last_line``: the file's line count)."""
    expected = _expected_items(entry)
    by_key_expected: dict[tuple, list] = defaultdict(list)
    by_key_produced: dict[tuple, list] = defaultdict(list)
    for key, line in expected:
        by_key_expected[key].append(line)
    for key, line in _produced_items(response):
        by_key_produced[key].append(line)
    exact = misplaced = invented = 0
    unread_lines: list[tuple[int | None, int | None]] = []  # (line, count)
    for key in by_key_expected.keys() | by_key_produced.keys():
        wanted, got = by_key_expected.get(key, []), by_key_produced.get(key, [])
        matched = min(len(wanted), len(got))
        exact += matched
        invented += len(got) - matched
        # Of the matched figures, those whose stated line was not among the lines produced.
        stated = [line for line in wanted if line is not None]
        at_their_line = sum((Counter(stated) & Counter(got)).values())
        misplaced += max(0, min(matched, len(stated)) - at_their_line)
        # The unread ones: those at lines where nothing of this key was produced first.
        left = list((Counter(wanted) - Counter(got)).elements())
        unread_lines.extend((line, key[4]) for line in (left + wanted)[:len(wanted) - matched])
    covered = _covered_lines(response, last_line)
    # A count read as a prose figure at its own line is in the figure table, under its sentence:
    # not read as the table figure expected, but not passed over in silence (as tests/test_real_corpus.py).
    as_prose = {(r["line"], r["count"]) for r in response.records if r["kind"] == "prose"}
    flagged = sum(1 for line, count in unread_lines
                  if line is not None and (line in covered or (line, count) in as_prose))
    silent = len(unread_lines) - flagged
    if invented or misplaced:
        verdict = "wrong"
    elif not unread_lines:
        verdict = "exact"
    else:
        verdict = "refused" if not silent else "missed"
    return {"expected": len(expected), "figures_exact": exact, "invented": invented, "misplaced": misplaced,
            "unread_flagged": flagged, "unread_silent": silent, "verdict": verdict, **_prose_scores(entry, response)}


def real_corpus(path: Path) -> dict:
    from fosi.errors import InputError
    from fosi.readers import read_response

    cases = json.loads(path.read_text(encoding="utf-8"))
    files = {}
    for name, entry in cases.items():
        layout = entry.get("layout", "unknown")
        try:
            response = read_response(path.parent / name)
        except InputError as error:
            count = len(_expected_items(entry))
            files[name] = {"layout": layout, "expected": count, "figures_exact": 0, "invented": 0, "misplaced": 0,
                           "unread_flagged": 0, "unread_silent": count, "verdict": "rejected", "error": str(error),
                           "prose_expected": len(entry.get("prose", [])), "prose_exact": 0, "prose_invented": 0}
            continue
        except Exception as error:  # noqa: BLE001 - a crash is a result here
            count = len(_expected_items(entry))
            files[name] = {"layout": layout, "expected": count, "figures_exact": 0, "invented": 0, "misplaced": 0,
                           "unread_flagged": 0, "unread_silent": count, "verdict": "crashed",
                           "error": f"{type(error).__name__}: {error}",
                           "prose_expected": len(entry.get("prose", [])), "prose_exact": 0, "prose_invented": 0}
            continue
        last_line = (path.parent / name).read_bytes().count(b"\n") + 1
        files[name] = {"layout": layout, **score_file(entry, response, last_line)}
    return files


FIGURE_FIELDS = ("expected", "figures_exact", "invented", "misplaced", "unread_flagged", "unread_silent",
                 "prose_expected", "prose_exact", "prose_invented")
# Column headings for FIGURE_FIELDS: table figures, then prose figures (expected, exact, not expected).
FIGURE_HEADINGS = ("expected", "exact", "invented", "misplaced", "flagged", "silent", "prose", "prose ok", "prose +")


def corpus_summary(files: dict) -> dict:
    by_layout: dict[str, dict] = {}
    for result in files.values():
        row = by_layout.setdefault(result["layout"], {"files": 0, **{v: 0 for v in FILE_VERDICTS},
                                                      **{f: 0 for f in FIGURE_FIELDS}})
        row["files"] += 1
        row[result["verdict"]] += 1
        for name in FIGURE_FIELDS:
            row[name] += result[name]
    overall = {"files": len(files), **{v: sum(r[v] for r in by_layout.values()) for v in FILE_VERDICTS},
               **{f: sum(r[f] for r in by_layout.values()) for f in FIGURE_FIELDS}}
    return {"by_layout": dict(sorted(by_layout.items())), "overall": overall}


# --- the baseline: no file reads worse ----------------------------------------------------------

def baseline_counts(files: dict) -> dict[str, dict[str, int]]:
    """Per corpus file: figures read exactly, and figures at a wrong label (invented or misplaced)."""
    return {name: {"exact": r["figures_exact"], "wrong": r["invented"] + r["misplaced"]}
            for name, r in sorted(files.items())}


def _corpus_key(path: Path) -> str:
    """The corpus's expected.json as the baseline names it: relative to the project root."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def regressions(files: dict, baseline: dict[str, dict[str, int]]) -> list[str]:
    """One line per corpus file that reads worse than its baseline (fewer exact, more at a wrong
    label), or that the baseline has but the corpus no longer holds."""
    now = baseline_counts(files)
    found = []
    for name, before in sorted(baseline.items()):
        after = now.get(name)
        if after is None:
            found.append(f"{name}: in the baseline but not in the corpus (write the baseline again if it was removed)")
            continue
        if after["exact"] < before["exact"]:
            found.append(f"{name}: {after['exact']} figures read exactly, {before['exact']} in the baseline")
        if after["wrong"] > before["wrong"]:
            found.append(f"{name}: {after['wrong']} figures at a wrong label, {before['wrong']} in the baseline")
    return found


def check_baseline(corpus: Path, baseline_path: Path = BASELINE) -> tuple[list[str], list[str]]:
    """(regressions, improvements) of one corpus against the committed baseline."""
    baseline = json.loads(baseline_path.read_text(encoding="utf-8")).get(_corpus_key(corpus), {})
    files = real_corpus(corpus)
    now = baseline_counts(files)
    better = [f"{name}: {after['exact']} exact (baseline {baseline[name]['exact']}), {after['wrong']} at a wrong "
              f"label (baseline {baseline[name]['wrong']})" for name, after in now.items()
              if name in baseline and after != baseline[name]
              and after["exact"] >= baseline[name]["exact"] and after["wrong"] <= baseline[name]["wrong"]]
    better += [f"{name}: new, not in the baseline" for name in now if name not in baseline]
    return regressions(files, baseline), better


def write_baseline(corpora: list[Path], baseline_path: Path = BASELINE) -> None:
    stored = json.loads(baseline_path.read_text(encoding="utf-8")) if baseline_path.exists() else {}
    for corpus in corpora:
        stored[_corpus_key(corpus)] = baseline_counts(real_corpus(corpus))
    # One line per file, so a change of the baseline reads as a short diff.
    parts = []
    for corpus, files in sorted(stored.items()):
        rows = ",\n".join(f"    {json.dumps(name)}: {json.dumps(counts, sort_keys=True)}" for name, counts in sorted(files.items()))
        parts.append(f"  {json.dumps(corpus)}: {{\n{rows}\n  }}")
    baseline_path.write_text("{\n" + ",\n".join(parts) + "\n}\n", encoding="utf-8")


# --- printing ----------------------------------------------------------------------------------

def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def print_generated(matrix: dict[str, dict[str, int]], count: int, seed: int) -> None:
    print(f"Generated tables: {count} per layout, seed {seed} (tests/tablegen.py)")
    columns = tablegen.VERDICTS
    print(f"{'layout':<19}{'family':>6}" + "".join(f"{c:>9}" for c in columns) + f"{'exact':>8}")
    totals = Counter()
    for layout, row in matrix.items():
        family = tablegen.LAYOUTS[layout].family
        print(f"{layout:<19}{family:>6}" + "".join(f"{row[c]:>9}" for c in columns)
              + f"{_percent(row['exact'], sum(row.values())):>8}")
        totals.update(row)
    print(f"{'all':<25}" + "".join(f"{totals[c]:>9}" for c in columns)
          + f"{_percent(totals['exact'], sum(totals.values())):>8}")


def print_corpus(path: Path, files: dict, summary: dict) -> None:
    print(f"\nReal corpus: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    header = f"{'':<44}{'verdict':>9}" + "".join(f"{f:>10}" for f in FIGURE_HEADINGS)
    print(header)
    for name, result in sorted(files.items()):
        print(f"{name[:43]:<44}{result['verdict']:>9}" + "".join(f"{result[f]:>10}" for f in FIGURE_FIELDS))
    print(f"\n{'layout':<24}{'files':>6}" + "".join(f"{v:>9}" for v in FILE_VERDICTS)
          + "".join(f"{f:>10}" for f in FIGURE_HEADINGS))
    for layout, row in [*summary["by_layout"].items(), ("overall", summary["overall"])]:
        print(f"{layout[:23]:<24}{row['files']:>6}" + "".join(f"{row[v]:>9}" for v in FILE_VERDICTS)
              + "".join(f"{row[f]:>10}" for f in FIGURE_FIELDS))
    overall = summary["overall"]
    print(f"\nfigures exact {overall['figures_exact']} of {overall['expected']} "
          f"({_percent(overall['figures_exact'], overall['expected'])}), invented {overall['invented']}, "
          f"misplaced {overall['misplaced']}, unread but flagged {overall['unread_flagged']}, "
          f"unread silently {overall['unread_silent']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--tables", type=int, default=200, help="generated tables per layout (default 200)")
    parser.add_argument("--seed", type=int, default=2016, help="seed of the generated tables (default 2016)")
    parser.add_argument("--layout", action="append", choices=list(tablegen.LAYOUTS),
                        help="only this layout (repeatable); default every layout")
    parser.add_argument("--corpus", type=Path, default=REAL_CORPUS,
                        help="expected.json of a real corpus (default tests/corpus/real/expected.json)")
    parser.add_argument("--show", metavar="VERDICTS",
                        help="print the first generated table of each layout with these verdicts (e.g. wrong,missed)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), help="processes (default 2)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--check", action="store_true",
                        help="read only the corpus and exit 1 if any file reads worse than benchmarks/coverage_baseline.json")
    parser.add_argument("--write-baseline", action="store_true",
                        help="record the corpus's exact and wrong-label counts in benchmarks/coverage_baseline.json")
    args = parser.parse_args(argv)

    corpus_path = args.corpus.resolve()
    if args.write_baseline:
        write_baseline([corpus_path])
        print(f"baseline written for {_corpus_key(corpus_path)}: {BASELINE.relative_to(ROOT)}")
        return 0
    if args.check:
        worse, better = check_baseline(corpus_path)
        for line in better:
            print(f"better: {line}")
        for line in worse:
            print(f"WORSE: {line}")
        print(f"{_corpus_key(corpus_path)}: {len(worse)} file(s) read worse than the baseline"
              + (f", {len(better)} better or new (write the baseline in a commit of its own)" if better else ""))
        return 1 if worse else 0

    started = time.perf_counter()
    layouts = args.layout or list(tablegen.LAYOUTS)
    matrix, shown = generated_matrix(layouts, args.tables, args.seed, args.show, args.workers)
    result: dict = {"generated": {"tables_per_layout": args.tables, "seed": args.seed, "by_layout": matrix}}
    if corpus_path.exists():
        files = real_corpus(corpus_path)
        result["real_corpus"] = {"path": str(corpus_path), "files": files, **corpus_summary(files)}
    result["seconds"] = round(time.perf_counter() - started, 2)

    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print_generated(matrix, args.tables, args.seed)
    for layout, examples in shown.items():
        for verdict, text in examples.items():
            print(f"\n--- {layout}: first {verdict} ({text.splitlines()[0]})")
            print("\n".join(text.splitlines()[1:]))
    if "real_corpus" in result:
        print_corpus(corpus_path, result["real_corpus"]["files"], result["real_corpus"])
    else:
        print(f"\nReal corpus: {corpus_path} not found")
    print(f"\n{result['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
