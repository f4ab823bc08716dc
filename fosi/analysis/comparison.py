"""The comparability guard: can these responses' figures be set side by side, or pooled?

For every pair of responses it states the unit, the date basis, the periods (overlap and
length), the offences covered (by Home Office code), how the outcome is defined, and the
age filter, and classes the pair as comparable, comparable with caveats (listed), or not
comparable. Every analysis across responses calls ``require`` first; pooling figures that
are not comparable needs an explicit override, which is printed on every output it touches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd

from fosi.errors import FosiError
from fosi.model.periods import length_text, overlap_days

COMPARABLE = "comparable"
CAVEATS = "comparable with caveats"
NOT_COMPARABLE = "not comparable"
_ORDER = {COMPARABLE: 0, CAVEATS: 1, NOT_COMPARABLE: 2}


class NotComparableError(FosiError):
    """Figures that cannot fairly be pooled, without an explicit override."""


@dataclass(frozen=True)
class Profile:
    """What one response counts, as far as comparing it with another goes."""

    file: str
    force: str | None
    unit: str | None
    date_basis: str | None
    period_start: str | None
    period_end: str | None
    offences: frozenset[str]  # Home Office codes of the offences it gives figures for
    unmapped_offences: bool  # some figures' offences have no code
    outcomes: frozenset[str]  # outcome codes it gives figures for
    age_filter: str | None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def with_figures(manifest: pd.DataFrame) -> pd.DataFrame:
    """The responses that give figures: a refusal, an answer in words or an unreadable file has
    nothing to compare."""
    return manifest[(manifest["status"] == "ok") & (manifest["figures"] > 0)]


def profiles(manifest: pd.DataFrame, figures: pd.DataFrame) -> list[Profile]:
    """One profile per response with figures in a dataset."""
    result = []
    for row in with_figures(manifest).itertuples():
        mine = figures[(figures["source"] == row.file) & (figures["kind"] == "figure")]
        codes = mine["offence_code"].dropna()
        result.append(Profile(
            file=row.file, force=_text(row.force), unit=_text(row.unit), date_basis=_text(row.date_basis),
            period_start=_text(row.period_start), period_end=_text(row.period_end),
            offences=frozenset(codes), unmapped_offences=bool(mine["offence_code"].isna().any() and len(mine)),
            outcomes=frozenset(mine["outcome_code"].dropna()), age_filter=_text(row.age_filter),
        ))
    return result


def compare_pair(a: Profile, b: Profile, outcome: str | None = None) -> tuple[str, list[str], list[str]]:
    """The verdict for two responses, the reasons that refuse the pair, and those that only need a caveat."""
    blocking, caveats = _reasons(a, b, outcome)
    verdict = NOT_COMPARABLE if blocking else CAVEATS if caveats else COMPARABLE
    return verdict, blocking, caveats


def _reasons(a: Profile, b: Profile, outcome: str | None) -> tuple[list[str], list[str]]:
    """What refuses a pair of responses, and what only needs a caveat.

    Refused (not comparable): different units, date bases or age filters; a unit or date basis
    that either side does not state (a sidecar can state it); the same force over overlapping
    periods (the same crimes would be counted twice); no offence in common; no figures for the
    outcome. Caveated: everything else that differs or is not stated."""
    blocking, caveats = [], []

    def differ(name: str, left: str | None, right: str | None, blocks: bool, unstated_blocks: bool) -> None:
        if left is None or right is None:
            missing = [p.file for p, v in ((a, left), (b, right)) if v is None]
            reason = f"{name} not stated by {', '.join(missing)}"
            (blocking if unstated_blocks else caveats).append(
                reason + (" (a sidecar can state it)" if unstated_blocks else ""))
        elif left != right:
            (blocking if blocks else caveats).append(f"{name} differs: {left} vs {right}")

    differ("unit", a.unit, b.unit, blocks=True, unstated_blocks=True)
    differ("date basis", a.date_basis, b.date_basis, blocks=True, unstated_blocks=True)
    differ("age filter", a.age_filter, b.age_filter, blocks=True, unstated_blocks=False)
    if a.period_start and a.period_end and b.period_start and b.period_end:
        shared = overlap_days(a.period_start, a.period_end, b.period_start, b.period_end)
        length_a, length_b = length_text(a.period_start, a.period_end), length_text(b.period_start, b.period_end)
        if a.force is not None and a.force == b.force and shared > 0:
            blocking.append(f"the same force ({a.force}) over overlapping periods ({shared} days in common): the "
                            "same crimes would be counted twice")
        if length_a != length_b:
            caveats.append(f"periods differ in length: {length_a} vs {length_b} (compare rates, or counts per year)")
        if shared == 0:
            caveats.append("the periods do not overlap")
        elif (a.period_start, a.period_end) != (b.period_start, b.period_end):
            caveats.append(f"the periods overlap for {shared} days only")
    else:
        caveats.append("a period is not stated")
    if a.offences != b.offences:
        if a.offences and b.offences and not a.offences & b.offences:
            blocking.append(f"no offence in common: {', '.join(sorted(a.offences))} vs {', '.join(sorted(b.offences))}")
        else:
            caveats.append(f"offences covered differ: {', '.join(sorted(a.offences)) or 'none coded'} vs "
                           f"{', '.join(sorted(b.offences)) or 'none coded'}")
    if a.unmapped_offences or b.unmapped_offences:
        caveats.append("some offences have no Home Office code, so coverage cannot be fully compared")
    if outcome is not None:
        lacking = [p.file for p in (a, b) if outcome not in p.outcomes]
        if lacking:
            blocking.append(f"no figures for outcome {outcome} in {', '.join(lacking)}")
    return blocking, caveats


def comparability(manifest: pd.DataFrame, figures: pd.DataFrame, outcome: str | None = None) -> pd.DataFrame:
    """One row per pair of responses: each side's unit, basis, period, offences, age filter,
    and the verdict with its reasons."""
    rows = []
    for a, b in combinations(profiles(manifest, figures), 2):
        verdict, blocking, caveats = compare_pair(a, b, outcome)
        rows.append({
            "file_a": a.file, "file_b": b.file, "force_a": a.force, "force_b": b.force,
            "unit": f"{a.unit} / {b.unit}", "date_basis": f"{a.date_basis} / {b.date_basis}",
            "period": f"{a.period_start}–{a.period_end} / {b.period_start}–{b.period_end}",
            "offences": f"{', '.join(sorted(a.offences)) or '–'} / {', '.join(sorted(b.offences)) or '–'}",
            "age_filter": f"{a.age_filter} / {b.age_filter}",
            "verdict": verdict, "reasons": "; ".join(blocking + caveats), "refused_by": "; ".join(blocking),
        })
    return pd.DataFrame(rows, columns=["file_a", "file_b", "force_a", "force_b", "unit", "date_basis", "period",
                                       "offences", "age_filter", "verdict", "reasons", "refused_by"])


@dataclass(frozen=True)
class Verdict:
    """The verdict for a whole set of responses, and what an analysis must print with its result."""

    verdict: str
    responses: int
    caveats: tuple[str, ...] = ()
    override: bool = False
    pairs: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)

    @property
    def label(self) -> str:
        if self.responses < 2:
            return f"only {self.responses} response with figures: nothing to compare it with"
        text = self.verdict
        if self.override:
            text += " — POOLED BY OVERRIDE: these figures are not comparable and were combined anyway"
        return text

    def lines(self) -> list[str]:
        """The verdict and its caveats, as they must appear beside any result."""
        return [self.label, *self.caveats]


def verdict_of(pairs: pd.DataFrame, responses: int, override: bool = False) -> Verdict:
    if responses < 2 or pairs.empty:
        return Verdict(COMPARABLE, responses, (), override, pairs)
    worst = max(pairs["verdict"], key=_ORDER.__getitem__)
    refusing = {r for text in pairs.get("refused_by", []) for r in filter(None, text.split("; "))}
    refused: list[str] = []  # what refuses the set comes first, then the caveats, each once
    caveats: list[str] = []
    unstated: dict[str, list[str]] = {}  # "unit" -> files that do not state it
    unstated_refuses: set[str] = set()
    for text in pairs["reasons"]:
        for reason in filter(None, text.split("; ")):
            if " not stated by " in reason:
                name, files = reason.split(" not stated by ", 1)
                if reason in refusing:
                    unstated_refuses.add(name)
                for file in files.removesuffix(" (a sidecar can state it)").split(", "):
                    unstated.setdefault(name, [])
                    if file not in unstated[name]:
                        unstated[name].append(file)
            else:
                chosen = refused if reason in refusing else caveats
                if reason not in chosen:
                    chosen.append(reason)
    for name, files in unstated.items():
        if name in unstated_refuses:
            refused.append(f"{name} not stated by {', '.join(files)} (a sidecar can state it)")
        else:
            caveats.append(f"{name} not stated by {', '.join(files)}")
    return Verdict(worst, responses, tuple(refused + caveats), override, pairs)


def assess(manifest: pd.DataFrame, figures: pd.DataFrame, outcome: str | None = None) -> Verdict:
    """The verdict for a set of responses, with every pair behind it (``verdict.pairs``)."""
    return verdict_of(comparability(manifest, figures, outcome), len(with_figures(manifest)))


def require(manifest: pd.DataFrame, figures: pd.DataFrame, outcome: str | None = None,
            override: bool = False) -> Verdict:
    """Run the guard before combining responses. Raises NotComparableError for a set that is
    not comparable, unless ``override`` is True; the verdict then says so on every output."""
    verdict = assess(manifest, figures, outcome)
    if verdict.verdict == NOT_COMPARABLE:
        if not override:
            raise NotComparableError(
                "these responses cannot fairly be combined: " + "; ".join(verdict.caveats[:4])
                + " (pass override=True, or -p override=true, to combine them anyway; every output will say so)")
        return verdict_of(verdict.pairs, verdict.responses, override=True)
    return verdict
