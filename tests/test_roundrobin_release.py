"""The release of a round robin (tests/roundrobin/): the index as its front page, its key points
against the hand-written expectations, and, in Chromium, its first screen and its length on A4."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from html import unescape
from pathlib import Path

import pytest

from conftest import ROOT
from fosi.publish.report import build_reports

ROUND_ROBIN = Path(__file__).parent / "roundrobin"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("release")
    build_reports(ROOT, output, sources=[str(ROUND_ROBIN / "responses")])
    return output


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _expected_counts() -> Counter:
    with open(ROUND_ROBIN / "expected.csv", encoding="utf-8", newline="") as handle:
        return Counter(row["status"] for row in csv.DictReader(handle))


def test_key_points_come_first_and_say_who_was_asked_and_who_answered(release):
    html = (release / "index.html").read_text(encoding="utf-8")
    text = _text(html)
    expected = _expected_counts()
    points = text[text.index("Key points"):text.index("Who was asked, and who answered")]
    # Statuses read from the replies' own words and from the folder (expected.csv, by hand)
    assert "43 forces were asked on 1 October 2026." in points
    assert f"{expected['refused']} refused" in points
    assert f"{expected['not-held']} not held" in points
    assert f"{expected['clarification']} asked a question back" in points
    assert f"{expected['overdue']} overdue" in points
    assert f"{expected['unreadable']} unreadable" in points
    assert "Other replies: 1 from a force not asked and 1 from a force not known." in points
    assert "The figures count crimes, not children" in points
    # The order of a release: key points, tracker, each force, then About this release (parameters last)
    order = [text.index(part) for part in ("Key points", "Who was asked", "Each force's figure",
                                           "About this release", "period_policy")]
    assert order == sorted(order)
    # No Python None or nan, no machine path, one date style
    assert " None" not in text and " nan" not in text.lower() and str(ROOT) not in html
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text[:text.index("About this release")])


def test_every_number_in_the_rate_key_point_is_the_per_force_tables_own(release):
    text = _text((release / "index.html").read_text(encoding="utf-8"))
    found = re.search(r"All comparable forces \((\d+)\) (\d+\.\d%) (\d+\.\d%–\d+\.\d%) ([\d,]+) ([\d,]+)", text)
    assert found, "the per-force table ends with the row across comparable forces"
    forces, rate, interval, count, base = found.groups()
    assert (f"Across the {forces} forces whose answers can be compared, {count} of {base} crimes of indecent "
            f"images of children offences ({rate}, 95% interval {interval})") in text
    # Herts gives outcome-date figures, the others recorded: left out of the comparison, with its reason
    assert re.search(r"Hertfordshire [^A]*no: it counts crimes whose outcome was assigned in the period", text)
    # Norfolk's 8/71 figures never enter the headline
    assert "Norfolk" in text and "no figures for the offences asked about" in text


def test_the_release_shows_no_synthetic_forces(release):
    for page in ("index.html", "02_compare_forces.html"):
        assert "SYNTHETIC" not in (release / page).read_text(encoding="utf-8")


def _expected_rows() -> list[dict]:
    with open(ROUND_ROBIN / "expected.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_comparison_says_a_shared_caveat_once_and_keeps_every_reason_and_interval(release):
    text = _text((release / "02_compare_forces.html").read_text(encoding="utf-8"))
    verdict = text.index("Comparability:")
    first = text[verdict:text.index("2. Funnel plot", verdict)]
    # Thames Valley gives 1 January 2022 to 31 December 2023 (24 months, 730 days); the others compared,
    # 2021 to 2023 (36 months, 1095 days): said once, by force, not once per file.
    assert first.count("Periods differ in length") == 1 and "24 months (730 days) for Thames Valley" in first
    assert "periods differ in length: its" not in text and ".txt: periods" not in text
    rows = _expected_rows()
    for row in rows:  # every reply is listed where the verdict is given, compared or with its reasons
        for name in filter(None, row["files"].split(";")):
            assert name in first, name
    for reason in ("Essex as asked no: it counts crimes whose outcome was assigned",  # outcome-date basis
                   "Northumbria as asked no: it counts people",  # expected.csv: people
                   "Dyfed-Powys 1 April 2021 to 31 March 2024 no: its period",  # financial years
                   "Cheshire as asked no: it gives no figures", "no: it could not be read",
                   # expected.csv: not-asked, as on the index
                   "British Transport Police as asked no: its force is not one of the forces asked"):
        assert reason in first, reason
    # Every rate in the rates table with its interval in one cell: count, base, rate (interval).
    rates = text[text.index("3. Rates by force", verdict):text.index("4. In words", verdict)]
    for row in rows:
        if row["force"] in ("Bedfordshire", "Greater Manchester", "Cambridgeshire", "North Wales"):
            count, base = int(row["count"]), int(row["base"])
            assert re.search(rf"{row['force']} as asked {count:,} {base:,} {count / base:.1%} "
                             r"\(\d+\.\d%–\d+\.\d%\)", rates), row["force"]


def _chromium():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed").sync_playwright


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


FIRST_SCREEN = """() => {
  const bottom = s => document.querySelector(s).getBoundingClientRect().bottom;
  const top = s => document.querySelector(s).getBoundingClientRect().top;
  return {title: bottom('h1'), points: bottom('.key-points'), about: top('.release'),
          height: window.innerHeight, pageWidth: document.documentElement.scrollWidth,
          viewWidth: document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_the_first_screen_holds_the_title_and_the_key_points_before_any_parameter(release, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto((release / "index.html").as_uri())
    seen = page.evaluate(FIRST_SCREEN)
    page.close()
    assert seen["title"] <= seen["height"] and seen["points"] <= seen["height"], seen
    assert seen["about"] > seen["points"]  # the parameters are in About this release, at the end
    assert seen["pageWidth"] <= seen["viewWidth"]  # never scrolls sideways


def _a4_pages(browser, path: Path) -> int:
    page = browser.new_page()
    page.goto(path.as_uri())
    pdf = page.pdf(format="A4", print_background=True)
    page.close()
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_printed_to_a4_the_index_is_at_most_4_pages(release, browser):
    assert _a4_pages(browser, release / "index.html") <= 4


def test_printed_to_a4_the_comparison_is_at_most_10_pages(release, browser):
    assert _a4_pages(browser, release / "02_compare_forces.html") <= 10


@pytest.mark.parametrize("page", ["index.html", "00_check_responses.html", "01_outcome_rates.html",
                                  "02_compare_forces.html"])
def test_no_page_prints_none_nan_an_iso_date_or_a_machine_path(release, page):
    import base64
    from urllib.parse import unquote

    html = (release / page).read_text(encoding="utf-8")
    text = _text(html)
    assert not re.search(r"\bNone\b", text) and not re.search(r"\b(?:nan|NaN|<NA>)\b", text)
    assert not re.search(r"\b20\d\d-[01]\d-[0-3]\d\b", text)  # dates in words, one style
    downloads = []
    for head, body in re.findall(r'href="data:([^,"]*),([^"]*)"', html):
        downloads.append(base64.b64decode(body).decode("utf-8", "replace") if "base64" in head else unquote(body))
    for shown in (text, *downloads):
        assert str(ROOT) not in shown and "/tmp/" not in shown and not re.search(r"\bNone\b", shown)


def test_the_index_and_the_comparison_pool_the_same_forces_to_the_same_rate(release):
    index = _text((release / "index.html").read_text(encoding="utf-8"))
    compare = _text((release / "02_compare_forces.html").read_text(encoding="utf-8"))
    forces, rate = re.search(r"Across the (\d+) forces whose answers can be compared, [\d,]+ of [\d,]+ crimes [^(]*"
                             r"\((\d+\.\d)%", index).groups()
    pooled = re.search(r"Pooled rate: (\d+\.\d)% over (\d+) responses", compare)
    assert pooled and (pooled.group(2), pooled.group(1)) == (forces, rate)
    # The Met gives years down the side and offences across the top: its offences are added, as in
    # fosi status (expected.csv: 1,477 of 6,758), not left without a rate.
    assert re.search(r"Metropolitan Police as asked 1,477 6,758 21\.9%", compare)  # 2021-2023, as asked
    # Thames Valley answered for 2022-2023 only (part refused): partial on the tracker, yet its
    # period lies inside the one asked about, so both pages compare it.
    rates = compare.index("3. Rates by force", compare.index("Comparability:"))
    assert "Thames Valley 1 January 2022 to 31 December 2023 270 1,220" in compare[rates:compare.index("4. In words",
                                                                                                          rates)]
