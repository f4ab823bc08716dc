"""Checks for notebook and command parameters: each returns the value in the type fosi
uses, or raises ParameterError with a message a reader can act on.

papermill's ``-p outcome 10`` arrives as the integer 10 and ``-p sources x.txt`` as a
single string; both are accepted and normalised here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fosi.errors import ParameterError
from fosi.paths import resolve
from fosi.reference import known_outcome_codes, normalise_outcome_code


def check_outcome(outcome: object) -> str:
    """A Home Office outcome code as a string: 21 -> '21', '01a' -> '1A'."""
    if isinstance(outcome, bool) or not isinstance(outcome, (str, int)):
        raise ParameterError(f"outcome must be an outcome code such as \"21\", not {outcome!r}")
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
    """Response files or folders, each existing; relative paths are taken from the project root."""
    if isinstance(sources, (str, Path)):
        sources = [sources]
    if not isinstance(sources, (list, tuple)) or not sources:
        raise ParameterError("sources must name at least one response file or folder")
    paths = []
    for source in sources:
        path = resolve(str(source))
        if not path.exists():
            raise ParameterError(f"sources: {source} does not exist (paths are taken from the project root)")
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
    from fosi.forces import PERIOD_POLICIES

    return CompareRun(check_sources(sources), check_outcome(outcome), check_offence_codes(offence_codes),
                      check_choice("period_policy", period_policy, PERIOD_POLICIES), check_confidence(confidence),
                      check_flag("override", override), check_flag("synthetic_demo", synthetic_demo))
