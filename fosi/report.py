"""Run the numbered notebooks with papermill and export code-free HTML reports.

Reports are built in a staging folder beside the output folder and moved into place
only when every notebook has run, so a failed run leaves the previous reports as
they were. A notebook that fails is kept as ``NAME.failed.ipynb`` for inspection.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fosi.errors import FosiError, ParameterError

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
TEMPLATES = Path(__file__).parent / "templates"


class ReportError(FosiError):
    """A notebook failed; the message names the notebook, the cell and the error."""


def notebooks(root: Path) -> list[Path]:
    """The report notebooks, in run order (their number)."""
    return sorted((root / "notebooks").glob(NOTEBOOK_GLOB))


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The names a notebook's ``parameters`` cell declares, with papermill's description of each."""
    import papermill

    return papermill.inspect_notebook(str(notebook))


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


def export_html(executed: Path, title: str) -> str:
    """Code-free HTML of an executed notebook, with its images embedded."""
    import nbformat
    from nbconvert import HTMLExporter

    from fosi.presentation import SUMMARY_MIMETYPE

    notebook = nbformat.read(executed, as_version=4)
    for cell in notebook.cells:  # the index's summary is for fosi, not for readers
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if SUMMARY_MIMETYPE not in o.get("data", {})]
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)], template_name="offline",
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
    )  # not sanitize_html: it escapes fosi's own tables and prose; response text is escaped where written
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body


def _title(notebook: Path) -> str:
    """'01_outcome_rates.ipynb' -> 'Outcome rates'."""
    return notebook.stem.split("_", 1)[-1].replace("_", " ").capitalize()


def kernel_manager_class():
    """A kernel manager that talks to its kernel over local IPC sockets rather than TCP.

    The kernel never listens on a network port, and does not print ipykernel's warning
    about unencrypted TCP into every run.
    """
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        transport = "ipc"

    return LocalKernelManager


def run_notebook(notebook: Path, executed: Path, parameters: dict[str, Any], root: Path) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(notebook), str(executed), parameters=parameters, cwd=str(root),
            progress_bar=False, log_output=False, report_mode=True,
            kernel_manager_class=kernel_manager_class(),
        )
    except PapermillExecutionError as error:
        message = str(error.evalue).strip().splitlines()[-1] if str(error.evalue).strip() else ""
        raise ReportError(
            f"{notebook.relative_to(root)}: cell {error.exec_count} failed: {error.ename}: {message}") from None


def build_reports(
    root: Path,
    output: Path,
    parameters: dict[str, Any] | None = None,
    sources: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Run every notebook into ``output`` (HTML and executed .ipynb); return the HTML paths."""
    say = progress or (lambda message: None)
    parameters = parameters or {}
    books = notebooks(root)
    if not books:
        raise FosiError(f"{root / 'notebooks'}: no numbered notebooks to run")
    check_parameter_names(books, parameters)
    output.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=output))
    summaries: list[tuple[str, dict]] = []
    try:
        for index, notebook in enumerate(books, start=1):
            started = time.perf_counter()
            say(f"[{index}/{len(books)}] {notebook.relative_to(root)}: running")
            executed = staging / notebook.name
            try:
                run_notebook(notebook, executed, parameters_for(notebook, parameters, sources), root)
            except ReportError:
                if executed.exists():
                    shutil.copyfile(executed, output / f"{notebook.stem}.failed.ipynb")
                raise
            (staging / f"{notebook.stem}.html").write_text(export_html(executed, _title(notebook)), encoding="utf-8")
            summaries.append((notebook.stem, read_summary(executed) or {"title": _title(notebook)}))
            say(f"[{index}/{len(books)}] {notebook.relative_to(root)}: done in {time.perf_counter() - started:.1f} s")
        (staging / "index.html").write_text(index_html(summaries), encoding="utf-8")
        written = []
        for built in sorted(staging.iterdir()):
            os.replace(built, output / built.name)  # atomic within one file system
            if built.suffix == ".html":
                written.append(output / built.name)
        for notebook in books:
            (output / f"{notebook.stem}.failed.ipynb").unlink(missing_ok=True)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_summary(executed: Path) -> dict | None:
    """The summary a notebook published (fosi.presentation.publish_summary), if any."""
    import nbformat

    from fosi.presentation import SUMMARY_MIMETYPE

    for cell in nbformat.read(executed, as_version=4).cells:
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


def print_progress(message: str) -> None:
    print(f"fosi report: {message}", file=sys.stderr, flush=True)
