"""The pages around the notebooks' content: each report's page (its title, the way back to the
index, a table of contents, the print header), and reports/index.html with its release block.

The index is written here, without nbconvert, with the reports' own stylesheet. It holds no
script (its Content-Security-Policy allows none), and every piece of text in it is escaped.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

STYLESHEET = Path(__file__).parent / "templates" / "offline" / "fosi.css"
DATASET_FILES = {  # what fosi build writes, as the index describes each
    "figures.csv": "every printed number, one row each, with its file and place (the figure table)",
    "findings.csv": "every check's findings",
    "manifest.csv": "one row per file: its hash, reader, force, period, date basis, unit, reference",
    "notes.csv": "the responses' own notes and caveats, as printed",
    "corrections_applied.csv": "the reviewed corrections applied to printed figures",
    "datapackage.json": "a Frictionless Data Package describing each table and column",
}


def css_string(text: str) -> str:
    """Text as a quoted CSS string (for a print header): anything but plain letters, digits and
    simple punctuation written as a CSS escape, so no text can end the string or the style."""
    return '"' + "".join(c if c.isalnum() and c.isascii() or c in " ,.:;-" else f"\\{ord(c):x} " for c in text) + '"'


def page_resources(title: str, index_href: str, run: str, version: str) -> dict[str, str]:
    """What fosi's report template (fosi/publish/templates/offline) needs beside the notebook."""
    return {"title": title, "index": index_href, "run": run, "version": version,
            "print_title": css_string(title), "print_date": css_string(f"fosi {version}, run {run}")}


_HEADING = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
CONTENTS_MARKER = "<!-- fosi:contents -->"  # fosi.publish.sections.CONTENTS_MARKER, where a report wants it
# Inside a table's scrolling frame: shown (fosi.css) only while the frame has columns out of view.
SCROLL_CUE = '<p class="scroll-cue" aria-hidden="true">Scroll sideways for every column →</p>'


def contents(html: str) -> str:
    """A table of contents of the page's sections (its h2 headings), as a nav element."""
    items = []
    for anchor, inner in _HEADING.findall(html):
        text = _TAG.sub("", inner).replace("¶", "").strip()
        if text:
            items.append(f'<li><a href="#{anchor}">{text}</a></li>')  # both as the page already escaped them
    if len(items) < 3:
        return ""
    return ('<nav class="toc" aria-labelledby="Contents"><h2 id="Contents">Contents</h2><ul>'
            + "".join(items) + "</ul></nav>")


def with_contents(html: str) -> str:
    """The page with its table of contents where the report asked for it, else before its first section."""
    nav = contents(html)
    if CONTENTS_MARKER in html:
        return html.replace(CONTENTS_MARKER, nav, 1)
    first = _HEADING.search(html)
    return html[:first.start()] + nav + html[first.start():] if nav and first else html


# --- the index -------------------------------------------------------------------------------------

def subject_title(outcome: str) -> str:
    return (f"Outcome {outcome} and offences involving indecent images of children: "
            "police responses to Freedom of Information requests")


def _link(href: str, text: str) -> str:
    return f'<a href="{escape(href, quote=True)}">{escape(text)}</a>'


def _few(items: list[str], noun: str, most: int = 4) -> str | None:
    """A report's forces or periods for its one-line summary: named when few, else counted (a round
    robin's 40 forces are listed in the tracker, not on every line)."""
    if not items:
        return None
    return ", ".join(items) if len(items) <= most else f"{len(items)} {noun}"


def _value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "all"
    return str(value)


STATUS_COLOURS = {  # colour-blind-safe (Okabe and Ito), one per status; the legend is the bar's own label
    "answered": "#0072B2", "partial": "#56B4E9", "refused": "#D55E00", "not-held": "#E69F00",
    "clarification": "#CC79A7", "unreadable": "#000000", "overdue": "#999999", "no-reply": "#CCCCCC",
    "not-asked": "#009E73", "unmatched": "#F0E442",
}


def status_chart(counts: dict[str, int], title: str) -> str:
    """A small bar chart of forces by status, as inline SVG with its text as text (no script, no
    image fetched): one bar per status with its label and count written beside it."""
    if not counts:
        return ""
    top = max(counts.values())
    bar, gap, label_width, width = 16, 6, 120, 360
    height = len(counts) * (bar + gap) + 8
    rows = []
    for index, (status, count) in enumerate(counts.items()):
        y = 4 + index * (bar + gap)
        length = max(2.0, (width - label_width - 40) * count / top)
        rows.append(f'<text x="{label_width - 6}" y="{y + bar - 4}" text-anchor="end">{escape(status)}</text>'
                    f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" '
                    f'fill="{STATUS_COLOURS.get(status, "#666666")}"></rect>'
                    f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 4}">{count}</text>')
    alt = "; ".join(f"{status}: {count}" for status, count in counts.items())
    return (f'<figure class="status-chart"><svg role="img" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" font-size="12" aria-label="{escape(title, quote=True)}: {escape(alt, quote=True)}">'
            f'<title>{escape(title)}</title>{"".join(rows)}</svg>'
            f'<figcaption>{escape(title)}</figcaption></figure>')


def front_page(front: dict) -> str:
    """The release's first part: key points, the tracker (with its chart) and the per-force table.
    ``front``: {'key_points': [sentences], 'counts': {status: n}, 'tracker': Shown,
    'forces': Shown or None, 'tracker_title': str}."""
    points = "".join(f"<li>{escape(point)}</li>" for point in front["key_points"])
    forces = ""
    if front.get("forces") is not None:
        forces = (f'<h2 id="Forces">Each force\'s figure</h2><p>One row per force that gave figures: its rate with '
                  f'its interval, and whether it is compared with the others or why not.</p>{front["forces"].html}')
    return (f'<section class="key-points" aria-labelledby="Key-points"><h2 id="Key-points">Key points</h2>'
            f'<ul>{points}</ul></section>'
            f'<h2 id="Tracker">Who was asked, and who answered</h2>'
            f'{status_chart(front["counts"], front["tracker_title"])}{front["tracker"].html}{forces}')


def index_html(reports: list[dict], responses: list[dict], parameters: dict[str, Any], run: str, version: str,
               dataset: str | None = "data", front: dict | None = None, about: dict | None = None) -> str:
    """reports/index.html: the release block (subject, run date, fosi's version, the parameters, how
    to cite), then every report with its one-line summary and files, the reports for each response
    by force and period, and the dataset's files.

    ``reports`` and ``responses``: each {'stem', 'title', 'forces', 'periods', 'key_figure'}, the
    stem being the report's path without its suffix; ``dataset``: the folder of the dataset files;
    ``front``: the release's key points, tracker and per-force table (front_page); ``about``: the
    request's title, date sent and contact, for "About this release"."""
    outcome = str(parameters.get("outcome", "21"))
    about = about or {}
    title = about.get("title") or subject_title(outcome)
    sent = f", sent {about['sent']}" if about.get("sent") else ""
    cite = (f"{title} (request{sent}): police responses to Freedom of Information requests, read and checked "
            f"with fosi {version}, {run}. Cite each force's figures from its own report, which gives the "
            "response's reference.")
    shown = "".join(f"<dt>{escape(name)}</dt><dd>{escape(_value(value))}</dd>" for name, value in parameters.items())
    contact = f"<dt>Contact</dt><dd>{escape(about['contact'])}</dd>" if about.get("contact") else ""
    items = []
    for report in reports:
        many = len(report.get("forces", [])) > 4  # a round robin: each force's figure is in the release's table
        summary = "; ".join(part for part in (_few(report.get("forces", []), "forces"),
                                              _few(report.get("periods", []), "periods"),
                                              None if many else report.get("key_figure")) if part)
        items.append(f'<li>{_link(report["stem"] + ".html", report.get("title", report["stem"]))}'
                     f'<br><span>{escape(summary)}</span><br><span class="files">'
                     f'{_link(report["stem"] + ".html", "Report (HTML)")}'
                     f'{_link(report["stem"] + ".ipynb", "Executed notebook (.ipynb)")}</span></li>')
    each = ""
    if responses:
        rows = []
        ordered = sorted(responses, key=lambda r: (", ".join(r.get("forces", [])) or "~", r.get("starts", []),
                                                   r["stem"]))
        for response in ordered:
            rows.append(
                f'<tr><th scope="row" class="text">{escape(", ".join(response.get("forces", [])) or "not stated")}</th>'
                f'<td class="text">{escape(", ".join(response.get("periods", [])) or "not stated")}</td>'
                f'<td class="text">{escape(response.get("key_figure", ""))}</td>'
                f'<td class="text nowrap">{_link(response["stem"] + ".html", "Report")} · '
                f'{_link(response["stem"] + ".ipynb", "Notebook")}</td></tr>')
        caption = "Reports for each response, by force and period"
        # Links to other pages: on paper they lead nowhere, so a printed release leaves them out.
        each = (f'<section class="screen-only" aria-labelledby="Each-response">'
                f'<h2 id="Each-response">Each response on its own</h2><p>One report per response, to share force by '
                f'force. Each gives that response alone, with its caveats and how to cite it.</p>'
                f'<div class="fosi-table"><p class="table-title" aria-hidden="true">{caption}</p>'
                f'<div class="table-scroll" role="region" tabindex="0" aria-label="{caption}">{SCROLL_CUE}'
                f'<table><caption class="visually-hidden">{caption}</caption><thead><tr><th scope="col" class="text">Force</th><th scope="col" class="text">'
                f'Period</th><th scope="col" class="text">Key figure</th><th scope="col" class="text">Files</th>'
                f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div></div></section>')
    data = ""
    if dataset:
        files = "".join(f'<li>{_link(f"{dataset}/{name}", name)}: {escape(about)}</li>'
                        for name, about in DATASET_FILES.items())
        data = (f'<section class="screen-only" aria-labelledby="Dataset"><h2 id="Dataset">The dataset</h2><p>The '
                f'tables every report was made from, as CSV (the columns are described in datapackage.json and in '
                f'fosi\'s README):</p><ul>{files}</ul></section>')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{escape(title)}</title>
<style>
{STYLESHEET.read_text(encoding="utf-8")}
@page {{ @top-left {{ content: {css_string(title)}; }} @top-right {{ content: {css_string(f"fosi {version}, run {run}")}; }} }}
</style></head>
<body class="fosi-index">
<nav class="site" id="top" aria-label="Reports"><span>Reports made with fosi {escape(version)}</span><span>run {escape(run)}</span></nav>
<main>
<h1 id="title">{escape(title)}</h1>
{"" if front else '<p class="standfirst">Police replies to Freedom of Information requests, read as received and checked.</p>'}
{front_page(front) if front else ""}
<h2 id="Reports">Reports</h2>
<ul class="reports">
{chr(10).join(items)}
</ul>
{each}
{data}
<h2 id="Need-to-know">Things you need to know</h2>
<ul><li>The figures count crimes (or what each response says it counts), not children.</li>
<li>Each rate comes with an interval; a rate over fewer than 10 crimes is flagged and not to be ranked.</li>
<li>Responses are compared only where they count the same thing on the same date basis; the comparison report says
which differences remain.</li>
<li>A cell a force withheld as small is shown as printed, never worked out.</li></ul>
<section class="release" aria-labelledby="Release">
<h2 id="Release">About this release</h2>
<dl><dt>Run</dt><dd>{escape(run)}</dd><dt>Made with</dt><dd>fosi {escape(version)}</dd>{contact}{shown}
<dt>Cite as</dt><dd>{escape(cite)}</dd>
<dt>Licence</dt><dd>The tables and text of this release may be reused with attribution; each force's reply remains
that force's.</dd>
<dt>Status</dt><dd>These are not official statistics: they are figures police forces gave in reply to Freedom of
Information requests, read and checked with fosi.</dd></dl>
</section>
</main>
<footer class="site"><p>Made with fosi {escape(version)}, run {escape(run)}.</p></footer>
</body></html>
"""
