"""Kinds 1-2: the same response re-encoded, with other line ends, spaces for tabs and typographic dashes."""

from __future__ import annotations

import codecs

import pytest

from conftest import SEED
from fosi.readers import read_response

KEY = ["table", "row_label", "column_label", "outcome_code", "count", "kind", "line"]


def _key(response):
    return response.figures[KEY].reset_index(drop=True)


def _variants():
    text = SEED.read_text(encoding="utf-8")
    en_dash = text.replace("1st January 2016 - 31st January 2018", "1st January 2016 – 31st January 2018")
    return {
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "utf8-bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "cp1252-en-dash": en_dash.replace("\n", "\r\n").encode("cp1252"),
        "utf8-en-dash": en_dash.encode("utf-8"),
        "utf16-bom": text.encode("utf-16"),
        "spaces-for-tabs": text.replace("\t", "    ").encode("utf-8"),
        "pdf-copy-single-spaces": text.replace("\t", " ").encode("utf-8"),
        "trailing-spaces": text.replace("\n", "  \n").encode("utf-8"),
    }


@pytest.mark.parametrize("name", list(_variants()))
def test_variant_reads_like_the_original(name, tmp_path, seed_response):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(_variants()[name])
    response = read_response(path)
    assert _key(response).equals(_key(seed_response))
    meta = response.metadata
    assert (meta.value("period_start"), meta.value("period_end")) == ("2016-01-01", "2018-01-31")
    assert meta.value("force") == "Hertfordshire"
    assert meta.value("date_basis") == "outcome"


def test_cp1252_text_is_decoded_not_mangled(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes("Example Constabulary\n1 April 2019 – 31 March 2020\n\nOffence\tTotal\nChild\u2019s Indecent Photo\t4\n".encode("cp1252"))
    response = read_response(path)
    assert list(response.figures["row_label"]) == ["Child\u2019s Indecent Photo"]
    assert response.metadata.value("period_end") == "2020-03-31"


def test_list_items_whose_value_is_a_marker_in_words_are_read(tmp_path):
    # Each item's value as printed: a marker in words is kept as a marker, never zero or dropped.
    path = tmp_path / "list.txt"
    path.write_text("Crimes recorded by year\n\n2016 - 12\n2017 - No data\n2018 – redacted\n2019 - Not stated\n"
                    "2020 - nil\n", encoding="utf-8")
    records = [(r["row_label"], r["count"], r["marker"]) for r in read_response(path).records]
    assert records == [("2016", 12, None), ("2017", None, "No data"), ("2018", None, "redacted"),
                       ("2019", None, "Not stated"), ("2020", None, "nil")]
