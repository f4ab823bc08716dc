"""Reader for web pages (.html, .htm): a disclosure-log page saved from a browser, a
WhatDoTheyKnow page, an email's HTML body, or a table a web system saved as ".xls".

Parsed with lxml's HTML parser (it keeps each element's line in the file). Real ``<table>``
markup is read cell by cell: ``thead``, then the body rows, then ``tfoot``; ``rowspan`` and
``colspan`` are expanded into the grid (fosi.readers.formats.grid), so a spanning header covers its
sub-columns. A table's ``caption`` is put above it, where the table finder takes its title;
without one, the nearest heading or paragraph above is the title, as in a letter. A table
holding other tables is page layout: its cells are read as text. Text outside tables is
read as lines of text, so notes, refusals, periods and figures in prose are found as in a
.txt. Scripts, styles, navigation, page headers and footers, cookie banners and hidden
elements are not read; where the page marks its ``main`` content, only that is read.

Locations: "t2 r3 c4" (table 2 of the page, row 3 as displayed, column 4 of the expanded
grid) for a cell, "l19" for text; the figure table's ``line`` is the line in the HTML file.
"""

from __future__ import annotations

import codecs
import re

from fosi.errors import InputError
from fosi.model.response import Response
from fosi.readers.formats.grid import Cell, expand, grid_lines
from fosi.readers.layout.assemble import assemble
from fosi.readers.layout.cells import split_cells
from fosi.readers.layout.lines import Line

READER = "html"

_SKIPPED_TAGS = frozenset(("script", "style", "noscript", "template", "nav", "footer", "aside", "svg", "iframe",
                           "object", "embed", "canvas", "button", "select", "option", "input", "textarea", "head",
                           "title", "meta", "link", "map", "audio", "video", "dialog"))
_SKIPPED_ROLES = frozenset(("navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"))
# Cookie and consent banners, breadcrumbs and "skip to content" links, by their id or class.
_SKIPPED_NAMES = re.compile(r"cookie|consent|gdpr|breadcrumb|skip-?link|skip-?to", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BLOCK_TAGS = frozenset(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
                         "section", "article", "main", "header", "blockquote", "address", "figure", "figcaption",
                         "details", "summary", "center", "hr", "tr", "td", "th", "caption", "body", "form",
                         "fieldset", "legend", "table", "thead", "tbody", "tfoot"))
_CONTENT_ANCESTORS = frozenset(("main", "article", "section"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _encoding(data: bytes) -> str:
    """The page's encoding: a byte-order mark, else its <meta> charset, else UTF-8 when it decodes
    as such, else Windows-1252 (what a page "saved as" on Windows is when it says nothing)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    declared = _META_CHARSET.search(data[:8192])
    if declared:
        try:
            name = codecs.lookup(declared.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            name = None
        if name and name != "utf-16-le" and name != "utf-16-be":
            return "cp1252" if name in ("latin-1", "iso8859-1") else name  # browsers read latin-1 as 1252
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


# The page's own address: the mark a browser leaves on a page it saved ("saved from url=(0063)https://..."),
# else its canonical link, else its Open Graph url. Only http(s) addresses.
_PAGE_URL = (
    re.compile(rb"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.IGNORECASE),
    re.compile(rb"""<link\b(?=[^>]*\brel\s*=\s*["']?canonical\b)[^>]*\bhref\s*=\s*["']?(https?://[^"'\s>]+)""",
               re.IGNORECASE),
    re.compile(rb"""<meta\b(?=[^>]*\bproperty\s*=\s*["']?og:url\b)[^>]*\bcontent\s*=\s*["']?(https?://[^"'\s>]+)""",
               re.IGNORECASE),
)


def page_url(data: bytes) -> str | None:
    """The address a saved web page came from, when the page says."""
    head = data[:65536]
    for pattern in _PAGE_URL:
        found = pattern.search(head)
        if found:
            import html

            return html.unescape(found.group(1).decode("ascii", "replace"))
    return None


def read_html(data: bytes, source: str, encoding: str | None = None) -> Response:
    from dataclasses import replace

    from fosi.model.response import Located

    response = assemble(html_lines(data, source, encoding), source, READER)
    url = page_url(data)
    if url is None:
        return response
    return replace(response, metadata=replace(response.metadata, url=Located(url, None, "page address")))


def html_lines(data: bytes, source: str, encoding: str | None = None) -> list[Line]:
    """The page's Lines; ``encoding`` when the bytes come with one (an email part's charset)."""
    import lxml.etree
    import lxml.html

    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            encoding = None
    parser = lxml.html.HTMLParser(encoding=encoding or _encoding(data), remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise InputError(source, f"is not a readable HTML page ({error})") from None
    mains = root.xpath("//main | //*[@role='main']")
    page = _Page()
    for start in (mains if len(mains) == 1 else root.xpath("//body") or [root]):
        page.walk(start)
    page.flush()
    return page.lines


def _skipped(element) -> bool:
    tag = element.tag
    if not isinstance(tag, str):
        return True  # a comment or processing instruction
    if tag in _SKIPPED_TAGS:
        return True
    attributes = element.attrib
    if attributes:
        if attributes.get("role", "").lower() in _SKIPPED_ROLES or "hidden" in attributes:
            return True
        if attributes.get("aria-hidden", "").lower() == "true" or _HIDDEN_STYLE.search(attributes.get("style", "")):
            return True
        if _SKIPPED_NAMES.search(f"{attributes.get('id', '')} {attributes.get('class', '')}"):
            return True
    if tag == "header":  # the page's header (a logo, a menu), not an article's heading
        return not any(ancestor.tag in _CONTENT_ANCESTORS for ancestor in element.iterancestors())
    return False


def _cell_text(element) -> str:
    """A cell's text, white space collapsed. A superscript or subscript is set off by a space: a
    footnote mark after a number ("12<sup>1</sup>") must not make another number ("121")."""
    parts: list[str] = []

    def collect(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if not _skipped(child):
                if child.tag in ("sup", "sub"):
                    parts.append(" ")
                    collect(child)
                    parts.append(" ")
                elif child.tag in ("br", "p", "div", "li"):
                    parts.append(" ")
                    collect(child)
                    parts.append(" ")
                else:
                    collect(child)
            if child.tail:
                parts.append(child.tail)

    collect(element)
    return " ".join("".join(parts).split())


class _Page:
    """Walks a page in document order, writing Lines: text as it would be read, tables as grids."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.tables = 0
        self._text: list[str] = []
        self._line: int | None = None

    def add(self, text: str, line: int | None) -> None:
        if self._line is None and text.strip():
            self._line = line
        self._text.append(text)

    def flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.lines.append(Line(split_cells(text), text, self._line, f"l{self._line}"))
        self._text, self._line = [], None

    def walk(self, element) -> None:
        tag = element.tag
        if tag == "br":
            self.flush()
            return
        if tag == "table" and not element.xpath(".//table"):
            self.flush()
            self.table(element)
            return
        if tag == "pre":
            self.flush()
            self.preformatted(element)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        if element.text:
            self.add(element.text, element.sourceline)
        for child in element:
            if not _skipped(child):
                self.walk(child)
            if child.tail:
                self.add(child.tail, child.sourceline)
        if block:
            self.flush()

    def preformatted(self, element) -> None:
        """Text laid out with spaces and tabs: each line as a line of a text file."""
        text = element.text_content()
        first = element.sourceline or 1
        if text.startswith("\n"):  # a newline straight after <pre> is not content
            text, first = text[1:], first + 1
        for offset, raw in enumerate(text.split("\n")):
            raw = raw.rstrip()
            self.lines.append(Line(split_cells(raw), raw, first + offset, f"l{first + offset}", "\t" in raw))

    def table(self, element) -> None:
        rows = element.xpath("./thead/tr | ./tr | ./tbody/tr | ./tfoot/tr")
        # As displayed: the head, the body rows, then the foot, wherever the markup puts them.
        order = {"thead": 0, "tfoot": 2}
        rows = sorted(rows, key=lambda r: order.get(r.getparent().tag, 1))  # sorted() is stable
        cells = [[Cell(_cell_text(cell), _span(cell, "colspan"), _span(cell, "rowspan"), cell.sourceline)
                  for cell in row.xpath("./td | ./th") if not _hidden(cell)] for row in rows]
        if not any(c.text for row in cells for c in row):
            return
        self.tables += 1
        number = self.tables
        self.lines.append(Line([], "", None, f"t{number}", separated=True))
        caption = element.find("caption")
        if caption is not None and (title := _cell_text(caption)):
            self.lines.append(Line([title], title, caption.sourceline, f"t{number} caption", separated=True))
        self.lines.extend(grid_lines(expand(cells), number, line=element.sourceline))
        self.lines.append(Line([], "", None, f"t{number} end", separated=True))


def _hidden(cell) -> bool:
    attributes = cell.attrib
    return "hidden" in attributes or bool(_HIDDEN_STYLE.search(attributes.get("style", "")))


def _span(cell, name: str) -> int:
    # As browsers read it: leading digits, else 1; any number past the span limit is cut to it
    # (fosi.readers.formats.grid), so only its first digits are needed.
    value = cell.get(name, "1").strip()
    digits = re.match(r"\d+", value)
    return int(digits.group()[:7]) if digits else 1
