"""The seed response is read exactly: every figure and total in corpus/expected.json, and nothing else."""

from __future__ import annotations

import hashlib
from collections import Counter

from conftest import SEED, SEED_KEY


def _as_expected(figures, kind):
    rows = figures[figures["kind"] == kind]
    return Counter(
        (r.row_label, r.column_label, int(r.count), None if r.outcome_code is None or r.outcome_code != r.outcome_code
         else r.outcome_code)
        for r in rows.astype(object).where(rows.notna(), None).itertuples()
    )


def _expected_counter(items):
    return Counter((i["keys"][0], i["keys"][1], i["count"], i["outcome"]) for i in items)


def test_bundled_seed_is_byte_identical_to_the_response_as_received():
    # sha256 of shared/seeds/000_c169afbff6e176f3.txt, the response exactly as received
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == \
        "16a48a2cb30bb98b13930b8056d7f72675590db87c0337a753d73ad7b6594245"


def test_seed_figures_match_expected(seed_response, expected):
    want = expected[SEED_KEY]
    assert _as_expected(seed_response.figures, "figure") == _expected_counter(want["figures"])


def test_seed_totals_match_expected(seed_response, expected):
    want = expected[SEED_KEY]
    assert _as_expected(seed_response.figures, "total") == _expected_counter(want["totals"])


def test_seed_counts_13_figures_and_3_totals(seed_response):
    kinds = seed_response.figures["kind"].value_counts()
    assert kinds["figure"] == 13
    assert kinds["total"] == 3


def test_seed_metadata_matches_expected(seed_response, expected):
    want = expected[SEED_KEY]
    meta = seed_response.metadata
    assert meta.value("force") == want["force"]
    assert [meta.value("period_start"), meta.value("period_end")] == want["period"]
    assert meta.value("date_basis") == want["date_basis"]
    assert meta.value("unit") == want["unit"]
    assert seed_response.kind == "table"


def test_every_figure_is_on_the_line_it_names(seed_response):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for row in seed_response.figures.itertuples():
        printed = lines[row.line - 1]
        assert printed.startswith(row.row_label), (row.line, printed)
        assert printed.rstrip("\r").endswith(f"\t{row.count}"), (row.line, printed)


def test_the_685_total_is_located_at_line_19(seed_response):
    total = seed_response.figures.query("kind == 'total' and count == 685")
    assert list(total["line"]) == [19]


def test_outcomes_are_read_from_titles_and_wording(seed_response):
    by_table = {t.number: t for t in seed_response.tables}
    assert by_table[1].outcome_code is None
    assert by_table[2].outcome_code == "21"
    assert by_table[2].outcome_by_wording.text == "21"
    assert by_table[3].outcome_code == "10"
    assert by_table[3].outcome_by_wording.text == "10"


def test_offence_titles_keep_the_force_label_and_add_the_code(seed_response):
    codes = dict(zip(seed_response.figures["row_label"], seed_response.figures["offence_code"]))
    assert codes["Child - Having Indecent Photo Of"] == "86/10"  # possession, CJA 1988 s.160
    assert codes["Child-Distribute Indecent Photo"] == "86/2"  # PCA 1978 s.1
    assert codes["Harassment-Disclose Private Sexual Photographs"] == "8/71"  # CJCA 2015 s.33


def test_the_forces_caveat_is_kept(seed_response):
    notes = " ".join(n.text for n in seed_response.notes)
    assert "not possible to identify which of these crimes relate to Images of the Young people themselves" in notes


def test_extreme_pornographic_images_are_never_given_a_child_image_code():
    from fosi.reference import offence_code_for_label

    # CJIA 2008 s.63 (images of adults, codes 86/11-86/17): the subsection is never printed in the
    # label, so no code is given; never 86/10 (CJA 1988 s.160, children) for the word "possession".
    assert offence_code_for_label("Possession of extreme pornographic images") is None
    assert offence_code_for_label("Possession of indecent images") == "86/10"
