"""The HTML reports in a real browser (Debian's Chromium, driven by playwright): every chart
renders, nothing is fetched from a network, the console is clean, and hostile labels from a
response are shown as text, never run."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, ROOT
from fosi.report import build_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags this machine needs: no sandbox as root, and no background calls to Google's hosts.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run installs it)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    output = tmp_path_factory.mktemp("reports")
    build_reports(ROOT, output, sources=[str(FIXTURES / "hostile_labels.txt")])
    return output


def _visit(path, screenshot):
    from playwright.sync_api import sync_playwright

    requests, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri(), wait_until="load")
        images = page.eval_on_selector_all("img", "all => all.map(i => [i.complete, i.naturalWidth])")
        pwned = page.evaluate("window.__pwned === undefined ? null : window.__pwned")
        text = page.inner_text("body")
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    return {"requests": requests, "errors": errors, "images": images, "pwned": pwned, "text": text}


def test_report_renders_offline_with_hostile_labels_inert(hostile_reports, tmp_path):
    seen = _visit(hostile_reports / "01_outcome_rates.html", tmp_path / "report.png")
    assert seen["pwned"] is None  # no hostile script or handler ran
    assert seen["images"] and all(done and width > 0 for done, width in seen["images"])
    assert seen["errors"] == []
    assert [url for url in seen["requests"] if not url.startswith(("file:", "data:"))] == []
    assert not [url for url in seen["requests"] if url.rstrip("/").endswith("/x")]  # the <img src=x> never loaded
    assert "<script>window.__pwned = 1</script>Child-Distribute Indecent Photo" in seen["text"]  # shown as text
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_index_lists_every_report(hostile_reports, tmp_path):
    seen = _visit(hostile_reports / "index.html", tmp_path / "index.png")
    assert seen["errors"] == [] and seen["pwned"] is None
    assert [url for url in seen["requests"] if not url.startswith("file:")] == []
    for report in sorted(hostile_reports.glob("[0-9][0-9]_*.html")):
        assert report.exists()
    assert "Outcome 21 rates by offence" in seen["text"]
    assert "Kent" in seen["text"]
