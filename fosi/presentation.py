"""Tables for readers: the figures, findings and rates, labelled and formatted for display.

The numbers are written by fosi.formatting, as the narrative's are. pandas escapes
cell text when it renders HTML, so labels from responses are shown, never run.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from fosi.formatting import confidence_label, interval, percent, period_text
from fosi.response import Response

DATE_BASIS_TEXT = {
    "outcome": "outcome assigned in the period",
    "recorded": "recorded in the period",
}


def setup_notebook() -> None:
    """Display settings shared by every notebook: whole cell text, fosi's chart theme, crisp PNGs."""
    from fosi.plots import use_theme

    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.width", 200)
    use_theme()
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png", dpi=110)  # embedded in the HTML report as data URIs
    except ImportError:  # outside IPython
        pass


def describe_responses(responses: Sequence[Response]) -> pd.DataFrame:
    """One row per response: what it is, what it covers, and how much it printed."""
    rows = []
    for r in responses:
        meta = r.metadata
        rows.append({
            "File": r.source,
            "Force": meta.value("force") or "not stated",
            "Period": period_text(meta.value("period_start"), meta.value("period_end")),
            "Date basis": DATE_BASIS_TEXT.get(meta.value("date_basis") or "", "not stated"),
            "Unit": meta.value("unit") or "not stated",
            "Response": r.kind,
            "Tables": len(r.tables),
            "Figures": int((r.figures["kind"] == "figure").sum()),
            "Printed totals": int((r.figures["kind"] == "total").sum()),
            "SHA-256": r.sha256[:12],
        })
    return pd.DataFrame(rows).set_index("File")


def findings_table(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings as 'file:line', severity, rule and message."""
    where = [s if pd.isna(place) else f"{s}:{place}" for s, place in zip(findings["source"], findings["location"])]
    return pd.DataFrame({
        "Where": where,
        "Severity": findings["severity"].to_numpy(),
        "Rule": findings["rule"].to_numpy(),
        "Message": findings["message"].to_numpy(),
    }).set_index("Where")


def rates_table(rates: pd.DataFrame) -> pd.DataFrame:
    """The rates for display: counts, base, rate and interval, small bases flagged."""
    if rates.empty:
        return pd.DataFrame(columns=["Offence (as printed)", "HO code", "Count", "Base", "Rate", "CI", "Note"]).set_index(
            "Offence (as printed)")
    code = rates["outcome_code"].iloc[0]
    level = confidence_label(rates["confidence"].iloc[0])
    table = pd.DataFrame({
        "Force": rates["force"].fillna("not stated").to_numpy(),
        "Offence (as printed)": rates["row_label"].to_numpy(),
        "HO code": rates["offence_code"].fillna("").to_numpy(),
        f"Outcome {code}": rates["count"].astype("string").fillna("unknown").to_numpy(),
        "All outcomes": rates["base"].astype("string").fillna("unknown").to_numpy(),
        "Rate": [percent(p) for p in rates["rate"]],
        f"{level} CI": [interval(lo, hi) for lo, hi in zip(rates["ci_low"], rates["ci_high"])],
        "Base < 10": ["yes" if flag else "" for flag in rates["small_base"]],
        "Note": rates["note"].fillna("").to_numpy(),
    })
    if rates["source"].nunique() == 1:
        table = table.drop(columns="Force")
    return table.set_index("Offence (as printed)")
