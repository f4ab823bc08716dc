"""Charts. matplotlib and seaborn are imported inside the functions, so `import fosi` stays light."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd

from fosi.formatting import confidence_label, period_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plain(text: str) -> str:
    """Response text made literal for matplotlib, which would read '$...$' as mathematics."""
    return str(text).replace("$", r"\$")


def use_theme() -> None:
    """The one theme every fosi chart uses: white grid, colour-blind-safe palette."""
    import seaborn as sns

    sns.set_theme(style="whitegrid", palette="colorblind", context="notebook")


def source_line(rates: pd.DataFrame) -> str:
    """'Source: <file> (<force>, <period>) · unit: crimes · date basis · 95% Wilson intervals'."""
    first = rates.iloc[0]
    force = first["force"] if isinstance(first["force"], str) else "force not stated"
    method = "Wilson" if first["ci_method"] == "wilson" else "exact Clopper–Pearson"
    bases = sorted({b for b in rates["date_basis"] if isinstance(b, str)})
    basis = ", ".join(_BASIS.get(b, b) for b in bases) or "date basis not stated"
    return (f"Source: {first['source']} ({force}, {period_text(first['period_start'], first['period_end'])}) · "
            f"unit: {first['unit']} · {basis} · "
            f"bars: {confidence_label(first['confidence'])} {method} intervals · hollow points: base under 10")


_BASIS = {"outcome": "outcome assigned in the period", "recorded": "recorded in the period"}


def plot_rates(rates: pd.DataFrame) -> Figure:
    """One response's rates: each offence's (and each group's, and the overall) rate as a point with
    its interval, in the order the response prints them. Rates not computed are left out.

    Not sorted by rate: this is not a league table. Points over a base under 10 are hollow. One
    response per chart: responses are set side by side only behind the comparability guard.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    if rates["source"].nunique() > 1:
        raise ValueError("plot_rates draws one response; call it for each (fosi.presentation.show_rates_by_response)")
    use_theme()
    shown = rates[rates["rate"].notna()].reset_index(drop=True)
    labels = [
        "\n".join(textwrap.wrap(plain(f"{label} (n={int(base)})"), 42))
        for label, base in zip(shown["row_label"], shown["base"])
    ]
    height = 1.2 + 0.55 * max(len(shown), 1)
    fig, ax = plt.subplots(figsize=(8.5, height), layout="constrained")
    palette = sns.color_palette("colorblind")
    # Group and overall rates in their own colours, so they are not read as more offences.
    colour_of = {"offence group": palette[2], "all offences": palette[1]}
    colours = [colour_of.get(scope, palette[0]) for scope in shown["scope"]]
    y = list(range(len(shown)))
    percent = shown["rate"] * 100
    for position, (rate, low, high, colour) in enumerate(zip(percent, shown["ci_low"] * 100, shown["ci_high"] * 100, colours)):
        ax.errorbar(rate, position, xerr=[[rate - low], [high - rate]], fmt="none", ecolor=colour,
                    elinewidth=1.5, capsize=3)
    small = shown["small_base"].to_numpy()
    ax.scatter(percent, y, zorder=3, s=40, linewidths=1.5, edgecolors=colours,
               facecolors=["white" if s else c for s, c in zip(small, colours)])
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    code = shown["outcome_code"].iloc[0] if len(shown) else ""
    ax.set_xlabel(f"Share of {shown['unit'].iloc[0] if len(shown) else 'crimes'} closed with Outcome {code} (%)")
    ax.set_ylabel("")
    ax.set_title(f"Outcome {code} rate by offence, with {confidence_label(rates['confidence'].iloc[0])} intervals",
                 loc="left", fontsize=12)
    if len(rates):
        fig.text(0.0, -0.01, "\n".join(textwrap.wrap(plain(source_line(rates)), 120)), fontsize=8, va="top", ha="left")
    return fig


def plot_funnel(comparison, limits: pd.DataFrame, outside: pd.DataFrame) -> Figure:
    """Rate against base, with 95% and 99.8% limits around the pooled rate (Spiegelhalter 2005).

    The limits are exact binomial, or widened for over-dispersion when the rates vary more than
    chance would make them (the title says so; the unadjusted limits are drawn faintly). The
    responses outside the limits drawn are named. The source line lists every response's period.
    SYNTHETIC data is said so in the title.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    use_theme()
    table = comparison.table[comparison.table["rate"].notna()]
    palette = sns.color_palette("colorblind")
    adjusted = comparison.dispersion is not None and comparison.dispersion.significant
    fig, ax = plt.subplots(figsize=(8.5, 5.2), layout="constrained")
    for level, style in (("95", "--"), ("99.8", "-")):
        name = f"{level}% limits" + (" (widened for over-dispersion)" if adjusted else "")
        ax.plot(limits["base"], limits[f"lower_{level}"] * 100, style, color=palette[7], linewidth=1, label=name)
        ax.plot(limits["base"], limits[f"upper_{level}"] * 100, style, color=palette[7], linewidth=1)
        if adjusted:
            ax.plot(limits["base"], limits[f"lower_{level}_unadjusted"] * 100, style, color=palette[7], linewidth=0.6,
                    alpha=0.35, label=f"{level}% limits, unadjusted")
            ax.plot(limits["base"], limits[f"upper_{level}_unadjusted"] * 100, style, color=palette[7], linewidth=0.6,
                    alpha=0.35)
    ax.axhline(comparison.pooled * 100, color=palette[2], linewidth=1, label=f"pooled rate {comparison.pooled:.1%}")
    widest = dict(zip(outside["source"], outside["level"]))
    colours = [palette[3] if widest.get(s, 0) >= 0.998 else palette[1] if s in widest else palette[0]
               for s in table["source"]]
    ax.scatter(table["base"], table["rate"] * 100, s=36, zorder=3, color=colours)
    for row in table.itertuples():
        if row.source in widest:
            ax.annotate(plain(row.force), (row.base, row.rate * 100), xytext=(5, 4), textcoords="offset points",
                        fontsize=9)
    unit = table["unit"].iloc[0] if len(table) else "crimes"
    code = comparison.table.attrs.get("outcome", "21")
    ax.set_xlabel(f"All {unit} in the period (base)")
    ax.set_ylabel(f"Share closed with Outcome {code} (%)")
    ax.set_ylim(0, min(100, max(60, float(table["rate"].max() * 100) + 10)) if len(table) else 100)
    title = f"Outcome {code} rate against base, with funnel limits"
    if adjusted:
        title += "\nlimits widened for over-dispersion (additive random effects)"
    if comparison.synthetic:
        title = "SYNTHETIC DEMONSTRATION DATA — " + title
    ax.set_title(title, loc="left", fontsize=12)
    ax.legend(loc="upper right", fontsize=8)
    each = [period_text(start, end) for start, end in zip(table["period_start"], table["period_end"])]
    periods = f"{each[0]} (every response)" if len(set(each)) == 1 else "; ".join(
        f"{force if isinstance(force, str) else source}: {period}"
        for source, force, period in zip(table["source"], table["force"], each))
    method = ("limits widened by the between-force variance τ², Spiegelhalter (2005), Qual Saf Health Care"
              if adjusted else "exact binomial limits, Spiegelhalter (2005)")
    source = (f"Source: {'SYNTHETIC data from fosi.synthetic (not real forces)' if comparison.synthetic else 'fosi dataset'}"
              f" · {len(table)} responses · periods: {periods} · unit: {unit} · {method}")
    fig.text(0.0, -0.01, "\n".join(textwrap.wrap(plain(source), 120)), fontsize=8, va="top", ha="left")
    return fig


def show(figure: Figure) -> None:
    """Show a chart where it is called (not at the end of the notebook cell), once."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(figure)
    plt.close(figure)
