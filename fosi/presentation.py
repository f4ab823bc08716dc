"""Tables for readers: the figures, findings and rates, labelled and formatted for display.

The numbers are written by fosi.formatting, as the narrative's are. pandas escapes
cell text when it renders HTML, so labels from responses are shown, never run.
"""

from __future__ import annotations

import pandas as pd

from fosi.formatting import confidence_label, interval, percent, period_text

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


def describe_responses(manifest: pd.DataFrame) -> pd.DataFrame:
    """One row per response file: what it is, what it covers, and how much it printed."""
    return pd.DataFrame({
        "File": manifest["file"].to_numpy(),
        "Force": manifest["force"].fillna("not stated").to_numpy(),
        "Period": [period_text(s, e) for s, e in zip(manifest["period_start"], manifest["period_end"])],
        "Date basis": [DATE_BASIS_TEXT.get(b, "not stated") if isinstance(b, str) else "not stated"
                       for b in manifest["date_basis"]],
        "Unit": manifest["unit"].fillna("not stated").to_numpy(),
        "Response": manifest["response"].fillna("could not be read").to_numpy(),
        "Figures": manifest["figures"].to_numpy(),
        "Printed totals": manifest["totals"].to_numpy(),
        "Corrections": manifest["corrections"].to_numpy(),
        "SHA-256": manifest["sha256"].str.slice(0, 12).to_numpy(),
    }).set_index("File")


def corrections_table(corrections: pd.DataFrame) -> pd.DataFrame:
    """The reviewed corrections applied to printed figures."""
    return pd.DataFrame({
        "Where": [f"{f}:{loc}" for f, loc in zip(corrections["file"], corrections["location"])],
        "Printed": corrections["printed_value"].to_numpy(),
        "Corrected to": corrections["corrected_value"].to_numpy(),
        "Reason": corrections["reason"].to_numpy(),
        "Reviewed": [f"{who}, {when}" for who, when in zip(corrections["reviewed_by"], corrections["reviewed_on"])],
    }).set_index("Where")


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
