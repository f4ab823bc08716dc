"""Charts. matplotlib and seaborn are imported inside the functions, so `import fosi` stays light."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd

from fosi.publish.formatting import confidence_label, interval_method, period_text
from fosi.publish.narrative import funnel_title, rates_title

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plain(text: str) -> str:
    """Response text made literal for matplotlib, which would read '$...$' as mathematics."""
    return str(text).replace("$", r"\$")


def use_theme() -> None:
    """The one theme every fosi chart uses: white grid, colour-blind-safe palette."""
    import seaborn as sns

    sns.set_theme(style="whitegrid", palette="colorblind", context="notebook")


_BASIS = {"outcome": "outcome assigned in the period", "recorded": "recorded in the period"}

# Two drawings of each chart: WIDE for screens and paper, NARROW for phones. Sizes in inches and
# points. The narrow one is drawn for a phone's width (about 360 CSS pixels shown of 440 drawn),
# so its smallest text, 9 pt, still shows at about 10 px there.
WIDE = {"width": 8.0, "title": 13, "text": 10.5, "small": 9.5, "wrap": 100}
NARROW = {"width": 4.6, "title": 11, "text": 9.5, "small": 9, "wrap": 52}


def source_line(rates: pd.DataFrame) -> str:
    """'Source: <file> (<force>, <period>) · unit: crimes · date basis · 95% Wilson intervals'."""
    first = rates.iloc[0]
    force = first["force"] if isinstance(first["force"], str) else "force not stated"
    method = interval_method(first["ci_method"], short=True)
    bases = sorted({b for b in rates["date_basis"] if isinstance(b, str)})
    basis = ", ".join(_BASIS.get(b, b) for b in bases) or "date basis not stated"
    return (f"Source: {first['source']} ({force}, {period_text(first['period_start'], first['period_end'])}) · "
            f"unit: {first['unit']} · {basis} · "
            f"bars: {confidence_label(first['confidence'])} {method} intervals · hollow points: base under 10")


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(plain(text), width)) or " "


def _percent_axis(axis, narrow: bool) -> None:
    """0% to 100% with room beyond both ends, so a point at 0% or 100% is drawn whole."""
    from matplotlib.ticker import FuncFormatter

    step = 25 if narrow else 20
    axis.set_ticks(range(0, 101, step))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}%"))


def _figure(size: dict, height: float, handles: list, source: str, ncols: int, title: str, left: float = 0.12):
    """A figure laid out by hand, top to bottom: the title; the chart, ``height`` inches tall, its
    y labels in a ``left`` margin (inches); its x axis; then a footer of its own with the legend (every
    mark drawn) and the source line. Laid out here rather than by matplotlib's layout engines, which
    measure every text several times: this draws each chart in about half the time.
    Returns the figure and the chart's axes."""
    import math

    import matplotlib.pyplot as plt

    small, line = size["small"], 1.3 / 72  # a line of text is 1.3 times its size; 72 points an inch
    title_h = (title.count("\n") + 1) * size["title"] * line + 0.18
    axis_h = 2 * small * line + 0.22  # tick labels and the axis label under the chart
    rows = math.ceil(len(handles) / ncols)
    footer_h = rows * small * 1.7 / 72 + (source.count("\n") + 1) * small * line + 0.2
    width, total = size["width"], title_h + height + axis_h + footer_h
    fig = plt.figure(figsize=(width, total))
    fig.text(0.08 / width, 1 - 0.08 / total, title, ha="left", va="top", fontsize=size["title"], fontweight="bold",
             linespacing=1.15)
    ax = fig.add_axes((left / width, (footer_h + axis_h) / total, 1 - (left + 0.1) / width, height / total))
    foot = fig.add_axes((0.08 / width, 0.04 / total, 1 - 0.16 / width, (footer_h - 0.08) / total))
    foot.axis("off")
    foot.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 1), ncols=ncols, fontsize=small, frameon=False,
                borderaxespad=0, handletextpad=0.5, columnspacing=1.5)
    foot.text(0, 0, source, transform=foot.transAxes, va="bottom", ha="left", fontsize=small, color="#444",
              linespacing=1.2)
    return fig, ax


def plot_rates(rates: pd.DataFrame, narrow: bool = False) -> Figure:
    """One response's rates: each offence's (and each group's, and the overall) rate as a point with
    its interval, in the order the response prints them, each under its own label with its count,
    base and rate written beside it. Rates not computed are left out, and the source line says how
    many. ``narrow`` draws it for a phone.

    Not sorted by rate: this is not a league table. Points over a base under 10 are hollow. One
    response per chart: responses are set side by side only behind the comparability guard.
    """
    import seaborn as sns
    from matplotlib.lines import Line2D

    from fosi.publish.formatting import count_text, percent

    if rates["source"].nunique() > 1:
        raise ValueError("plot_rates draws one response; call it for each (fosi.publish.sections.show_rates_by_response)")
    use_theme()
    size = NARROW if narrow else WIDE
    shown = rates[rates["rate"].notna()].reset_index(drop=True)
    unit = shown["unit"].iloc[0] if len(shown) and isinstance(shown["unit"].iloc[0], str) else "crimes"
    palette = sns.color_palette("colorblind")
    # Group and overall rates in their own colours, so they are not read as more offences.
    colour_of = {"offence": palette[0], "offence group": palette[2], "all offences": palette[1]}
    name_of = {"offence": "Offence", "offence group": "Offence group (subtotal)",
               "all offences": "All offences listed (overall)"}
    labels = []
    for row in shown.itertuples():
        code = f" ({row.offence_code})" if row.scope == "offence" and isinstance(row.offence_code, str) else ""
        labels.append(_wrapped(f"{row.row_label}{code}: {count_text(row.count)} of {count_text(row.base)}",
                               size["wrap"]))
    # Each row: its label's lines, then the point; heights in lines of text.
    line = size["text"] * 1.3 / 72
    heights = [label.count("\n") + 1 + 1.4 for label in labels]
    total = sum(heights) or 1
    level = confidence_label(rates["confidence"].iloc[0])
    method = interval_method(rates["ci_method"].iloc[0], short=True)
    handles = [Line2D([], [], marker="o", linestyle="none", color=colour_of[scope], markersize=7,
                      label=name_of[scope]) for scope in colour_of if (shown["scope"] == scope).any()]
    if shown["small_base"].any():
        handles.append(Line2D([], [], marker="o", linestyle="none", markerfacecolor="white",
                              markeredgecolor=palette[0], markersize=7, label="Base under 10 (hollow)"))
    handles.append(Line2D([], [], color="#555", linewidth=1.6, marker="|", markersize=8,
                          label=f"{level} {method} interval"))
    left_out = len(rates) - len(shown)
    source = source_line(rates) + (f" · not drawn: {left_out} row{'s' if left_out != 1 else ''} with no rate "
                                   "(the table says why)" if left_out else "")
    source = _wrapped(source, int(size["wrap"] * size["text"] / size["small"]))
    title = _wrapped(rates_title(rates), int(size["wrap"] * size["text"] / size["title"]))
    fig, ax = _figure(size, total * line + 0.15, handles, source, 1 if narrow else 3, title)
    top = 0.0
    for row, label, height in zip(shown.itertuples(), labels, heights):
        y = top + height - 0.7
        colour = colour_of.get(row.scope, palette[0])
        rate, low, high = row.rate * 100, row.ci_low * 100, row.ci_high * 100
        ax.text(-4, top + 0.15, label, ha="left", va="top", fontsize=size["text"], linespacing=1.15,
                fontweight="bold" if row.scope != "offence" else "normal")
        ax.errorbar(rate, y, xerr=[[rate - low], [high - rate]], fmt="none", ecolor=colour, elinewidth=1.6,
                    capsize=3, clip_on=False)
        ax.scatter([rate], [y], zorder=3, s=42, linewidths=1.5, edgecolors=[colour],
                   facecolors=["white" if row.small_base else colour], clip_on=False)
        right = high < 80
        ax.text(high + 1.5 if right else low - 1.5, y, percent(row.rate), ha="left" if right else "right",
                va="center", fontsize=size["small"], color="#222")
        top += height
    ax.set_ylim(total, 0)
    ax.set_yticks([])
    ax.set_xlim(-4, 104)
    _percent_axis(ax.xaxis, narrow)
    ax.tick_params(axis="x", labelsize=size["small"])
    code = rates["outcome_code"].iloc[0]
    ax.set_xlabel(f"Share of {unit} closed with Outcome {code}", fontsize=size["small"])
    ax.grid(axis="y", visible=False)
    return fig


def periods_by_response(table: pd.DataFrame) -> str:
    """Each response's period, for a chart's source line: 'Kent: 1 April 2019 to 31 March 2020;
    Essex: ...'; one period for all, once ('... (every response)'); and where more than 3 responses
    share the most common period, those counted ('the other 20 responses: ...'), the rest named."""
    each = [period_text(start, end) for start, end in zip(table["period_start"], table["period_end"])]
    if len(set(each)) == 1:
        return f"{each[0]} (every response)"
    names = [force if isinstance(force, str) else source for source, force in zip(table["source"], table["force"])]
    common = max(dict.fromkeys(each), key=each.count)
    shared = each.count(common) > 3
    named = "; ".join(f"{name}: {period}" for name, period in zip(names, each) if not shared or period != common)
    return named + (f"; the other {each.count(common)} responses: {common}" if shared else "")


def plot_funnel(comparison, limits: pd.DataFrame, outside: pd.DataFrame, narrow: bool = False) -> Figure:
    """Rate against base, with 95% and 99.8% limits around the pooled rate (Spiegelhalter 2005).

    The limits are exact binomial, or widened for over-dispersion when the rates vary more than
    chance would make them (the title says so; the unadjusted limits are drawn faintly). The
    responses outside the limits drawn are named. Every mark is in the legend. The source line
    lists every response's period. SYNTHETIC data is said so in the title.
    """
    import seaborn as sns
    from matplotlib.lines import Line2D

    use_theme()
    size = NARROW if narrow else WIDE
    table = comparison.table[comparison.table["rate"].notna()]
    palette = sns.color_palette("colorblind")
    adjusted = comparison.dispersion is not None and comparison.dispersion.significant
    widest = dict(zip(outside["source"], outside["level"]))
    kinds = ["outside 99.8%" if widest.get(s, 0) >= 0.998 else "outside 95%" if s in widest else "inside"
             for s in table["source"]]
    colour_of = {"inside": palette[0], "outside 95%": palette[1], "outside 99.8%": palette[3]}
    name_of = {"inside": "A response inside the 95% limits", "outside 95%": "Outside the 95% limits",
               "outside 99.8%": "Outside the 99.8% limits"}
    handles = [Line2D([], [], color=palette[2], linewidth=1, label=f"Pooled rate {comparison.pooled:.1%}")]
    for level, style in (("95", "--"), ("99.8", "-")):
        handles.append(Line2D([], [], linestyle=style, color=palette[7], linewidth=1,
                              label=f"{level}% limits" + (", widened for over-dispersion" if adjusted else "")))
        if adjusted:
            handles.append(Line2D([], [], linestyle=style, color=palette[7], linewidth=0.6, alpha=0.35,
                                  label=f"{level}% limits, unadjusted"))
    handles += [Line2D([], [], marker="o", linestyle="none", color=colour_of[kind], markersize=6, label=name_of[kind])
                for kind in colour_of if kind in kinds]
    unit = table["unit"].iloc[0] if len(table) else "crimes"
    periods = periods_by_response(table)
    method = ("limits widened by the between-force variance τ², Spiegelhalter (2005), Qual Saf Health Care"
              if adjusted else "exact binomial limits, Spiegelhalter (2005)")
    source = (f"Source: {'SYNTHETIC data from fosi.analysis.synthetic (not real forces)' if comparison.synthetic else 'fosi dataset'}"
              f" · {len(table)} responses · periods: {periods} · unit: {unit} · {method}")
    source = _wrapped(source, int(size["wrap"] * size["text"] / size["small"]))
    title = funnel_title(comparison)
    if adjusted:
        title += "; limits widened for over-dispersion (additive random effects)"
    if comparison.synthetic:
        title = "SYNTHETIC DEMONSTRATION DATA: " + title
    title = _wrapped(title, int(size["wrap"] * size["text"] / size["title"]))
    fig, ax = _figure(size, 3.0 if narrow else 3.8, handles, source, 1 if narrow else 2, title,
                      left=0.75 if narrow else 0.85)
    for level, style in (("95", "--"), ("99.8", "-")):
        ax.plot(limits["base"], limits[f"lower_{level}"] * 100, style, color=palette[7], linewidth=1)
        ax.plot(limits["base"], limits[f"upper_{level}"] * 100, style, color=palette[7], linewidth=1)
        if adjusted:
            ax.plot(limits["base"], limits[f"lower_{level}_unadjusted"] * 100, style, color=palette[7], linewidth=0.6,
                    alpha=0.35)
            ax.plot(limits["base"], limits[f"upper_{level}_unadjusted"] * 100, style, color=palette[7], linewidth=0.6,
                    alpha=0.35)
    ax.axhline(comparison.pooled * 100, color=palette[2], linewidth=1)
    ax.scatter(table["base"], table["rate"] * 100, s=36, zorder=3, color=[colour_of[k] for k in kinds],
               clip_on=False)
    for row in table.itertuples():
        if row.source in widest:
            ax.annotate(plain(row.force), (row.base, row.rate * 100), xytext=(5, 4), textcoords="offset points",
                        fontsize=size["small"])
    code = comparison.table.attrs.get("outcome", "21")
    ax.set_xlabel(f"All {unit} in the period (base)", fontsize=size["small"])
    ax.set_ylabel(f"Share closed with Outcome {code}", fontsize=size["small"])
    high = min(100, max(60, float(table["rate"].max() * 100) + 10)) if len(table) else 100
    ax.set_ylim(-2, high + (2 if high >= 100 else 0))  # room below 0% and above 100%: points there drawn whole
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}%" if value >= 0 else ""))
    ax.tick_params(labelsize=size["small"])
    return fig


def rates_chart(rates: pd.DataFrame):
    """One response's rates chart for a report (fosi.publish.html.chart): wide and narrow drawings,
    alt text with the numbers, downloadable."""
    from fosi.publish.html import chart, file_name
    from fosi.publish.narrative import rates_chart_description

    first = rates.iloc[0]
    return chart(plot_rates(rates), plot_rates(rates, narrow=True), alt=rates_chart_description(rates),
                 download=file_name(f"outcome {first['outcome_code']} rates", first["force"], first["period_start"],
                                    suffix="svg"))


def funnel_chart(comparison, limits: pd.DataFrame, outside: pd.DataFrame):
    """The funnel plot for a report, with its alt text, a line on how to read it, and its SVG."""
    from fosi.publish.html import chart, file_name
    from fosi.publish.narrative import funnel_chart_description, funnel_how_to_read

    code = comparison.table.attrs.get("outcome", "21")
    return chart(plot_funnel(comparison, limits, outside), plot_funnel(comparison, limits, outside, narrow=True),
                 alt=funnel_chart_description(comparison, outside),
                 download=file_name("synthetic" if comparison.synthetic else "", f"outcome {code} funnel plot",
                                    suffix="svg"),
                 how_to_read=funnel_how_to_read(comparison))
