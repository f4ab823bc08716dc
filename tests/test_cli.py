"""The fosi command: outputs and exit codes, with one-line errors and no tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import SEED


def fosi(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fosi", *args], capture_output=True, text=True, cwd=cwd)


def test_parse_prints_13_figures_and_3_totals_with_lines():
    result = fosi("parse", str(SEED))
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"outcome_code": "string"})
    assert table["kind"].value_counts().to_dict() == {"figure": 13, "total": 3}
    assert table["line"].notna().all()
    assert set(table["outcome_code"].dropna()) == {"21", "10"}


def test_parse_json_and_output_file(tmp_path):
    out = tmp_path / "figures.json"
    assert fosi("parse", str(SEED), "--format", "json", "-o", str(out)).returncode == 0
    records = json.loads(out.read_text())
    assert len(records) == 16 and records[0]["source"].endswith("hertfordshire_iioc-outcomes_2016-01_2018-01.txt")


def test_validate_exits_0_on_the_seed_and_ends_with_its_summary_line():
    result = fosi("validate", str(SEED))
    summary = "1 response: 1 read, 0 could not be read; 0 error(s), 0 warning(s), 0 note(s)\n"
    assert (result.returncode, result.stdout) == (0, summary)


def test_validate_exits_1_with_the_line_of_a_changed_total(tmp_path):
    broken = tmp_path / "seed.txt"
    broken.write_bytes(SEED.read_bytes().replace(b"\t685", b"\t686"))
    result = fosi("validate", str(broken))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{broken}:19: error total-mismatch:")


def test_validate_json_has_rule_line_expected_found(tmp_path):
    broken = tmp_path / "seed.txt"
    broken.write_bytes(SEED.read_bytes().replace(b"\t685", b"\t686"))
    records = json.loads(fosi("validate", "--format", "json", str(broken)).stdout)
    assert [(r["rule"], r["line"], r["expected"], r["found"]) for r in records] == [("total-mismatch", 19, "685", "686")]


def test_strict_counts_warnings(tmp_path):
    from conftest import FIXTURES

    path = FIXTURES / "date_basis_mixed.txt"  # a warning only (a row printed twice is an error: its figures share every label)
    assert fosi("validate", str(path)).returncode == 0
    assert fosi("validate", "--strict", str(path)).returncode == 1


def test_rates_csv_and_text():
    csv = fosi("rates", str(SEED), "--format", "csv")
    rates = pd.read_csv(io.StringIO(csv.stdout)).set_index("row_label")
    assert (rates.loc["Child-Distribute Indecent Photo", "count"], rates.loc["Child-Distribute Indecent Photo", "base"]) == (139, 358)
    text = fosi("rates", str(SEED), "--outcome", "10").stdout
    assert "2.5%" in text  # 9 of 358


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("parse", "no-such-file.txt"), "no-such-file.txt: no such file"),
        (("parse", "notebooks/.ipynb_checkpoints-none"), "notebooks/.ipynb_checkpoints-none: no such file"),
        (("parse", "fosi/templates-none", "pyproject.toml"), "fosi/templates-none: no such file"),
        (("parse", "pyproject.toml"), "pyproject.toml: unknown kind of response file"),
        (("parse", "--format", "xml", "x.txt"), "invalid choice"),
        (("validate",), "the following arguments are required"),
        (("rates", str(SEED), "--outcome", "99"), "not a Home Office outcome type"),
        (("rates", str(SEED), "--confidence", "95"), "confidence must be"),
        (("report", "-p", "nonsense"), "-p takes NAME=VALUE"),
    ],
)
def test_bad_input_is_one_line_exit_2_no_traceback(args, needle):
    from conftest import ROOT

    result = fosi(*args, cwd=ROOT)
    assert result.returncode == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_undecodable_file_names_its_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Kent Police\nOffence\tTotal\nChild\x81\t3\n")  # 0x81 is undefined in Windows-1252
    result = fosi("parse", str(path))
    assert result.returncode == 2
    assert f"{path}:3: cannot decode byte 0x81" in result.stderr


def test_help_explains_every_command():
    text = fosi("--help").stdout
    for command in ("parse", "validate", "rates", "report"):
        assert command in text
    assert "--strict" in fosi("validate", "--help").stdout


@pytest.mark.parametrize("count", [10**30, 2**63 - 1, 2**63], ids=["1e30", "2^63-1", "2^63"])
def test_a_count_beyond_a_billion_is_a_finding_never_a_crash_or_a_wrap(tmp_path, count):
    # Seed line 13 prints the base of "Child-Distribute Indecent Photo" (358).
    path = tmp_path / "seed.txt"
    path.write_bytes(SEED.read_bytes().replace(b"Photo\t358\n", f"Photo\t{count}\n".encode()))
    validate = fosi("validate", "--format", "json", str(path))
    assert validate.returncode == 1 and "Traceback" not in validate.stderr
    found = [(r["rule"], r["line"], r["found"]) for r in json.loads(validate.stdout) if r["rule"] == "count-invalid"]
    assert found == [("count-invalid", 13, str(count))]
    parse = fosi("parse", str(path))
    assert parse.returncode == 0, parse.stderr
    table = pd.read_csv(io.StringIO(parse.stdout), dtype=str, keep_default_na=False).set_index("location")
    assert (table.loc["13", "count"], table.loc["13", "marker"]) == ("", str(count))  # kept as text, not a number
    rates = fosi("rates", str(path), "--format", "csv")
    assert rates.returncode == 0 and "Traceback" not in rates.stderr
    rates = pd.read_csv(io.StringIO(rates.stdout)).set_index("row_label")
    assert pd.isna(rates.loc["Child-Distribute Indecent Photo", "base"])  # unknown, not wrapped
    assert (rates[["count", "base"]].fillna(0) >= 0).all().all()
    assert rates.loc["Child - Having Indecent Photo Of", "base"] == 125  # the others are unaffected (seed line 12)


def test_a_build_with_a_count_of_ten_to_the_thirty_finishes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for index in range(80):  # enough for the parallel build
        (raw / f"seed_{index:02d}.txt").write_bytes(SEED.read_bytes())
    (raw / "seed_40.txt").write_bytes(SEED.read_bytes().replace(b"Photo\t358\n", b"Photo\t" + b"1" + b"0" * 30 + b"\n"))
    result = fosi("build", str(raw), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    findings = pd.read_csv(tmp_path / "out" / "findings.csv", dtype=str)
    invalid = findings[findings["rule"] == "count-invalid"]
    assert invalid["source"].str.endswith("seed_40.txt").tolist() == [True]
    assert invalid["line"].tolist() == ["13"]
