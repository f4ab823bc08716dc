"""HTML for the reports: tables with their CSV, charts as SVG with alt text and a download.

Every piece of text is escaped once, with html.escape, where it is written into HTML, so
text from a response shows exactly as printed ('<5', '&lt;', '<script>') and never runs.
The objects made here show themselves in a notebook as HTML, and as plain text where HTML
is not shown (a terminal, nbval's comparison of stored outputs).

The reports' stylesheet (fosi/publish/templates/offline/fosi.css) gives these classes their look on
screen, on a phone and on A4 paper.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from fosi.model.dataset import formula_safe
from fosi.publish.pages import SCROLL_CUE

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Shown:
    """Something to display in a report: its HTML, and its plain text for everywhere else."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def attribute(text: object) -> str:
    """Text for an HTML attribute value (quotes escaped too)."""
    return escape(str(text), quote=True)


def data_uri(mimetype: str, content: bytes | str) -> str:
    """A data: URI holding the content, so a download works offline from the page itself."""
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return f"data:{mimetype};base64,{base64.b64encode(raw).decode('ascii')}"


def file_name(*parts: object, suffix: str) -> str:
    """A download's file name from its parts: lower case letters, digits and '-' only."""
    words = re.sub(r"[^a-z0-9]+", "-", " ".join(str(p) for p in parts if p).lower()).strip("-")
    return f"{words[:80].rstrip('-') or 'fosi'}.{suffix}"


# --- tables ------------------------------------------------------------------------------------------

# Cells that are numbers as fosi writes them: counts (with thousands separators), percentages,
# intervals, rates per year, and the dash for 'none'.
_NUMBER = re.compile(r"^(?:[-−]?\d[\d,]*(?:\.\d+)?%?|–|[\d.]+%–[\d.]+%|[\d.]+% \([\d.]+%–[\d.]+%\))$")
_INTERVAL = re.compile(r"^[\d.]+%–[\d.]+%$")
_RATE_AND_INTERVAL = re.compile(r"^[\d.]+% \([\d.]+%–[\d.]+%\)")  # '22.2% (19.9%–24.8%)', then any flag
_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_LONG_WORD = re.compile(r"[^\s–-]{22,}")
_FILE_NAME = re.compile(r"[^\s/]+(?:/[^\s/]+)*\.[A-Za-z0-9]{2,5}")  # "kent_foi-2026-0412.txt", "sub/reply.pdf"
# A cell a spreadsheet would read as a formula (OWASP, "CSV injection"): written with a leading
# apostrophe in the CSV, so opening the download runs nothing. The page shows it as printed.


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


def _numeric_columns(frame: pd.DataFrame) -> set[str]:
    """Columns whose filled cells are mostly numbers: right-aligned, with the numbers' own cells."""
    numeric = set()
    for column in frame.columns:
        cells = [str(v) for v in frame[column] if str(v).strip()]
        if cells and sum(_is_number(c) for c in cells) * 2 >= len(cells):
            numeric.add(column)
    return numeric


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its index as ordinary columns (one header row), every cell as text; whole
    numbers with thousands separators, as fosi.publish.formatting.count_text writes them."""
    from fosi.publish.formatting import count_text

    named = [name for name in frame.index.names if name is not None]
    flat = frame.reset_index() if named else frame.reset_index(drop=True)
    flat.columns = [str(c) for c in flat.columns]
    for column in flat.columns:
        if pd.api.types.is_integer_dtype(flat[column]) and not pd.api.types.is_bool_dtype(flat[column]):
            flat[column] = [count_text(v) if pd.notna(v) else "" for v in flat[column]]
    return flat.astype(object).where(flat.notna(), "").astype(str)


def csv_text(frame: pd.DataFrame, context: dict[str, str] | None = None) -> str:
    """The table as CSV for a spreadsheet: context columns first (force, period, ...), counts
    without thousands separators, each interval as a low and a high column, formulas made inert."""
    flat = _flat(frame)
    columns: dict[str, list[str]] = {name: [value] * len(flat) for name, value in (context or {}).items()}
    for column in flat.columns:
        values = list(flat[column])
        if any(_INTERVAL.match(v) for v in values):
            pairs = [v.split("–") if _INTERVAL.match(v) else (v, v) for v in values]
            columns[f"{column}, low"] = [p[0] for p in pairs]
            columns[f"{column}, high"] = [p[1] for p in pairs]
        else:
            columns[column] = [v.replace(",", "") if _COUNT.match(v) else v for v in values]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_inert(c) for c in columns])
    for row in zip(*columns.values()):
        writer.writerow([_inert(v) for v in row])
    return out.getvalue()


LONG_TABLE_ROWS = 20  # rows of a table that may break across printed pages (about half an A4 page)
_inert = formula_safe  # the one rule for every CSV fosi publishes (fosi.model.dataset)


def table(frame: pd.DataFrame, caption: str, download: str, context: dict[str, str] | None = None,
          row_headers: bool = True, full: pd.DataFrame | None = None) -> Shown:
    """A table for readers: one header row; text left-aligned, numbers right-aligned; intervals
    never wrapped; a caption; and the table as CSV, downloadable from the page itself. ``full``:
    the table the CSV holds when the page shows a denser view of it (merged cells, columns said
    once in the caption), so a spreadsheet still gets one value per cell.

    On a narrow screen the table scrolls sideways inside its frame, its first column stays in
    view, and a cue says there is more; on paper it wraps to the page width."""
    flat = _flat(frame)
    numeric = _numeric_columns(flat)
    head = "".join(f'<th scope="col" class="{"num" if c in numeric else "text"}">{escape(c)}</th>'
                   for c in flat.columns)
    rows = []
    for values in flat.itertuples(index=False):
        cells = []
        for position, (column, value) in enumerate(zip(flat.columns, values)):
            flagged = _RATE_AND_INTERVAL.match(value) is not None and not _is_number(value)  # '..., base under 10'
            kind = "num" if column in numeric and (_is_number(value) or flagged) else "text"
            shown = escape(value)
            if flagged:  # the rate and its interval on one line; the flag after them may wrap
                shown = _RATE_AND_INTERVAL.sub(lambda found: f'<span class="nowrap">{found.group()}</span>', shown)
            elif _INTERVAL.match(value) or (kind == "num" and len(value) <= 12) or _RATE_AND_INTERVAL.match(value):
                kind += " nowrap"
            elif _LONG_WORD.search(value) or _FILE_NAME.fullmatch(value):
                # a hash, a path or a file name (its hyphens alone would leave it too wide): it may
                # break anywhere rather than widen the table
                kind += " long"
            if kind.startswith("text") and len(value) > 80:
                kind += " para"  # a sentence or more: a column wide enough to read it
            tag, scope = ("th", ' scope="row"') if position == 0 and row_headers else ("td", "")
            cells.append(f'<{tag}{scope} class="{kind}">{shown}</{tag}>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    body = "\n".join(rows)
    link = data_uri("text/csv;charset=utf-8", "\ufeff" + csv_text(frame if full is None else full, context))
    wide = " wide" if len(flat.columns) >= 5 else ""  # likely wider than a phone: the cue's fallback
    # Longer than a printed page would hold whole: on paper it starts where it stands and breaks
    # between rows, rather than leave the rest of a page empty (fosi.css).
    wide += " many" if len(flat) > LONG_TABLE_ROWS else ""
    html = (f'<div class="fosi-table{wide}"><p class="table-title" aria-hidden="true">{escape(caption)}</p>'
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{attribute(caption)}">'
            f'{SCROLL_CUE}'
            f'<table><caption class="visually-hidden">{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>\n{body}\n</tbody></table></div>'
            f'<p class="downloads"><a download="{attribute(download)}" href="{link}">'
            f'Download this table (CSV)</a></p></div>')
    with pd.option_context("display.max_colwidth", None, "display.width", 250):
        text = flat.to_string(index=False) if len(flat) else f"(no rows) {', '.join(flat.columns)}"
    return Shown(html, f"{caption}\n{text}")


# --- charts ------------------------------------------------------------------------------------------

def svg(figure: Figure) -> str:
    """A chart as SVG with its text kept as text (sharp at any size, and searchable); the
    same chart always gives the same file. fosi's charts are laid out with every text inside the
    figure (fosi.publish.charts), so it is saved whole, without a second drawing to crop it."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "fosi"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _size(svg_text: str) -> tuple[float, float]:
    """The SVG's width and height in CSS pixels (matplotlib writes them in points)."""
    found = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"[^>]*\bheight="([\d.]+)pt"', svg_text)
    return (float(found.group(1)) * 4 / 3, float(found.group(2)) * 4 / 3) if found else (800.0, 500.0)


def chart(wide: Figure, narrow: Figure | None, alt: str, download: str, how_to_read: str | None = None) -> Shown:
    """A chart for readers: the wide drawing on screens and paper, the narrow one on phones (its
    text stays readable there), alt text that says what it shows, a line on how to read it
    where it needs one, and the chart downloadable as SVG. The figures are closed."""
    import matplotlib.pyplot as plt

    wide_svg = svg(wide)
    narrow_svg = svg(narrow) if narrow is not None else None
    plt.close(wide)
    if narrow is not None:
        plt.close(narrow)
    width, height = _size(wide_svg)
    source = ""
    if narrow_svg is not None:
        n_width, n_height = _size(narrow_svg)
        source = (f'<source media="(max-width: 40rem)" srcset="{data_uri("image/svg+xml", narrow_svg)}" '
                  f'width="{n_width:.0f}" height="{n_height:.0f}">')
    wide_uri = data_uri("image/svg+xml", wide_svg)
    reading = f'<p class="how-to-read"><strong>How to read this chart:</strong> {escape(how_to_read)}</p>' \
        if how_to_read else ""
    html = (f'<figure class="fosi-chart"><picture>{source}'
            f'<img src="{wide_uri}" alt="{attribute(alt)}" width="{width:.0f}" height="{height:.0f}"></picture>'
            f'<figcaption>{reading}<p class="downloads"><a download="{attribute(download)}" href="{wide_uri}">'
            f'Download this chart (SVG)</a></p></figcaption></figure>')
    return Shown(html, f"Chart: {alt}" + (f"\nHow to read this chart: {how_to_read}" if how_to_read else ""))


def html_block(html: str, text: str) -> Shown:
    """Any other piece of a report, as HTML, with its plain text."""
    return Shown(html, text)
