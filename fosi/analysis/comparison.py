"""The comparability guard: which responses' figures can be set side by side, or pooled?

Comparability is decided per response, never per pair (``comparable_responses``): each response
is either comparable with the set or excluded with its reasons (another unit, date basis,
offence group or age restriction; a period outside the one asked about or overlapping another
reply of the same force; an outcome not in use for the whole period; an unknown force or period;
a byte-identical copy of another file). Excluded responses are listed and never block the others.
Pooling responses that are excluded needs an explicit override, printed on every output it touches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from fosi.model.periods import as_date, days, length_text, months_and_days, overlap_days
from fosi.reference import expand_offence_codes, outcome_introduced, within

COMPARABLE = "comparable"
CAVEATS = "comparable with caveats"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class Verdict:
    """The verdict for a whole set of responses, and what an analysis must print with its result."""

    verdict: str
    responses: int
    caveats: tuple[str, ...] = ()
    override: bool = False
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
                         date_basis: str | None = None, asked: tuple[str, ...] | None = None) -> pd.DataFrame:
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
    came into use after its period began; its force is not one of those ``asked`` (when given); or
    it overlaps another comparable reply of the same force (the same crimes would be counted twice:
    the later reply supersedes the earlier, as in fosi status)."""
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
        wanted = mine[pd.Series([within(code, chosen) for code in mine["offence_code"]], index=mine.index, dtype=bool)]
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
            elif asked is not None and force not in asked:
                reasons.append("its force is not one of the forces asked (request.yml)")
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
        superseded = None
        if not reasons and force and start and end:
            for other in kept:
                if other["force"] == force:
                    shared = overlap_days(start, end, other["period_start"], other["period_end"])
                    if not shared:
                        continue
                    if _received(row) >= other["_received"]:
                        superseded = other  # the later reply supersedes the earlier, as in fosi status
                    else:
                        reasons.append(f"it overlaps {other['file']} of the same force ({shared} days in common): "
                                       "the same crimes would be counted twice, and that reply is the later")
                    break
        if superseded is not None:
            kept.remove(superseded)
            superseded.update(comparable=False, reasons=f"superseded by {row.file}, a later reply of the same force "
                                                        "over an overlapping period")
        record = {"file": row.file, "force": force or "not stated", "period_start": start or "",
                  "period_end": end or "", "date_basis": basis or "not stated", "unit": counted or "not stated",
                  "age_restriction": ages, "offences": ", ".join(offences) or "none of those asked about",
                  "comparable": not reasons,
                  "reasons": "; ".join(reasons) if reasons else
                  f"comparable: {counted}, {_BASIS_WORDS.get(basis, basis)}, {ages}, offences {', '.join(offences)}"}
        if not reasons:
            kept.append({**record, "_received": _received(row)})
            record = kept[-1]
        rows.append(record)
    _add_caveats(rows, kept)
    return pd.DataFrame(rows, columns=RESPONSE_COLUMNS).astype({"comparable": bool})


def _received(row) -> tuple[str, str]:
    """Which of two replies came later: the date received (a sidecar's), else the file's name."""
    return (_text(getattr(row, "date_received", None)) or "", str(row.file))


# The kinds of caveat a comparable response can carry, as readers see them said once for every
# response they concern (caveat_groups), and, per response, in ``caveats``.
PERIOD_LENGTHS = "periods differ in length (compare rates, or counts per year, not counts)"
OFFENCES_NOT_EVERYWHERE = "offences not every comparable response gives"


def _span(row: dict) -> tuple[int, int]:
    return months_and_days(row["period_start"], row["period_end"])


def _caveat_parts(kept: list[dict]) -> list[list[tuple[str, tuple]]]:
    """For each comparable response, what differs without excluding it, as (kind, key): its period's
    length in months and days (when not every period is as long) and the offences it gives that
    not every other gives."""
    # Lengths in months and days: a year with 29 February is as long as one without (12 months).
    lengths = {_span(r) for r in kept}
    covered = [set(r["offences"].split(", ")) for r in kept]
    everywhere = set.intersection(*covered) if covered else set()
    parts = []
    for row, offences in zip(kept, covered):
        notes: list[tuple[str, tuple]] = []
        if len(lengths) > 1:
            notes.append((PERIOD_LENGTHS, _span(row)))
        if offences - everywhere:
            notes.append((OFFENCES_NOT_EVERYWHERE, tuple(sorted(offences - everywhere))))
        parts.append(notes)
    return parts


def _length_words(rows: list[dict]) -> str:
    """'36 months (1095 days)' for periods of one length; '12 months (365 or 366 days)' when a 29
    February makes some a day longer."""
    texts = list(dict.fromkeys(length_text(r["period_start"], r["period_end"]) for r in rows))
    if len(texts) == 1:
        return texts[0]
    counted = sorted({days(r["period_start"], r["period_end"]) for r in rows})
    months = texts[0].rsplit(" (", 1)[0]
    return f"{months} ({', '.join(map(str, counted[:-1]))} or {counted[-1]} days)"


def _add_caveats(rows: list[dict], kept: list[dict]) -> None:
    """What differs among the comparable responses without excluding any: periods of other lengths
    than most (compare rates, or counts per year), offences not covered by every response."""
    parts = dict(zip(map(id, kept), _caveat_parts(kept)))
    by_span = {_span(r): length_text(r["period_start"], r["period_end"]) for r in kept}
    for row in rows:
        notes = []
        for kind, key in parts.get(id(row), []):
            if kind == PERIOD_LENGTHS:
                others = ", ".join(text for other, text in by_span.items() if other != key)
                length = length_text(row["period_start"], row["period_end"])
                notes.append(f"periods differ in length: its {length} vs {others} (compare rates, or counts per year)")
            else:
                notes.append(f"it gives {', '.join(key)}, which not every comparable response gives")
        row["caveats"] = "; ".join(notes) if notes else "none"


def response_names(responses: pd.DataFrame) -> list[str]:
    """How a report names each response in a list: its force, with its file's name where the force
    gives more than one response (or none is stated)."""
    forces = list(responses["force"])
    return [force if forces.count(force) == 1 and force != "not stated" else f"{force} ({str(file).rsplit('/', 1)[-1]})"
            for force, file in zip(forces, responses["file"])]


def caveat_groups(responses: pd.DataFrame) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The caveats of the comparable responses (``comparable_responses``), each said once for every
    response it concerns: [(kind, [(what those responses have, [their names]), ...]), ...], kinds in
    a fixed order, and within a kind the smallest group first (the odd ones out before the rest)."""
    if responses.empty or "comparable" not in responses:
        return []
    comparable = responses[responses["comparable"].astype(bool)]
    kept = comparable.to_dict("records")
    names = response_names(comparable)
    found: dict[str, dict[tuple, list[int]]] = {}
    for index, notes in enumerate(_caveat_parts(kept)):
        for kind, key in notes:
            found.setdefault(kind, {}).setdefault(key, []).append(index)
    groups = []
    for kind in (PERIOD_LENGTHS, OFFENCES_NOT_EVERYWHERE):
        if kind not in found:
            continue
        shown = []
        for key, members in sorted(found[kind].items(), key=lambda item: (len(item[1]), item[0])):
            what = _length_words([kept[i] for i in members]) if kind == PERIOD_LENGTHS else ", ".join(key)
            shown.append((what, [names[i] for i in members]))
        groups.append((kind, shown))
    return groups


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
