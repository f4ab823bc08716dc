"""Sentences generated from the same numbers as the tables (GUIDE §5), in neutral wording.

Every number is written by fosi.formatting, the same helpers the tables use, and every
piece of response text is escaped, so prose can be shown as Markdown or HTML safely.
"""

from __future__ import annotations

import pandas as pd

from fosi.formatting import confidence_label, escape_text, percent, period_text, rate_with_interval

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
    """One rate as a sentence: '139 of the 358 “Child-Distribute Indecent Photo” crimes (38.8%; 95% CI 33.9%–44.0%) were closed with Outcome 21.'"""
    outcome = f"Outcome {row['outcome_code']}"
    if pd.isna(row["count"]) or pd.isna(row["base"]):
        what = "all offences" if row["scope"] == "all offences" else f"“{escape_text(row['row_label'])}”"
        reason = escape_text(row["note"]) if isinstance(row["note"], str) else "a figure is missing"
        return f"No rate for {what}: {reason}."
    count, base = int(row["count"]), int(row["base"])
    numbers = rate_with_interval(row["rate"], row["ci_low"], row["ci_high"], row["confidence"])
    if row["scope"] == "all offences":
        sentence = f"Across all offences, {count} of the {base} {_noun(row['unit'], base)} {numbers} {_were(count)} closed with {outcome}."
    else:
        label = escape_text(row["row_label"])
        sentence = f"{count} of the {base} “{label}” {_noun(row['unit'], base)} {numbers} {_were(count)} closed with {outcome}."
    if isinstance(row["note"], str):
        sentence += f" ({escape_text(row['note']).capitalize()}.)"
    if row["small_base"]:
        sentence += f" The base is under 10 {_noun(row['unit'], 2)}, so this rate is very uncertain."
    return sentence


def rates_narrative(rates: pd.DataFrame) -> str:
    """Markdown: for each response, a lead line saying what is counted, then one sentence per rate."""
    if rates.empty:
        return "No response in this run prints a table for the chosen outcome, so no rate can be given."
    parts = []
    for source, group in rates.groupby("source", sort=False):
        first = group.iloc[0]
        force = escape_text(first["force"]) if isinstance(first["force"], str) else "An unnamed force"
        lead = (f"**{force}** ({escape_text(source)}) counts {_noun(first['unit'], 2)} "
                f"{basis_phrase(first['date_basis'], first['period_start'], first['period_end'])}.")
        bullets = "\n".join(f"- {rate_sentence(row)}" for _, row in group.iterrows())
        parts.append(f"{lead}\n\n{bullets}")
    method = rates["ci_method"].iloc[0]
    parts.append(f"Intervals are {'Wilson score' if method == 'wilson' else 'exact (Clopper–Pearson)'} intervals.")
    return "\n\n".join(parts)


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


def comparison_text(comparison, outside: pd.DataFrame, level: float = 0.998) -> str:
    """Neutral sentences about a funnel plot: how many responses lie outside the limits, which,
    and the verdict's caveats beside them."""
    prefix = "SYNTHETIC DEMONSTRATION DATA: " if comparison.synthetic else ""
    table = comparison.table[comparison.table["rate"].notna()]
    n = len(table)
    if n < 2 or comparison.pooled is None:
        return f"{prefix}Only {n} comparable response{'' if n == 1 else 's'}: there is nothing to compare it with."
    pooled = percent(comparison.pooled)
    k = len(outside)
    lines = [f"{prefix}{k} of {n} responses lie outside the {confidence_label(level)} limits around the pooled "
             f"rate of {pooled}; the rest differ from it by no more than chance would often give."]
    for row in outside.itertuples():
        lines.append(f"- {escape_text(row.force)}: {int(row.count)} of {int(row.base)} "
                     f"{rate_with_interval(row.rate, row.ci_low, row.ci_high, row.confidence)}, "
                     f"{row.outside} the limits.")
    lines.append("")
    lines.append(verdict_text(comparison.verdict))
    if comparison.synthetic:
        lines.append("\nThese forces and figures are SYNTHETIC, made by a seeded generator to show the method. "
                     "They describe no real force.")
    return "\n".join(lines)
