"""Tables for readers: the figures, findings and rates, labelled and formatted for display; and the
top of a report: its title, key results, source and citation.

The numbers are written by fosi.publish.formatting, as the narrative's are. Tables are shown through
fosi.publish.html, which escapes every cell once, so labels from responses show as printed, never run.
"""

from __future__ import annotations

import re

import pandas as pd

from fosi.model.request import CHILD_IMAGES
from fosi.publish.formatting import (
    confidence_label,
    count_text,
    interval,
    interval_method,
    percent,
    period_text,
    rate_and_interval,
    rate_with_interval,
)
from fosi.publish.pages import CONTENTS_MARKER

DATE_BASIS_TEXT = {
    "outcome": "outcome assigned in the period",
    "recorded": "recorded in the period",
}


def setup_notebook() -> None:
    """Display settings shared by every notebook: whole cell text, fosi's chart theme, and a figure
    shown as such (one drawn while exploring) as SVG, as the reports' charts are (fosi.publish.html.chart)."""
    from fosi.publish.charts import use_theme

    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.width", 200)
    use_theme()
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg")
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
    from fosi.checks.suppression import is_suppressed

    if not pd.isna(count):
        return count_text(count)
    if isinstance(marker, str):
        text = marker.strip()
        if is_suppressed(None, text):
            return f"withheld ({text})"
        return f"not given ({text})" if text else "blank"
    return "unknown"


def rate_text(rate: float, reason: object) -> str:
    """The rate as a percentage, or why there is none ('no crimes', 'not computed: ...')."""
    return reason if isinstance(reason, str) and pd.isna(rate) else percent(rate)


SMALL_BASE_FLAG = "base under 10"  # fosi.analysis.rates.SMALL_BASE: shown with its interval, never ranked


def rate_cell(rate: float, low: float, high: float, small_base: object, reason: object) -> str:
    """A rate and its interval in one cell, '22.2% (19.9%–24.8%)', with ', base under 10' where the
    base is small; a rate not computed gives its reason instead."""
    if pd.isna(rate):
        return rate_text(rate, reason)
    flagged = pd.notna(small_base) and bool(small_base)
    return rate_and_interval(rate, low, high) + (f", {SMALL_BASE_FLAG}" if flagged else "")


def period_cell(start: object, end: object, asked: tuple[str, str] | None = None) -> str:
    """A row's period: 'as asked' where it is the period the request asked about (said once, in the
    caption), else its dates; 'not stated' where the response gives none."""
    if not isinstance(start, str) or not isinstance(end, str) or not start or not end:
        return "not stated"
    return "as asked" if asked is not None and (start, end) == tuple(asked) else period_text(start, end)


def asked_caption(asked: tuple[str, str] | None) -> str:
    """'; period as asked: 1 January 2021 to 31 December 2023', for a caption whose rows say 'as asked'."""
    return f"; period as asked: {period_text(*asked)}" if asked is not None else ""


def _unit_heading(rates: pd.DataFrame) -> str:
    """'Crimes', 'Offences', ... for column headings: the unit the rates count."""
    units = [u for u in rates["unit"].dropna().unique()] if "unit" in rates else []
    return units[0].capitalize() if len(units) == 1 and units[0] else "Crimes"


def _rate_columns(rates: pd.DataFrame, count_heading: str, base_heading: str) -> dict:
    """Count, base, rate (or the reason there is none), interval and small-base flag of each rate,
    headed for readers."""
    level = confidence_label(rates["confidence"].iloc[0])
    count_markers = rates["count_marker"] if "count_marker" in rates else [None] * len(rates)
    base_markers = rates["base_marker"] if "base_marker" in rates else [None] * len(rates)
    return {
        count_heading: [shown_count(c, m) for c, m in zip(rates["count"], count_markers)],
        base_heading: [shown_count(b, m) for b, m in zip(rates["base"], base_markers)],
        "Rate": [rate_text(r, why) for r, why in zip(rates["rate"], rates["reason"])],
        f"{level} CI": [interval(lo, hi) for lo, hi in zip(rates["ci_low"], rates["ci_high"])],
        "Base under 10": ["yes" if flag else "" for flag in rates["small_base"]],
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
        **_rate_columns(rates, f"{_unit_heading(rates)} closed with Outcome {code}",
                        f"All {_unit_heading(rates).lower()} of this offence"),
        "Note": rates["note"].fillna("").to_numpy(),
    })
    if rates["source"].nunique() == 1:
        table = table.drop(columns=["Force", "Period"])
    if rates["column_label"].nunique(dropna=False) > 1:
        table.insert(1, "Column", rates["column_label"].fillna("").to_numpy())
    return table.set_index("Offence (as printed)")


def rates_context(rates: pd.DataFrame) -> dict[str, str]:
    """What one response's rates table holds, as columns for its CSV, so the download stands alone."""
    first = rates.iloc[0]
    return {
        "Force": first["force"] if isinstance(first["force"], str) else "not stated",
        "Period start": first["period_start"] if isinstance(first["period_start"], str) else "",
        "Period end": first["period_end"] if isinstance(first["period_end"], str) else "",
        "Unit": first["unit"] if isinstance(first["unit"], str) else "not stated",
        "Date basis": DATE_BASIS_TEXT.get(first["date_basis"], "not stated"),
        "Outcome": f"Outcome {first['outcome_code']}",
        "Interval": f"{confidence_label(first['confidence'])} {interval_method(first['ci_method'])}",
        "Source file": str(first["source"]),
    }


def rates_caption(rates: pd.DataFrame) -> str:
    """'Outcome 21 rate by offence: Hertfordshire, 1 January 2016 to 31 January 2018; crimes whose
    outcome was assigned in the period; 95% Wilson intervals'."""
    from fosi.publish.narrative import rates_title

    context = rates_context(rates)
    return f"{rates_title(rates)}; {context['Unit']}, {context['Date basis']}; {context['Interval']} intervals"


def rates_display(rates: pd.DataFrame):
    """One response's rates table for a report, downloadable as CSV (fosi.publish.html.table)."""
    from fosi.publish.html import file_name, table

    first = rates.iloc[0]
    return table(rates_table(rates), rates_caption(rates),
                 file_name(f"outcome {first['outcome_code']} rates", first["force"], first["period_start"],
                           suffix="csv"), rates_context(rates))


def as_table(frame: pd.DataFrame, caption: str, download: str | None = None):
    """Any of the tables above for a report: one header row, aligned, with its CSV (fosi.publish.html.table)."""
    from fosi.publish.html import file_name, table

    return table(frame, caption, download or file_name(caption, suffix="csv"))


def show_rates_by_response(rates: pd.DataFrame) -> None:
    """In a notebook: each response's rates under its own heading, as a table and a chart. Rates of
    different responses are never set in one table or chart here: comparing responses is the
    comparison report's, behind the comparability guard."""
    from IPython.display import Markdown, display

    from fosi.publish.charts import rates_chart
    from fosi.publish.narrative import response_heading

    if rates.empty:
        display(Markdown("No response in this run prints a table for this outcome, so there is nothing to show."))
        return
    for _, own in rates.groupby("source", sort=False):
        display(Markdown(response_heading(own)))
        display(rates_display(own))
        if own["rate"].notna().any():
            display(rates_chart(own))


def outcome_mix_table(mix: pd.DataFrame) -> pd.DataFrame:
    """Each outcome a response reports, over all offences: how many crimes it closed, of how
    many, with the share's interval. Shares are not added (sub-codes sit inside their parents)."""
    whole = mix[mix["scope"] == "all offences"]
    table = pd.DataFrame({
        "Force": whole["force"].fillna("not stated").to_numpy(),
        "Period": [period_text(s, e) for s, e in zip(whole["period_start"], whole["period_end"])],
        "Outcome": [f"Outcome {code}" + (" (a sub-code)" if sub else "")
                    for code, sub in zip(whole["outcome_code"], whole["sub_code"])],
        **_rate_columns(whole, f"{_unit_heading(whole)} closed with this outcome",
                        f"All {_unit_heading(whole).lower()}"),
    })
    if whole["source"].nunique() == 1:
        table = table.drop(columns=["Force", "Period"])
    return table.set_index("Outcome")


def yearly_display(years: pd.DataFrame, caption: str):
    """The outcome's count in each year for a report: force, year and count on the page (the unit is
    in the heading); the CSV also names each response's unit and file."""
    from fosi.publish.html import file_name, table

    full = yearly_table(years)
    return table(full.drop(columns=["Unit", "File"]), caption, file_name(caption, suffix="csv"), full=full)


def yearly_table(years: pd.DataFrame) -> pd.DataFrame:
    """The outcome's count in each year a response gives (fosi.analysis.forces.yearly)."""
    return pd.DataFrame({
        "Force": years["force"].fillna("not stated").to_numpy(),
        "Year": years["year"].to_numpy(),
        f"{_unit_heading(years)} closed with Outcome {years['outcome_code'].iloc[0]}" if len(years) else "Count":
            [count_text(c) if pd.notna(c) else "unknown" for c in years["count"]],
        "Unit": years["unit"].fillna("not stated").to_numpy(),
        "File": years["source"].to_numpy(),
    }).set_index(["Force", "Year"])


SUMMARY_MIMETYPE = "application/vnd.fosi.summary+json"


def report_summary(title: str, manifest: pd.DataFrame, key_figure: str) -> dict:
    """What reports/index.html says of a report: its title, the forces and periods it covers,
    and its key figure (written from the same numbers as the report)."""
    forces = sorted(set(manifest["force"].dropna()))
    dated = sorted({(s, e) for s, e in zip(manifest["period_start"], manifest["period_end"]) if isinstance(s, str)})
    periods = list(dict.fromkeys(period_text(s, e) for s, e in dated))  # in time order
    return {"title": title, "forces": forces, "periods": periods, "starts": [s for s, _ in dated],
            "key_figure": key_figure}


def publish_summary(summary: dict) -> None:
    """Emit the summary as a hidden output (a fosi mimetype no HTML export shows) for the index."""
    from IPython.display import display

    display({SUMMARY_MIMETYPE: summary}, raw=True)


def requested_rows(own: pd.DataFrame, group: str = CHILD_IMAGES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One response's rate rows split into the headline, the requested offence group's rate (its
    group row where the response mixes groups, else its overall row when every offence is of that
    group), and the other summary rows (other groups, the mixed overall), shown apart."""
    summaries = own[own["scope"].isin(["offence group", "all offences"])]
    groups = own[own["scope"] == "offence group"]
    if len(groups):
        mine = groups["row_label"].str.startswith(group)
    else:
        mine = summaries["row_label"].map(lambda label: f": {group} (" in str(label))
        groups = summaries
    return groups[mine.to_numpy()], summaries.drop(index=groups[mine.to_numpy()].index)


def key_figure(rates: pd.DataFrame, group: str = CHILD_IMAGES) -> str:
    """Each response's rate for the requested offence group (default the indecent-images group), as
    the report's narrative writes it; other groups never enter it. A rate not computed says why,
    and no number stands in for it."""
    if rates.empty:
        return "no table for the chosen outcome"
    parts = []
    for _, own in rates.groupby("source", sort=False):
        first = own.iloc[0]
        force = first["force"] if isinstance(first["force"], str) else "force not stated"
        head, _ = requested_rows(own, group)
        if head.empty:
            parts.append(f"{force}: no figures for {group.lower()} offences")
            continue
        row = head.iloc[0]
        if pd.isna(row["rate"]):
            parts.append(f"{force}: no rate for {group.lower()} offences ({row['reason']})")
            continue
        parts.append(f"{force}, {group.lower()} offences: {count_text(row['count'])} of {count_text(row['base'])} "
                     f"{row['unit']} closed with Outcome {row['outcome_code']} "
                     + rate_with_interval(row["rate"], row["ci_low"], row["ci_high"], row["confidence"]))
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


def _findings_count(errors: object, warnings: object, notes: object) -> str:
    """'none', '2 warnings', '1 error, 1 note': a file's findings by severity, in words."""
    said = [f"{int(n)} {word}{'' if int(n) == 1 else 's'}"
            for n, word in ((errors, "error"), (warnings, "warning"), (notes, "note")) if pd.notna(n) and int(n)]
    return ", ".join(said) or "none"


def provenance_display(manifest: pd.DataFrame, caption: str = "Input files, as received"):
    """Every input file for a report, compactly: its name from the responses' folder, its full
    SHA-256, how it was read, its findings in words and the corrections applied. The CSV holds
    provenance_table (each path and every count in its own column)."""
    from fosi.publish.html import file_name, table

    full = provenance_table(manifest)
    shown = pd.DataFrame({
        "File": short_file_names(manifest["file"]),
        "SHA-256": manifest["sha256"].fillna("").to_numpy(),
        "Read as": [f"{reader}: {response}" for reader, response in zip(full["Reader"], full["Response"])],
        "Findings": [_findings_count(*counts) for counts in zip(manifest["errors"], manifest["warnings"],
                                                                  manifest["infos"])],
        "Corrections": manifest["corrections"].to_numpy(),
    }).set_index("File")
    return table(shown, f"{caption} (each file named from the folder of responses)", file_name(caption, suffix="csv"),
                 full=full)


def provenance_text(run: object) -> str:
    """Markdown, one paragraph: the parameters of this run (a fosi.publish.parameters ...Run), fosi's version
    and the date and time of the run (UTC). Source paths are shown from the project root; an empty list
    (no offence codes chosen) means all."""
    import dataclasses
    import datetime as dt

    from fosi import __version__
    from fosi.paths import public_name
    from fosi.publish.formatting import escape_text

    def shown(name: str, value: object) -> str:
        if name == "sources":
            value = [public_name(path) for path in value]
        if value is None:
            return "not given"
        if isinstance(value, (list, tuple)):
            return ", ".join(map(str, value)) or "all"
        return str(value)

    said = [f"**{escape_text(field.name)}:** {escape_text(shown(field.name, getattr(run, field.name)))}"
            for field in dataclasses.fields(run)]
    moment = dt.datetime.now(dt.timezone.utc)
    now = f"{moment.day} {moment.strftime('%B %Y, %H:%M')} UTC"  # the pages' one date style
    # One paragraph, not a list: a dozen short values read as easily in a line and take a third of the page.
    said += [f"**fosi version:** {__version__}", f"**run:** {now}"]
    return "Parameters of this run: " + " · ".join(said) + "."


def mix_display(comparison):
    """The outcome mix of a comparison for a report, its caption and CSV carrying the comparability
    verdict (POOLED BY OVERRIDE where the responses were pooled anyway), as the force table does.
    The page shows each share with its interval in one cell and 'as asked' for the period asked
    about; the CSV, every column of outcome_mix_table."""
    from fosi.publish.html import file_name, table

    full = outcome_mix_table(comparison.mix)
    whole = comparison.mix[comparison.mix["scope"] == "all offences"]
    level = confidence_label(whole["confidence"].iloc[0]) if len(whole) else "95%"
    shown = full.reset_index()
    if "Period" in shown:
        shown["Period"] = [period_cell(start, end, comparison.asked)
                           for start, end in zip(whole["period_start"], whole["period_end"])]
    shown[f"Share ({level} CI)"] = [rate_cell(*row) for row in zip(whole["rate"], whole["ci_low"], whole["ci_high"],
                                                                   whole["small_base"], whole["reason"])]
    shown = shown.drop(columns=["Rate", f"{level} CI", "Base under 10"])
    caption = ("Outcome mix: the share of all crimes closed with each outcome; "
               f"comparability: {comparison.verdict.label}"
               + (asked_caption(comparison.asked) if "as asked" in set(shown.get("Period", [])) else ""))
    return table(shown.set_index("Outcome"), caption, file_name("outcome mix", suffix="csv"),
                 {"Comparability": comparison.verdict.label, "Caveats": "; ".join(comparison.verdict.caveats)},
                 full=full)


def force_display(comparison):
    """The rates by force for a report, with a caption that says what they are (and SYNTHETIC where they
    are), downloadable as CSV with the comparability verdict beside every row. The page shows the
    denser view of force_view (the offences, the period asked about and why no rate per 100,000 is
    given said once); the CSV holds every column of force_table."""
    from html import escape

    from fosi.publish.html import Shown, file_name, table

    code = comparison.table.attrs.get("outcome", "21")
    rates = comparison.table
    level = confidence_label(rates["confidence"].iloc[0]) if len(rates) else ""
    method = interval_method(rates["ci_method"].iloc[0]) if len(rates) and "ci_method" in rates else ""
    prefix = "SYNTHETIC DEMONSTRATION DATA: " if comparison.synthetic else ""
    shown, held, below = force_view(comparison)
    caption = (f"{prefix}Outcome {code} rate by response, each over its own period, with {level} {method} intervals; "
               f"comparability: {comparison.verdict.label}" + (f"; {held[:1].lower()}{held[1:]}" if held else "")
               + (asked_caption(comparison.asked) if "as asked" in set(shown.get("Period", [])) else ""))
    made = table(shown, caption,
                 file_name("synthetic" if comparison.synthetic else "", f"outcome {code} rates by force", suffix="csv"),
                 {"Comparability": comparison.verdict.label,
                  "Caveats": "; ".join(comparison.verdict.caveats)}, full=force_table(comparison))
    if not below:
        return made
    return Shown(made.html + f'<p class="table-note">{escape(below)}</p>', f"{made.text}\n{below}")


def force_view(comparison) -> tuple[pd.DataFrame, str, str]:
    """The rates by force as a page shows them: one row per response with its period ('as asked'
    for the period the request asked about), count, base, rate and interval in one cell (small
    bases flagged), count per year, and per 100,000 residents with its population where any is
    computed. Returns the table; the offences most rows hold, for the caption (a row that holds
    others, or adds years, says so in its Note); and, when no rate per 100,000 is computed, why
    not, each reason said once with the responses it concerns."""
    table = comparison.table
    full = force_table(comparison)
    if table.empty:
        return full, "", ""
    level = confidence_label(table["confidence"].iloc[0])
    offences = [str(o) if isinstance(o, str) else "" for o in (table["offences"] if "offences" in table
                                                               else [""] * len(table))]
    held = max(dict.fromkeys(offences), key=offences.count)
    notes = ["" if o == held else o[len(held):].lstrip(",; ") if held and o.startswith(held) else o
             for o in offences]
    shown = full.reset_index()[["Force", "Period"] + [c for c in full.columns if c.startswith(
        (f"{_unit_heading(table)} closed", f"All {_unit_heading(table).lower()}"))]]
    shown["Period"] = [period_cell(s, e, comparison.asked) for s, e in zip(table["period_start"], table["period_end"])]
    shown[f"Rate ({level} CI)"] = [rate_cell(*row) for row in zip(table["rate"], table["ci_low"], table["ci_high"],
                                                                  table["small_base"], table["reason"])]
    per_year = [c for c in full.columns if c.endswith(", per year")]
    shown[per_year] = full[per_year].to_numpy()
    below = ""
    if table["per_100k_per_year"].notna().any():
        shown["Per 100,000 residents per year"] = full["Per 100,000 residents per year"].to_numpy()
        shown["Population"] = full["Population"].to_numpy()
    else:
        below = _no_population(table)
    if any(notes):
        shown["Note"] = notes
    return shown.set_index("Force"), held, below


def _no_population(table: pd.DataFrame) -> str:
    """Why no rate per 100,000 residents is given: each reason once, with the responses it concerns
    (a reason that names a force names 'the force' instead)."""
    from fosi.analysis.rates import NOT_COMPUTED

    groups: dict[str, list[str]] = {}
    for force, note in zip(table["force"], table["population_note"]):
        name = force if isinstance(force, str) else "force not stated"
        reason = str(note).removeprefix(NOT_COMPUTED).replace(f" for {name} ", " for the force ")
        groups.setdefault(reason, []).append(name)
    said = " ".join(f"{reason[:1].upper()}{reason[1:]}: {', '.join(names)}." for reason, names in groups.items())
    return f"No rate per 100,000 residents is given. {said}"


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


def short_file_names(files) -> list[str]:
    """Files named from the folder they share (the responses' folder), as a table of many shows them."""
    import os

    names = [os.path.abspath(str(f)) for f in files]  # some given relative, some absolute: compared alike
    if not names:
        return []
    common = os.path.commonpath(names) if len(names) > 1 else os.path.dirname(names[0])
    common = os.path.dirname(common) if common in names else common
    if os.path.dirname(common) == common:  # nothing shared but the root: named as everywhere else
        from fosi.paths import display_path

        return [display_path(str(f)) for f in files]
    return [os.path.relpath(name, common) for name in names]


def responses_table(per_response: pd.DataFrame) -> pd.DataFrame:
    """Each response, whether it is compared with the others, and why not or with what caveat
    (fosi.analysis.comparison.comparable_responses): one short row per response, its file named
    from the folder the responses share, what a comparable one counts said once in the caption."""
    if per_response.empty:
        return pd.DataFrame(columns=["File", "Force", "Period", "Compared"]).set_index("File")
    shown = pd.DataFrame({
        "File": short_file_names(per_response["file"]),
        "Force": per_response["force"].to_numpy(),
        "Period": [period_text(s, e) if s and e else "not stated"
                   for s, e in zip(per_response["period_start"], per_response["period_end"])],
        "Compared": ["yes" + (f"; {caveat}" if caveat and caveat != "none" else "") if comparable
                     else f"no: {reasons}" for comparable, reasons, caveat in
                     zip(per_response["comparable"], per_response["reasons"], per_response["caveats"])],
    })
    return shown.set_index("File")


def responses_display(comparison):
    """Each response of a comparison, whether it is compared and, where not, why: file (named from
    the responses' folder), force, period ('as asked' for the period the request asked about) and
    'yes' or 'no: its reasons'. The caveats of the responses compared are said once each, grouped,
    before the table (fosi.publish.narrative.verdict_text); the CSV gives each response's own, and
    its period in full."""
    from fosi.publish.html import file_name, table

    per_response = comparison.verdict.per_response
    full = responses_table(per_response)
    caption = "Each response, and whether it is compared with the others"
    if per_response.empty:
        return table(full, caption, file_name(caption, suffix="csv"))
    shown = full.copy()
    shown["Period"] = [period_cell(s, e, comparison.asked)
                       for s, e in zip(per_response["period_start"], per_response["period_end"])]
    shown["Compared"] = ["yes" if comparable else f"no: {reasons}"
                         for comparable, reasons in zip(per_response["comparable"], per_response["reasons"])]
    if "as asked" in set(shown["Period"]):
        caption += asked_caption(comparison.asked)
    return table(shown, caption, file_name(caption.split(";")[0], suffix="csv"), full=full)


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
        "File": short_file_names(table["source"]),
        "Offences": table["offences"].to_numpy() if "offences" in table else "",
        f"{_unit_heading(table)} closed with Outcome {code}": [shown_count(c, None) for c in table["count"]],
        f"All {_unit_heading(table).lower()} of these offences": [shown_count(b, None) for b in table["base"]],
        "Rate": [rate_text(r, why) for r, why in zip(table["rate"], table["reason"])],
        f"{level} CI": [interval(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
        "Base under 10": ["yes" if flag else "" for flag in table["small_base"]],
        f"Closed with Outcome {code}, per year": [f"{v:.1f}" if pd.notna(v) else "–" for v in table["count_per_year"]],
        "Per 100,000 residents per year": [f"{v:.2f}" if pd.notna(v) else "–" for v in table["per_100k_per_year"]],
        "Population": table["population_note"].to_numpy(),
    })
    return shown.set_index("Force")


# --- the top of a report: title, key results, source and citation ----------------------------------------

def run_date() -> str:
    """Today, as the reports date a run: '29 November 2025' (UTC)."""
    import datetime as dt

    from fosi.publish.formatting import long_date

    return long_date(dt.datetime.now(dt.timezone.utc).date().isoformat())


def report_title(manifest: pd.DataFrame, outcome: str) -> str:
    """The rates report's title: what, who and when. 'Outcome 21 rates by offence: Hertfordshire,
    1 January 2016 to 31 January 2018' for one response; the number of responses for several."""
    readable = manifest[manifest["status"] == "ok"]
    if len(manifest) == 1 and len(readable) == 1:
        row = readable.iloc[0]
        force = row["force"] if isinstance(row["force"], str) else "force not stated"
        return f"Outcome {outcome} rates by offence: {force}, {period_text(row['period_start'], row['period_end'])}"
    if len(manifest) == 1:
        return f"Outcome {outcome} rates by offence: {str(manifest['file'].iloc[0]).rsplit('/', 1)[-1]}, not read"
    return f"Outcome {outcome} rates by offence: {len(manifest)} police responses, each on its own"


def report_heading(title: str, standfirst: str):
    """The report's title (its one h1) and the sentence under it."""
    from html import escape

    from fosi.publish.html import html_block

    return html_block(f'<header class="report-head"><h1 id="title">{escape(title)}</h1>'
                      f'<p class="standfirst">{escape(standfirst)}</p></header>', f"{title}\n{standfirst}")


def _largest_offence(own: pd.DataFrame) -> pd.Series | None:
    """The offence with most crimes (the largest base) among those with a rate: shown beside the
    overall rate because it weighs most in it (not because of its rate); the first printed, on a tie.
    None when the overall rate is that offence's alone."""
    offences = own[(own["scope"] == "offence") & own["rate"].notna()]
    overall_known = own.loc[own["scope"] == "all offences", "rate"].notna().all()
    if offences.empty or (len(offences) < 2 and overall_known):
        return None
    return offences.loc[offences["base"].astype(float).idxmax()]


_INTERVAL_TEXT = re.compile(r"(\d+(?:\.\d+)?%–\d+(?:\.\d+)?%)")  # as fosi.publish.formatting.interval writes one


def _headlines(items: list, html: list[str], text: list[str]) -> None:
    """Rates as key results (fosi.publish.narrative.headline): the percentage first, then the rest of the
    sentence, each item marked with its row's label (the table's row it equals)."""
    from html import escape

    from fosi.publish.html import attribute
    from fosi.publish.narrative import headline

    if not items:
        return
    html.append('<ul class="headlines">')
    for rate, kind, after in items:
        said = headline(rate)
        big = "" if pd.isna(rate["rate"]) else f'<span class="big">{escape(percent(rate["rate"]))}</span> '
        rest = said.removeprefix(percent(rate["rate"])) if big else said
        shown = _INTERVAL_TEXT.sub(r'<span class="nowrap">\1</span>', escape(rest.strip()))  # never wrapped
        html.append(f'<li class="{kind}" data-label="{attribute(rate["row_label"])}">{big}{shown}'
                    + (f'<br><span class="includes">{escape(after)}</span>' if after else "") + "</li>")
        text.append(f"- {said}" + (f" {after}" if after else ""))
    html.append("</ul>")


def key_results(rates: pd.DataFrame, notes: pd.DataFrame, manifest: pd.DataFrame, version: str, when: str,
                group: str = CHILD_IMAGES):
    """The box a report opens with, for each response: what it counts (force, period, unit, date
    basis); the rate for the requested offence group (``group``, the indecent-images group by
    default) as the headline; then, apart, other groups' rates and the rate of the offence with
    most crimes, each with count, base and interval (the numbers of the table below); what the
    headline figure adds up; the force's most important caveat, quoted as printed; and how to cite
    the response."""
    from html import escape

    from fosi.publish.html import html_block
    from fosi.publish.narrative import (
        cite_as,
        counted_text,
        main_caveat,
        overall_includes,
    )

    html, text = ['<section class="key-results" aria-labelledby="Key-results">',
                  '<h2 id="Key-results">Key results</h2>'], ["Key results"]
    several = len(manifest) > 1
    for row in manifest.to_dict("records"):
        own = rates[rates["source"] == row["file"]]
        force = row["force"] if isinstance(row["force"], str) else "Force not stated"
        if several:
            heading = f"{force}, {period_text(row['period_start'], row['period_end'])}"
            html.append(f"<h3>{escape(heading)}</h3>")
            text.append(heading)
        if row["status"] != "ok":
            html.append(f'<p>This file could not be read: {escape(str(row["reason"]))}</p>')
            text.append(f"This file could not be read: {row['reason']}")
            continue
        secondary: list[tuple[pd.Series, str, str]] = []
        if own.empty:
            said = f"No table for this outcome in this response ({row['response']})."
            html.append(f"<p>{escape(said)}</p>")
            text.append(said)
        else:
            counted = counted_text(own)
            head, others = requested_rows(own, group)
            first = [(rate, "headline", overall_includes(own) if rate["scope"] == "all offences" else "")
                     for _, rate in head.iterrows()]
            if head.empty:
                said = f"No figures for {group.lower()} offences in this response: its rates are shown apart below."
                html.append(f"<p>{escape(said)}</p>")
                text.append(said)
            secondary = [(rate, "", "Shown apart: not the offence group asked about." if rate["scope"] ==
                          "offence group" else "Shown apart: it mixes offence groups.")
                         for _, rate in others.iterrows()]
            largest = _largest_offence(own)
            if largest is not None:
                secondary.append((largest, "", "The offence with most crimes, so the largest part of the overall "
                                               "figure."))
            html.append(f'<p class="counted">{escape(counted)}</p>')
            text.append(counted)
            _headlines(first, html, text)
        # The force's caveat straight after the overall figure: it qualifies every number here.
        caveat = main_caveat(notes[notes["source"] == row["file"]])
        if caveat is not None:
            where = f"{force}, line {caveat['location']}" if str(caveat["location"]).isdigit() \
                else f"{force}, {caveat['location']}"
            full = ' (quoted in full under <a href="#Notes-and-caveats-from-the-responses">Notes and caveats</a>)' \
                if caveat["shortened"] else ""
            html.append(f'<blockquote class="caveat"><p><span class="label">The force’s own caveat:</span> '
                        f'“{escape(caveat["quote"])}”</p><p class="where">{escape(where)}{full}</p></blockquote>')
            text.append(f"The force's own caveat: “{caveat['quote']}” ({where})")
        _headlines(secondary, html, text)
        citation = cite_as(row, when, version)
        html.append(f'<p class="cite"><span class="label">Cite as:</span> {escape(citation)}</p>')
        text.append(f"Cite as: {citation}")
    html.append("</section>")
    return html_block("\n".join(html), "\n".join(text))


def source_block(manifest: pd.DataFrame):
    """Each response's source, to cite and to check: force, request reference, date received, URL,
    file and its SHA-256. What a response does not state says so, and how to state it."""
    from html import escape

    from fosi.publish.formatting import long_date
    from fosi.publish.html import attribute, html_block
    from fosi.reference import force_name

    html = ['<section class="source-block" aria-labelledby="Source">', '<h2 id="Source">Source</h2>']
    text = ["Source"]
    missing = "not stated (a sidecar file NAME.yml beside the response can state it)"
    for row in manifest.to_dict("records"):
        def stated(name: str) -> str:
            return row[name] if isinstance(row.get(name), str) else missing

        url = stated("url")
        # Only a web address is a link: any other text (a 'javascript:' one) is shown, never followed.
        link = f'<a href="{attribute(url)}" rel="noopener noreferrer">{escape(url)}</a>' \
            if re.match(r"https?://", url) else escape(url)
        received = long_date(row["date_received"]) if isinstance(row["date_received"], str) else missing
        fields = [
            ("Force", escape(force_name(stated("force"))), force_name(stated("force"))),
            ("Request reference", escape(stated("request_reference")), stated("request_reference")),
            ("Date received", escape(received), received),
            ("URL", link, url),
            ("File", escape(str(row["file"])), str(row["file"])),
            ("SHA-256", f'<span class="hash">{escape(str(row["sha256"]))}</span>', str(row["sha256"])),
        ]
        html.append('<dl class="source">' + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value, _ in fields)
                    + "</dl>")
        text += [f"{name}: {plain}" for name, _, plain in fields]
    html.append("</section>")
    html.append(CONTENTS_MARKER)
    return html_block("\n".join(html), "\n".join(str(t) for t in text))


# --- the release's front page (reports/index.html) ---------------------------------------------------

def _period_words(period: str) -> str:
    """'2021-01-01 to 2023-12-31' (fosi status) in the pages' one date style: '1 January 2021 to 31 December 2023'."""
    start, _, end = period.partition(" to ")
    return period_text(start, end) if start and end else ""


def _cell(value: object) -> str:
    """A cell's text, ISO dates in the pages' one style ('29 October 2026'); empty for a missing value."""
    from fosi.publish.formatting import long_date

    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return _ISO_DATE.sub(lambda match: long_date(match.group()), text)


_ISO_DATE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")


def tracker_release_table(table: pd.DataFrame, request) -> object:
    """The tracker (fosi status) for readers: one row per force with its status, the sections a
    refusal relies on, its files (named relative to the responses' folder) and what is missing;
    every date in words, nothing printed as None or nan. Figures are in the per-force table."""
    shown = pd.DataFrame({
        "Force": [_cell(f) or "(not known)" for f in table["force"]],
        "Status": table["status"].map(_cell),
        "Sections": table["sections"].map(lambda s: _cell(s).replace(";", ", ")),
        "Files": table["files"].map(lambda s: _cell(s).replace(";", "; ")),
        "Notes": table["errors"].map(_cell),
    })
    from fosi.publish.html import file_name

    return as_table(shown, "Each force asked: the status of its reply", file_name("reply tracker", suffix="csv"))


def forces_release_table(figures: pd.DataFrame, result: dict, request, confidence: float) -> object:
    """One row per force that gave figures (rate, interval, count, base, period, date basis, compared
    or why not), then the row across every comparable force that the key points quote."""
    level = confidence_label(confidence)
    # The period asked for is said once, in the caption; a row names its period only where it differs.
    asked = f"{request.period_start} to {request.period_end}" if request.period_start else ""
    rows = []
    for _, row in figures.iterrows():
        rows.append({
            "Force": row["force"],
            # A rate over fewer than 10 is flagged, with its interval, never ranked (fosi.analysis.rates.SMALL_BASE).
            "Rate": (percent(row["rate"]) + (" (base under 10)" if row["small_base"] else "")
                     if pd.notna(row["rate"]) else ""),
            f"{level} interval": interval(row["ci_low"], row["ci_high"]) if pd.notna(row["ci_low"]) else "",
            f"Closed with Outcome {request.outcome}": count_text(row["count"]) if pd.notna(row["count"]) else "",
            f"All {request.unit}": count_text(row["base"]) if pd.notna(row["base"]) else "",
            "Period": "as asked" if asked and row["period"] == asked else _period_words(row["period"]),
            "Date basis": {"outcome": "outcome assigned", "recorded": "recorded"}.get(row["date_basis"], "not stated"),
            "Compared": "yes" if row["comparable"] else f"no: {_cell(row['why_not'])}",
        })
    if result.get("rate") is not None:
        rows.append({"Force": f"All comparable forces ({result['forces']})", "Rate": percent(result["rate"]),
                     f"{level} interval": interval(result["ci_low"], result["ci_high"]),
                     f"Closed with Outcome {request.outcome}": count_text(result["count"]),
                     f"All {request.unit}": count_text(result["base"]), "Period": "", "Date basis": "",
                     "Compared": ""})
    caption = (f"Outcome {request.outcome} rate for {request.offence_label.lower()} offences, by force, "
               f"with {level} Wilson intervals"
               + (f"; period as asked: {period_text(request.period_start, request.period_end)}" if asked else ""))
    from fosi.publish.html import file_name

    return as_table(pd.DataFrame(rows), caption, file_name("rates by force", suffix="csv"))
