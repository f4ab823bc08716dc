"""Tables for readers: the figures, findings and rates, labelled and formatted for display.

The numbers are written by fosi.formatting, as the narrative's are. pandas escapes
cell text when it renders HTML, so labels from responses are shown, never run.
"""

from __future__ import annotations

import pandas as pd

from fosi.formatting import confidence_label, interval, percent, period_text, rate_with_interval

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


def shown_count(count: object, marker: object) -> str:
    """A count as a reader should see it: the number, or what was printed instead: 'withheld (<5)'
    for a cell suppressed as small, the marker for one not given, 'unknown' where nothing is printed."""
    from fosi.suppression import is_suppressed

    if not pd.isna(count):
        return str(int(count))
    if isinstance(marker, str):
        text = marker.strip()
        if is_suppressed(None, text):
            return f"withheld ({text})"
        return f"not given ({text})" if text else "blank"
    return "unknown"


def rate_text(rate: float, reason: object) -> str:
    """The rate as a percentage, or why there is none ('no crimes', 'not computed: ...')."""
    return reason if isinstance(reason, str) and pd.isna(rate) else percent(rate)


def _rate_columns(rates: pd.DataFrame, count_heading: str) -> dict:
    """Count, base, rate (or the reason there is none), interval and small-base flag of each rate,
    headed for readers."""
    level = confidence_label(rates["confidence"].iloc[0])
    count_markers = rates["count_marker"] if "count_marker" in rates else [None] * len(rates)
    base_markers = rates["base_marker"] if "base_marker" in rates else [None] * len(rates)
    return {
        count_heading: [shown_count(c, m) for c, m in zip(rates["count"], count_markers)],
        "All outcomes": [shown_count(b, m) for b, m in zip(rates["base"], base_markers)],
        "Rate": [rate_text(r, why) for r, why in zip(rates["rate"], rates["reason"])],
        f"{level} CI": [interval(lo, hi) for lo, hi in zip(rates["ci_low"], rates["ci_high"])],
        "Base < 10": ["yes" if flag else "" for flag in rates["small_base"]],
    }


def rates_table(rates: pd.DataFrame) -> pd.DataFrame:
    """The rates for display: counts, base, rate and interval, small bases flagged; a rate not
    computed shows why. Group and overall rows name the offences they hold."""
    if rates.empty:
        return pd.DataFrame(columns=["Offence (as printed)", "HO code", "Count", "Base", "Rate", "CI", "Note"]).set_index(
            "Offence (as printed)")
    code = rates["outcome_code"].iloc[0]
    table = pd.DataFrame({
        "Force": rates["force"].fillna("not stated").to_numpy(),
        "Period": [period_text(s, e) for s, e in zip(rates["period_start"], rates["period_end"])],
        "Offence (as printed)": rates["row_label"].to_numpy(),
        "HO code": rates["offence_code"].fillna("").to_numpy(),
        **_rate_columns(rates, f"Outcome {code}"),
        "Note": rates["note"].fillna("").to_numpy(),
    })
    if rates["source"].nunique() == 1:
        table = table.drop(columns=["Force", "Period"])
    if rates["column_label"].nunique(dropna=False) > 1:
        table.insert(1, "Column", rates["column_label"].fillna("").to_numpy())
    return table.set_index("Offence (as printed)")


def show_rates_by_response(rates: pd.DataFrame) -> None:
    """In a notebook: each response's rates under its own heading, as a table and a chart. Rates of
    different responses are never set in one table or chart here: comparing responses is the
    comparison report's, behind the comparability guard."""
    from IPython.display import Markdown, display

    from fosi.narrative import response_heading
    from fosi.plots import plot_rates, show

    if rates.empty:
        display(Markdown("No response in this run prints a table for this outcome, so there is nothing to show."))
        return
    for _, own in rates.groupby("source", sort=False):
        display(Markdown(response_heading(own)))
        display(rates_table(own))
        if own["rate"].notna().any():
            show(plot_rates(own))


def outcome_mix_table(mix: pd.DataFrame) -> pd.DataFrame:
    """Each outcome a response reports, over all offences: how many crimes it closed, of how
    many, with the share's interval. Shares are not added (sub-codes sit inside their parents)."""
    whole = mix[mix["scope"] == "all offences"]
    table = pd.DataFrame({
        "Force": whole["force"].fillna("not stated").to_numpy(),
        "Period": [period_text(s, e) for s, e in zip(whole["period_start"], whole["period_end"])],
        "Outcome": [f"Outcome {code}" + (" (a sub-code)" if sub else "")
                    for code, sub in zip(whole["outcome_code"], whole["sub_code"])],
        **_rate_columns(whole, "Crimes with this outcome"),
    })
    if whole["source"].nunique() == 1:
        table = table.drop(columns=["Force", "Period"])
    return table.set_index("Outcome")


def yearly_table(years: pd.DataFrame) -> pd.DataFrame:
    """The outcome's count in each year a response gives (fosi.forces.yearly)."""
    return pd.DataFrame({
        "Force": years["force"].fillna("not stated").to_numpy(),
        "Year": years["year"].to_numpy(),
        f"Outcome {years['outcome_code'].iloc[0]}" if len(years) else "Count":
            years["count"].astype("string").fillna("unknown").to_numpy(),
        "Unit": years["unit"].fillna("not stated").to_numpy(),
        "File": years["source"].to_numpy(),
    }).set_index(["Force", "Year"])


SUMMARY_MIMETYPE = "application/vnd.fosi.summary+json"


def report_summary(title: str, manifest: pd.DataFrame, key_figure: str) -> dict:
    """What reports/index.html says of a report: its title, the forces and periods it covers,
    and its key figure (written from the same numbers as the report)."""
    forces = sorted(set(manifest["force"].dropna()))
    periods = sorted({period_text(s, e) for s, e in zip(manifest["period_start"], manifest["period_end"])
                      if isinstance(s, str)})
    return {"title": title, "forces": forces, "periods": periods, "key_figure": key_figure}


def publish_summary(summary: dict) -> None:
    """Emit the summary as a hidden output (a fosi mimetype no HTML export shows) for the index."""
    from IPython.display import display

    display({SUMMARY_MIMETYPE: summary}, raw=True)


def key_figure(rates: pd.DataFrame) -> str:
    """The overall rate of each response, as the report's narrative writes it, naming what it
    holds; a rate not computed says why, and no number stands in for it."""
    overall = rates[rates["scope"] == "all offences"]
    if overall.empty:
        return "no table for the chosen outcome"
    parts = []
    for row in overall.itertuples():
        force = row.force if isinstance(row.force, str) else "force not stated"
        if pd.isna(row.rate):
            parts.append(f"{force}: no overall rate ({row.reason})")
            continue
        held = row.row_label[:1].lower() + row.row_label[1:]
        parts.append(f"{force}, {held}: {row.count} of {row.base} {row.unit} closed with Outcome "
                     f"{row.outcome_code} " + rate_with_interval(row.rate, row.ci_low, row.ci_high, row.confidence))
    return "; ".join(parts)


def provenance_table(manifest: pd.DataFrame) -> pd.DataFrame:
    """Every input file: its full sha256, reader, what it is, findings and corrections."""
    return pd.DataFrame({
        "File": manifest["file"].to_numpy(),
        "SHA-256": manifest["sha256"].to_numpy(),
        "Reader": manifest["reader"].fillna("none").to_numpy(),
        "Response": manifest["response"].fillna("could not be read").to_numpy(),
        "Errors": manifest["errors"].to_numpy(),
        "Warnings": manifest["warnings"].to_numpy(),
        "Notes": manifest["infos"].to_numpy(),
        "Corrections applied": manifest["corrections"].to_numpy(),
    }).set_index("File")


def provenance_text(run: object) -> str:
    """Markdown: the parameters of this run (a fosi.params ...Run), fosi's version and the date
    and time of the run (UTC). Source paths are shown from the project root; an empty list
    (no offence codes chosen) means all."""
    import dataclasses
    import datetime as dt

    from fosi import __version__
    from fosi.formatting import escape_text
    from fosi.paths import display_path

    def shown(name: str, value: object) -> str:
        if name == "sources":
            value = [display_path(path) for path in value]
        if isinstance(value, (list, tuple)):
            return ", ".join(map(str, value)) or "all"
        return str(value)

    lines = [f"- **{escape_text(field.name)}:** {escape_text(shown(field.name, getattr(run, field.name)))}"
             for field in dataclasses.fields(run)]
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([*lines, f"- **fosi version:** {__version__}", f"- **run:** {now}"])


def findings_by_file(findings: pd.DataFrame, manifest: pd.DataFrame) -> pd.DataFrame:
    """Every finding, grouped by file (in the manifest's order), with the printed figure and
    the expected one where the rule compares numbers. A file with no finding shows one row."""
    rows = []
    for file, reason in zip(manifest["file"], manifest["reason"]):
        mine = findings[findings["source"] == file]
        if isinstance(reason, str):
            rows.append({"File": file, "Where": "", "Severity": "error", "Rule": "unreadable", "Message": reason,
                         "Printed": "", "Expected": ""})
        for f in mine.itertuples():
            rows.append({"File": file, "Where": "" if pd.isna(f.location) else str(f.location),
                         "Severity": f.severity, "Rule": f.rule, "Message": f.message,
                         "Printed": "" if pd.isna(f.found) else f.found,
                         "Expected": "" if pd.isna(f.expected) else f.expected})
        if mine.empty and not isinstance(reason, str):
            rows.append({"File": file, "Where": "", "Severity": "", "Rule": "", "Message": "no findings",
                         "Printed": "", "Expected": ""})
    columns = ["File", "Where", "Severity", "Rule", "Message", "Printed", "Expected"]
    return pd.DataFrame(rows, columns=columns).set_index(["File", "Where"])


def comparability_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Each pair of responses with what it was compared on and the verdict."""
    if pairs.empty:
        return pd.DataFrame(columns=["Responses", "Unit", "Date basis", "Period", "Offences", "Age filter",
                                     "Verdict", "Reasons"]).set_index("Responses")
    return pd.DataFrame({
        "Responses": [f"{a} ↔ {b}" for a, b in zip(pairs["file_a"], pairs["file_b"])],
        "Unit": pairs["unit"].to_numpy(), "Date basis": pairs["date_basis"].to_numpy(),
        "Period": pairs["period"].to_numpy(), "Offences": pairs["offences"].to_numpy(),
        "Age filter": pairs["age_filter"].to_numpy(), "Verdict": pairs["verdict"].to_numpy(),
        "Reasons": pairs["reasons"].to_numpy(),
    }).set_index("Responses")


def force_table(comparison) -> pd.DataFrame:
    """One row per response: its period, the offences its rate holds, count, base, rate (or why
    none) and interval, counts per year and per 100,000 (with the population used, or why none)."""
    table = comparison.table
    if table.empty:
        return pd.DataFrame(columns=["Force", "Count", "Base", "Rate", "CI"]).set_index("Force")
    level = confidence_label(table["confidence"].iloc[0])
    code = table.attrs.get("outcome", "21")
    shown = pd.DataFrame({
        "Force": [("SYNTHETIC: " if comparison.synthetic and not str(f).startswith("SYNTHETIC") else "") + str(f)
                  for f in table["force"].fillna("not stated")],
        "Period": [period_text(s, e) for s, e in zip(table["period_start"], table["period_end"])],
        "File": table["source"].to_numpy(),
        "Offences": table["offences"].to_numpy() if "offences" in table else "",
        f"Outcome {code}": [shown_count(c, None) for c in table["count"]],
        "All outcomes": [shown_count(b, None) for b in table["base"]],
        "Rate": [rate_text(r, why) for r, why in zip(table["rate"], table["reason"])],
        f"{level} CI": [interval(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
        "Base < 10": ["yes" if flag else "" for flag in table["small_base"]],
        f"Outcome {code} per year": [f"{v:.1f}" if pd.notna(v) else "–" for v in table["count_per_year"]],
        "Per 100,000 residents per year": [f"{v:.2f}" if pd.notna(v) else "–" for v in table["per_100k_per_year"]],
        "Population": table["population_note"].to_numpy(),
    })
    return shown.set_index("Force")
