"""fosi status and request.yml: who was asked and who answered, on the round-robin fixture
(tests/roundrobin/, whose expected.csv was written by hand from the replies)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from functools import lru_cache
from pathlib import Path

import pytest

from fosi.cli import main
from fosi.model.request import read_request, request_template, working_days_after
from fosi.reference import territorial_forces

ROUND_ROBIN = Path(__file__).parent / "roundrobin"
RESPONSES = ROUND_ROBIN / "responses"
AS_OF = "2026-12-01"  # the date expected.md judges statuses at
COLUMNS = ["force", "status", "sections", "files", "period", "unit", "count", "base"]

# Forces whose replies fosi does not yet read as expected.csv says (each a gap for its kind, kept
# strict so that the test says when a fix lands). The expected values stay as written by hand.
READER_GAPS: dict[str, str] = {}


def _expected() -> list[dict]:
    with open(ROUND_ROBIN / "expected.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def _status_csv() -> str:
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        assert main(["status", str(RESPONSES), "--as-of", AS_OF, "--format", "csv"]) == 0
    return out.getvalue()


def _rows() -> dict[str, dict]:
    rows = list(csv.DictReader(io.StringIO(_status_csv())))
    return {row["force"] or row["files"]: row for row in rows}


def _cases():
    for row in _expected():
        key = row["force"] or row["files"]
        marks = [pytest.mark.xfail(reason=READER_GAPS[key], strict=True)] if key in READER_GAPS else []
        yield pytest.param(key, row, id=key, marks=marks)


def test_status_has_one_row_per_force_in_the_issue_order_of_columns():
    header = _status_csv().splitlines()[0].split(",")
    assert header == [*COLUMNS, "rate", "errors"]
    rows = _rows()
    assert set(rows) == {row["force"] or row["files"] for row in _expected()}
    assert len(rows) == 45
    # every territorial force is listed (forces: all), each once
    assert [r for r in rows if r in territorial_forces()] == [f for f in territorial_forces()]


@pytest.mark.parametrize(("key", "expected"), list(_cases()))
def test_status_matches_the_hand_written_expectation(key, expected):
    got = _rows()[key]
    assert {c: got[c] for c in COLUMNS} == {c: expected[c] for c in COLUMNS}


def test_statuses_that_do_not_depend_on_figures():
    """The statuses read from the replies' own words, whatever the readers make of the tables."""
    rows = _rows()
    assert rows["Cheshire"]["status"] == "refused" and rows["Cheshire"]["sections"] == "s12"
    assert rows["City of London"]["sections"] == "s31;s40"  # s17 (the notice itself) is not relied on
    assert rows["Gwent"]["status"] == "not-held"  # its quoted request says "section 12": not its words
    assert rows["Durham"]["status"] == "clarification"
    assert rows["Thames Valley"]["sections"] == "s12" and rows["Thames Valley"]["status"] == "partial"
    assert rows["Wiltshire"]["status"] == "unreadable" and "no text" in rows["Wiltshire"]["errors"]
    assert not rows["Wiltshire"]["errors"].startswith(("tests/", "/"))  # no machine path
    assert rows["Kent"]["status"] == "answered"  # told by its file name only
    assert rows["British Transport Police"]["status"] == "not-asked"
    assert rows["Response_letter(2).txt"]["status"] == "unmatched"
    assert "sidecar" in rows["Response_letter(2).txt"]["errors"]
    assert rows["West Midlands"]["count"] == "" and "disagree" in rows["West Midlands"]["errors"]
    for row in rows.values():  # files are named relative to the responses' folder
        assert all(not name.startswith(("/", "..", "tests")) for name in row["files"].split(";") if name)


def test_twenty_working_days_skip_weekends_and_england_and_wales_bank_holidays():
    # 1 October 2026 (a Thursday): no bank holiday in October; the 20th working day is 29 October.
    assert working_days_after(dt.date(2026, 10, 1), 20) == dt.date(2026, 10, 29)
    # 14 December 2026: Christmas Day (Fri 25), Boxing Day observed (Mon 28) and New Year's Day
    # (Fri 1 January 2027) are skipped: Dec 15-18, 21-24, 29-31, Jan 4-8, 11-14 are the 20 days.
    assert working_days_after(dt.date(2026, 12, 14), 20) == dt.date(2027, 1, 14)


def test_a_missing_reply_is_overdue_only_after_the_deadline(capsys):
    for as_of, status in (("2026-10-29", "no-reply"), ("2026-10-30", "overdue")):
        assert main(["status", str(RESPONSES), "--as-of", as_of, "--format", "json"]) == 0
        rows = {row["force"]: row for row in json.loads(capsys.readouterr().out)}
        assert rows["Cumbria"]["status"] == status


def test_bad_as_of_is_a_usage_error(capsys):
    assert main(["status", str(RESPONSES), "--as-of", "1 Dec"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "YYYY-MM-DD" in err


def test_an_unknown_force_in_the_request_is_one_line_with_did_you_mean(tmp_path, capsys):
    text = (RESPONSES / "request.yml").read_text(encoding="utf-8").replace("forces: all",
                                                                          "forces: [Kent, Hertfordshre]")
    (tmp_path / "request.yml").write_text(text, encoding="utf-8")
    assert main(["status", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Hertfordshre" in err and "did you mean 'Hertfordshire'" in err
    assert "request.yml" in err


def test_request_aliases_match_the_reference(tmp_path):
    text = (RESPONSES / "request.yml").read_text(encoding="utf-8").replace(
        "forces: all", "forces: [Avon & Somerset, Met, Herts, Devon & Cornwall]")
    (tmp_path / "request.yml").write_text(text, encoding="utf-8")
    request = read_request(tmp_path)
    assert request.forces == ("Avon and Somerset", "Metropolitan Police", "Hertfordshire", "Devon and Cornwall")
    assert request.offences == ("86/2", "86/10", "86/15") and request.outcomes == ("21",)
    assert request.deadline() == dt.date(2026, 10, 29)


def test_request_init_writes_a_template_that_reads_back(tmp_path, capsys):
    assert main(["request", "init", str(tmp_path)]) == 0
    request = read_request(tmp_path)
    assert request.forces == territorial_forces() and request.unit == "crimes"
    assert request.sent == dt.date.today().isoformat()
    assert main(["request", "init", str(tmp_path)]) == 2  # never overwrites without --force
    assert "--force" in capsys.readouterr().err
    assert request_template(dt.date(2026, 1, 2)).count("\n# ") >= 5  # commented


def test_without_a_request_the_tracker_lists_the_forces_that_replied(tmp_path, capsys):
    for name in ("kent_foi-2026-0412.txt", "gwent_2026-31207.txt"):
        (tmp_path / name).write_bytes((RESPONSES / name).read_bytes())
    assert main(["status", str(tmp_path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["force"], r["status"]) for r in rows] == [("Gwent", "not-held"), ("Kent", "answered")]


def _lines(text: str):
    from fosi.readers.layout.lines import text_lines

    return text_lines(text.splitlines())


def test_a_replys_own_words_decide_never_the_request_it_quotes():
    from fosi.readers.layout.reply import cited_sections, statement

    quoted = ('You asked: "If any part is not held, say so; if it exceeds the cost limit under section 12, '
              'give 2023 only."\nWe hold the information and attach it.')
    assert cited_sections(_lines(quoted)) == () and statement(_lines(quoted)) == ""
    # The force's own refusal, even when its sentence starts with "Your request"
    refused = "Your request for these figures is refused under section 14(1), as it repeats an earlier request."
    assert cited_sections(_lines(refused)) == ("s14",)
    # s.17 (the notice itself) and s.1(1)(a) are cited by every kind of reply and rely on nothing
    notice = "The information is not held for the purposes of section 1(1)(a). This is a notice under section 17(1)."
    assert cited_sections(_lines(notice)) == () and statement(_lines(notice)) == "not held"
    asked = "Could you clarify which period you mean: calendar or financial years?"
    assert statement(_lines(asked)) == "clarification"
    closing = "We hold the figures below. If you need further clarification, please contact us."
    assert statement(_lines(closing)) == ""  # a closing courtesy asks nothing


def test_the_outcome_was_assigned_in_the_period_is_the_outcome_date_basis():
    from fosi.readers.layout.metadata import date_basis_statements

    # essex_pub-2026-7104.txt line 6: the wording of the fixture's one outcome-date letter besides Herts
    found = date_basis_statements(_lines("Please Note: The following figures relate to crimes where the outcome was "
                                         "assigned in the period stated, whenever the crime was recorded."))
    assert [located.text for _, located in found] == ["outcome"]


def test_a_reply_s_requested_count_is_added_up_only_where_its_rows_count_different_crimes(tmp_path):
    """Two rows of one table (different offences, both 86/2) are added; a duplicate row for the same
    offence over the same days (the same crimes printed twice) leaves the count unknown, never doubled."""
    import pandas as pd

    from fosi.analysis.rates import OFFENCE
    from fosi.analysis.status import _totals

    def rows(labels: list[str]) -> pd.DataFrame:
        return pd.DataFrame([{"source": "r.txt", "unit": "crimes", "date_basis": "outcome",
                              "period_start": "2021-01-01", "period_end": "2021-12-31", "offence_code": "86/2",
                              "row_label": label, "outcome_code": "21", "force": "Kent", "scope": OFFENCE,
                              "count": 5, "base": 20} for label in labels])

    counts, bases = _totals(rows(["Child-Distribute Indecent Photo", "Child-Taking Indecent Photo"]))
    assert (counts.value, bases.value) == (10, 40)
    counts, bases = _totals(rows(["Child-Distribute Indecent Photo", "Child-Distribute Indecent Photo"]))
    assert counts.refused and bases.refused and "added twice" in counts.reason


def test_the_requested_outcome_and_offences_are_the_defaults_of_rates_and_reports(tmp_path, capsys):
    from fosi.publish.report import with_request_defaults

    text = (RESPONSES / "request.yml").read_text(encoding="utf-8")
    assert 'outcomes: ["21"]' in text
    (tmp_path / "request.yml").write_text(text.replace('outcomes: ["21"]', 'outcomes: ["22"]'), encoding="utf-8")
    (tmp_path / "reply.txt").write_text((RESPONSES / "sussex_foi-26-1734.txt").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    assert main(["rates", str(tmp_path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # Sussex prints "22: Diversionary, educational or intervention activity": 15 (86/2) and 2 (86/10)
    assert {row["offence_code"]: row["count"] for row in rows if row["scope"] == "offence"} == {"86/2": "15",
                                                                                                "86/10": "2"}
    assert {row["outcome_code"] for row in rows} == {"22"}
    assert with_request_defaults({}, [tmp_path]) == {"outcome": "22", "offences": ["86/2", "86/10", "86/15"]}
    assert with_request_defaults({"outcome": "1"}, [tmp_path])["outcome"] == "1"  # given wins
    assert with_request_defaults({}, [RESPONSES / "kent_foi-2026-0412.txt"]) == {}  # no request stated
