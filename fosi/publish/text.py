"""Plain-text tables for the terminal (``fosi rates``): within 100 columns, long labels and
reasons wrapped onto more lines rather than cut, numbers right-aligned."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import pandas as pd

WIDTH = 100  # columns of a terminal line
GAP = "  "


def text_table(rows: Sequence[Sequence[str]], headers: Sequence[str], flexible: dict[str, int],
               right: Sequence[str] = (), width: int = WIDTH) -> list[str]:
    """Lines of a table no wider than ``width``: the ``flexible`` columns (name: narrowest width)
    share what the others leave, in proportion to their text, and wrap it; every other column
    keeps its natural width."""
    natural = [max([len(h), *(len(str(row[i])) for row in rows)]) for i, h in enumerate(headers)]
    flex = [i for i, h in enumerate(headers) if h in flexible]
    fixed = sum(w for i, w in enumerate(natural) if i not in flex) + len(GAP) * (len(headers) - 1)
    widths = list(natural)
    room = width - fixed
    if flex and sum(natural[i] for i in flex) > room:
        least = {i: min(natural[i], flexible[headers[i]]) for i in flex}
        if sum(least.values()) > room:  # too many columns for their least widths: all give way alike
            least = {i: max(4, least[i] * room // sum(least.values())) for i in flex}
        total = sum(natural[i] for i in flex)
        for i in flex:  # in proportion to what each would take unwrapped, never below its least
            widths[i] = max(least[i], min(natural[i], room * natural[i] // total))
        while sum(widths[i] for i in flex) > room:
            shrinkable = [i for i in flex if widths[i] > least[i]]
            if not shrinkable:
                break
            widths[max(shrinkable, key=lambda i: widths[i] - least[i])] -= 1
        spare = max(0, room - sum(widths[i] for i in flex))
        for i in sorted(flex, key=lambda i: widths[i] - natural[i]):  # what is left, to the most cut
            grow = min(spare, natural[i] - widths[i])
            widths[i] += grow
            spare -= grow

    def cell_lines(text: str, i: int) -> list[str]:
        if i in flex:
            return textwrap.wrap(text, widths[i], break_long_words=True, break_on_hyphens=True) or [""]
        return [text]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(widths[i]) if headers[i] in right else c.ljust(widths[i]) for i, c in enumerate(cells)]
        return GAP.join(parts).rstrip()

    out = []
    wrapped_headers = [cell_lines(h, i) for i, h in enumerate(headers)]
    for k in range(max(len(h) for h in wrapped_headers)):
        out.append(line([h[k] if k < len(h) else "" for h in wrapped_headers]))
    out.append(GAP.join("-" * w for w in widths))
    for row in rows:
        wrapped = [cell_lines(str(value), i) for i, value in enumerate(row)]
        for k in range(max(len(w) for w in wrapped)):
            out.append(line([w[k] if k < len(w) else "" for w in wrapped]))
    return out


def rates_text(rates: pd.DataFrame, outcome: str, offences: Sequence[str] = ()) -> str:
    """``fosi rates`` as text: for each response, a caption (force, period, unit, date basis,
    interval) and its rates, within 100 columns; "no rates: ..." with the reason when there are none."""
    from fosi.publish.sections import rates_caption, rates_table

    if rates.empty:
        chosen = f" for offences {', '.join(offences)}" if offences else ""
        return f"no rates: no response read prints a table for outcome {outcome}{chosen}\n"
    blocks = []
    for source, mine in rates.groupby("source", sort=False):
        table = rates_table(mine).reset_index()
        count_heading, base_heading = table.columns[table.columns.get_loc("Rate") - 2:
                                                    table.columns.get_loc("Rate")]
        short = {count_heading: "Count", base_heading: "Base", "Offence (as printed)": "Offence (as printed)",
                 "Base under 10": "Base<10"}
        table = table.rename(columns=short)
        headers = [str(c) for c in table.columns]
        rows = [[("" if pd.isna(v) else str(v)) for v in row] for row in table.itertuples(index=False)]
        caption = textwrap.wrap(f"{rates_caption(mine)} ({source}); Count: {count_heading.lower()}; "
                                f"Base: {base_heading.lower()}", WIDTH)
        lines = [*caption, "", *text_table(rows, headers, flexible={"Offence (as printed)": 22, "HO code": 7,
                                                                     "Rate": 12, "Note": 12, "Column": 10},
                                           right=("Count", "Base", "Rate"))]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
