"""The reports as a reader sees them, in a real browser (Debian's Chromium, driven by playwright,
no network): on a 1280 px screen, on a 390 px phone and printed on A4.

One report run (`--each`) over three responses: the seed; a response whose labels and notes are
hostile HTML, with a sidecar stating its reference, date received and URL; and one with withheld
cells and a note that prints '<5' and '&lt;5'. Each page is loaded once per view, and everything
the checks need is collected then. Screenshots go to $FOSI_SCREENSHOTS when it is set (to look
at them), else to a temporary folder.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import FIXTURES, ROOT, SEED
from fosi.publish.report import build_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags this machine needs: no sandbox as root, and no background calls to Google's hosts.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SIDECAR_URL = "https://www.example.org/foi/123?a=1&b=<2>"
HOSTILE_LABEL = "<script>window.__pwned = 1</script>Child-Distribute Indecent Photo"  # hostile_labels.txt line 10
MARKDOWN_NOTE = ('Please also note <https://evil.example/track.png> and \\(x\\) and '
                 '<iframe src="https://evil.example/"></iframe> and see https://evil.example/page, written to test '
                 'the Markdown of notes.')  # hostile_labels.txt line 24
HOSTILE_NOTE = ('Please note <b onmouseover="window.__pwned = 3">this</b> caveat <script>window.__pwned = 4</script> '
                "was written to test the escaping of notes.")  # hostile_labels.txt line 22
WITHHELD_NOTE = ("Please note: counts <5 are shown as * to protect the people involved, and &lt;5 in our export "
                 "means the same.")  # withheld_note.txt line 20
# A4 less fosi's print margins (14 mm each side), in CSS pixels (96 per inch) and in PDF points.
A4_TEXT_PX = (210 - 28) / 25.4 * 96
A4_WIDTH_PT, A4_MARGIN_PT = 595.28, 14 / 25.4 * 72


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run installs it)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    responses = tmp_path_factory.mktemp("responses")
    shutil.copyfile(SEED, responses / "hertfordshire.txt")
    shutil.copyfile(FIXTURES / "hostile_labels.txt", responses / "hostile_labels.txt")
    (responses / "hostile_labels.yml").write_text(
        f'url: "{SIDECAR_URL}"\nrequest_reference: "FOI <123> & co"\ndate_received: 2020-05-01\n', encoding="utf-8")
    shutil.copyfile(FIXTURES / "withheld_note.txt", responses / "withheld_note.txt")
    output = tmp_path_factory.mktemp("reports")
    build_reports(ROOT, output, sources=[str(responses)], each=True)
    return output


# What each view collects from a page, in one evaluation.
COLLECT = """() => {
  const text = document.body.innerText;
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  const sources = [...document.querySelectorAll('img[src]')].map(i => i.getAttribute('src'))
    .concat([...document.querySelectorAll('source[srcset]')].map(s => s.getAttribute('srcset')));
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const images = [...document.images].map(i => [i.complete, i.naturalWidth, i.alt]);
  const key = [...document.querySelectorAll('.key-results li[data-label]')]
    .map(li => [li.dataset.label, li.innerText]);
  const tables = [...document.querySelectorAll('.fosi-table table')].map(t => ({
    caption: t.caption ? t.caption.innerText : '',
    head: [...t.tHead.rows[0].cells].map(c => c.innerText),
    rows: [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText)),
    headRows: t.tHead.rows.length,
    aligns: [...t.tBodies[0].rows].map(r => [...r.cells].map(c => getComputedStyle(c).textAlign)),
    wraps: [...t.tBodies[0].rows].map(r => [...r.cells].map(c => getComputedStyle(c).whiteSpace)),
    csv: t.closest('.fosi-table').querySelector('a[download]')?.getAttribute('href') || null,
  }));
  const viewport = document.querySelector('meta[name=viewport]')?.content || null;
  const bottom = selector => { const e = document.querySelector(selector); return e ? e.getBoundingClientRect().bottom : null; };
  const first = {headline: bottom('.key-results li.headline'), caveat: bottom('.key-results .caveat'),
                 cite: bottom('.key-results .cite')};
  return {text, links, sources, ids, images, key, tables, viewport, first,
          pwned: window.__pwned === undefined ? null : window.__pwned};
}"""

# On a phone: can every column of every table be reached, and is there a cue when it must scroll?
PHONE = """() => {
  const page = document.documentElement;
  const tables = [...document.querySelectorAll('.table-scroll')].map(box => {
    const cue = box.querySelector('.scroll-cue');
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    box.scrollLeft = box.scrollWidth;  // to the last column
    const last = box.querySelector('thead th:last-child').getBoundingClientRect();
    const frame = box.getBoundingClientRect();
    return {scrolls, overflow: getComputedStyle(box).overflowX,
            cue: cue ? getComputedStyle(cue).display !== 'none' && cue.getBoundingClientRect().height > 0 : false,
            lastRight: last.right, frameRight: frame.right, lastLeft: last.left, frameLeft: frame.left};
  });
  const charts = [...document.querySelectorAll('figure.fosi-chart img')].map(i => [i.currentSrc, i.clientWidth]);
  const top = selector => { const e = document.querySelector(selector); return e ? e.getBoundingClientRect().top : null; };
  const first = {headline: top('.key-results li.headline'), caveat: top('.key-results .caveat')};
  return {pageWidth: page.scrollWidth, viewWidth: page.clientWidth, tables, charts, first};
}"""

PRINT = """() => [...document.querySelectorAll('.fosi-table table')].map(t => {
  const r = t.getBoundingClientRect(); return [t.caption ? t.caption.innerText : '', r.left, r.right];
})"""


# Pages printed to PDF (every page is laid out for print and measured; these are also printed).
PRINTED = {"responses_hertfordshire", "01_outcome_rates", "02_compare_forces"}
# Pages also shot whole (the others, their first screen only: whole-page shots are the slow part).
WHOLE = {"index", "responses_hertfordshire", "responses_hostile_labels", "02_compare_forces"}


def _shots() -> Path | None:
    folder = os.environ.get("FOSI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return None


@pytest.fixture(scope="module")
def seen(site, tmp_path_factory):
    """Every page of the run, seen on a screen, on a phone and printed."""
    from playwright.sync_api import sync_playwright

    shots = _shots() or tmp_path_factory.mktemp("screenshots")
    # What a reader opens: the pages by their stable names (links into the current generation).
    pages = sorted([*site.glob("*.html"), *site.glob("responses/*.html")])
    name = {p: str(p.relative_to(site)).replace("/", "_").removesuffix(".html") for p in pages}
    found: dict = {"pages": pages, "shots": shots, "names": name, "screen": {}, "phone": {}, "print": {}, "pdf": {},
                   "requests": [], "errors": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

        def context(**options):
            made = browser.new_context(**options)

            def route(request_route):  # nothing leaves the machine: any other request is recorded and refused
                url = request_route.request.url
                if url.startswith(("file:", "data:")):
                    request_route.continue_()
                else:
                    found["requests"].append(url)
                    request_route.abort()

            made.route("**/*", route)
            return made

        def visit(made, path):
            page = made.new_page()
            page.on("console", lambda m: found["errors"].append(f"{path.name}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: found["errors"].append(f"{path.name}: {e}"))
            page.goto(path.as_uri(), wait_until="load")
            return page

        screen = context(viewport={"width": 1280, "height": 900})
        for path in pages:
            page = visit(screen, path)
            found["screen"][path] = page.evaluate(COLLECT)
            page.screenshot(path=str(shots / f"{name[path]}_1280.png"))  # the first screen
            if name[path] in WHOLE:
                page.screenshot(path=str(shots / f"{name[path]}_1280_whole.png"), full_page=True)
            page.close()
        phone = context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        for path in pages:
            page = visit(phone, path)
            page.screenshot(path=str(shots / f"{name[path]}_390.png"))
            if name[path] in WHOLE:
                page.screenshot(path=str(shots / f"{name[path]}_390_whole.png"), full_page=True)
            found["phone"][path] = page.evaluate(PHONE)  # scrolls each table to its last column
            page.close()
        paper = context(viewport={"width": round(A4_TEXT_PX), "height": 1000})
        for path in pages:
            page = visit(paper, path)
            page.emulate_media(media="print")
            found["print"][path] = page.evaluate(PRINT)
            if name[path] in PRINTED:
                pdf = shots / f"{name[path]}_A4.pdf"
                page.pdf(path=str(pdf), format="A4", print_background=True)
                found["pdf"][path] = pdf
            page.close()
        browser.close()
    return found


def _page(seen, ending: str) -> Path:
    [path] = [p for p in seen["pages"] if str(p).endswith(ending)]
    return path


def test_every_page_renders_offline_with_a_clean_console(seen):
    assert seen["errors"] == []
    assert seen["requests"] == []  # nothing was fetched from a network, not even the response's own URL
    for path, page in seen["screen"].items():
        assert page["viewport"] == "width=device-width, initial-scale=1", path.name
        assert all(done and width > 0 for done, width, _ in page["images"]), path.name
        assert all(alt and not alt.startswith("No description") for _, _, alt in page["images"]), path.name


def test_hostile_labels_and_notes_are_shown_as_printed_and_never_run(seen):
    for path, page in seen["screen"].items():
        assert page["pwned"] is None, path.name  # no hostile script or handler ran
    hostile = seen["screen"][_page(seen, "responses/hostile_labels.html")]["text"]
    assert HOSTILE_LABEL in hostile  # in the table, the chart's label is an image, the sentences
    assert HOSTILE_NOTE in hostile  # the caveat, quoted as printed, in the key results and the notes
    assert "FOI <123> & co" in hostile and SIDECAR_URL in hostile  # the sidecar's reference and URL
    withheld = seen["screen"][_page(seen, "responses/withheld_note.html")]["text"]
    assert WITHHELD_NOTE in withheld  # '<5' as '<5' and '&lt;5' as '&lt;5': escaped once, not twice
    assert "withheld (<5)" in withheld
    for path, page in seen["screen"].items():
        assert "&lt;script" not in page["text"] and "&amp;" not in page["text"], path.name
    # The image's alt text holds the hostile label as text too.
    assert any(HOSTILE_LABEL in alt for _, _, alt in seen["screen"][_page(seen, "responses/hostile_labels.html")]["images"])
    # Markdown in a reply's text is never Markdown: no autolink, no maths, no tag, shown as printed.
    assert MARKDOWN_NOTE in hostile
    for path, page in seen["screen"].items():
        assert not [href for href in page["links"] if "evil.example" in href], path.name  # no link from reply text


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def test_key_results_equal_the_table(seen):
    # Each key result is the row of the rates table with its label: the same count, base, rate and interval.
    checked = 0
    for path in seen["pages"]:
        page = seen["screen"][path]
        rates = [t for t in page["tables"] if t["caption"].startswith("Outcome 21 rate by offence")]
        one = len(rates) == 1  # a report of one response: its one table; else the row of that label that matches
        for label, said in page["key"]:
            found = re.match(r"^([\d.]+%) of \w+ \(([\d,]+) of ([\d,]+); (\d+%) CI ([\d.]+%–[\d.]+%)\)", said)
            if found is None:
                assert said.startswith("No rate for"), said  # a rate not computed says why, with no number
                continue
            rows = [dict(zip(table["head"], row)) for table in rates for row in table["rows"] if row[0] == label]
            assert rows, f"{path.name}: no table row {label!r}"
            if not one:
                rows = [row for row in rows if row["Rate"] == found.group(1)]
                assert len(rows) >= 1, f"{path.name}: no row {label!r} with {found.group(1)}"
            row = rows[0]
            assert row["Rate"] == found.group(1)
            assert _number(row["Crimes closed with Outcome 21"]) == _number(found.group(2))
            assert _number(row["All crimes of this offence"]) == _number(found.group(3))
            assert row["95% CI"] == found.group(5) and found.group(4) == "95%"
            checked += 1
    # The seed's overall figure (seed lines 19 and 31) and its largest offence (lines 13 and 27) among them.
    seed = seen["screen"][_page(seen, "responses/hertfordshire.html")]
    assert any(said.startswith("21.8% of crimes (149 of 685; 95% CI 18.8%–25.0%)") for _, said in seed["key"])
    assert any(said.startswith("38.8% of crimes (139 of 358; 95% CI 33.9%–44.0%)") for _, said in seed["key"])
    assert checked >= 8
    # The caveat the seed's reader most needs (line 41), on the key results.
    assert "it is not possible to identify which of these crimes relate to Images of the Young people themselves" \
        in seed["text"].split("Source")[0]


def test_the_headline_caveat_and_citation_are_on_the_first_screen(seen):
    for path in seen["pages"]:
        if "01_outcome_rates" in path.name or path.parent.name == "responses":
            first = seen["screen"][path]["first"]
            assert max(first.values()) <= 900, f"{path.name} at 1280 x 900: {first}"
            phone = seen["phone"][path]["first"]  # a phone shows the headline whole and the caveat begun
            if path.parent.name == "responses":
                assert phone["headline"] < 844 / 2 and phone["caveat"] < 844, f"{path.name} at 390 x 844: {phone}"


def test_every_link_resolves_offline(seen):
    for path, page in seen["screen"].items():
        for href in page["links"] + page["sources"]:
            if href.startswith("data:"):
                assert ";base64," in href or href.startswith("data:text/csv"), href[:40]
                base64.b64decode(href.split(",", 1)[1], validate=True)
            elif href.startswith("#"):
                assert href[1:] in page["ids"], f"{path.name}: no {href}"
            elif href.startswith(("http:", "https:")):
                assert href == SIDECAR_URL, f"{path.name}: a link off the page: {href}"  # the response's own address
            else:
                target = (path.parent / unquote(urlparse(href).path)).resolve()
                assert target.is_file(), f"{path.name}: {href} does not exist"
    index = seen["screen"][_page(seen, "/index.html")]
    for needed in ("01_outcome_rates.html", "01_outcome_rates.ipynb", "data/figures.csv", "data/datapackage.json",
                   "responses/hertfordshire.html", "responses/hertfordshire.ipynb"):
        assert needed in index["links"]
    for path in seen["pages"]:
        if path.name != "index.html":
            assert any(link.endswith("index.html") for link in seen["screen"][path]["links"]), path.name


def test_the_index_is_a_release_with_each_response_by_force_and_period(seen):
    index = seen["screen"][_page(seen, "/index.html")]
    assert index["text"].startswith("Reports made with fosi")
    assert "Outcome 21 and offences involving indecent images of children" in index["text"]
    for needed in ("About this release", "Run", "Made with", "outcome", "confidence", "Cite as", "Each response on "
                   "its own", "The dataset"):
        assert needed in index["text"]
    [each] = [t for t in index["tables"] if t["caption"].startswith("Reports for each response")]
    assert [row[:2] for row in each["rows"]] == [  # forces and periods from the responses (lines 1-3 or 3-5)
        ["Essex", "1 April 2019 to 31 March 2020"], ["Hertfordshire", "1 January 2016 to 31 January 2018"],
        ["Kent", "1 April 2019 to 31 March 2020"]]


def test_tables_have_one_header_row_aligned_numbers_unwrapped_intervals_and_their_csv(seen):
    page = seen["screen"][_page(seen, "responses/withheld_note.html")]
    [rates] = [t for t in page["tables"] if t["caption"].startswith("Outcome 21 rate by offence")]
    assert rates["headRows"] == 1
    assert rates["head"][:4] == ["Offence (as printed)", "HO code", "Crimes closed with Outcome 21",
                                 "All crimes of this offence"]
    row = dict(zip(rates["head"], rates["rows"][0]))
    assert row["All crimes of this offence"] == "1,250"  # withheld_note.txt line 10, with its thousands separator
    aligns = dict(zip(rates["head"], rates["aligns"][0]))
    assert aligns["Offence (as printed)"] == "left" and aligns["All crimes of this offence"] == "right"
    assert dict(zip(rates["head"], rates["wraps"][0]))["95% CI"] == "nowrap"
    # The download is the same table, for a spreadsheet: the count without its separator, the interval split.
    text = base64.b64decode(rates["csv"].split(",", 1)[1]).decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text)))
    assert len(records) == len(rates["rows"])
    first = records[0]
    assert first["Force"] == "Essex" and first["Offence (as printed)"] == "Child-Distribute Indecent Photo"
    assert first["All crimes of this offence"] == "1250" and first["Crimes closed with Outcome 21"] == "310"
    assert (first["95% CI, low"], first["95% CI, high"]) == tuple(row["95% CI"].split("–"))
    assert {r["Crimes closed with Outcome 21"] for r in records} >= {"withheld (<5)"}


def test_on_a_phone_every_column_is_reachable_and_chart_text_readable(seen):
    for path, phone in seen["phone"].items():
        assert phone["pageWidth"] <= phone["viewWidth"], f"{path.name}: the page scrolls sideways"
        for table in phone["tables"]:
            if table["scrolls"]:
                assert table["overflow"] in ("auto", "scroll") and table["cue"], path.name
            assert table["lastRight"] <= table["frameRight"] + 1, path.name  # the last column can be brought in
        for source, shown_width in phone["charts"]:
            svg = base64.b64decode(source.split(",", 1)[1]).decode("utf-8")
            view_width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
            sizes = [float(s) for s in re.findall(r"font[^;\"']*?([\d.]+)px", svg)]
            assert sizes and min(sizes) * shown_width / view_width >= 9, f"{path.name}: chart text under 9 px"
    assert any(t["scrolls"] and t["cue"] for phone in seen["phone"].values() for t in phone["tables"])


def test_printed_on_a4_no_table_is_wider_than_the_page(seen):
    import pdfplumber

    for path, tables in seen["print"].items():
        for caption, left, right in tables:
            assert left >= -1 and right <= A4_TEXT_PX + 1, f"{path.name}: {caption!r} is {right - left:.0f} px wide"
    for path, pdf in seen["pdf"].items():
        with pdfplumber.open(pdf) as document:
            first = document.pages[0]
            assert abs(first.width - A4_WIDTH_PT) < 1  # A4
            header = first.crop((0, 0, first.width, 50)).extract_text()
            assert "fosi" in header and "run" in header, path.name  # the title and date on every page
            for page in document.pages:
                right = max((c["x1"] for c in page.chars), default=0)
                assert right <= page.width - A4_MARGIN_PT + 2, f"{path.name}: text beyond the margin on a page"
    with pdfplumber.open(seen["pdf"][_page(seen, "responses/hertfordshire.html")]) as document:
        assert len(document.pages) <= 7
        assert "Page 1 of" in document.pages[0].extract_text()


def test_screenshots_at_1280_and_390(seen):
    from PIL import Image

    shots = seen["shots"]
    for width, height in ((1280, 900), (390, 844)):
        for path in seen["pages"]:
            name = seen["names"][path]
            assert Image.open(shots / f"{name}_{width}.png").size == (width, height)
            assert (shots / f"{name}_{width}.png").stat().st_size > 10_000
            if name in WHOLE:  # the whole page no wider than the screen
                whole = Image.open(shots / f"{name}_{width}_whole.png")
                assert whole.width == width and whole.height > height
