"""Checks for notebook and command parameters: each returns the value in the type fosi
uses, or raises ParameterError with a message a reader can act on.

papermill's ``-p outcome 10`` arrives as the integer 10, ``-p outcome '"21"'`` as the string
'"21"' with its quotes, and ``-p sources x.txt`` as a single string; all are accepted and
normalised here.

Source paths resolve one way everywhere (``fosi report PATH``, ``-p sources=``, a ``-f`` file,
papermill, a notebook's parameters cell): a relative path is taken from the project root.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fosi.errors import ParameterError
from fosi.paths import project_root, resolve
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


def check_sources(sources: object) -> list[Path]:
    """Response files or folders, each existing and holding at least one response file; a
    relative path is taken from the project root, wherever fosi runs."""
    from fosi.readers import response_files

    if isinstance(sources, (str, Path)):
        sources = [sources]
    if not isinstance(sources, (list, tuple)) or not sources:
        raise ParameterError("sources must name at least one response file or folder")
    paths = []
    for source in sources:
        path = resolve(str(source))
        if not path.exists():
            here = Path(str(source)).expanduser().absolute()
            hint = f"; from the current folder it is {here}, so give that path" if here.exists() else ""
            raise ParameterError(f"sources: {source} does not exist (relative paths are taken from the project root, "
                                 f"{project_root()}){hint}")
        if not response_files([path]):
            raise ParameterError(f"sources: {source} holds no response files (hidden files, READMEs and .yml "
                                 "sidecars are not responses): add responses, or name another folder")
        paths.append(path)
    return paths


@dataclass(frozen=True)
class RatesRun:
    sources: list[Path]
    outcome: str
    confidence: float
    offence_codes: list[str]


def check_rates_parameters(sources: object, outcome: object, confidence: object,
                           offence_codes: object = ()) -> RatesRun:
    """The parameters of notebooks/01_outcome_rates.ipynb, checked and normalised."""
    return RatesRun(check_sources(sources), check_outcome(outcome), check_confidence(confidence),
                    check_offence_codes(offence_codes))


@dataclass(frozen=True)
class CheckRun:
    sources: list[Path]
    outcome: str


def check_check_parameters(sources: object, outcome: object) -> CheckRun:
    """The parameters of notebooks/00_check_responses.ipynb, checked and normalised."""
    return CheckRun(check_sources(sources), check_outcome(outcome))


def check_offence_codes(codes: object) -> list[str]:
    """Home Office offence codes ('86/2', '086/02'), normalised, and classes written with a
    wildcard ('86/*': every 86/ code in the reference list), expanded; empty means every offence."""
    from fosi.reference import expand_offence_codes, known_offence_codes

    if codes is None or codes == "":
        return []
    if isinstance(codes, str):
        codes = [c for c in codes.replace(",", " ").split() if c]
    if not isinstance(codes, (list, tuple)):
        raise ParameterError(f"offence_codes must be a list such as [\"86/2\", \"86/10\"], not {codes!r}")
    result: list[str] = []
    for code in codes:
        expanded = expand_offence_codes(str(code))
        unknown = [c for c in expanded if c not in known_offence_codes()]
        if not expanded or unknown:
            raise ParameterError(f"offence code {code!r} is not in the reference list "
                                 f"({', '.join(sorted(known_offence_codes()))}; a class such as 86/* is allowed)")
        result += [c for c in expanded if c not in result]
    return result


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
    offence_codes: list[str]
    period_policy: str
    confidence: float
    override: bool
    synthetic_demo: bool


def check_compare_parameters(sources: object, outcome: object, offence_codes: object, period_policy: object,
                             confidence: object, override: object, synthetic_demo: object) -> CompareRun:
    """The parameters of notebooks/02_compare_forces.ipynb, checked and normalised."""
    from fosi.analysis.forces import PERIOD_POLICIES

    return CompareRun(check_sources(sources), check_outcome(outcome), check_offence_codes(offence_codes),
                      check_choice("period_policy", period_policy, PERIOD_POLICIES), check_confidence(confidence),
                      check_flag("override", override), check_flag("synthetic_demo", synthetic_demo))


def _period_policy(value: object) -> str:
    from fosi.analysis.forces import PERIOD_POLICIES

    return check_choice("period_policy", value, PERIOD_POLICIES)


# Every notebook parameter fosi knows, with its check: the same checks the notebooks run, so a
# report can refuse a bad value before any kernel starts.
PARAMETER_CHECKS: dict[str, Callable[[object], object]] = {
    "sources": check_sources,
    "outcome": check_outcome,
    "confidence": check_confidence,
    "offence_codes": check_offence_codes,
    "period_policy": _period_policy,
    "override": lambda value: check_flag("override", value),
    "synthetic_demo": lambda value: check_flag("synthetic_demo", value),
}


def check_parameters(parameters: dict[str, object]) -> dict[str, object]:
    """Each parameter fosi knows, checked and normalised (others are left to the notebooks)."""
    return {name: PARAMETER_CHECKS[name](value) if name in PARAMETER_CHECKS else value
            for name, value in parameters.items()}
