"""Sentences generated from the same numbers as the tables (GUIDE §5), in neutral wording.

Every number is written by fosi.publish.formatting, the same helpers the tables use. Functions that
return Markdown escape every piece of response text in it (fosi.publish.formatting.escape_text); those
marked "Plain text" return it as printed, for fosi.publish.sections and fosi.publish.html to escape once,
as HTML, where they show it.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from fosi.analysis.rates import NO_CRIMES, NOT_COMPUTED
from fosi.publish.formatting import (
    confidence_label,
    count_text,
    escape_text,
    interval,
    interval_method,
    long_date,
    percent,
    period_text,
    rate_with_interval,
)

_BASIS = {
    "outcome": "whose outcome was assigned",
    "recorded": "recorded",
}


def _noun(unit: str | None, count: int) -> str:
    unit = unit if isinstance(unit, str) and unit else "cases"
    return unit[:-1] if count == 1 and unit.endswith("s") else unit


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def basis_phrase(date_basis: str | None, start: str | None, end: str | None) -> str:
    """'whose outcome was assigned from 1 January 2016 to 31 January 2018'."""
    basis = _BASIS.get(date_basis) if isinstance(date_basis, str) else None
    when = f"from {period_text(start, end)}" if start is not None and not pd.isna(start) else "in an unstated period"
    return f"{basis} {when}" if basis else f"counted {when} (the response does not say by which date)"


def rate_sentence(row: pd.Series) -> str:
    """One rate as a sentence: '139 of the 358 “Child-Distribute Indecent Photo” crimes (38.8%; 95% CI 33.9%–44.0%) were closed with Outcome 21.'

    A rate not computed gives its reason and no numbers that would stand in for it."""
    outcome = f"Outcome {row['outcome_code']}"
    summary = row["scope"] != "offence"
    label = escape_text(row["row_label"])
    what = label if summary else f"“{label}”"
    if pd.isna(row["rate"]):
        reason = row["reason"] if isinstance(row["reason"], str) else "not computed: a figure is unknown"
        what = f"“{label}”"
        if reason == NO_CRIMES:
            return f"No rate for {what}: there are no such {_noun(row['unit'], 2)} in the response."
        return f"No rate for {what}: {escape_text(reason.removeprefix(NOT_COMPUTED))}."
    count, base = int(row["count"]), int(row["base"])
    numbers = rate_with_interval(row["rate"], row["ci_low"], row["ci_high"], row["confidence"])
    of = f"{count_text(count)} of the {count_text(base)}"
    verb = _were(1 if base == 1 else count)  # '0 of the 1 crime was', '1 of the 8 crimes was'
    if summary:
        sentence = f"{what}: {of} {_noun(row['unit'], base)} {numbers} {verb} closed with {outcome}."
    else:
        sentence = f"{of} {what} {_noun(row['unit'], base)} {numbers} {verb} closed with {outcome}."
    if isinstance(row["note"], str):
        sentence += f" ({escape_text(row['note']).capitalize()}.)"
    if row["small_base"]:
        sentence += f" The base is under 10 {_noun(row['unit'], 2)}, so this rate is very uncertain."
    return sentence


def response_heading(rates: pd.DataFrame) -> str:
    """'**Hertfordshire** (file) counts crimes whose outcome was assigned from ... to ...': what
    one response's rates count, as a lead line."""
    first = rates.iloc[0]
    force = escape_text(first["force"]) if isinstance(first["force"], str) else "An unnamed force"
    return (f"**{force}** ({escape_text(first['source'])}) counts {_noun(first['unit'], 2)} "
            f"{basis_phrase(first['date_basis'], first['period_start'], first['period_end'])}.")


INTERVAL_MEANING = (
    "Every crime in a response was counted, so an interval does not describe sampling error. It "
    "describes chance: how far the underlying rate at which such crimes are closed this way could "
    "plausibly lie from the rate observed in this many crimes. A rate over few crimes has a wide interval."
)


def rates_narrative(rates: pd.DataFrame) -> str:
    """Markdown: for each response, a lead line saying what is counted, then one sentence per rate."""
    if rates.empty:
        return "No response in this run prints a table for the chosen outcome, so no rate can be given."
    parts = []
    for _, group in rates.groupby("source", sort=False):
        bullets = "\n".join(f"- {rate_sentence(row)}" for _, row in group.iterrows())
        parts.append(f"{response_heading(group)}\n\n{bullets}")
    parts.append(f"Intervals are {interval_method(rates['ci_method'].iloc[0])} intervals. "
                 + INTERVAL_MEANING)
    return "\n\n".join(parts)


def outcome_introduction(code: str) -> str:
    """Markdown: the chosen outcome, as the Home Office reference describes it, for a report's
    introduction (fosi/reference_data/outcome_codes.csv)."""
    from fosi.reference import outcome_codes

    table = outcome_codes().set_index("code")
    row = table.loc[code]
    wording = row["official_wording"] if isinstance(row["official_wording"], str) and row["official_wording"] else None
    text = f"**Outcome {escape_text(code)}: {escape_text(row['label'])}** (reference: {escape_text(row['confidence'])})."
    if wording:
        text += f" Home Office wording: *{escape_text(wording)}*"
        text += "" if wording.rstrip().endswith(".") else "."
    introduced = row["introduced_date"]  # (only a date the reference confirms)
    if isinstance(introduced, str) and introduced:
        text += f" In use from {long_date(introduced)}."
    if code == "21":
        text += (" It was introduced with youth-produced sexual imagery in mind, so that children who share "
                 "images of themselves need not be criminalised, but its use is not restricted to that.")
    if code[-1:].isalpha():
        text += f" It is a subset of Outcome {escape_text(code[:-1])}: never add the two."
    return text


def check_summary(findings: pd.DataFrame, manifest: pd.DataFrame) -> str:
    """'1 response checked: no errors, no warnings. ...' (a file that could not be read is an error)."""
    errors = int((findings["severity"] == "error").sum()) + int((manifest["status"] == "failed").sum())
    verdict = ("The figures agree with each other wherever the responses allow a check."
               if errors == 0 else
               "Some files could not be read, or some figures contradict others in the same response: read the "
               "findings before using any rate.")
    return f"{check_counts(findings, manifest)}. {verdict}"


def check_counts(findings: pd.DataFrame, manifest: pd.DataFrame) -> str:
    """'3 responses checked: 1 error (1 file could not be read), no warnings'."""
    counts = findings["severity"].value_counts() if len(findings) else pd.Series(dtype=int)
    unreadable = int((manifest["status"] == "failed").sum())
    errors = int(counts.get("error", 0)) + unreadable

    def count(k: int, severity: str) -> str:
        return f"no {severity}s" if k == 0 else f"{k} {severity}{'' if k == 1 else 's'}"

    files = len(manifest)
    unread = f" ({unreadable} file{'s' if unreadable != 1 else ''} could not be read)" if unreadable else ""
    return (f"{files} response{'' if files == 1 else 's'} checked: {count(errors, 'error')}{unread}, "
            f"{count(int(counts.get('warning', 0)), 'warning')}")


def caveats(notes: pd.DataFrame) -> str:
    """The forces' own notes and caveats, quoted as printed, each with its file and place."""
    parts = [f"> {escape_text(text)}\n>\n> — {escape_text(source)}, line {escape_text(location)}"
             for source, location, text in zip(notes["source"], notes["location"], notes["text"])]
    return "\n\n".join(parts) if parts else "The responses carry no notes or caveats of their own."


_LEFT_OUT = ("left out: ", "pooled although: ")


def _response_caveats(verdict) -> set[str]:
    """The verdict's caveats that belong to one comparable response each ('file: caveat'): said
    grouped by kind (fosi.analysis.comparison.caveat_groups) rather than one by one."""
    table = verdict.per_response
    if not isinstance(table, pd.DataFrame) or table.empty or "caveats" not in table:
        return set()
    return {f"{row.file}: {row.caveats}" for row in table.itertuples() if row.comparable and row.caveats != "none"}


def grouped_caveats(verdict, brief: bool = False) -> list[str]:
    """Each kind of caveat of the comparable responses said once, with the responses it concerns:
    'periods differ in length (...): 24 months (730 days) for Thames Valley; 36 months (1095 days)
    for the other 21 responses: West Mercia, ...'. ``brief`` (beside each output): the largest group
    of more than 3 counted rather than named. Markdown."""
    from fosi.analysis.comparison import caveat_groups

    table = verdict.per_response
    lines = []
    for kind, groups in caveat_groups(table if isinstance(table, pd.DataFrame) else pd.DataFrame()):
        said = []
        for position, (what, names) in enumerate(groups):
            named = _listed([escape_text(name) for name in names])
            if position == len(groups) - 1 and len(groups) > 1 and len(names) > 3:
                others = f"the other {len(names)} responses"
                said.append(f"{escape_text(what)} for {others}" + ("" if brief else f": {named}"))
            else:
                said.append(f"{escape_text(what)} for {named}")
        lines.append(f"{escape_text(kind)}: {'; '.join(said)}")
    return lines


def _left_out_count(verdict, left_out: list[str], where: str) -> str:
    n = len(left_out)
    if verdict.override:
        return (f"{n} response{'' if n == 1 else 's'} that {'is' if n == 1 else 'are'} not comparable "
                f"{'is' if n == 1 else 'are'} pooled anyway, each with its reasons {where}")
    return f"{n} response{'' if n == 1 else 's'} {'is' if n == 1 else 'are'} left out, each with its reasons {where}"


def verdict_text(verdict, listed: bool = False, brief: bool = False) -> str:
    """The comparability verdict and its caveats, as Markdown (fosi.analysis.comparison.Verdict).
    A caveat shared by several comparable responses is said once, with the responses it concerns
    (grouped_caveats; ``brief``: the largest group counted). ``listed``: a table of every response
    with its reasons follows, so the responses left out are counted here rather than listed twice."""
    lines = [f"**Comparability: {escape_text(verdict.label)}.**"]
    left_out = [c for c in verdict.caveats if c.startswith(_LEFT_OUT)]
    grouped = _response_caveats(verdict)
    others = [c for c in verdict.caveats if c not in left_out and c not in grouped]
    lines += [f"- {escape_text(caveat)}" for caveat in others]
    lines += [f"- {line[:1].upper()}{line[1:]}." for line in grouped_caveats(verdict, brief)]
    if listed and left_out:
        lines.append(f"- {_left_out_count(verdict, left_out, 'in the table of responses')}.")
    elif left_out:
        lines += [f"- {escape_text(caveat)}" for caveat in left_out]
    return "\n".join(lines)


def dispersion_text(comparison) -> str:
    """What the spread of the rates says, and which limits the funnel draws because of it."""
    spread = comparison.dispersion
    if spread is None:
        return ("Too few rates to estimate over-dispersion (at least 3 are needed): the limits are exact binomial "
                "limits around the pooled rate (Spiegelhalter 2005).")
    numbers = (f"φ = {spread.phi:.2f} from z-scores Winsorised at their 10th and 90th percentiles (linear "
               f"interpolation between order statistics, R's type 7; with 8 to 12 forces whether the test is "
               f"significant can depend on this convention); {spread.responses}φ = {spread.statistic:.1f} "
               f"against {spread.critical:.1f}, the 95% point of χ² on {spread.responses - 1} degrees of freedom")
    if spread.significant:
        return (f"The rates vary more than chance alone would make them ({numbers}). The limits drawn are widened "
                f"by the variation between forces (additive random effects, τ = "
                f"{math.sqrt(spread.tau2) * 100:.1f} percentage points; Spiegelhalter 2005, *Handling "
                "over-dispersion of performance indicators*); the unadjusted exact binomial limits would mark more "
                "forces as unusual than chance warrants.")
    return (f"The spread of the rates is not significantly wider than chance alone would give ({numbers}), so the "
            "limits are exact binomial limits around the pooled rate. With few forces this test can miss real "
            "variation between them: a force just outside the limits is weak evidence on its own.")


def beside(verdict) -> str:
    """The verdict and its caveats, for printing beside each output that combines responses; empty
    when there is only one response (nothing is combined). A caveat many responses share is said
    once (grouped_caveats, brief), and the responses left out are counted: they are listed once,
    with their reasons, where the verdict is given (a round robin leaves out dozens)."""
    if verdict.responses < 2:
        return ""
    left_out = [c for c in verdict.caveats if c.startswith(_LEFT_OUT)]
    grouped = _response_caveats(verdict)
    kept = [escape_text(c) for c in verdict.caveats if c not in left_out and c not in grouped]
    kept += grouped_caveats(verdict, brief=True)
    if left_out:
        kept.append(_left_out_count(verdict, left_out, "where the comparability is given"))
    caveats = "; ".join(kept)
    return f"*Comparability: {escape_text(verdict.label)}" + (f"; caveats: {caveats}.*" if caveats else ".*")


def comparison_text(comparison, outside: pd.DataFrame, levels: tuple[float, ...] = (0.95, 0.998)) -> str:
    """Neutral sentences about a funnel plot: how many responses lie outside each level's limits
    as drawn, how many chance alone would put there, which they are, and the verdict's caveats."""
    prefix = "SYNTHETIC DEMONSTRATION DATA: " if comparison.synthetic else ""
    table = comparison.table[comparison.table["rate"].notna()]
    n = len(table)
    withheld = comparison.table[comparison.table["rate"].isna()]
    left_out = "".join(f"\n- {escape_text(row.force if isinstance(row.force, str) else row.source)}: no rate "
                       f"({escape_text(row.reason)}); not in the pooled rate or the funnel."
                       for row in withheld.itertuples())
    if comparison.table.empty and comparison.verdict.caveats:
        return (f"{prefix}No comparison: no response can fairly be compared with the others, so no rates are set "
                f"side by side, pooled or drawn (set override to combine them anyway; every output will say so)."
                f"\n\n{verdict_text(comparison.verdict)}")
    if n < 2 or comparison.pooled is None:
        return (f"{prefix}Only {n} comparable response{'' if n == 1 else 's'} with a rate: there is nothing to compare "
                f"it with.{left_out}\n\n{verdict_text(comparison.verdict)}")
    lines = [f"{prefix}Pooled rate: {percent(comparison.pooled)} over {n} responses. {dispersion_text(comparison)}"]
    for level in sorted(levels):
        k = int((outside["level"] >= level).sum()) if len(outside) else 0
        expected = n * (1 - level)
        lines.append(f"{k} of {n} responses {'lies' if k == 1 else 'lie'} outside the {confidence_label(level)} limits drawn; chance alone would "
                     f"put about {expected:.2g} there.")
    for row in outside.sort_values("level", ascending=False).itertuples():
        force = escape_text(row.force if isinstance(row.force, str) else row.source)
        lines.append(f"- {force}: {count_text(row.count)} of {count_text(row.base)} "
                     f"{rate_with_interval(row.rate, row.ci_low, row.ci_high, row.confidence)}, "
                     f"{row.outside} the {confidence_label(row.level)} limits.")
    if left_out:
        lines.append(left_out.strip("\n"))
    lines.append("")
    # The responses left out are listed in section 1, with the caveats in full.
    lines.append(verdict_text(comparison.verdict, listed=True, brief=True))
    if comparison.synthetic:
        lines.append("\nThese forces and figures are SYNTHETIC, made by a seeded generator to show the method. "
                     "They describe no real force.")
    return "\n".join(lines)


# --- charts in words: alt text, and how to read a funnel plot -------------------------------------------

def rates_chart_description(rates: pd.DataFrame) -> str:
    """The alt text of one response's rates chart: what it shows, for whom and when, and every rate
    drawn with its interval and counts (the numbers of the table beside it). Plain text."""
    first = rates.iloc[0]
    force = first["force"] if isinstance(first["force"], str) else "a force not stated"
    level = confidence_label(first["confidence"])
    method = interval_method(first["ci_method"], short=True)
    basis = basis_phrase(first["date_basis"], first["period_start"], first["period_end"])
    drawn = rates[rates["rate"].notna()]
    points = "; ".join(f"{row.row_label}: {percent(row.rate)} ({level} CI {interval(row.ci_low, row.ci_high)}), "
                       f"{count_text(row.count)} of {count_text(row.base)}" for row in drawn.itertuples())
    text = (f"Chart of the Outcome {first['outcome_code']} rate by offence for {force}, {_noun(first['unit'], 2)} "
            f"{basis}, each rate a point with its {level} {method} interval as a bar. {points or 'No rate to draw'}.")
    left_out = rates[rates["rate"].isna()]
    if len(left_out):
        text += " Not drawn, with no rate: " + "; ".join(
            f"{row.row_label} ({row.reason if isinstance(row.reason, str) else 'not computed'})"
            for row in left_out.itertuples()) + "."
    return text


def funnel_chart_description(comparison, outside: pd.DataFrame) -> str:
    """The alt text of a funnel plot: what it shows, the pooled rate, how many responses lie outside
    each limit and which, with their rates. Plain text."""
    table = comparison.table[comparison.table["rate"].notna()]
    text = (f"Funnel plot. {funnel_title(comparison)}. Each response is a point: its rate against the number of "
            f"{table['unit'].iloc[0] if len(table) else 'crimes'} it is based on. Pooled rate "
            f"{percent(comparison.pooled)}, with 95% and 99.8% limits around it")
    text += (", widened for over-dispersion." if comparison.dispersion is not None and comparison.dispersion.significant
             else ".")
    for level in (0.95, 0.998):
        k = int((outside["level"] >= level).sum()) if len(outside) else 0
        text += f" {k} of {len(table)} outside the {confidence_label(level)} limits."
    named = [f"{row.force if isinstance(row.force, str) else row.source}: {percent(row.rate)} "
             f"({count_text(row.count)} of {count_text(row.base)}), {row.outside} the {confidence_label(row.level)} limits"
             for row in outside.sort_values("level", ascending=False).itertuples()]
    if named:
        text += " " + "; ".join(named) + "."
    if comparison.verdict.override:
        text += " POOLED BY OVERRIDE: these responses are not all comparable and were combined anyway."
    if comparison.synthetic:
        text += " SYNTHETIC demonstration data: no real force."
    return text


def funnel_how_to_read(comparison) -> str:
    """One line under a funnel plot on how to read it. Plain text."""
    unit = comparison.table["unit"].dropna().iloc[0] if "unit" in comparison.table and \
        comparison.table["unit"].notna().any() else "crimes"
    return (f"each point is one response: across, how many {unit} its rate is based on; up, its rate. If every "
            f"force closed {unit} this way at the pooled rate ({percent(comparison.pooled)}), chance alone would "
            "put about 95 in 100 points inside the dashed lines and 998 in 1,000 inside the solid ones; the lines "
            "narrow to the right because rates over more crimes vary less. A point outside is unusual, not better "
            "or worse, and the points are not a ranking.")


# --- the top of a report: headline, what the overall figure holds, the caveat, the citation -------------

# Words that mark a limitation of the figures in a force's note (what it cannot tell, did not
# record, or asks readers to beware of). The note with most of them is the one quoted first.
_LIMITATION = re.compile(
    r"not possible|unable|cannot|can ?not|not able|no way|not (?:be )?(?:identif|record|held|captur|compar|"
    r"distinguish|broken down|retriev)|does not record|do not record|caution|may not|should be treated|"
    r"incomplete|estimate|exceed|limitation|not (?:a )?(?:reliable|accurate)|themselves|caveat|please note",
    re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'(])")


def main_caveat(notes: pd.DataFrame) -> dict | None:
    """The note that most limits what the figures can show, and its sentence that says so: the note
    with most words of limitation (the first such, on a tie; the first note when none has any).
    Returns {'quote', 'whole', 'shortened', 'source', 'location'}; the quote is as printed, with
    '[…]' where sentences around it are left out. Plain text."""
    if notes.empty:
        return None
    scores = [len(set(m.group().lower() for m in _LIMITATION.finditer(str(text)))) for text in notes["text"]]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    row = notes.iloc[best]
    text = str(row["text"]).strip()
    sentences = _SENTENCE_END.split(text)
    chosen = max(range(len(sentences)),
                 key=lambda i: (len(set(m.group().lower() for m in _LIMITATION.finditer(sentences[i]))), -i))
    quote = sentences[chosen]
    if len(sentences) > 1:
        quote = ("[…] " if chosen > 0 else "") + quote + (" […]" if chosen < len(sentences) - 1 else "")
    return {"quote": quote, "whole": text, "shortened": len(sentences) > 1, "source": str(row["source"]),
            "location": str(row["location"])}


def overall_includes(rates: pd.DataFrame) -> str:
    """What one response's overall figure adds up, from its rows: 'The overall figure adds the 7 offences
    the force lists: 6 indecent images of children offences (86/2, 86/10; 606 crimes) and 1 disclosing
    private sexual images offence (8/71; 79 crimes).' Plain text."""
    from fosi.analysis.rates import GROUP, OFFENCE

    offences = rates[rates["scope"] == OFFENCE]
    if offences.empty:
        return ""
    unit = _noun(offences["unit"].iloc[0], 2)
    groups = rates[rates["scope"] == GROUP]
    kinds = len(offences["row_label"].unique())
    lead = f"The overall figure adds the {kinds} offence{'s' if kinds != 1 else ''} the force lists"
    if groups.empty:
        codes = ", ".join(dict.fromkeys(c for c in offences["offence_code"] if isinstance(c, str)))
        return f"{lead}" + (f" ({codes})." if codes else ".")
    parts = []
    for row in groups.itertuples():
        name, _, codes = str(row.row_label).rpartition(" (")
        members = offences[offences["offence_code"].isin([c.strip() for c in codes.rstrip(")").split(",")])]
        count = len(members["row_label"].unique())
        base = f"; {count_text(row.base)} {unit}" if not pd.isna(row.base) else ""
        parts.append(f"{count} {name.lower()} offence{'s' if count != 1 else ''} ({codes.rstrip(')')}{base})")
    uncoded = offences[offences["offence_code"].isna()]
    if len(uncoded):
        count = len(uncoded["row_label"].unique())
        base = uncoded["base"].dropna()
        size = f"; {count_text(base.sum())} {unit}" if len(base) == len(uncoded) else ""
        parts.append(f"{count} offence{'s' if count != 1 else ''} with no Home Office code{f' ({size[2:]})' if size else ''}")
    return f"{lead}: " + ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] + "."


def headline(row) -> str:
    """One rate as a key result: '21.8% of crimes (149 of 685; 95% CI 18.8%–25.0%) were closed with
    Outcome 21: all offences listed, mixed groups (86/2, 86/10, 8/71).' A rate not computed says
    why, with no number in its place. Plain text."""
    label = str(row["row_label"])
    code = row["offence_code"] if row["scope"] == "offence" and isinstance(row["offence_code"], str) else None
    what = f"“{label}”" + (f" ({code})" if code else "") if row["scope"] == "offence" else label[:1].lower() + label[1:]
    if pd.isna(row["rate"]):
        reason = row["reason"] if isinstance(row["reason"], str) else "not computed"
        return f"No rate for {what}: {reason.removeprefix(NOT_COMPUTED)}."
    unit = _noun(row["unit"], 2)
    text = (f"{percent(row['rate'])} of {unit} ({count_text(row['count'])} of {count_text(row['base'])}; "
            f"{confidence_label(row['confidence'])} CI {interval(row['ci_low'], row['ci_high'])}) "
            f"{_were(2)} closed with Outcome {row['outcome_code']}: {what}.")
    if row["small_base"]:
        text += f" The base is under 10 {unit}: this rate is very uncertain."
    return text


def rates_standfirst(outcome: str) -> str:
    """The sentence under the rates report's title. Plain text."""
    return (f"How often crimes involving indecent images of children were closed with Outcome {outcome}, offence by "
            "offence, as police forces' own Freedom of Information responses give them.")


def counted_text(rates: pd.DataFrame) -> str:
    """'Hertfordshire Constabulary counts crimes whose outcome was assigned from 1 January 2016 to
    31 January 2018 (25 months).' Plain text."""
    from fosi.model.periods import length_text
    from fosi.reference import force_name

    first = rates.iloc[0]
    force = force_name(first["force"]) if isinstance(first["force"], str) else "A force that does not name itself"
    length = f", {length_text(first['period_start'], first['period_end'])}" \
        if isinstance(first["period_start"], str) and isinstance(first["period_end"], str) else ""
    return (f"{force} counts {_noun(first['unit'], 2)} "
            f"{basis_phrase(first['date_basis'], first['period_start'], first['period_end'])}{length}.")


def cite_as(manifest_row, run_date: str, version: str) -> str:
    """How to cite one response and this analysis of it. Plain text; what the response does not
    state is said to be not stated."""
    from fosi.reference import force_name

    force = force_name(manifest_row["force"]) if isinstance(manifest_row["force"], str) else "Police force not stated"
    received = manifest_row.get("date_received")
    reference = manifest_row.get("request_reference")
    url = manifest_row.get("url")
    parts = [f"{force} ({str(received)[:4] if isinstance(received, str) else 'date received not stated'}).",
             "Response to a Freedom of Information request on indecent-images-of-children offences, "
             f"{period_text(manifest_row['period_start'], manifest_row['period_end'])}",
             f"reference {reference}" if isinstance(reference, str) else "request reference not stated",
             f"received {long_date(received)}" if isinstance(received, str) else None]
    text = parts[0] + " " + ", ".join(p for p in parts[1:] if p) + "."
    if isinstance(url, str):
        text += f" {url}."
    sha = str(manifest_row["sha256"])[:12] if isinstance(manifest_row["sha256"], str) else "unknown"
    text += f" File {manifest_row['file'].rsplit('/', 1)[-1]}, SHA-256 {sha}…; analysed with fosi {version}, {run_date}."
    return text


def things_to_know(rates: pd.DataFrame, manifest: pd.DataFrame) -> str:
    """Markdown: what a reader must know before using any number here: what is counted, the period,
    the date basis, what the interval means, small bases and withheld cells."""
    from fosi.model.periods import length_text

    lines = ["- **Crimes, not children.** The figures count crimes (or what each response says it counts), not "
             "people: one child may appear in several crimes, and a crime may involve images of the young "
             "person themselves or of others."]
    for row in manifest.itertuples():
        if row.status != "ok":
            lines.append(f"- **{escape_text(row.file)}** could not be read: {escape_text(row.reason)}.")
            continue
        force = escape_text(row.force) if isinstance(row.force, str) else "A force that does not name itself"
        period = period_text(row.period_start, row.period_end)
        length = f", {length_text(row.period_start, row.period_end)}" \
            if isinstance(row.period_start, str) and isinstance(row.period_end, str) else ""
        unit = escape_text(row.unit) if isinstance(row.unit, str) else "figures of an unstated unit"
        basis = {"outcome": "the date its outcome was assigned, not the date it was recorded: a crime recorded "
                            "before the period can be counted, and one recorded in it but closed later is not",
                 "recorded": "the date it was recorded: its outcome may have been assigned later, or not yet"}.get(
            row.date_basis, "a date the response does not name (recorded, or outcome assigned): read its rates "
                            "with care")
        lines.append(f"- **{force}** counts {unit} from {period}{length}. A crime is in the period by {basis}.")
    if not rates.empty:
        method = interval_method(rates["ci_method"].iloc[0])
        lines.append(f"- **Intervals.** Each rate has a {confidence_label(rates['confidence'].iloc[0])} {method} "
                     f"interval. {INTERVAL_MEANING}")
    lines.append("- **Small numbers.** A rate over fewer than 10 crimes is flagged: read it with its interval and do "
                 "not rank it. A cell a force withheld as small is shown as printed (\"withheld (\\<5)\"), never "
                 "worked out, and no rate is made from it.")
    return "\n".join(lines)


def glossary(codes) -> str:
    """Markdown: each outcome code used, as the Home Office reference describes it
    (fosi/reference_data/outcome_codes.csv), with the reference's confidence in that description."""
    from fosi.reference import outcome_codes

    table = outcome_codes().set_index("code")
    known = [c for c in codes if c in table.index]
    ordered = sorted(set(known), key=lambda c: (int(c.rstrip("ABCD")), c))
    lines = []
    for code in ordered:
        row = table.loc[code]
        text = f"- **Outcome {escape_text(code)}:** {escape_text(row['label'])}."
        wording = row["official_wording"]
        if isinstance(wording, str) and wording.strip():
            text += f" Wording: *{escape_text(wording.strip().rstrip('.'))}*."
        introduced = row["introduced_date"]  # (only a date the reference confirms)
        if isinstance(introduced, str) and introduced:
            text += f" In use from {long_date(introduced)}."
        if code[-1:].isalpha():
            text += f" A subset of Outcome {escape_text(code[:-1])}: never add the two."
        text += f" (Reference: {escape_text(row['confidence'])}.)"
        lines.append(text)
    return "\n".join(lines) if lines else "No outcome code is used in these responses."


# Chart titles: the words above each chart, kept with the rest of the charts' wording.
def rates_title(rates: pd.DataFrame) -> str:
    """What, who and when: 'Outcome 21 rate by offence: Hertfordshire, 1 January 2016 to 31 January 2018'."""
    first = rates.iloc[0]
    force = first["force"] if isinstance(first["force"], str) else "force not stated"
    return (f"Outcome {first['outcome_code']} rate by offence: {force}, "
            f"{period_text(first['period_start'], first['period_end'])}")


def funnel_title(comparison) -> str:
    """What, who and when: 'Outcome 21 rate against base: 12 responses, 1 April 2019 to 31 March 2020'."""
    table = comparison.table[comparison.table["rate"].notna()]
    code = comparison.table.attrs.get("outcome", "21")
    periods = sorted({period_text(s, e) for s, e in zip(table["period_start"], table["period_end"])})
    when = periods[0] if len(periods) == 1 else (
        f"periods from {_first(table['period_start'])} to {_last(table['period_end'])}" if periods else "")
    who = f"{len(table)} {'SYNTHETIC ' if comparison.synthetic else ''}responses"
    return f"Outcome {code} rate against the number of crimes it is based on: {who}, {when}".rstrip(", ")


def _first(dates: pd.Series) -> str:
    from fosi.publish.formatting import long_date

    known = sorted(d for d in dates if isinstance(d, str))
    return long_date(known[0]) if known else "an unstated date"


def _last(dates: pd.Series) -> str:
    from fosi.publish.formatting import long_date

    known = sorted(d for d in dates if isinstance(d, str))
    return long_date(known[-1]) if known else "an unstated date"


# --- the release's key points (reports/index.html) ---------------------------------------------------

_STATUS_WORDS = (  # (status, how a key point says it), in the tracker's order
    ("answered", "answered"), ("partial", "answered in part"), ("refused", "refused"),
    ("not-held", "not held"), ("clarification", "asked a question back"),
    ("unreadable", "unreadable"), ("overdue", "overdue"), ("no-reply", "not yet due"),
)


def _forces(count: int) -> str:
    return f"{count} force{'' if count == 1 else 's'}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def key_points(counts: dict[str, int], result: dict, excluded: int, request, as_of: str,
               confidence: float = 0.95) -> list[str]:
    """3 to 5 sentences for the front page, every number taken from the tracker table (``counts``,
    by status) or the per-force table (``result``: its 'All comparable forces' row, lowest, highest
    and the forces outside the funnel's limits)."""
    asked = sum(n for status, n in counts.items() if status not in ("not-asked", "unmatched"))
    said = [f"{n} {words}" for status, words in _STATUS_WORDS if (n := counts.get(status, 0))]
    if request.stated:
        first = (f"{_forces(asked)} were asked on {long_date(request.sent)}" if request.sent
                 else f"{_forces(asked)} were asked")
        points = [f"{first}. As of {long_date(as_of)}: {_listed(said)}." if said else f"{first}."]
    else:
        points = [f"{_forces(asked)} replied: {_listed(said)}." if said else "No reply has been read yet."]
    others = [f"{n} {words}" for status, words in (("not-asked", "from a force not asked"),
                                                   ("unmatched", "from a force not known"))
              if (n := counts.get(status, 0))]
    if others:
        points[0] += f" Other replies: {_listed(others)}."
    outcome, group = request.outcome, request.offence_label.lower()
    if result.get("rate") is None:
        points.append(f"No two answers can yet be compared, so no rate across forces is given for Outcome {outcome}.")
    else:
        low, high = result["lowest"], result["highest"]
        figure = (f"{result['count']:,} of {result['base']:,} {request.unit} of {group} offences "
                  f"({percent(result['rate'])}, {confidence_label(confidence)} interval "
                  f"{interval(result['ci_low'], result['ci_high'])}) were closed with Outcome {outcome}")
        if result["forces"] == 1:  # one answer: its own figure, and no range or comparison to speak of
            points.append(f"In the one answer that can be compared ({low['force']}), {figure}; comparing forces "
                          "needs at least two.")
        else:
            points.append(f"Across the {_forces(result['forces'])} whose answers can be compared, {figure}; forces "
                          f"ranged from {percent(low['rate'])} ({low['force']}) to {percent(high['rate'])} "
                          f"({high['force']}).")
        if result["forces"] >= 2:
            outside = [f"{_listed(result['above'])} above" if result["above"] else "",
                       f"{_listed(result['below'])} below" if result["below"] else ""]
            outside = [part for part in outside if part]
            points.append(f"Outside the funnel plot's 99.8% limits: {_listed(outside)}."
                          if outside else "No force lies outside the funnel plot's 99.8% limits.")
    cannot = (f"The figures count {request.unit}, not children, and cannot say why a crime was closed with Outcome "
              f"{outcome}")
    points.append(f"{cannot}; {_forces(excluded)} with figures {'is' if excluded == 1 else 'are'} not compared "
                  f"(reasons below)." if excluded else f"{cannot}.")
    return points
