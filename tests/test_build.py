"""fosi build: the dataset, the manifest, datapackage.json, caching, failures and corrections."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import CORPUS, FIXTURES, SEED
from fosi.build import build
from fosi.errors import InputError
from fosi.figures import FIGURE_COLUMNS

HEADER = "file,location,printed_value,corrected_value,reason,reviewed_by,reviewed_on\n"


@pytest.fixture()
def project(tmp_path):
    raw = tmp_path / "data" / "raw"
    (raw / "2024").mkdir(parents=True)
    shutil.copyfile(SEED, raw / SEED.name)
    shutil.copyfile(CORPUS / "west-yorkshire_1711564-23.txt", raw / "2024" / "west-yorkshire.txt")
    shutil.copyfile(CORPUS / "cheshire_2357_refusal.txt", raw / "2024" / "cheshire.txt")
    (tmp_path / "data" / "corrections.csv").write_text(HEADER)
    return tmp_path


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_build_writes_dataset_manifest_and_datapackage(project):
    out = project / "data" / "processed"
    result = build(project / "data" / "raw", out)
    assert not result.failed
    figures = pd.read_csv(out / "figures.csv")
    assert len(figures) == 16 + 15  # seed: 13 figures and 3 totals; West Yorkshire: 15 figures
    manifest = pd.read_csv(out / "manifest.csv").set_index("file")
    assert set(manifest["response"]) == {"table", "refusal: section 12 cost limit"}
    assert manifest["sha256"].str.len().eq(64).all()
    package = json.loads((out / "datapackage.json").read_text())
    figures_schema = next(r for r in package["resources"] if r["name"] == "figures")["schema"]
    assert [f["name"] for f in figures_schema["fields"]] == list(FIGURE_COLUMNS)
    assert {f["name"]: f["type"] for f in figures_schema["fields"]}["count"] == "integer"


def test_rebuild_reads_only_changed_files(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    assert build(raw, out).reread == 3
    unchanged = build(raw, out)
    assert (unchanged.changed, unchanged.reread) == (False, 0)
    (raw / "2024" / "cheshire.txt").write_text((raw / "2024" / "cheshire.txt").read_text() + "\nThank you.\n")
    changed = build(raw, out)
    assert (changed.changed, changed.reread) == (True, 1)


def test_a_failing_file_is_reported_and_the_rest_still_build(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    (raw / "2024" / "empty.txt").write_bytes(b"")
    result = build(raw, out)
    assert len(result.failed) == 1
    assert "empty.txt: is empty" in result.failed[0]
    manifest = pd.read_csv(out / "manifest.csv")
    assert manifest.set_index("status").loc["failed", "reason"].endswith("is empty")
    assert len(pd.read_csv(out / "figures.csv")) == 31


def test_cli_build_exit_status_and_progress(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    ok = subprocess.run([sys.executable, "-m", "fosi", "build", str(raw), "-o", str(out)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "3 file(s), 31 figures, 0 failed" in ok.stderr
    (raw / "bad.txt").write_bytes(b"Kent Police\nOffence\tTotal\nPossession\t4\nTaking\t3\t9\n")
    failed = subprocess.run([sys.executable, "-m", "fosi", "build", str(raw), "-o", str(out)],
                            capture_output=True, text=True)
    assert failed.returncode == 1
    assert "bad.txt:4: this row has 3 cells" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_corrections_are_applied_in_code_and_the_raw_file_is_untouched(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    before = _digests(raw)
    (project / "data" / "corrections.csv").write_text(
        HEADER + f"{SEED.name},13,358,357,Force confirmed one crime was recorded twice,A. Analyst,2024-05-01\n")
    result = build(raw, out)
    figures = result.dataset.figures.set_index("location")
    seed = figures[figures["source"].str.endswith(SEED.name)]
    assert seed.loc["13", "count"] == 357
    assert seed.loc["13", "corrected_from"] == "358"
    manifest = result.dataset.manifest.set_index("file")
    assert manifest.loc[manifest.index.str.endswith(SEED.name), "corrections"].tolist() == [1]
    # The printed total (685) no longer matches the corrected rows: the check says so.
    assert ("total-mismatch", 19) in {(f.rule, f.line) for f in result.dataset.findings.itertuples()}
    assert _digests(raw) == before


def test_a_correction_that_does_not_match_is_reported_not_applied(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    (project / "data" / "corrections.csv").write_text(
        HEADER + f"{SEED.name},13,359,357,typo in printed value,A. Analyst,2024-05-01\n")
    result = build(raw, out)
    findings = result.dataset.findings
    assert findings.loc[findings["rule"] == "correction-unmatched", "severity"].tolist() == ["error"]
    assert result.dataset.figures["corrected_from"].isna().all()


def test_a_bad_corrections_file_stops_the_build_and_keeps_the_last_good_output(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    build(raw, out)
    good = _digests(out)
    (project / "data" / "corrections.csv").write_text(HEADER + f"{SEED.name},13,358,lots,,A. Analyst,2024-05-01\n")
    with pytest.raises(InputError, match=r"corrections.csv:2: reason is empty"):
        build(raw, out)
    assert _digests(out) == good


def test_sidecar_and_sidecar_change_trigger_a_reread(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    build(raw, out)
    shutil.copyfile(FIXTURES / "aligned_grid_years.txt", raw / "surrey.txt")
    (raw / "surrey.yml").write_text("date_basis: recorded\n")
    assert build(raw, out).reread == 1
    (raw / "surrey.yml").write_text("date_basis: outcome\n")
    result = build(raw, out)
    assert result.reread == 1
    manifest = result.dataset.manifest.set_index("file")
    assert manifest.loc[manifest.index.str.endswith("surrey.txt"), "date_basis"].tolist() == ["outcome"]


def test_notebooks_read_the_built_dataset_only_while_it_is_current_and_intact(project, monkeypatch):
    from fosi import dataset
    from fosi.build import load_dataset

    raw, out = project / "data" / "raw", project / "data" / "processed"
    (project / "notebooks").mkdir()
    build(raw, out)
    reads = []
    read_dataset = dataset.read_dataset
    monkeypatch.setattr(dataset, "read_dataset", lambda folder: reads.append(folder) or read_dataset(folder))
    assert _count(load_dataset([raw], root=project), "13") == 358  # seed line 13
    assert len(reads) == 1  # the built dataset
    # One count altered inside the built figures.csv: never published, the file is read instead.
    built = (out / "figures.csv").read_text()
    (out / "figures.csv").write_text(built.replace(",358,,figure,13,", ",359,,figure,13,"))
    assert _count(load_dataset([raw], root=project), "13") == 358
    assert len(reads) == 1
    build(raw, out)  # repairs it
    load_dataset([raw], root=project)
    assert len(reads) == 2
    (raw / "2024" / "cheshire.txt").write_text("Cheshire Constabulary\nNo information is held.\n")
    assert _count(load_dataset([raw], root=project), "13") == 358  # out of date: the files are read instead
    assert len(reads) == 2


def _count(data, location):
    figures = data.figures
    seed = figures[figures["source"].str.endswith(SEED.name)]
    return int(seed.set_index("location").loc[location, "count"])
