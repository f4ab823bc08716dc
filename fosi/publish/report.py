"""Run the numbered notebooks with papermill and export code-free HTML reports.

Reports are written as a new generation and switched into place all at once
(fosi.generations) only when every notebook has run, so a failed, interrupted or killed run
leaves the previous reports as they were. A notebook that fails is kept as
``NAME.failed.ipynb`` for inspection. Two runs into the same folder take turns.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fosi.errors import FosiError, ParameterError
from fosi.generations import (
    PINNED_ENV,
    check_apart,
    current_generation,
    locked,
    new_generation,
    switch_to,
    tidy,
    writing,
)

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
NOTEBOOK_ONLY = "notebook-only"  # a cell's tag: left out of the HTML report
TEMPLATES = Path(__file__).parent / "templates"


def cell_tags(cell) -> list[str]:
    """A notebook cell's tags (none when it has no metadata)."""
    return list(cell.get("metadata", {}).get("tags", []))


class ReportError(FosiError):
    """A notebook failed; the message names the notebook, the cell and the error."""


class KernelDied(ReportError):
    """A notebook's kernel process ended while it ran (it is run once more, in a new kernel)."""


def notebooks(root: Path) -> list[Path]:
    """The report notebooks, in run order (their number)."""
    return sorted((root / "notebooks").glob(NOTEBOOK_GLOB))


def with_request_defaults(parameters: dict[str, Any], read: list[Path]) -> dict[str, Any]:
    """The parameters, with the outcome and offences the request asked about (request.yml in the
    one folder read) wherever they are not given: what every notebook then rates by default."""
    from fosi.model.request import request_for

    request = request_for(read)
    if not request.stated:
        return parameters
    return {"outcome": request.outcome, "offences": list(request.offences), **parameters}


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The names a notebook's ``parameters`` cell declares, with papermill's description of each."""
    return dict(_declared(str(notebook), notebook.stat().st_mtime_ns))


@lru_cache(maxsize=32)
def _declared(path: str, _mtime: int) -> tuple:
    import papermill

    return tuple(papermill.inspect_notebook(path).items())


def parameters_for(notebook: Path, parameters: dict[str, Any], sources: list[str] | None) -> dict[str, Any]:
    declared = declared_parameters(notebook)
    chosen = {name: value for name, value in parameters.items() if name in declared}
    if sources and "sources" in declared:
        chosen["sources"] = list(sources)
    return chosen


def check_parameter_names(books: list[Path], parameters: dict[str, Any]) -> None:
    known = set().union(*(declared_parameters(nb) for nb in books)) if books else set()
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise ParameterError(
            f"no notebook takes the parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter

    # Not sanitize_html: it escapes fosi's own tables and prose. Response text is escaped
    # wherever fosi writes it (fosi.publish.formatting.escape_text, pandas' HTML).
    return HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="offline",
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def export_html(notebook, title: str, page: dict | None = None) -> str:
    """Code-free HTML of an executed notebook (a NotebookNode), with its images embedded, in fosi's
    page (``page``: fosi.publish.pages.page_resources; by default, a report beside its index) with a table
    of contents. The notebook itself is left as it is."""
    import copy

    from fosi import __version__
    from fosi.publish.pages import page_resources, with_contents
    from fosi.publish.sections import SUMMARY_MIMETYPE, run_date

    notebook = copy.deepcopy(notebook)
    # A cell tagged notebook-only speaks to someone running the notebook, not to a report's reader.
    notebook.cells = [cell for cell in notebook.cells if NOTEBOOK_ONLY not in cell_tags(cell)]
    for cell in notebook.cells:  # the index's summary is for fosi, not for readers
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if SUMMARY_MIMETYPE not in o.get("data", {})]
            for output in cell.outputs:
                data = output.get("data", {})
                if "text/markdown" in data:  # rendered by fosi, as text it wrote: never nbconvert's way
                    data["text/html"] = markdown_html(data.pop("text/markdown"))
    page = page or page_resources(title, "index.html", run_date(), __version__)
    body, _ = _exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}, "fosi": page})
    return with_contents(body)


@lru_cache(maxsize=1)
def _markdown():
    import mistune

    # CommonMark and tables only. Not nbconvert's renderer for Markdown output, whose plugins make
    # links of bare addresses and take "\\(x\\)" or "$x$" for mathematics: text quoted from a response
    # (escaped by fosi.publish.formatting.escape_text) is then shown exactly as printed, and no link
    # is made from it.
    return mistune.create_markdown(escape=False, plugins=["table"])


def markdown_html(text: str | list[str]) -> str:
    """HTML for a Markdown output of a notebook (fosi's sentences, with any response text escaped)."""
    return _markdown()("".join(text) if isinstance(text, list) else text)


# One export at a time: exports share one exporter, and each holds the GIL throughout anyway.
_EXPORTING = threading.Lock()


def _export_to(notebook, target: Path, title: str, page: dict | None, errors: dict[str, Exception]) -> None:
    try:
        with _EXPORTING:
            html = export_html(notebook, title, page)
        target.write_text(html, encoding="utf-8")
    except Exception as error:  # noqa: BLE001 - raised again by build_reports
        errors[target.stem] = error


def _title(notebook: Path) -> str:
    """'01_outcome_rates.ipynb' -> 'Outcome rates'."""
    return notebook.stem.split("_", 1)[-1].replace("_", " ").capitalize()


def kernel_manager_class():
    """A kernel manager that talks to its kernel over local IPC sockets rather than TCP.

    The kernel never listens on a network port, and does not print ipykernel's warning
    about unencrypted TCP into every run.
    """
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.paths import jupyter_runtime_dir

    class LocalKernelManager(AsyncKernelManager):
        transport = "ipc"

        def _ip_default(self) -> str:
            # An absolute socket path: a relative one depends on each process's working folder.
            folder = Path(jupyter_runtime_dir())
            folder.mkdir(parents=True, exist_ok=True)
            return str(folder / f"fosi-{uuid.uuid4().hex[:12]}")

    return LocalKernelManager


class SharedKernel:
    """A kernel that runs several notebooks of a report run in turn: Python, pandas, matplotlib,
    seaborn and scipy are imported once per kernel, not once per notebook. Before each later
    notebook the user namespace is reset and open figures closed (a first cell, removed again
    from the executed notebook), so no notebook sees another's variables. Shut down at once at
    the end: nbclient's graceful shutdown can stall for seconds."""

    RESET_TAG = "fosi-kernel-reset"
    RESET_CODE = "%reset -f\nimport matplotlib.pyplot\nmatplotlib.pyplot.close('all')\ndel matplotlib"

    # Imported while fosi checks its inputs, so the first notebook does not wait for them.
    WARM_UP = "import fosi.publish.sections, fosi.publish.charts, fosi.build, fosi.analysis.forces, scipy.stats, seaborn\n" \
              "import matplotlib.pyplot"

    START_SECONDS = 30  # for a kernel to answer once started (a healthy one takes 1 to 3 s)

    def __init__(self, environment: dict[str, str] | None = None) -> None:
        self.manager = kernel_manager_class()(kernel_name="python3")
        self.environment = environment or {}  # set in the kernel's environment, over this process's
        self.used = False
        self.killed = False  # stopped on purpose (Ctrl-C, the end of the run): never started again
        self._warming: threading.Thread | None = None
        self._not_started: ReportError | None = None
        self._root: Path | None = None

    def start(self, root: Path) -> None:
        """Start the kernel now and, in the background, wait for it to answer and import the heavy
        libraries in it (``ready`` says if it never answered)."""
        import asyncio

        self._root = root
        asyncio.run(self.manager.start_kernel(cwd=str(root), env={**os.environ, **self.environment}))
        self._warming = threading.Thread(target=self._warm_up, daemon=True)
        self._warming.start()

    def restart(self) -> None:
        """A new kernel in place of one that died."""
        self.kill()
        self.manager = kernel_manager_class()(kernel_name="python3")
        self.used = self.killed = False
        self.start(self._root or Path.cwd())

    def _warm_up(self) -> None:
        from jupyter_client import BlockingKernelClient

        client = BlockingKernelClient()
        client.load_connection_info(self.manager.get_connection_info())
        client.start_channels(hb=False)  # whether it lives is the process's own status (_wait_started)
        try:
            self._not_started = self._wait_started(client)
            if self._not_started is None:
                client.execute_interactive(self.WARM_UP, timeout=120, output_hook=lambda message: None)
        except Exception:  # noqa: BLE001 - a failed warm-up only costs time; the notebook will say what is wrong
            pass
        finally:
            client.stop_channels()

    def _wait_started(self, client) -> ReportError | None:
        """None once the kernel answers; else why not: it stopped, or it did not answer in START_SECONDS."""
        deadline = time.monotonic() + self.START_SECONDS
        fix = f"check that '{sys.executable} -m ipykernel_launcher' starts, or run 'make' again to rebuild .venv/"
        while True:
            process = getattr(self.manager.provisioner, "process", None)
            status = process.poll() if process is not None else None
            if status is not None and not self.killed:
                return ReportError(f"the notebook kernel stopped as it started (exit status {status}): {fix}")
            try:
                client.wait_for_ready(timeout=1)
                return None
            except RuntimeError:
                if time.monotonic() > deadline:
                    return ReportError(f"the notebook kernel did not start within {self.START_SECONDS} s: {fix}")

    def ready(self) -> None:
        if self._warming is not None:
            self._warming.join()
            self._warming = None
        if self._not_started is not None:
            raise self._not_started

    def prepare(self, notebook):
        """The notebook to execute: with a reset cell first when the kernel has run another."""
        import nbformat

        if self.used:
            cell = nbformat.v4.new_code_cell(self.RESET_CODE, metadata={"tags": [self.RESET_TAG]})
            notebook.cells.insert(0, cell)
        self.used = True
        return notebook

    def strip(self, executed: Path):
        """The executed notebook without the reset cell (written back, and returned)."""
        import nbformat

        notebook = nbformat.read(executed, as_version=4)
        notebook.cells = [c for c in notebook.cells if self.RESET_TAG not in cell_tags(c)]
        nbformat.write(notebook, executed)
        return notebook

    def run_code(self, code: str, timeout: float = 600) -> None:
        """Run code in the kernel between notebooks (the next notebook starts from a reset namespace);
        a ReportError with the kernel's error when it fails."""
        from jupyter_client import BlockingKernelClient

        self.ready()
        client = BlockingKernelClient()
        client.load_connection_info(self.manager.get_connection_info())
        client.start_channels()
        try:
            reply = client.execute_interactive(code, timeout=timeout, output_hook=lambda message: None,
                                               store_history=False)
        finally:
            client.stop_channels()
        self.used = True
        content = reply["content"]
        if content["status"] != "ok":
            raise ReportError(f"could not write the dataset files: {content.get('ename')}: {content.get('evalue')}")

    def shutdown(self) -> None:
        import asyncio

        if self.manager.has_kernel:
            asyncio.run(self.manager.shutdown_kernel(now=True))

    def kill(self) -> None:
        """Stop the kernel at once, from any thread, even while a notebook runs in it (Ctrl-C):
        a signal to its process group, then its connection files removed."""
        self.killed = True
        provisioner = self.manager.provisioner
        process = getattr(provisioner, "process", None)
        if process is None:
            return
        try:
            os.killpg(provisioner.pgid, signal.SIGKILL)  # the kernel runs in a session of its own
        except (OSError, AttributeError, TypeError):
            process.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            process.wait(timeout=1)
        self.manager.cleanup_connection_file()
        self.manager.cleanup_ipc_files()


def _code_cell_number(executed: Path, cell_index: int) -> int | None:
    """The failed cell's place among the notebook's own code cells (1-based), not counting the
    cells fosi and papermill add, so the number matches the notebook a reader opens."""
    import nbformat

    try:
        cells = nbformat.read(executed, as_version=4).cells
    except (OSError, ValueError):
        return None
    # papermill adds markdown cells pointing at the error after the run; cell_index predates them.
    cells = [c for c in cells if "papermill-error-cell-tag" not in cell_tags(c)]
    own = [i for i, c in enumerate(cells) if c.cell_type == "code"
           and not {"injected-parameters", SharedKernel.RESET_TAG} & set(cell_tags(c))]
    return own.index(cell_index) + 1 if cell_index in own else None


def run_notebook(notebook: Path, executed: Path, parameters: dict[str, Any], root: Path, kernel: SharedKernel):
    """Execute one notebook in the shared kernel; return the executed notebook (also written)."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = kernel.prepare(nbformat.read(notebook, as_version=4))
    kernel.ready()
    _quiet_papermill()
    try:
        papermill.execute_notebook(
            source, str(executed), parameters=parameters, cwd=str(root), km=kernel.manager,
            progress_bar=False, log_output=False, report_mode=True, request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as error:
        message = str(error.evalue).strip().splitlines()[-1] if str(error.evalue).strip() else ""
        number = _code_cell_number(executed, error.cell_index)
        where = f"code cell {number}" if number else "a cell"
        raise ReportError(f"{notebook.relative_to(root)}: {where} failed: {error.ename}: {message}") from None
    except Exception as error:  # noqa: BLE001 - only the kernel's death is caught here
        if type(error).__name__ != "DeadKernelError":  # nbclient's: the kernel process ended mid-notebook
            raise
        raise KernelDied(f"{notebook.relative_to(root)}: its kernel stopped while it ran") from None
    return kernel.strip(executed)


def _quiet_papermill() -> None:
    """papermill's and nbclient's log lines ("Kernel died while waiting for execute reply.") would
    reach standard error through Python's last-resort handler: fosi says what happened itself."""
    import logging

    logger = logging.getLogger("papermill")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def kernel_count(books: list) -> int:
    """Kernels for a report run: one per core, at most one per notebook run (each kernel is a
    process that imports pandas, matplotlib, seaborn and scipy once)."""
    return max(1, min(len(books), os.cpu_count() or 1))


EACH_NOTEBOOK = "01_outcome_rates"  # what `fosi report --each` runs once per response
EACH_FOLDER = "responses"  # where it writes them, inside the output folder
DATASET_FOLDER = "data"  # where the dataset's files are written, inside the output folder


@dataclass(frozen=True)
class Job:
    """One notebook run of a report run: the notebook, the output's path within the output folder
    without its suffix ('01_outcome_rates', 'responses/NAME'), the sources it reads (None: the
    notebook's default or the run's), and the way from its page back to the index."""

    notebook: Path
    stem: str
    sources: list[str] | None = None
    index_href: str = "index.html"
    response: str | None = None  # the response file of a per-response report


def response_stems(files: list[Path]) -> list[str]:
    """A file name for each response's report: its path from the folder all the responses share,
    without the suffix, '/' as '--', any character but letters, digits, '.', '_' and '-' as '_'; the
    suffix is kept where two responses would otherwise share a name."""
    common = Path(os.path.commonpath([str(f.resolve().parent) for f in files])) if files else Path()

    def name(path: Path, keep_suffix: bool) -> str:
        shown = path.resolve().relative_to(common)
        text = str(shown if keep_suffix else shown.with_suffix("")).replace("/", "--")
        return re.sub(r"[^A-Za-z0-9._-]", "_", text).lstrip(".") or "response"

    plain = [name(f, False) for f in files]
    return [name(f, True) if plain.count(n) > 1 else n for f, n in zip(files, plain)]


def report_jobs(root: Path, books: list[Path], each: bool, read: list[Path]) -> list[Job]:
    """Every notebook once over all the sources; with ``each``, the rates notebook once more for
    each response file of ``read`` (files and folders), on its own (fosi report --each)."""
    jobs = [Job(book, book.stem) for book in books]
    if each:
        from fosi.readers import response_files

        rates = next((b for b in books if b.stem == EACH_NOTEBOOK), None)
        if rates is None:
            raise FosiError(f"{root / 'notebooks'}: no {EACH_NOTEBOOK}.ipynb to run for each response")
        files = response_files(list(read))
        for file, stem in zip(files, response_stems(files)):
            jobs.append(Job(rates, f"{EACH_FOLDER}/{stem}", [str(file)], "../index.html", str(file)))
    return jobs


def _failed_name(job: Job) -> str:
    """Where a notebook run that failed is kept: 'NAME.failed.ipynb', 'responses--NAME.failed.ipynb'."""
    return f"{job.stem.replace('/', '--')}.failed.ipynb"


def _label(job: Job, root: Path) -> str:
    from fosi.paths import display_path

    shown = str(job.notebook.relative_to(root))
    return shown if job.response is None else f"{shown} for {display_path(job.response, root)}"


# Run in a kernel after its last notebook: the dataset every report was made from, into the output.
DATASET_CODE = """import fosi.build, fosi.model.dataset, fosi.publish.parameters
from pathlib import Path
_dataset = fosi.build.load_dataset(fosi.publish.parameters.check_sources({sources!r}),
                                   corrections=fosi.publish.parameters.check_corrections({corrections!r}),
                                   for_readers=True)
fosi.model.dataset.write_dataset(_dataset, Path({folder!r}))
del _dataset"""


def build_reports(
    root: Path,
    output: Path,
    parameters: dict[str, Any] | None = None,
    sources: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    each: bool = False,
) -> list[Path]:
    """Run every notebook into ``output`` (HTML and executed .ipynb), write the dataset's files
    into ``output/data/`` and the index; return the HTML paths. With ``each``, also the rates
    notebook once per response, into ``output/responses/``.

    Parameter values are checked before any kernel starts. Notebooks run in parallel, one
    kernel per core, each kernel taking the next run from one queue; each notebook is exported
    to HTML in a thread while its kernel goes on to the next one. The reports are switched in
    all at once when every notebook has run.
    """
    from fosi.publish.parameters import check_parameters, renamed

    say = progress or (lambda message: None)
    parameters, notes = renamed(dict(parameters or {}))  # former names (offence_codes) under today's
    for note in notes:
        say(f"note: {note}")
    if sources:
        parameters["sources"] = list(sources)
    books = notebooks(root)
    if not books:
        raise FosiError(f"{root / 'notebooks'}: no numbered notebooks to run")
    checked = check_parameters(parameters)
    # The responses read: the sources given (checked, from the project root), else the notebooks' default.
    read = list(checked.get("sources") or [root / "data" / "raw"])
    if not {"outcome", "offences"} <= set(parameters):
        parameters = with_request_defaults(parameters, read)
        checked = check_parameters(parameters)
    check_apart(output, read)
    jobs = report_jobs(root, books, each, read)
    with contextlib.ExitStack() as held:
        environment = {}
        processed = root / "data" / "processed"
        if not checked.get("sources") and current_generation(processed) is not None:
            # The notebooks read data/raw/ through the built dataset: hold it (a build waits until the
            # report is done) and fix its generation for every notebook and the data/ folder.
            held.enter_context(locked(processed, "fosi report", say, shared=True))
            generation = current_generation(processed)
            if generation is not None:
                environment[PINNED_ENV] = str(generation.resolve())
        held.enter_context(locked(output, "fosi report", say))
        with writing(output):
            tidy(output)
        kernels: list[SharedKernel] = []
        with new_generation(output) as generation:
            try:
                for _ in range(kernel_count(jobs)):
                    kernels.append(SharedKernel(environment))
                    with _interrupts_deferred():  # a kernel half-started could not be stopped
                        kernels[-1].start(root)  # kernels warm up while the parameter names are checked
                check_parameter_names(books, parameters)
                with writing(output):
                    if each:
                        (generation / EACH_FOLDER).mkdir()
                    when = _run_date()
                    runs = _run_notebooks(root, jobs, parameters, kernels, generation, output, read, when, say)
                    (generation / "index.html").write_text(
                        release_index(root, books, runs, parameters, read, when, generation / DATASET_FOLDER),
                        encoding="utf-8")
                switch_to(output, generation)
            finally:
                with _interrupts_deferred():  # done, failed or interrupted: stop them now, whatever they do
                    for kernel in kernels:
                        kernel.kill()
        for job in jobs:
            (output / _failed_name(job)).unlink(missing_ok=True)
    return [output / f"{job.stem}.html" for job in jobs] + [output / "index.html"]


def _run_date() -> str:
    from fosi.publish.sections import run_date

    return run_date()


@contextlib.contextmanager
def _interrupts_deferred():
    """Ctrl-C during the block takes effect as soon as it ends, so the block (a kernel starting,
    kernels being stopped) is never left half done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            if callable(previous):
                previous(signal.SIGINT, None)  # fosi's handler (or Python's): raises KeyboardInterrupt
            elif previous != signal.SIG_IGN:
                raise KeyboardInterrupt


def _run_notebooks(root: Path, jobs: list[Job], parameters: dict[str, Any], kernels: list[SharedKernel],
                   generation: Path, output: Path, read: list[Path], when: str,
                   say: Callable[[str], None]) -> list[tuple[Job, dict]]:
    """Run the jobs in the kernels and export each one to HTML, into ``generation``, and write the
    dataset's files there; return each job's summary for the index, in job order. Raises the
    first job's error.

    The threads are daemons: after Ctrl-C nothing waits for a notebook that is still running."""
    from fosi import __version__
    from fosi.publish.pages import page_resources

    queue = list(enumerate(jobs, start=1))
    summaries: dict[int, tuple[Job, dict]] = {}
    exports: list[threading.Thread] = []
    export_errors: dict[str, Exception] = {}
    failures: list[tuple[int, Exception]] = []
    dataset = {"claimed": False}
    lock = threading.Lock()

    def run_queue(kernel: SharedKernel) -> None:
        while True:
            with lock:
                if failures:
                    return
                if not queue:
                    if dataset["claimed"]:
                        return
                    dataset["claimed"] = True
                    break
                index, job = queue.pop(0)
            started = time.perf_counter()
            label = _label(job, root)
            say(f"[{index}/{len(jobs)}] {label}: running")
            executed = generation / f"{job.stem}.ipynb"
            try:
                try:
                    result = run_notebook(job.notebook, executed,
                                          parameters_for(job.notebook, parameters, job.sources), root, kernel)
                except KernelDied:
                    if kernel.killed:
                        raise
                    # Once, in a new kernel: a kernel dies when the machine runs short of memory, say.
                    say(f"[{index}/{len(jobs)}] {label}: its kernel stopped; running it again in a new kernel")
                    kernel.restart()
                    try:
                        result = run_notebook(job.notebook, executed,
                                              parameters_for(job.notebook, parameters, job.sources), root, kernel)
                    except KernelDied:
                        raise ReportError(f"{label}: its kernel stopped twice while it ran (the machine may be short "
                                          "of memory): close other programs, or run fewer reports at once "
                                          "(without --each), and run again") from None
            except Exception as error:  # noqa: BLE001 - raised again by build_reports, in job order
                if isinstance(error, ReportError) and not isinstance(error, KernelDied) and executed.exists():
                    _keep_failed(executed, output / _failed_name(job))
                with lock:
                    failures.append((index, error))
                return
            summary = read_summary(result) or {"title": _title(job.notebook)}
            title = summary.get("title", _title(job.notebook))
            page = page_resources(title, job.index_href, when, __version__)
            export = threading.Thread(target=_export_to, args=(result, generation / f"{job.stem}.html", title, page,
                                                               export_errors), daemon=True)
            export.start()
            with lock:
                summaries[index] = job, summary
                exports.append(export)
            say(f"[{index}/{len(jobs)}] {label}: done in {time.perf_counter() - started:.1f} s")
        # The queue is empty: this kernel writes the dataset while the others finish their last notebook.
        try:
            sources = [str(path) for path in read]
            kernel.run_code(DATASET_CODE.format(sources=sources, folder=str(generation / DATASET_FOLDER),
                                                corrections=str(parameters.get("corrections") or "")))
        except Exception as error:  # noqa: BLE001 - raised again by build_reports
            with lock:
                failures.append((len(jobs) + 1, error))

    runners = [threading.Thread(target=run_queue, args=(kernel,), daemon=True) for kernel in kernels]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    if failures:
        raise min(failures, key=lambda failure: failure[0])[1]
    for export in exports:
        export.join()
    for stem, error in sorted(export_errors.items()):
        if isinstance(error, OSError):
            raise error  # a full disk, say: named by build_reports with the folder and the fix
        raise ReportError(f"could not export {stem} to HTML: {error}")
    return [summaries[i] for i in sorted(summaries)]


def _keep_failed(executed: Path, target: Path) -> None:
    """Keep a failed notebook beside the reports for inspection (whole, or not at all)."""
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        shutil.copyfile(executed, temporary)
        os.replace(temporary, target)
    except OSError:  # only a convenience: the error message says what failed
        temporary.unlink(missing_ok=True)


def release_index(root: Path, books: list[Path], runs: list[tuple[Job, dict]], parameters: dict[str, Any],
                  read: list[Path], when: str, dataset: Path | None = None) -> str:
    """reports/index.html for a run: the parameters in force (those given, else each notebook's
    default; the sources as read, named from the project root), every report, and the reports for
    each response."""
    from fosi import __version__
    from fosi.paths import public_name
    from fosi.publish.pages import index_html

    shown: dict[str, Any] = {}
    for book in books:
        for name, declared in declared_parameters(book).items():
            if name not in shown:
                shown[name] = parameters.get(name, _default(declared))
    shown["sources"] = [public_name(path) for path in read]
    if "outcome" in shown:
        from fosi.publish.parameters import check_outcome

        shown["outcome"] = check_outcome(shown["outcome"])  # as the notebooks read it: -p outcome=01a is 1A
    reports, responses = [], []
    for job, summary in runs:
        entry = {"stem": job.stem, **summary}
        (responses if job.response else reports).append(entry)
    front, about = (release_front(read, dataset, shown, when) if dataset is not None
                    and (dataset / "manifest.csv").is_file() else (None, None))
    return index_html(reports, responses, shown, when, __version__, front=front, about=about)


def release_front(read: list[Path], dataset: Path, shown: dict[str, Any], when: str) -> tuple[dict, dict]:
    """The index's key points, tracker and per-force table, from the dataset the reports were made
    from and the request stated in the responses' folder (request.yml; fosi's defaults without one).
    Overdue is judged as of the run's date."""
    import datetime as dt

    from fosi.analysis.status import (
        force_figures,
        release_result,
        status_counts,
        status_table,
    )
    from fosi.model.dataset import read_dataset
    from fosi.model.request import Request, read_request
    from fosi.publish.sections import forces_release_table, tracker_release_table

    folder = read[0] if len(read) == 1 and read[0].is_dir() else None
    request = (read_request(folder) if folder else None) or Request.default()
    data = read_dataset(dataset)
    as_of = dt.date.today()
    confidence = float(shown.get("confidence", 0.95) or 0.95)
    table = status_table(request, data.manifest, data.figures, folder, as_of, data.findings)
    figures = force_figures(table, data.manifest, data.figures, request, folder, confidence)
    result = release_result(figures, confidence)
    counts = status_counts(table)
    excluded = int((~figures["comparable"]).sum()) if len(figures) else 0
    from fosi.publish.narrative import key_points

    front = {"key_points": key_points(counts, result, excluded, request, as_of.isoformat(), confidence),
             "counts": counts, "tracker": tracker_release_table(table, request),
             "forces": forces_release_table(figures, result, request, confidence) if len(figures) else None,
             "tracker_title": f"Forces by the status of their reply, as of {as_of.day} {as_of.strftime('%B %Y')}"}
    about = {"title": request.title if request.stated else None, "contact": request.contact,
             "sent": None if not request.sent else _long(request.sent)}
    return front, about


def _long(iso: str) -> str:
    from fosi.publish.formatting import long_date

    return long_date(iso)


def _default(declared: dict) -> Any:
    """A parameter's default as papermill read it from the notebook ('"21"' -> '21', '[]' -> [])."""
    import ast

    try:
        return ast.literal_eval(declared.get("default", ""))
    except (ValueError, SyntaxError):
        return declared.get("default")


def read_summary(notebook) -> dict | None:
    """The summary an executed notebook published (fosi.publish.sections.publish_summary), if any."""
    from fosi.publish.sections import SUMMARY_MIMETYPE

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if SUMMARY_MIMETYPE in output.get("data", {}):
                return dict(output["data"][SUMMARY_MIMETYPE])
    return None


_PRINTING = threading.Lock()


def print_progress(message: str) -> None:
    """One line per event: notebooks run in parallel, and each line is written whole."""
    from fosi.errors import printable

    with _PRINTING:
        sys.stderr.write(f"fosi report: {printable(message)}\n")
        sys.stderr.flush()
