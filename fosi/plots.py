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
    """'Source: <files> · <force>, <period> · unit: crimes · 95% Wilson intervals'."""
    parts = []
    for source, group in rates.groupby("source", sort=False):
        first = group.iloc[0]
        force = first["force"] if isinstance(first["force"], str) else "force not stated"
        parts.append(f"{source} ({force}, {period_text(first['period_start'], first['period_end'])})")
    first = rates.iloc[0]
    method = "Wilson" if first["ci_method"] == "wilson" else "exact Clopper–Pearson"
    return (f"Source: {'; '.join(parts)} · unit: {first['unit']} · "
            f"bars: {confidence_label(first['confidence'])} {method} intervals · hollow points: base under 10")


def plot_rates(rates: pd.DataFrame) -> Figure:
    """Each offence's rate as a point with its interval, in the order the response prints them.

    Not sorted by rate: this is not a league table. Points over a base under 10 are hollow.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    use_theme()
    shown = rates[rates["rate"].notna()].reset_index(drop=True)
    labels = [
        "\n".join(textwrap.wrap(plain(f"{label} (n={int(base)})"), 42))
        for label, base in zip(shown["row_label"], shown["base"])
    ]
    height = 1.2 + 0.55 * max(len(shown), 1)
    fig, ax = plt.subplots(figsize=(8.5, height), layout="constrained")
    palette = sns.color_palette("colorblind")
    # The all-offences rate in a second colour, so it is not read as one more offence.
    colours = [palette[1] if scope == "all offences" else palette[0] for scope in shown["scope"]]
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

    Responses outside the 99.8% limits are named. SYNTHETIC data is said so in the title.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    use_theme()
    table = comparison.table[comparison.table["rate"].notna()]
    palette = sns.color_palette("colorblind")
    fig, ax = plt.subplots(figsize=(8.5, 5.2), layout="constrained")
    for level, style in (("95", "--"), ("99.8", "-")):
        ax.plot(limits["base"], limits[f"lower_{level}"] * 100, style, color=palette[7], linewidth=1,
                label=f"{level}% limits")
        ax.plot(limits["base"], limits[f"upper_{level}"] * 100, style, color=palette[7], linewidth=1)
    ax.axhline(comparison.pooled * 100, color=palette[2], linewidth=1, label=f"pooled rate {comparison.pooled:.1%}")
    named = set(outside["source"])
    ax.scatter(table["base"], table["rate"] * 100, s=36, zorder=3,
               color=[palette[3] if s in named else palette[0] for s in table["source"]])
    for row in table.itertuples():
        if row.source in named:
            ax.annotate(plain(row.force), (row.base, row.rate * 100), xytext=(5, 4), textcoords="offset points",
                        fontsize=9)
    unit = table["unit"].iloc[0] if len(table) else "crimes"
    code = comparison.table.attrs.get("outcome", "21")
    ax.set_xlabel(f"All {unit} in the period (base)")
    ax.set_ylabel(f"Share closed with Outcome {code} (%)")
    ax.set_ylim(0, min(100, max(60, float(table["rate"].max() * 100) + 10)) if len(table) else 100)
    title = f"Outcome {code} rate against base, with funnel limits"
    if comparison.synthetic:
        title = "SYNTHETIC DEMONSTRATION DATA — " + title
    ax.set_title(title, loc="left", fontsize=12)
    ax.legend(loc="upper right", fontsize=8)
    first = table.iloc[0] if len(table) else None
    source = (f"Source: {'SYNTHETIC data from fosi.synthetic (not real forces)' if comparison.synthetic else 'fosi dataset'}"
              f" · {len(table)} responses"
              + (f" · period {period_text(first['period_start'], first['period_end'])}" if first is not None else "")
              + f" · unit: {unit} · exact binomial limits, Spiegelhalter (2005)")
    fig.text(0.0, -0.01, "\n".join(textwrap.wrap(plain(source), 120)), fontsize=8, va="top", ha="left")
    return fig


def show(figure: Figure) -> None:
    """Show a chart where it is called (not at the end of the notebook cell), once."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(figure)
    plt.close(figure)
