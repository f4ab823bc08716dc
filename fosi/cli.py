"""The ``fosi`` command: parse, validate, rates, build, report.

Exit status: 0 success; 1 the input has errors (validate), a file in a build could not be
read, or a report failed; 2 bad usage, unreadable input, or an output that cannot be written.
Errors are one line on stderr, never a traceback; Ctrl-C stops at once (exit 130).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from fosi import __version__
from fosi.errors import (
    FosiError,
    InputError,
    OutputError,
    ParameterError,
    describe_os_error,
    printable,
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
DEBUG_ENV = "FOSI_DEBUG"  # set: a fault in fosi itself shows its traceback (for whoever fixes it)
INTERVAL_METHODS = ("wilson", "exact")  # fosi.analysis.rates.CI_METHODS (a test keeps them equal; no scipy at start)
PATHS_HELP = "response files or folders (read recursively); relative paths from the current folder"
CORRECTIONS_HELP = ("a corrections file (.csv or .xlsx) to apply (default: corrections.csv beside each folder "
                    "named, or beside the folder holding a file named)")


class _Parser(argparse.ArgumentParser):
    more_help: Any = None  # a function giving more help, read only when --help is asked for

    def error(self, message: str) -> None:  # one line, exit 2 (argparse's own convention)
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")

    def format_help(self) -> str:
        text = super().format_help()
        return f"{text}\n{self.more_help()}\n" if self.more_help else text


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    path = Path(output)
    if path.is_dir():
        raise OutputError(f"{output}: is a folder; -o takes a file name")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)  # the old file stays whole until the new one is complete
    except OSError as error:
        raise OutputError(describe_os_error(error, output)) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _read(args: argparse.Namespace):
    """The dataset of the named files and folders, read as ``fosi.load`` and the reports read them
    (one sources rule, one corrections rule). A file that cannot be read is named on standard
    error with its reason; the others are still read."""
    from fosi.build import load_dataset
    from fosi.readers import resolve_sources

    corrections = getattr(args, "corrections", None)
    named = None
    if corrections:
        named = Path(corrections).expanduser().absolute()
        if not named.is_file():
            raise InputError(corrections, "is not a file: name the corrections file to apply")
    dataset = load_dataset(resolve_sources(args.paths), corrections=named)
    for row in dataset.manifest[dataset.manifest["status"] == "failed"].itertuples():
        print(f"fosi {args.command}: {printable(str(row.reason))}", file=sys.stderr)
    return dataset


def _summary(command: str, dataset, args: argparse.Namespace) -> int:
    """The summary line on standard error, when more than one response was read or a folder was
    named; the exit status for what was read: 2 when a file could not be read (unreadable input,
    as for a single file; the others are still read and written), else 0."""
    from fosi.model.dataset import dataset_summary

    if _several(dataset, args):
        print(f"fosi {command}: {dataset_summary(dataset)}", file=sys.stderr)
    return EXIT_USAGE if (dataset.manifest["status"] == "failed").any() else EXIT_OK


def _several(dataset, args: argparse.Namespace) -> bool:
    return len(dataset.manifest) > 1 or any(Path(p).expanduser().is_dir() for p in args.paths)


def _frame_text(frame, fmt: str) -> str:
    if fmt == "csv":
        text = frame.to_csv(index=False, lineterminator="\n")
        if "\r" in text:  # pandas leaves a carriage return (in a file name, say) unquoted: quote it
            from fosi.model.dataset import csv_text

            rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
            text = csv_text([tuple(frame.columns), *rows])
        return text
    if fmt == "json":
        return frame.to_json(orient="records", indent=1, force_ascii=False) + "\n"
    return frame.to_string(index=frame.index.name is not None) + "\n"


def _report_unread(findings) -> bool:
    """Print what could not be read (tables, numbers, a cut-off end) to stderr; True if anything."""
    from fosi.model.findings import READING_RULES

    unread = findings[findings["rule"].isin(READING_RULES)]
    for f in unread.itertuples():
        where = f"{f.source}:{f.location}" if isinstance(f.location, str) else f.source
        print(f"{where}: {f.severity} {f.rule}: {f.message}", file=sys.stderr)
    return not unread.empty


def cmd_parse(args: argparse.Namespace) -> int:
    dataset = _read(args)
    _write(_frame_text(dataset.figures, args.format), args.output)
    unread = _report_unread(dataset.findings)
    status = _summary("parse", dataset, args)
    return status or (EXIT_FINDINGS if unread else EXIT_OK)


def cmd_inspect(args: argparse.Namespace) -> int:
    from fosi.readers import read_response, resolve_sources, response_files
    from fosi.readers.inspection import inspect_lines

    files = response_files(resolve_sources(args.paths))
    parts, failed = [], 0
    for path in files:
        shown = _shown(path)
        try:
            response = read_response(path, keep_reading=True)
        except InputError as error:
            failed += 1
            print(f"fosi inspect: {printable(str(error))}", file=sys.stderr)
            continue
        heading = [f"== {shown}", ""] if len(files) > 1 else []
        parts.append("\n".join([*heading, *inspect_lines(response)]) + "\n")
    _write("\n".join(parts), args.output)
    if len(files) > 1 or any(Path(p).expanduser().is_dir() for p in args.paths):
        from fosi.model.dataset import summary_line

        print(f"fosi inspect: {summary_line(len(files), failed)}", file=sys.stderr)
    return EXIT_USAGE if failed else EXIT_OK


def _shown(path: Path) -> str:
    from fosi.paths import display_path

    return printable(display_path(path))


def cmd_validate(args: argparse.Namespace) -> int:
    from fosi.model.dataset import summary_line

    dataset = _read(args)
    findings = dataset.findings
    if args.format == "json":
        sys.stdout.write(_frame_text(findings.rename(columns={"source": "file"}), "json"))
    else:
        for f in findings.itertuples():
            where = f"{f.source}:{f.location}" if isinstance(f.location, str) else f.source
            print(printable(f"{where}: {f.severity} {f.rule}: {f.message}"))
    counts = findings["severity"].value_counts()
    not_read = int((findings["rule"] == "table-not-read").sum())
    line = (f"{summary_line(len(dataset.manifest), int((dataset.manifest['status'] == 'failed').sum()))}; "
            f"{int(counts.get('error', 0))} error(s)" + (f" ({not_read} table(s) not read)" if not_read else "")
            + f", {int(counts.get('warning', 0))} warning(s), {int(counts.get('info', 0))} note(s)")
    # The summary ends the findings on standard output, unless that is JSON for a program to read.
    print(line if args.format == "text" else f"fosi validate: {line}", file=sys.stdout if args.format == "text"
          else sys.stderr)
    failing = {"error", "warning"} if args.strict else {"error"}
    if (dataset.manifest["status"] == "failed").any():
        return EXIT_USAGE  # unreadable input, as for one file; the others were still checked
    return EXIT_FINDINGS if findings["severity"].isin(failing).any() else EXIT_OK


def cmd_rates(args: argparse.Namespace) -> int:
    from fosi.analysis.rates import outcome_rates
    from fosi.model.request import request_for
    from fosi.publish.parameters import (
        check_confidence,
        check_method,
        check_offences,
        check_outcome,
    )
    from fosi.readers import resolve_sources

    # Defaults: the outcome and offences the request asked about (request.yml), else Outcome 21 and
    # the indecent-images group (86/x).
    request = request_for(resolve_sources(args.paths))
    outcome = check_outcome(args.outcome) if args.outcome.strip() else request.outcome
    confidence, method = check_confidence(args.confidence), check_method(args.method)
    chosen = args.offences.strip()
    offences = [] if chosen.lower() == "all" else check_offences(chosen) if chosen else list(request.offences)
    data = _read(args)
    rates = outcome_rates(data.figures, outcome, confidence, method, offences, data.findings)
    if args.format == "text":
        from fosi.publish.text import rates_text

        sys.stdout.write(rates_text(rates, outcome, offences))
    else:
        sys.stdout.write(_frame_text(rates, args.format))
    return _summary("rates", data, args)


def cmd_build(args: argparse.Namespace) -> int:
    from fosi.build import build, print_progress
    from fosi.paths import beside_sources, from_here, project_root

    root = project_root()
    raw = Path(args.folder).resolve() if args.folder else root / "data" / "raw"
    # Responses outside the project are built beside them, never into the project's own data/processed/.
    output = Path(args.output).absolute() if args.output else (
        beside_sources([raw], "dataset", root) or root / "data" / "processed")
    args.output_folder = output  # what an interruption leaves as it was
    corrections = Path(args.corrections).resolve() if args.corrections else None
    result = build(raw, output, corrections, progress=None if args.quiet else print_progress, force=args.force,
                   say=_say("fosi build"))
    summary = result.summary
    for reason in summary["failed"]:
        print(f"fosi build: failed: {printable(reason)}", file=sys.stderr)
    if summary["unmatched_corrections"]:
        print(f"fosi build: {summary['unmatched_corrections']} correction(s) do not match what is printed and were "
              f"not applied (see findings.csv)", file=sys.stderr)
    if not args.quiet:
        state = "up to date, nothing re-read" if not result.changed else f"{result.reread} file(s) read afresh"
        from fosi.model.dataset import summary_line

        counts = summary_line(summary["files"], len(summary["failed"]), summary.get("errors", 0),
                              summary.get("tables_not_read", 0))
        print(f"fosi build: {counts}; {summary['figures']} figures, {summary['corrections']} correction(s) "
              f"applied; {state}; in {from_here(output)}/", file=sys.stderr)
    return EXIT_FINDINGS if summary["failed"] or summary["unmatched_corrections"] else EXIT_OK


def _say(command: str):
    def say(message: str) -> None:
        print(f"{command}: {printable(message)}", file=sys.stderr, flush=True)

    return say


def _parameter(text: str) -> tuple[str, Any]:
    """NAME=VALUE, the value read as YAML (as papermill's -y does): 0.9 is a number, [a, b] a list."""
    import yaml

    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise ParameterError(f"-p takes NAME=VALUE, not {text!r} (papermill's -p NAME VALUE is -p NAME=VALUE here)")
    try:
        return name, yaml.safe_load(value)
    except yaml.YAMLError:
        return name, value


def cmd_report(args: argparse.Namespace) -> int:
    from fosi.paths import beside_sources, from_here, project_root
    from fosi.publish.parameters import check_parameters, check_sources, renamed
    from fosi.publish.report import build_reports, print_progress
    from fosi.readers import resolve_sources

    root = project_root()
    parameters: dict[str, Any] = {}
    if args.params_file:
        import yaml

        from fosi.yamlfiles import yaml_without_aliases

        try:
            loaded = yaml_without_aliases(Path(args.params_file).read_text(encoding="utf-8")) or {}
        except OSError as error:
            raise InputError(args.params_file, f"cannot read parameters: {describe_os_error(error, '')}") from None
        except yaml.YAMLError as error:
            raise InputError(args.params_file, f"cannot read parameters: {error}") from None
        if not isinstance(loaded, dict):
            raise InputError(args.params_file, "must hold NAME: VALUE pairs")
        parameters.update(loaded)
    parameters.update(dict(_parameter(p) for p in args.parameter))
    parameters, notes = renamed(parameters)
    for note in notes:
        print(f"fosi report: note: {note}", file=sys.stderr)
    if args.paths:
        parameters["sources"] = list(args.paths)
    if args.corrections:
        parameters["corrections"] = args.corrections
    # Paths on the command line, in -p and in a -f file follow the one sources rule (from the
    # current folder); the notebooks are handed absolute paths.
    if "sources" in parameters:
        try:
            parameters["sources"] = [str(path) for path in resolve_sources(parameters["sources"])]
        except InputError as error:
            raise ParameterError(f"sources: {error}") from None
    if parameters.get("corrections"):
        named = Path(str(parameters["corrections"])).expanduser().absolute()
        if not named.is_file():
            raise ParameterError(f"corrections: {parameters['corrections']} is not a file")
        parameters["corrections"] = str(named)
    check_parameters(parameters)  # every value checked here, before a build or a kernel starts
    # Reports of responses outside the project go beside them, never into the project's own reports/.
    output = Path(args.output).absolute() if args.output else (
        beside_sources([Path(p) for p in parameters.get("sources") or []], "reports", root) or root / "reports")
    args.output_folder = output  # what an interruption leaves as it was
    if "sources" not in parameters:  # the notebooks read data/raw/ through the built dataset: bring it up to date
        from fosi.build import build

        check_sources([root / "data" / "raw"])
        corrections = Path(parameters["corrections"]) if parameters.get("corrections") else None
        build(root / "data" / "raw", root / "data" / "processed", corrections, say=_say("fosi report"))
    written = build_reports(root, output, parameters, progress=None if args.quiet else print_progress,
                            each=args.each)
    if not args.quiet:
        for path in written:
            print(from_here(path))
    return _report_summary(output, args.quiet, parameters.get("sources"))


def _report_summary(output: Path, quiet: bool = False, sources: list | None = None) -> int:
    """After a report: each response that could not be read, named, and the summary line, from the
    dataset the reports were made from (output/data/); exit 1 when any could not be read. The
    dataset names files from the responses' folder (for readers); here, on this machine, each is
    named as the other commands name it."""
    import csv
    import os

    from fosi.paths import display_path, responses_folder

    folder = responses_folder(list(sources)) if sources else None

    def here(reason: str, name: str) -> str:
        path = os.path.join(folder, name) if folder and name and not os.path.isabs(name) else None
        if path and os.path.exists(path) and reason.startswith(name):
            return display_path(path) + reason[len(name):]
        return reason

    from fosi.model.dataset import summary_line

    try:
        with (output / "data" / "manifest.csv").open(newline="", encoding="utf-8") as handle:
            manifest = list(csv.DictReader(handle))
        with (output / "data" / "findings.csv").open(newline="", encoding="utf-8") as handle:
            findings = list(csv.DictReader(handle))
    except OSError:
        return EXIT_OK  # the reports were written; the summary is only a convenience
    failed = [row for row in manifest if row.get("status") == "failed"]
    for row in failed:
        reason = here(row.get("reason") or row.get("file", ""), row.get("file", ""))
        print(f"fosi report: could not read {printable(reason)}", file=sys.stderr)
    errors = sum(1 for f in findings if f.get("severity") == "error")
    not_read = sum(1 for f in findings if f.get("rule") == "table-not-read")
    if failed or not quiet:
        print(f"fosi report: {summary_line(len(manifest), len(failed), errors, not_read)}", file=sys.stderr)
    return EXIT_FINDINGS if failed else EXIT_OK


def _as_of(text: str | None):
    import datetime as dt

    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ParameterError(f"--as-of takes a date as YYYY-MM-DD, not {text!r}") from None


def _responses_folder(folder: str | None) -> Path:
    from fosi.paths import project_root

    path = Path(folder) if folder else project_root() / "data" / "raw"
    if not path.is_dir():
        raise InputError(folder or str(path), "is not a folder of responses")
    return path


def cmd_request_init(args: argparse.Namespace) -> int:
    import datetime as dt

    from fosi.model.request import REQUEST_FILE, request_template

    folder = _responses_folder(args.folder)
    target = folder / REQUEST_FILE
    if target.exists() and not args.force:
        raise OutputError(f"{target}: a request is already stated there; edit it, or add --force to replace it")
    _write(request_template(dt.date.today()), str(target))
    print(f"fosi request init: wrote {target}; fill it in, then run fosi status", file=sys.stderr)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from fosi.analysis.status import status_table
    from fosi.build import load_dataset
    from fosi.model.request import Request, read_request

    as_of = _as_of(args.as_of)
    folder = _responses_folder(args.folder)
    request = read_request(folder) or Request.default()
    data = load_dataset([folder])
    table = status_table(request, data.manifest, data.figures, folder.absolute(), as_of, data.findings)
    if args.format == "text":
        shown = table.astype(object).where(table.notna(), "")
        shown["rate"] = [f"{r:.1%}" if isinstance(r, float) else "" for r in table["rate"].astype(object)]
        text = shown.to_string(index=False) + "\n"
    else:
        text = _frame_text(table, args.format)
    sys.stdout.write(text)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fosi",
        description="Read police FOI responses about indecent-images-of-children offences into one checked "
                    "figure table, and report outcome rates with confidence intervals.",
        epilog="Exit status: 0 ok; 1 errors found in the input (validate), a file that could not be read "
               "(build) or a report that failed; 2 bad usage, unreadable input or an output that cannot be "
               "written; 130 interrupted (Ctrl-C).",
    )
    parser.add_argument("--version", action="version", version=f"fosi {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = commands.add_parser("parse", help="write the figure table of one or more responses",
                            description="Write every printed number in the responses as the figure table "
                                        "(one row per number; columns documented in the README). A table or "
                                        "number that could not be read is named on standard error, at its "
                                        "line, and the exit status is then 1.")
    p.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    p.add_argument("--corrections", metavar="FILE", help=CORRECTIONS_HELP)
    p.add_argument("--format", choices=["csv", "json"], default="csv", help="output format (default: csv)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=cmd_parse)

    p = commands.add_parser("inspect", help="show how each line of a response was read",
                            description="Print the response with a gutter giving each line's role (title, header, "
                                        "row, total, group, note, metadata, prose, request, refusal, not read) "
                                        "and, under it, which of its numbers became which figures and which were "
                                        "not read, with the reason. Run it when a figure looks wrong. Reviewed "
                                        "corrections are not applied here: it shows the file as printed.")
    p.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=cmd_inspect)

    p = commands.add_parser("validate", help="check that each response agrees with itself",
                            description="Check totals, outcome subsets, duplicate rows, counts, periods and "
                                        "outcome codes. One finding per line: file:line: severity rule: message; "
                                        "then a summary line.")
    p.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    p.add_argument("--corrections", metavar="FILE", help=CORRECTIONS_HELP)
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument("--strict", action="store_true", help="count warnings as errors for the exit status")
    p.set_defaults(run=cmd_validate)

    p = commands.add_parser("rates", help="outcome rates per offence with confidence intervals",
                            description="The share of each offence's crimes closed with an outcome, "
                                        "with a confidence interval; bases under 10 are flagged.")
    p.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    p.add_argument("--corrections", metavar="FILE", help=CORRECTIONS_HELP)
    p.add_argument("--outcome", default="", help="Home Office outcome code (default: the request's first outcome "
                                                 "in request.yml, else 21)")
    p.add_argument("--confidence", default="0.95", help="confidence level of the intervals (default: 0.95)")
    p.add_argument("--method", choices=INTERVAL_METHODS, default="wilson",
                   help="interval: Wilson score (default) or exact Clopper-Pearson")
    p.add_argument("--offences", default="", metavar="CODES",
                   help="Home Office offence codes to keep, comma-separated: 86/2,86/10, or 86/* for a class; "
                        "all for every offence (default: the request's offences in request.yml, else the "
                        "indecent-images-of-children group, 86/2, 86/10 and 86/15)")
    p.add_argument("--format", choices=["text", "csv", "json"], default="text", help="output format (default: text)")
    p.set_defaults(run=cmd_rates)

    p = commands.add_parser("build", help="read every response in a folder into one dataset",
                            description="Read every response under the folder (recursively), apply the reviewed "
                                        "corrections, check each one, and write figures.csv, findings.csv, "
                                        "manifest.csv, notes.csv, corrections_applied.csv and datapackage.json. "
                                        "Only files whose hash changed are read again. A file that cannot be read "
                                        "is reported and the rest still build; the exit status is then 1.")
    p.add_argument("folder", nargs="?", metavar="DIR", help="folder of responses (default: the project's data/raw/)")
    p.add_argument("-o", "--output", metavar="DIR", help="output folder (default: the project's data/processed/)")
    p.add_argument("--corrections", metavar="FILE",
                   help=CORRECTIONS_HELP)
    p.add_argument("--force", action="store_true", help="read every file again, ignoring the cache")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but failures")
    p.set_defaults(run=cmd_build)

    p = commands.add_parser("report", help="run the notebooks and write HTML reports",
                            description="Run every numbered notebook in notebooks/ with papermill and write "
                                        "code-free HTML (images embedded), the executed notebooks, the dataset's "
                                        "files (data/) and an index. "
                                        "Previous reports are replaced only when every notebook succeeds.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="response files or folders, relative paths from the current folder (default: the "
                        "project's data/raw/)")
    p.add_argument("--corrections", metavar="FILE", help=CORRECTIONS_HELP)
    p.add_argument("-o", "--output", metavar="DIR", help="output folder (default: the project's reports/)")
    p.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                   help="a notebook parameter, e.g. -p outcome=10 (repeatable; value read as YAML)")
    p.add_argument("-f", "--parameters-file", dest="params_file", metavar="FILE",
                   help="a YAML file of notebook parameters (-p values override it)")
    p.add_argument("--each", action="store_true",
                   help="also write one rates report per response, reports/responses/NAME.html, listed in the "
                        "index by force and period")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(run=cmd_report)
    p.more_help = _report_parameters_help

    p = commands.add_parser("request", help="state the request of a round robin (request.yml)",
                            description="The request sent to every force, stated once in request.yml at the top "
                                        "of the responses' folder: fosi status and the reports follow it.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    init = actions.add_parser("init", help="write a commented request.yml to fill in",
                              description="Write a commented request.yml template into FOLDER.")
    init.add_argument("folder", nargs="?", metavar="FOLDER",
                      help="the responses' folder (default: the project's data/raw/)")
    init.add_argument("--force", action="store_true", help="replace a request.yml already there")
    init.set_defaults(run=cmd_request_init)

    p = commands.add_parser("status", help="who was asked, who answered, refused or is overdue",
                            description="One row per force asked (request.yml; without it, each force that "
                                        "replied): force, status, sections, files, period, unit, count, base, "
                                        "rate, errors. Status is answered, partial, refused, not-held, "
                                        "clarification, unreadable, no-reply, overdue (20 working days after "
                                        "the request was sent, England and Wales bank holidays excluded), "
                                        "not-asked or unmatched.")
    p.add_argument("folder", nargs="?", metavar="FOLDER", help="the responses' folder (default: data/raw/)")
    p.add_argument("--format", choices=["text", "csv", "json"], default="text", help="output format (default: text)")
    p.add_argument("--as-of", metavar="DATE", help="judge overdue replies as of this date, YYYY-MM-DD "
                                                   "(default: today)")
    p.set_defaults(run=cmd_status)
    return parser


def _report_parameters_help() -> str:
    from fosi.publish.parameters import parameters_help

    return parameters_help()


def _interrupted(signum: int, frame: object) -> None:
    # The first Ctrl-C stops fosi; any further one is ignored, so that the clean-up it starts
    # (kernels stopped, half-written output removed) is never cut short.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupted)
    try:
        return args.run(args)
    except (InputError, ParameterError, OutputError) as error:
        print(f"fosi {args.command}: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except FosiError as error:
        print(f"fosi {args.command}: {printable(str(error))}", file=sys.stderr)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        kept = {"build": "; the last good dataset is kept", "report": "; the last good reports are kept"}
        output = getattr(args, "output_folder", None)
        if output is not None and _has_generation(output):
            said = kept.get(args.command, "")
        else:
            said = "; nothing was written" if args.command in kept else ""
        print(f"fosi {args.command}: interrupted{said}", file=sys.stderr, flush=True)
        return _stop(130)
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:  # a fault of the file system not met above: still one line, naming the path
        print(f"fosi {args.command}: {describe_os_error(error)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - a fault in fosi itself: one line, never a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        detail = " ".join(str(error).split())[:300]
        print(f"fosi {args.command}: stopped by a fault in fosi ({type(error).__name__}: {printable(detail)}); "
              f"please report it (run again with {DEBUG_ENV}=1 to see where it happened)", file=sys.stderr)
        return EXIT_FINDINGS


def _has_generation(folder: Path) -> bool:
    from fosi.generations import current_generation

    return current_generation(folder) is not None


def _stop(status: int) -> NoReturn:
    """After Ctrl-C, exit now: the clean-up is done (kernels and workers stopped, half-written
    output removed). Python's own shutdown would wait for threads still running a notebook, run
    libraries' exit handlers for kernels already stopped, and restore the default Ctrl-C action,
    so that a second Ctrl-C meanwhile would kill fosi with a traceback-less signal."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
