"""Sentences generated from the same numbers as the tables (GUIDE §5), in neutral wording.

Every number is written by fosi.formatting, the same helpers the tables use, and every
piece of response text is escaped, so prose can be shown as Markdown or HTML safely.
"""

from __future__ import annotations

import math

import pandas as pd

from fosi.analysis import NO_CRIMES, NOT_COMPUTED
from fosi.formatting import confidence_label, escape_text, long_date, percent, period_text, rate_with_interval

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
    if summary:
        sentence = f"{what}: {count} of the {base} {_noun(row['unit'], base)} {numbers} {_were(count)} closed with {outcome}."
    else:
        sentence = f"{count} of the {base} {what} {_noun(row['unit'], base)} {numbers} {_were(count)} closed with {outcome}."
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
    method = rates["ci_method"].iloc[0]
    parts.append(f"Intervals are {'Wilson score' if method == 'wilson' else 'exact (Clopper–Pearson)'} intervals. "
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
    introduced = row["introduced_date"]
    if isinstance(introduced, str) and introduced and "NOT CONFIRMED" not in str(row["introduced"]):
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


def verdict_text(verdict) -> str:
    """The comparability verdict and its caveats, as Markdown (fosi.compare.Verdict)."""
    lines = [f"**Comparability: {escape_text(verdict.label)}.**"]
    lines += [f"- {escape_text(caveat)}" for caveat in verdict.caveats]
    return "\n".join(lines)


def dispersion_text(comparison) -> str:
    """What the spread of the rates says, and which limits the funnel draws because of it."""
    spread = comparison.dispersion
    if spread is None:
        return ("Too few rates to estimate over-dispersion (at least 3 are needed): the limits are exact binomial "
                "limits around the pooled rate (Spiegelhalter 2005).")
    numbers = (f"φ = {spread.phi:.2f} from z-scores Winsorised at 10%; {spread.responses}φ = {spread.statistic:.1f} "
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
    when there is only one response (nothing is combined)."""
    if verdict.responses < 2:
        return ""
    caveats = "; ".join(escape_text(c) for c in verdict.caveats)
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
    if comparison.table.empty and comparison.verdict.verdict == "not comparable":
        return (f"{prefix}No comparison: these responses cannot fairly be combined, so no rates are set side by "
                f"side, pooled or drawn (set override to combine them anyway; every output will say so).\n\n"
                f"{verdict_text(comparison.verdict)}")
    if n < 2 or comparison.pooled is None:
        return (f"{prefix}Only {n} comparable response{'' if n == 1 else 's'} with a rate: there is nothing to compare "
                f"it with.{left_out}\n\n{verdict_text(comparison.verdict)}")
    lines = [f"{prefix}Pooled rate: {percent(comparison.pooled)} over {n} responses. {dispersion_text(comparison)}"]
    for level in sorted(levels):
        k = int((outside["level"] >= level).sum()) if len(outside) else 0
        expected = n * (1 - level)
        lines.append(f"{k} of {n} responses lie outside the {confidence_label(level)} limits drawn; chance alone would "
                     f"put about {expected:.2g} there.")
    for row in outside.sort_values("level", ascending=False).itertuples():
        force = escape_text(row.force if isinstance(row.force, str) else row.source)
        lines.append(f"- {force}: {int(row.count)} of {int(row.base)} "
                     f"{rate_with_interval(row.rate, row.ci_low, row.ci_high, row.confidence)}, "
                     f"{row.outside} the {confidence_label(row.level)} limits.")
    if left_out:
        lines.append(left_out.strip("\n"))
    lines.append("")
    lines.append(verdict_text(comparison.verdict))
    if comparison.synthetic:
        lines.append("\nThese forces and figures are SYNTHETIC, made by a seeded generator to show the method. "
                     "They describe no real force.")
    return "\n".join(lines)
