"""What may be divided, summed, compared and pooled (fosi.analysis.combine), comparability per
response (fosi.analysis.comparison.comparable_responses), and rates that never combine figures
that count different things. Expected values come from the small texts written here."""

from __future__ import annotations

import pytest

from conftest import SEED
from fosi.analysis.comparison import comparable_responses
from fosi.analysis.forces import compare_forces
from fosi.build import load_dataset

HERTS = b"Hertfordshire Constabulary"
PERIOD = b"1st January 2016 - 31st January 2018"


def _round_robin(folder, files: dict[str, bytes]):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text)
    return load_dataset([folder])


def test_comparability_is_decided_per_response_with_readable_reasons(tmp_path):
    seed = SEED.read_bytes()
    data = _round_robin(tmp_path / "replies", {
        "a_herts.txt": seed,
        "b_copy.txt": seed,  # the same bytes again
        "c_herts_again.txt": seed.replace(HERTS, b"Herts Police").replace(b"\t139", b"\t138"),
        "d_no_period.txt": seed.replace(PERIOD, b"").replace(b"\t139", b"\t137"),
        "e_kent.txt": seed.replace(HERTS, b"Kent Police").replace(PERIOD, b"1st April 2015 - 31st March 2016"),
        "f_essex.txt": seed.replace(HERTS, b"Essex Police").replace(b"\t139", b"\t130"),
        "g_nobody.txt": seed.replace(HERTS, b"A police force").replace(b"\t139", b"\t120"),
    })
    table = comparable_responses(data.manifest, data.figures).set_index(
        data.manifest["file"].str.rsplit("/", n=1).str[-1])
    assert table.loc[["a_herts.txt", "f_essex.txt"], "comparable"].all()
    reasons = table["reasons"]
    assert "byte-identical to" in reasons["b_copy.txt"] and "a_herts.txt" in reasons["b_copy.txt"]
    assert "overlaps" in reasons["c_herts_again.txt"] and "same force" in reasons["c_herts_again.txt"]
    assert "period is not stated" in reasons["d_no_period.txt"]
    # Outcome 21 came into use in January 2016: 91 of the 366 days of 2015/16 (1 January to 31 March).
    assert "could be used on 91 of its 366 days" in reasons["e_kent.txt"]
    assert "force is not stated" in reasons["g_nobody.txt"]
    assert not table.loc[["b_copy.txt", "c_herts_again.txt", "d_no_period.txt", "e_kent.txt", "g_nobody.txt"],
                         "comparable"].any()
    assert all(isinstance(text, str) and text for text in table["reasons"])  # never None or nan
    # The comparison pools only the comparable ones, and lists the rest without stopping.
    result = compare_forces(data, "21")
    assert sorted(result.table["force"]) == ["Essex", "Hertfordshire"]
    assert sum(c.startswith("left out") for c in result.verdict.caveats) == 5


def test_the_requested_period_offences_and_unit_are_plain_arguments(tmp_path):
    seed = SEED.read_bytes()
    data = _round_robin(tmp_path / "replies", {"herts.txt": seed})
    inside = comparable_responses(data.manifest, data.figures, "21", period_start="2016-01-01",
                                  period_end="2018-12-31", offence_codes=["86/2"], unit="crimes")
    assert inside["comparable"].tolist() == [True] and inside["offences"].tolist() == ["86/2"]
    outside = comparable_responses(data.manifest, data.figures, "21", period_start="2016-01-01",
                                   period_end="2017-12-31")
    assert "lies outside the one asked about" in outside["reasons"].iloc[0]
    people = comparable_responses(data.manifest, data.figures, "21", unit="people")
    assert people["reasons"].iloc[0] == "it counts crimes; the set counts people"
    other = comparable_responses(data.manifest, data.figures, "21", offence_codes=["86/15"])
    assert "no figures for the offences asked about (86/15)" in other["reasons"].iloc[0]


def test_the_default_comparison_rates_the_requested_group_not_all_offences():
    # Item: the seed's "all offences" row mixes 8/71 (line 18: 79 crimes, line 30: 1 closed) into the
    # rate; the comparison rates the indecent-images group, 86/2 and 86/10 here, and says so.
    result = compare_forces(load_dataset([SEED]), "21")
    [row] = result.table.itertuples()
    assert (row.count, row.base) == (149 - 1, 685 - 79)
    assert "8/71" not in row.offences and "86/2" in row.offences


@pytest.mark.parametrize("bad", ["unit", "date_basis"])
def test_an_unstated_unit_or_basis_excludes_only_that_response(tmp_path, bad):
    seed = SEED.read_bytes()
    data = _round_robin(tmp_path / "replies", {"a.txt": seed, "b.txt": seed.replace(HERTS, b"Kent Police")})
    manifest = data.manifest.copy()
    manifest.loc[1, bad] = None
    table = comparable_responses(manifest, data.figures)
    assert table["comparable"].tolist() == [True, False]
    assert "a sidecar can state" in table["reasons"].iloc[1]
