"""fosi build: the dataset, the manifest, datapackage.json, caching, failures and corrections."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from conftest import CORPUS, FIXTURES, ROOT, SEED
from fosi.build import build, load_dataset
from fosi.errors import InputError
from fosi.model.figures import FIGURE_COLUMNS

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
    assert "3 responses: 3 read, 0 could not be read; 31 figures" in ok.stderr
    (raw / "ragged.txt").write_bytes(b"Kent Police\nOffence\tTotal\nPossession\t4\nTaking\t3\t9\n")
    (raw / "bad.txt").write_bytes(b"\x00\x01binary")
    failed = subprocess.run([sys.executable, "-m", "fosi", "build", str(raw), "-o", str(out)],
                            capture_output=True, text=True)
    assert failed.returncode == 1
    assert "bad.txt: is a binary file" in failed.stderr
    findings = pd.read_csv(out / "findings.csv")
    ragged = findings[findings["rule"] == "table-not-read"]  # a ragged table is a finding; the file still builds
    assert list(ragged["line"]) == [4] and ragged["source"].str.endswith("ragged.txt").all()
    # The summary counts the file that failed and the error finding of the table not read.
    assert "5 responses: 4 read, 1 could not be read; 1 error finding (1 table not read)" in failed.stderr
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
    from fosi.build import load_dataset
    from fosi.model import dataset

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


# --- Generations: one atomic switch, stable names, nothing left behind -------------------------

def _generation(out):
    """What readers see in a build's folder: the current generation's files (name -> bytes), after
    checking that every stable name links into it; None when there is no dataset yet."""
    current = out / "current"
    if not current.is_symlink():
        assert not any(p.is_symlink() and not p.name.startswith(".") for p in out.iterdir()) if out.is_dir() else 1
        return None
    generation = out / os.readlink(current)
    files = {p.name: p.read_bytes() for p in generation.iterdir()}
    for entry in out.iterdir():  # (hidden ones are fosi's own: a killed run's temporary link, say)
        if entry.is_symlink() and entry.name != "current" and not entry.name.startswith("."):
            assert os.readlink(entry) == f"current/{entry.name}" and entry.name in files, entry
    return files


def _assert_tidy(out):
    names = {p.name for p in out.iterdir()}
    # No .lock: a run removes its lock as it finishes, and one a killed run left is gone after the next.
    assert names == {"current", ".generations", ".fosi-output", *_generation(out)}, names
    assert len(list((out / ".generations").iterdir())) == 1  # older generations removed


def _fosi_build(raw, out, kill_at=0, when="before", *args):
    return subprocess.run([sys.executable, str(ROOT / "tests" / "killed_run.py"), str(kill_at), when, "build",
                           str(raw), "-o", str(out), "--quiet", *args], capture_output=True, text=True, cwd=ROOT)


def test_the_dataset_keeps_stable_names_through_a_switch(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    build(raw, out)
    before = (out / "manifest.csv").read_text()
    with open(out / "figures.csv", encoding="utf-8") as opened_before:  # a reader in the middle of reading
        (raw / "2024" / "cheshire.txt").write_text("Cheshire Constabulary\nNo information is held.\n")
        build(raw, out)
        assert opened_before.read() and (out / "manifest.csv").read_text() != before
    assert (out / "figures.csv").is_file()
    _assert_tidy(out)


@pytest.mark.parametrize("first", [True, False], ids=["first build", "rebuild"])
def test_a_kill_at_any_rename_leaves_the_old_dataset_or_the_new_one(project, tmp_path, first):
    raw, out, saved = project / "data" / "raw", project / "data" / "processed", tmp_path / "saved"
    if not first:
        assert _fosi_build(raw, out).returncode == 0
        shutil.copytree(out, saved, symlinks=True)
    old = _generation(out) if out.exists() else None
    (raw / "2024" / "cheshire.txt").write_text("Cheshire Constabulary\nNo information is held.\n")
    counted = _fosi_build(raw, out)
    renames = int(counted.stderr.rsplit("renames: ", 1)[1])
    new = _generation(out)
    assert renames >= 1 and new is not None and new != old
    for kill_at in range(1, renames + 1):
        for when in ("before", "after"):
            shutil.rmtree(out)
            if saved.exists():
                shutil.copytree(saved, out, symlinks=True)
            killed = _fosi_build(raw, out, kill_at, when)
            assert killed.returncode == -signal.SIGKILL, killed.stderr
            assert _generation(out) in (old, new), (kill_at, when)
            again = _fosi_build(raw, out)  # the next run continues from there
            assert again.returncode == 0, again.stderr
            assert _generation(out) == new, (kill_at, when)
            _assert_tidy(out)


def test_a_kill_at_random_moments_of_a_parallel_build_leaves_a_whole_dataset(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for index in range(300):
        text = SEED.read_bytes().replace(b"\t358", f"\t{359 + index}".encode())
        (raw / f"response_{index:03d}.txt").write_bytes(text)
    assert _fosi_build(raw, out).returncode == 0
    old = _generation(out)
    (raw / "response_000.txt").write_bytes(SEED.read_bytes())
    seen = []
    for delay in (0.05, 0.2, 0.4, 0.6):
        process = subprocess.Popen([sys.executable, "-m", "fosi", "build", str(raw), "-o", str(out), "--quiet",
                                    "--force"], cwd=ROOT, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)  # the workers too
        process.wait()
        seen.append(_generation(out))
    assert _fosi_build(raw, out).returncode == 0
    new = _generation(out)
    assert new != old and all(state in (old, new) for state in seen)
    _assert_tidy(out)


def test_leftovers_of_killed_runs_and_of_earlier_versions_are_removed(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    build(raw, out)  # fosi's folder (its marker, its generations): only there are leftovers removed
    (out / ".staging-abc123").mkdir(parents=True)  # earlier versions staged here
    (out / ".cache").mkdir()
    (out / ".cache" / "0123.pickle").write_bytes(b"old cache")
    (out / ".generations" / "20240101T000000-deadbeef").mkdir()  # a generation never switched in
    os.symlink(".generations/20240101T000000-deadbeef", out / ".current-0badc0de")  # a switch never made
    (out / "notes.csv").unlink()  # a stable name lost
    (out / ".lock").write_text("fosi build (process 4194305)\n")  # left by a killed run: no such process now
    assert not build(raw, out).changed
    _assert_tidy(out)


# --- Verified state: nothing missing or altered is ever published -------------------------------

def test_a_deleted_or_cut_output_is_rebuilt(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    good = _generation(out) if build(raw, out) else None
    (out / "current" / "figures.csv").unlink()
    result = build(raw, out)
    assert (result.changed, result.reread) == (True, 3)  # every file's rows were in it
    assert _generation(out) == good
    manifest = out / "manifest.csv"
    manifest.write_text("".join(manifest.read_text().splitlines(keepends=True)[:2]))  # cut to 2 lines
    result = build(raw, out)
    assert result.changed and result.reread == 2  # the first file's rows (line 2) still match their checksum
    assert _generation(out) == good


def test_a_count_altered_in_the_built_dataset_is_read_again_from_its_file(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    build(raw, out)
    good = _generation(out)
    figures = out / "figures.csv"
    figures.write_text(figures.read_text().replace(",358,,figure,13,", ",359,,figure,13,"))  # seed line 13
    result = build(raw, out)
    assert (result.changed, result.reread) == (True, 1)  # that file alone, the others' rows still check
    assert _generation(out) == good


@pytest.mark.parametrize("damage", ["cut", "altered", "not json"])
def test_a_damaged_stamp_is_never_trusted(project, damage):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    build(raw, out)
    good = _generation(out)
    stamp = out / "current" / "build.json"
    text = stamp.read_text()
    stamp.write_text({"cut": text[:100], "altered": text.replace('"figures":31', '"figures":30'),
                      "not json": "{"}[damage])
    result = build(raw, out)
    assert (result.changed, result.reread) == (True, 3)
    assert _generation(out) == good


def test_force_reads_every_file_again(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    build(raw, out)
    result = _fosi_build(raw, out, 0, "before", "--force")
    assert result.returncode == 0
    forced = build(raw, out, force=True)
    assert (forced.changed, forced.reread) == (True, 3)


def test_a_file_that_changes_between_builds_is_read_again_and_the_others_are_not(project):
    raw, out = project / "data" / "raw", project / "data" / "processed"
    build(raw, out)
    shutil.copyfile(CORPUS / "south-wales_586-26.txt", raw / "2024" / "south-wales.txt")
    result = build(raw, out)
    assert (result.changed, result.reread) == (True, 1)
    clean = project / "clean"
    assert build(raw, clean).reread == 4
    assert {k: v for k, v in _generation(out).items()} == _generation(clean)  # the same as a clean build


def test_a_file_too_large_to_be_a_response_is_refused_without_being_read(tmp_path, monkeypatch):
    from pathlib import Path

    from fosi.build import file_inputs, process_file
    from fosi.readers import MAX_BYTES

    large = tmp_path / "huge.txt"
    with open(large, "wb") as handle:  # sparse: no disk is used
        handle.truncate(MAX_BYTES + 1)
    read = Path.read_bytes

    def refuse_large(path):
        assert path != large, "the whole file was read"
        return read(path)

    monkeypatch.setattr(Path, "read_bytes", refuse_large)
    [item] = file_inputs([large], [], "corrections.csv", "fingerprint")
    [result] = process_file(large, [], "corrections.csv")
    assert result.reason is not None and "MB" in result.reason and item.key


def test_replies_outside_the_project_are_named_from_their_folder_for_readers(tmp_path):
    # The usual case: a folder of replies in the user's own space. A report names each file from
    # that folder, never by this machine's path: in every table and in the texts that quote a name.
    import shutil

    from fosi.paths import public_name

    folder = tmp_path / "replies"
    shutil.copytree(ROOT / "tests" / "roundrobin" / "responses", folder)
    data = load_dataset([folder], for_readers=True)
    shown = [*data.manifest["file"], *data.manifest["sidecar"].dropna(), *data.figures["source"],
             *data.findings["source"], *data.manifest["reason"].dropna(), *data.findings["message"].dropna()]
    assert not [text for text in shown if str(tmp_path) in text]
    assert "leicestershire_foi-5521-26_revised.txt" in set(data.manifest["file"])
    assert data.manifest.loc[data.manifest["file"] == "wiltshire_foi-2026-1022.pdf", "reason"].str.startswith(
        "wiltshire_foi-2026-1022.pdf: has no text").all()
    assert public_name(folder) == "replies" and public_name(ROOT / "data" / "raw") == "data/raw"
    # Without for_readers (commands, fosi.load) the names stay paths that can be opened.
    assert all(name.startswith(str(tmp_path)) for name in load_dataset([folder]).manifest["file"])
