"""The comparability guard: which responses' figures can be set side by side, or pooled?

Comparability is decided per response, never per pair (``comparable_responses``): each response
is either comparable with the set or excluded with its reasons (another unit, date basis,
offence group or age restriction; a period outside the one asked about or overlapping another
reply of the same force; an outcome not in use for the whole period; an unknown force or period;
a byte-identical copy of another file). Excluded responses are listed and never block the others.
The pairwise table (``comparability``) stays for readers who want to see every pair.
Pooling responses that are excluded needs an explicit override, printed on every output it touches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd

from fosi.errors import FosiError
from fosi.model.periods import as_date, days, length_text, overlap_days
from fosi.reference import expand_offence_codes, outcome_introduced

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
    # One row per response: comparable or not, and why (comparable_responses).
    per_response: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)

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


# --- comparability per response ---------------------------------------------------------------

# What the comparison rates when the request names no offences: the indecent-images-of-children
# group (offence_groups.csv: 86/2, 86/10, 86/15), never an "all offences" row that mixes in 8/71
# (GUIDE §2). Not "86/*": that class holds the extreme-pornography codes 86/11 to 86/17 too.
DEFAULT_OFFENCES = ("86/2", "86/10", "86/15")
ALL_AGES = "all ages"
_ALL_AGES = re.compile(r"^(?:all(?:\s+ages)?|everyone|any age|none)$", re.IGNORECASE)
_UNDER_18 = re.compile(r"^(?:aged\s+)?(?:under[\s-]*18s?|0\s*[-–]\s*17|(?:aged\s+)?17\s+(?:and|or)\s+under|"
                       r"children|juveniles?)$", re.IGNORECASE)
RESPONSE_COLUMNS = ["file", "force", "period_start", "period_end", "date_basis", "unit", "age_restriction",
                    "offences", "comparable", "reasons", "caveats"]
_BASIS_WORDS = {"outcome": "crimes whose outcome was assigned in the period", "recorded": "crimes recorded in the period"}


def age_group(text: object) -> str:
    """'all ages' for no restriction (or one that says all ages), 'under 18' for the ways forces write
    it (0-17, juveniles, children), else the restriction as written."""
    value = text.strip() if isinstance(text, str) else ""
    if not value or _ALL_AGES.match(value):
        return ALL_AGES
    return "under 18" if _UNDER_18.match(value) else value


def _most_common(values: list[str]) -> str | None:
    """The value most responses state (on a tie, the first in alphabetical order); None if none states one."""
    stated = sorted(v for v in values if v)
    return max(dict.fromkeys(stated), key=stated.count) if stated else None


def _long_date(value: str) -> str:
    day = as_date(value)
    return f"{day.day} {day:%B %Y}"


def _period_words(start: str, end: str) -> str:
    return f"{_long_date(start)} to {_long_date(end)}"


def _age_restriction(row, figures: pd.DataFrame) -> str:
    """A response's age restriction: its sidecar's, else one every table of its figures states."""
    stated = age_group(getattr(row, "age_filter", None))
    if stated != ALL_AGES or "age_restriction" not in figures:
        return stated
    tables = {age_group(v) for v in figures["age_restriction"]}
    return tables.pop() if len(tables) == 1 else ALL_AGES


def comparable_responses(manifest: pd.DataFrame, figures: pd.DataFrame, outcome: str = "21", *,
                         period_start: str | None = None, period_end: str | None = None,
                         offence_codes: list[str] | tuple[str, ...] | None = None, unit: str | None = None,
                         date_basis: str | None = None) -> pd.DataFrame:
    """One row per response of the manifest: ``comparable`` (True or False) and ``reasons`` (why it
    is excluded, as readable text; for a comparable one, what it shares with the set), with its
    force, period, date basis, unit, age restriction and the requested offences it gives figures
    for, and ``caveats`` (what differs without excluding it; "none" when nothing does).

    The set is what was asked: ``period_start``/``period_end`` (ISO dates; absent: any period),
    ``offence_codes`` (default 86/*, the indecent-images-of-children group), ``outcome`` and
    ``unit`` (absent: the unit most responses count). The date basis is ``date_basis``, else the
    one most responses follow; the ages, those most responses cover (on a tie, all ages). A response is excluded, and the others are never blocked by it, when
    it gives no figures; its force or period is unknown; it is byte-identical to an earlier file;
    it counts another unit, date basis or age group, or states none; it gives no figures for the
    requested offences or the outcome; its period lies outside the requested one; the outcome
    came into use after its period began; or it overlaps an earlier comparable reply of the same
    force (the same crimes would be counted twice)."""
    chosen = [c for pattern in (offence_codes or DEFAULT_OFFENCES) for c in expand_offence_codes(pattern)]
    answered = manifest[(manifest["status"] == "ok") & (manifest["figures"].fillna(0) > 0)]
    set_unit = unit or _most_common([_text(u) for u in answered["unit"]])
    set_basis = date_basis or _most_common([_text(b) for b in answered["date_basis"]])
    introduced = outcome_introduced(outcome) if outcome else None
    ages_of = {row.file: _age_restriction(row, figures[figures["source"] == row.file]) for row in answered.itertuples()}
    ages = list(ages_of.values())
    set_ages = ALL_AGES if not ages or ages.count(ALL_AGES) * 2 >= len(ages) else _most_common(ages)
    rows, first_of_hash, kept = [], {}, []
    for row in manifest.itertuples():
        mine = figures[(figures["source"] == row.file) & (figures["kind"] == "figure")]
        force, start, end = _text(row.force), _text(row.period_start), _text(row.period_end)
        basis, counted = _text(row.date_basis), _text(row.unit)
        ages = _age_restriction(row, mine)
        wanted = mine[mine["offence_code"].isin(chosen)]
        offences = sorted(set(wanted["offence_code"].dropna()))
        reasons: list[str] = []
        digest = _text(getattr(row, "sha256", None))
        if row.status != "ok":
            reasons.append(f"it could not be read ({_text(row.reason) or 'no reason given'})")
        elif not len(mine):
            reasons.append(f"it gives no figures ({_text(row.response) or 'no table'})")
        else:
            if force is None:
                reasons.append("its force is not stated or not recognised (a sidecar can state it)")
            if start is None or end is None:
                reasons.append("its period is not stated (a sidecar can state it)")
            if counted is None:
                reasons.append("it does not state what it counts (a sidecar can state its unit)")
            elif set_unit and counted != set_unit:
                reasons.append(f"it counts {counted}; the set counts {set_unit}")
            if basis is None:
                reasons.append("it does not state its date basis (a sidecar can state it)")
            elif set_basis and basis != set_basis:
                reasons.append(f"it counts {_BASIS_WORDS.get(basis, basis)}; the set counts "
                               f"{_BASIS_WORDS.get(set_basis, set_basis)}")
            if ages != set_ages:
                reasons.append(f"its figures are restricted to {ages}; the set covers {set_ages}"
                               if ages != ALL_AGES else f"it covers all ages; the set is restricted to {set_ages}")
            if not offences:
                reasons.append(f"it gives no figures for the offences asked about ({', '.join(chosen)})")
            elif outcome and not (wanted["outcome_code"] == outcome).any():
                reasons.append(f"it gives no figures for Outcome {outcome} for the offences asked about")
            if start and end and period_start and period_end and (start < period_start or end > period_end):
                reasons.append(f"its period ({_period_words(start, end)}) lies outside the one asked about "
                               f"({_period_words(period_start, period_end)})")
            if start and end and introduced and as_date(start) < introduced:
                used = max(0, days(introduced, end)) if as_date(end) >= introduced else 0
                reasons.append(f"Outcome {outcome} came into use on {_long_date(introduced.isoformat())}, after its "
                               f"period began ({_long_date(start)}): it could be used on {used} of its "
                               f"{days(start, end)} days")
        if digest and digest in first_of_hash:
            reasons.append(f"it is byte-identical to {first_of_hash[digest]} (the same SHA-256): the same reply twice")
        elif digest:
            first_of_hash[digest] = row.file
        if not reasons and force and start and end:
            for other in kept:
                if other["force"] == force:
                    shared = overlap_days(start, end, other["period_start"], other["period_end"])
                    if shared:
                        reasons.append(f"it overlaps {other['file']} of the same force ({shared} days in common): "
                                       "the same crimes would be counted twice")
                        break
        record = {"file": row.file, "force": force or "not stated", "period_start": start or "",
                  "period_end": end or "", "date_basis": basis or "not stated", "unit": counted or "not stated",
                  "age_restriction": ages, "offences": ", ".join(offences) or "none of those asked about",
                  "comparable": not reasons,
                  "reasons": "; ".join(reasons) if reasons else
                  f"comparable: {counted}, {_BASIS_WORDS.get(basis, basis)}, {ages}, offences {', '.join(offences)}"}
        if not reasons:
            kept.append(record)
        rows.append(record)
    _add_caveats(rows, kept)
    return pd.DataFrame(rows, columns=RESPONSE_COLUMNS).astype({"comparable": bool})


def _add_caveats(rows: list[dict], kept: list[dict]) -> None:
    """What differs among the comparable responses without excluding any: periods of other lengths
    than most (compare rates, or counts per year), periods that do not meet, offences not covered."""
    lengths = [length_text(r["period_start"], r["period_end"]) for r in kept]
    distinct = list(dict.fromkeys(lengths))
    covered = [set(r["offences"].split(", ")) for r in kept]
    everywhere = set.intersection(*covered) if covered else set()
    for row in rows:
        notes = []
        if row in kept:
            length = length_text(row["period_start"], row["period_end"])
            if len(distinct) > 1:
                others = ", ".join(d for d in distinct if d != length)
                notes.append(f"periods differ in length: its {length} vs {others} (compare rates, or counts per year)")
            extra = set(row["offences"].split(", ")) - everywhere
            if extra:
                notes.append(f"it gives {', '.join(sorted(extra))}, which not every comparable response gives")
        row["caveats"] = "; ".join(notes) if notes else "none"


def set_verdict(responses: pd.DataFrame, override: bool = False) -> Verdict:
    """The verdict for the responses ``comparable_responses`` keeps: comparable, or comparable with
    caveats (each listed once), and every excluded response with its reasons. With ``override``,
    the excluded responses are pooled too and every output says POOLED BY OVERRIDE."""
    kept = responses[responses["comparable"]]
    excluded = responses[~responses["comparable"] & (responses["reasons"] != "")]
    caveats = list(dict.fromkeys(f"{row.file}: {row.caveats}" for row in kept.itertuples() if row.caveats != "none"))
    left_out = [f"{'pooled although' if override else 'left out'}: {row.file} ({row.reasons})"
                for row in excluded.itertuples()]
    counted = len(kept) + (len(excluded[~excluded["reasons"].str.startswith(("it gives no figures", "it could not"))])
                           if override else 0)
    verdict = CAVEATS if caveats or (override and len(left_out)) else COMPARABLE
    return Verdict(verdict, counted, tuple(left_out + caveats), override and bool(left_out), per_response=responses)
