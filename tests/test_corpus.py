"""Every file in corpus/expected.json is recovered exactly: figures, totals, outcome codes,
and no figure at all from refusals and answers in words."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import CORPUS, SEED, SEED_KEY
from fosi.readers import read_response


def _path(key: str):
    return SEED if key == SEED_KEY else CORPUS / key


def _cells(response, kind):
    return Counter((r["row_label"], r["column_label"], r["count"], r["outcome_code"])
                   for r in response.records if r["kind"] == kind)


def _expected(items):
    return Counter((i["keys"][0], i["keys"][1], i["count"], i["outcome"]) for i in items)


def _cases():
    import json

    return json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", list(_cases()))
def test_file_is_recovered_exactly(key):
    want = _cases()[key]
    response = read_response(_path(key))
    assert _cells(response, "figure") == _expected(want.get("figures", []))
    assert _cells(response, "total") == _expected(want.get("totals", []))
    meta = response.metadata
    assert meta.value("force") == want["force"]
    if "period" in want:
        assert [meta.value("period_start"), meta.value("period_end")] == want["period"]
    for name in ("date_basis", "unit"):
        if name in want:
            assert meta.value(name) == want[name]


@pytest.mark.parametrize("key", [k for k, v in _cases().items() if v.get("refusal")])
def test_refusal_says_so(key):
    response = read_response(_path(key))
    assert response.records == ()
    assert response.kind == "refusal: section 12 cost limit"


@pytest.mark.parametrize("key", [k for k, v in _cases().items() if v.get("no_table")])
def test_answer_in_words_says_no_table(key):
    response = read_response(_path(key))
    assert response.records == ()
    assert response.kind == "no table found"
