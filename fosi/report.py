"""Run the numbered notebooks with papermill and export code-free HTML reports.

Reports are written as a new generation and switched into place all at once
(fosi.generations) only when every notebook has run, so a failed, interrupted or killed run
leaves the previous reports as they were. A notebook that fails is kept as
``NAME.failed.ipynb`` for inspection. Two runs into the same folder take turns.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from fosi.errors import FosiError, ParameterError
from fosi.generations import locked, new_generation, switch_to, tidy, writing
from fosi.notebook_tools import cell_tags

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
TEMPLATES = Path(__file__).parent / "templates"


class ReportError(FosiError):
    """A notebook failed; the message names the notebook, the cell and the error."""


def notebooks(root: Path) -> list[Path]:
    """The report notebooks, in run order (their number)."""
    return sorted((root / "notebooks").glob(NOTEBOOK_GLOB))


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
    # wherever fosi writes it (fosi.formatting.escape_text, pandas' HTML).
    return HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="offline",
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def export_html(notebook, title: str) -> str:
    """Code-free HTML of an executed notebook (a NotebookNode), with its images embedded.
    The notebook itself is left as it is."""
    import copy

    from fosi.presentation import SUMMARY_MIMETYPE

    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:  # the index's summary is for fosi, not for readers
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if SUMMARY_MIMETYPE not in o.get("data", {})]
    body, _ = _exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body


# One export at a time: exports share one exporter, and each holds the GIL throughout anyway.
_EXPORTING = threading.Lock()


def _export_to(notebook, target: Path, title: str, errors: dict[str, Exception]) -> None:
    try:
        with _EXPORTING:
            html = export_html(notebook, title)
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
    WARM_UP = "import fosi.presentation, fosi.plots, fosi.build, fosi.forces, scipy.stats, seaborn\n" \
              "import matplotlib.pyplot"

    def __init__(self) -> None:
        self.manager = kernel_manager_class()(kernel_name="python3")
        self.used = False
        self._warming: threading.Thread | None = None

    def start(self, root: Path) -> None:
        """Start the kernel now and import the heavy libraries in it, in the background."""
        import asyncio

        asyncio.run(self.manager.start_kernel(cwd=str(root)))
        self._warming = threading.Thread(target=self._warm_up, daemon=True)
        self._warming.start()

    def _warm_up(self) -> None:
        from jupyter_client import BlockingKernelClient

        client = BlockingKernelClient()
        client.load_connection_info(self.manager.get_connection_info())
        client.start_channels()
        try:
            client.execute_interactive(self.WARM_UP, timeout=120, output_hook=lambda message: None)
        except Exception:  # noqa: BLE001 - a failed warm-up only costs time; the notebook will say what is wrong
            pass
        finally:
            client.stop_channels()

    def ready(self) -> None:
        if self._warming is not None:
            self._warming.join()
            self._warming = None

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

    def shutdown(self) -> None:
        import asyncio

        if self.manager.has_kernel:
            asyncio.run(self.manager.shutdown_kernel(now=True))

    def kill(self) -> None:
        """Stop the kernel at once, from any thread, even while a notebook runs in it (Ctrl-C):
        a signal to its process group, then its connection files removed."""
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
    return kernel.strip(executed)


def kernel_count(books: list[Path]) -> int:
    """Kernels for a report run: one per core, at most one per notebook (each kernel is a
    process that imports pandas, matplotlib, seaborn and scipy once)."""
    return max(1, min(len(books), os.cpu_count() or 1))


def build_reports(
    root: Path,
    output: Path,
    parameters: dict[str, Any] | None = None,
    sources: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Run every notebook into ``output`` (HTML and executed .ipynb); return the HTML paths.

    Parameter values are checked before any kernel starts. Notebooks run in parallel, one
    kernel per core; each notebook is exported to HTML in a thread while its kernel goes on to
    the next one. The reports are switched in all at once when every notebook has run.
    """
    from fosi.params import check_parameters

    say = progress or (lambda message: None)
    parameters = dict(parameters or {})
    if sources:
        parameters["sources"] = list(sources)
    books = notebooks(root)
    if not books:
        raise FosiError(f"{root / 'notebooks'}: no numbered notebooks to run")
    check_parameters(parameters)
    with locked(output, "fosi report", say):
        with writing(output):
            tidy(output)
        kernels: list[SharedKernel] = []
        with new_generation(output) as generation:
            try:
                for _ in range(kernel_count(books)):
                    kernels.append(SharedKernel())
                    with _interrupts_deferred():  # a kernel half-started could not be stopped
                        kernels[-1].start(root)  # kernels warm up while the parameter names are checked
                check_parameter_names(books, parameters)
                with writing(output):
                    summaries = _run_notebooks(root, books, parameters, kernels, generation, output, say)
                    (generation / "index.html").write_text(index_html(summaries), encoding="utf-8")
                switch_to(output, generation)
            finally:
                with _interrupts_deferred():  # done, failed or interrupted: stop them now, whatever they do
                    for kernel in kernels:
                        kernel.kill()
        for notebook in books:
            (output / f"{notebook.stem}.failed.ipynb").unlink(missing_ok=True)
    return [output / f"{notebook.stem}.html" for notebook in books] + [output / "index.html"]


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


def _run_notebooks(root: Path, books: list[Path], parameters: dict[str, Any], kernels: list[SharedKernel],
                   generation: Path, output: Path, say: Callable[[str], None]) -> list[tuple[str, dict]]:
    """Run the notebooks in the kernels and export each one to HTML, into ``generation``; return
    each notebook's summary for the index, in notebook order. Raises the first notebook's error.

    The threads are daemons: after Ctrl-C nothing waits for a notebook that is still running."""
    queue = list(enumerate(books, start=1))
    summaries: dict[int, tuple[str, dict]] = {}
    exports: list[threading.Thread] = []
    export_errors: dict[str, Exception] = {}
    failures: list[tuple[int, Exception]] = []
    lock = threading.Lock()

    def run_queue(kernel: SharedKernel) -> None:
        while True:
            with lock:
                if failures or not queue:
                    return
                index, notebook = queue.pop(0)
            started = time.perf_counter()
            say(f"[{index}/{len(books)}] {notebook.relative_to(root)}: running")
            executed = generation / notebook.name
            try:
                result = run_notebook(notebook, executed, parameters_for(notebook, parameters, None), root, kernel)
            except Exception as error:  # noqa: BLE001 - raised again by build_reports, in notebook order
                if isinstance(error, ReportError) and executed.exists():
                    _keep_failed(executed, output / f"{notebook.stem}.failed.ipynb")
                with lock:
                    failures.append((index, error))
                return
            summary = read_summary(result) or {"title": _title(notebook)}
            export = threading.Thread(target=_export_to, args=(result, generation / f"{notebook.stem}.html",
                                                               _title(notebook), export_errors), daemon=True)
            export.start()
            with lock:
                summaries[index] = notebook.stem, summary
                exports.append(export)
            say(f"[{index}/{len(books)}] {notebook.relative_to(root)}: done in {time.perf_counter() - started:.1f} s")

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


def read_summary(notebook) -> dict | None:
    """The summary an executed notebook published (fosi.presentation.publish_summary), if any."""
    from fosi.presentation import SUMMARY_MIMETYPE

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if SUMMARY_MIMETYPE in output.get("data", {}):
                return dict(output["data"][SUMMARY_MIMETYPE])
    return None


def index_html(summaries: list[tuple[str, dict]]) -> str:
    """reports/index.html: every report with a one-line summary. Self-contained, no script."""
    from html import escape

    items = []
    for stem, summary in summaries:
        details = "; ".join(part for part in (
            ", ".join(summary.get("forces", [])) or None,
            ", ".join(summary.get("periods", [])) or None,
            summary.get("key_figure")) if part)
        items.append(f'<li><a href="{escape(stem)}.html">{escape(summary.get("title", stem))}</a>'
                     f'<br><span>{escape(details)}</span></li>')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>fosi reports</title>
<style>body{{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}}
li{{margin:0 0 1rem}} span{{color:#444}} @media print{{a{{color:#000}}}}</style></head>
<body><h1>fosi reports</h1>
<p>Each report reads police responses to Freedom of Information requests as received, checks them and
shows outcome rates with their uncertainty. Open a report for its method, caveats and provenance.</p>
<ul>
{chr(10).join(items)}
</ul></body></html>
"""


_PRINTING = threading.Lock()


def print_progress(message: str) -> None:
    """One line per event: notebooks run in parallel, and each line is written whole."""
    from fosi.errors import printable

    with _PRINTING:
        sys.stderr.write(f"fosi report: {printable(message)}\n")
        sys.stderr.flush()
