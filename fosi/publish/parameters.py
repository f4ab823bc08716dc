"""Checks for notebook and command parameters: each returns the value in the type fosi
uses, or raises ParameterError with a message a reader can act on.

papermill's ``-p outcome 10`` arrives as the integer 10, ``-p outcome '"21"'`` as the string
'"21"' with its quotes, and ``-p sources x.txt`` as a single string; all are accepted and
normalised here.

Source paths follow one rule (``fosi.readers.resolve_sources``): a relative path is taken from the
current folder on the command line and in ``fosi.load``; ``fosi report`` hands the notebooks
absolute paths, and a notebook run by itself (JupyterLab, papermill) takes them from the project root.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fosi.errors import ParameterError
from fosi.paths import project_root
from fosi.reference import known_outcome_codes, normalise_outcome_code


def check_outcome(outcome: object) -> str:
    """A Home Office outcome code as a string: 21 -> '21', '01a' -> '1A'."""
    if isinstance(outcome, bool) or not isinstance(outcome, (str, int)):
        raise ParameterError(f"outcome must be an outcome code such as \"21\", not {outcome!r}")
    if isinstance(outcome, str) and len(outcome) >= 2 and outcome[0] == outcome[-1] and outcome[0] in "\"'":
        outcome = outcome[1:-1]  # "21" quoted on a command line, to keep it a string
    code = normalise_outcome_code(outcome)
    if code not in known_outcome_codes():
        known = ", ".join(sorted(known_outcome_codes(), key=lambda c: (int(c.rstrip("ABC")), c)))
        raise ParameterError(f"outcome {outcome!r} is not a Home Office outcome type (known: {known})")
    return code


def check_confidence(confidence: object) -> float:
    """A confidence level strictly between 0.5 and 1 (0.95 means 95%)."""
    try:
        value = float(confidence)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParameterError(f"confidence must be a number such as 0.95, not {confidence!r}") from None
    if not 0.5 <= value < 1:
        raise ParameterError(f"confidence must be at least 0.5 and below 1 (0.95 means 95%), not {confidence!r}")
    return value


def check_sources(sources: object, base: Path | None = None) -> list[Path]:
    """Response files or folders, by the one rule of ``fosi.readers.resolve_sources``; in a
    notebook a relative path is taken from the project root (``base``), so JupyterLab, papermill
    and ``fosi report`` (which hands over absolute paths) agree."""
    from fosi.errors import InputError
    from fosi.readers import resolve_sources

    try:
        return resolve_sources(sources, base or project_root())
    except InputError as error:
        raise ParameterError(f"sources: {error}") from None


@dataclass(frozen=True)
class RatesRun:
    sources: list[Path]
    outcome: str
    confidence: float
    offences: list[str]
    method: str = "wilson"
    corrections: Path | None = None

    @property
    def offence_codes(self) -> list[str]:  # the former name, for notebooks saved before the rename
        return self.offences


def check_rates_parameters(sources: object, outcome: object, confidence: object, offences: object = (),
                           method: object = "wilson", corrections: object = "",
                           offence_codes: object = None) -> RatesRun:
    """The parameters of notebooks/01_outcome_rates.ipynb, checked and normalised.
    ``offence_codes`` is the former name of ``offences`` (accepted, with a note, for one release)."""
    offences = former_name("offence_codes", offence_codes, "offences", offences)
    return RatesRun(check_sources(sources), check_outcome(outcome), check_confidence(confidence),
                    check_offences(offences), check_method(method), check_corrections(corrections))


@dataclass(frozen=True)
class CheckRun:
    sources: list[Path]
    outcome: str
    corrections: Path | None = None


def check_check_parameters(sources: object, outcome: object, corrections: object = "") -> CheckRun:
    """The parameters of notebooks/00_check_responses.ipynb, checked and normalised."""
    return CheckRun(check_sources(sources), check_outcome(outcome), check_corrections(corrections))


def check_offences(codes: object) -> list[str]:
    """Home Office offence codes ('86/2', '086/02'), normalised, and classes written with a
    wildcard ('86/*': every 86/ code in the reference list), expanded; empty means every offence."""
    from fosi.reference import expand_offence_codes, known_offence_codes

    if codes is None or codes == "":
        return []
    if isinstance(codes, str):
        codes = [c for c in codes.replace(",", " ").split() if c]
    if not isinstance(codes, (list, tuple)):
        raise ParameterError(f"offences must be a list such as [\"86/2\", \"86/10\"], not {codes!r}")
    result: list[str] = []
    for code in codes:
        expanded = expand_offence_codes(str(code))
        unknown = [c for c in expanded if c not in known_offence_codes()]
        if not expanded or unknown:
            raise ParameterError(f"offence code {code!r} is not in the reference list "
                                 f"({', '.join(sorted(known_offence_codes()))}; a class such as 86/* is allowed)")
        result += [c for c in expanded if c not in result]
    return result


check_offence_codes = check_offences  # the former name


def check_method(method: object) -> str:
    """An interval method fosi computes: the same choices as ``fosi rates --method``."""
    from fosi.analysis.rates import CI_METHODS

    return check_choice("method", method, CI_METHODS)


def check_corrections(corrections: object) -> Path | None:
    """A corrections file named outright (empty: the one beside each folder of responses); a
    relative path is taken from the project root, as the sources are in a notebook."""
    if corrections is None or corrections == "":
        return None
    if not isinstance(corrections, (str, Path)):
        raise ParameterError(f"corrections must be the path of a corrections file, not {corrections!r}")
    path = Path(corrections).expanduser()
    path = path if path.is_absolute() else project_root() / path
    if not path.is_file():
        raise ParameterError(f"corrections: {corrections} is not a file (relative paths are taken from "
                             f"{project_root()} in a notebook)")
    return path


# Parameters renamed so that one name means one thing on the command line, in papermill and in
# Python: {former name: name}. The former name is accepted, with a note, for one release.
FORMER_NAMES = {"offence_codes": "offences"}


def former_note(former: str) -> str:
    return (f"the parameter {former} is now called {FORMER_NAMES[former]}; {former} is still accepted in this "
            "release, but will not be in the next")


def former_name(former: str, former_value: object, name: str, value: object) -> object:
    """``value``, or the value given under the former name (with a FutureWarning saying so)."""
    import warnings

    if former_value is None:
        return value
    if value not in ((), [], None, ""):
        raise ParameterError(f"give {name} or {former} (its former name), not both")
    warnings.warn(former_note(former), FutureWarning, stacklevel=3)
    return former_value


def renamed(parameters: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """The parameters under their current names, and a note for each former name used."""
    result, notes = dict(parameters), []
    for former, name in FORMER_NAMES.items():
        if former in result:
            if name in result:
                raise ParameterError(f"give {name} or {former} (its former name), not both")
            result[name] = result.pop(former)
            notes.append(former_note(former))
    return result, notes


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ParameterError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def check_flag(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no"}:
        return value.lower() in {"true", "yes"}
    raise ParameterError(f"{name} must be true or false, not {value!r}")


@dataclass(frozen=True)
class CompareRun:
    sources: list[Path]
    outcome: str
    offences: list[str]
    period_policy: str
    confidence: float
    override: bool
    synthetic_demo: bool
    method: str = "wilson"
    corrections: Path | None = None

    @property
    def offence_codes(self) -> list[str]:  # the former name, for notebooks saved before the rename
        return self.offences


def check_compare_parameters(sources: object, outcome: object, offences: object = (), period_policy: object = "any",
                             confidence: object = 0.95, override: object = False, synthetic_demo: object = False,
                             method: object = "wilson", corrections: object = "",
                             offence_codes: object = None) -> CompareRun:
    """The parameters of notebooks/02_compare_forces.ipynb, checked and normalised."""
    offences = former_name("offence_codes", offence_codes, "offences", offences)
    return CompareRun(check_sources(sources), check_outcome(outcome), check_offences(offences),
                      _period_policy(period_policy), check_confidence(confidence),
                      check_flag("override", override), check_flag("synthetic_demo", synthetic_demo),
                      check_method(method), check_corrections(corrections))


def _period_policy(value: object) -> str:
    from fosi.analysis.forces import PERIOD_POLICIES

    return check_choice("period_policy", value, PERIOD_POLICIES)


# Every notebook parameter fosi knows, with its check: the same checks the notebooks run, so a
# report can refuse a bad value before any kernel starts.
PARAMETER_CHECKS: dict[str, Callable[[object], object]] = {
    "sources": check_sources,
    "outcome": check_outcome,
    "confidence": check_confidence,
    "offences": check_offences,
    "method": check_method,
    "corrections": check_corrections,
    "period_policy": _period_policy,
    "override": lambda value: check_flag("override", value),
    "synthetic_demo": lambda value: check_flag("synthetic_demo", value),
}


def check_parameters(parameters: dict[str, object]) -> dict[str, object]:
    """Each parameter fosi knows, checked and normalised (others are left to the notebooks)."""
    return {name: PARAMETER_CHECKS[name](value) if name in PARAMETER_CHECKS else value
            for name, value in parameters.items()}


def notebook_parameters(root: Path | None = None) -> list[dict[str, str]]:
    """Every parameter the report notebooks declare, read from their ``parameters`` cells (as
    papermill reads them, without starting papermill): name, type, default, help, notebooks."""
    import ast
    import json

    found: dict[str, dict[str, str]] = {}
    for book in sorted(((root or project_root()) / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        try:
            cells = json.loads(book.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError):
            continue
        cell = next((c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
        for line in "".join(cell["source"] if cell else []).splitlines():
            code, _, comment = line.partition("  # ")
            try:
                statement = ast.parse(code).body
            except SyntaxError:
                continue
            if len(statement) != 1 or not isinstance(statement[0], ast.AnnAssign) or statement[0].value is None:
                continue
            name = ast.unparse(statement[0].target)
            entry = found.setdefault(name, {"name": name, "type": ast.unparse(statement[0].annotation),
                                            "default": ast.get_source_segment(code, statement[0].value) or "",
                                            "help": comment.strip(), "notebooks": ""})
            entry["notebooks"] = ", ".join(filter(None, [entry["notebooks"], book.stem.split("_", 1)[0]]))
    return list(found.values())


def parameters_help(root: Path | None = None) -> str:
    """The notebook parameters for ``fosi report --help``: name, type, default, notebooks, meaning."""
    import textwrap

    lines = ["notebook parameters (-p NAME=VALUE, or NAME: VALUE in a -f file):"]
    for entry in notebook_parameters(root):
        lines.append(f"  {entry['name']} ({entry['type']}, default {entry['default']}; notebooks {entry['notebooks']})")
        lines += textwrap.wrap(entry["help"], 96, initial_indent="      ", subsequent_indent="      ")
    former = ", ".join(f"{old} (now {new})" for old, new in FORMER_NAMES.items())
    lines.append(f"  former names still accepted in this release: {former}")
    return "\n".join(lines)
