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
