"""Build one dataset from a folder of responses: ``fosi build``.

Every file under the raw folder is read (by fosi.readers), corrected (fosi.corrections)
and checked (fosi.validate); a file that cannot be read is reported with its reason
while the rest still build. Parsed responses are cached by the hash of the file, its
sidecar and fosi's reading code, so a re-build re-reads only what changed, and a
build with nothing changed writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from dataclasses import dataclass
from pathlib import Path

from fosi.corrections import Correction, apply_corrections, read_corrections
from fosi.dataset import Dataset, FileResult, FileRows, file_rows
from fosi.errors import InputError
from fosi.paths import display_path, project_root
from fosi.readers import MAX_BYTES, is_archive, read_archive, read_response, response_files
from fosi.readers.sidecar import sidecar_path
from fosi.validate import validate

STAMP = "build.json"
CACHE = ".cache"
# What fosi's reading and checking depend on: a change to any of these makes cached responses
# and a built dataset stale (the findings are written with the figures).
_CODE = ("readers/*.py", "reference.py", "response.py", "figures.py", "reference_data/*.csv", "validate.py",
         "findings.py", "suppression.py")


@dataclass(frozen=True)
class BuildResult:
    summary: dict  # files, figures, failed (reasons), corrections applied, correction problems
    changed: bool  # False when nothing had changed and nothing was written
    reread: int  # files read afresh (not from the cache)
    dataset: Dataset | None = None  # what was written; None when nothing changed

    @property
    def failed(self) -> list[str]:
        return self.summary["failed"]


def code_fingerprint() -> str:
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for pattern in _CODE:
        for path in sorted(package.glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _hash(path: Path | None) -> str:
    return "" if path is None else hashlib.sha256(path.read_bytes()).hexdigest()


def file_key(path: Path, source: str, fingerprint: str, sidecar: Path | None,
             data: bytes | None = None) -> tuple[str, str, str]:
    """(sha256 of the file, of its sidecar, and the cache key joining them with the source and code)."""
    try:
        content = hashlib.sha256(path.read_bytes() if data is None else data).hexdigest()
    except OSError:  # unreadable: process_file reports why; the key only has to be stable
        content = "unreadable"
    sidecar_hash = _hash(sidecar)
    key = hashlib.sha256(f"{content}|{sidecar_hash}|{source}|{fingerprint}".encode()).hexdigest()
    return content, sidecar_hash, key


def _cached_read(path: Path, source: str, key: str, cache: Path | None, data: bytes | None,
                 sha256: str, sidecar: Path | None) -> tuple[object, bool]:
    """The response (or the InputError it raised; for a zip archive, its members), from the cache when
    there; and whether it was read afresh."""
    entry = cache / f"{key}.pickle" if cache else None
    if entry is not None and entry.exists():
        try:
            return pickle.loads(entry.read_bytes()), False
        except Exception:  # noqa: BLE001 - a damaged cache entry is read again, never trusted
            pass
    try:
        if is_archive(path):
            outcome: object = read_archive(path, source=source, data=data, sidecar=sidecar)
        else:
            outcome = read_response(path, source=source, data=data, sha256=sha256, sidecar=sidecar)
    except InputError as error:
        outcome = error
    if entry is not None:
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    return outcome, True


def process_file(path: Path, corrections: Sequence[Correction], corrections_name: str,
                 fingerprint: str, cache: Path | None) -> tuple[list[FileResult], bool]:
    """Read (or take from the cache), correct and check one file: one result, or one per member
    of a zip archive (each a response of its own, named ARCHIVE/MEMBER)."""
    source = display_path(path)
    sidecar = sidecar_path(path)
    data = None
    try:
        if path.stat().st_size <= MAX_BYTES:
            data = path.read_bytes()
    except OSError:  # missing, a folder, unreadable: read_response says which, in one line
        pass
    if data is None and path.is_file():
        data_for_hash = None  # too large to parse: hash it from the file
    else:
        data_for_hash = data if data is not None else b""
    content, _, key = file_key(path, source, fingerprint, sidecar, data_for_hash)
    outcome, fresh = _cached_read(path, source, key, cache, data, content, sidecar)
    sidecar_name = display_path(sidecar) if sidecar else None
    if isinstance(outcome, list):
        return [_checked(m.source, m.sha256, m.sidecar, m.outcome, corrections, corrections_name)
                for m in outcome], fresh
    return [_checked(source, content, sidecar_name, outcome, corrections, corrections_name)], fresh


def _checked(source: str, sha256: str, sidecar_name: str | None, outcome: object,
             corrections: Sequence[Correction], corrections_name: str) -> FileResult:
    if isinstance(outcome, InputError):
        return FileResult(source, sha256, sidecar_name, None, (), (), str(outcome), outcome)
    response, applied = apply_corrections(outcome, list(corrections), corrections_name)
    return FileResult(source, sha256, sidecar_name, response, tuple(validate(response)), tuple(applied))


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64


def _rows_of_file(path: Path, corrections: Sequence[Correction], corrections_name: str,
                  fingerprint: str, cache: Path | None) -> tuple[list[FileRows], bool]:
    results, fresh = process_file(path, corrections, corrections_name, fingerprint, cache)
    return [file_rows(result) for result in results], fresh


def process_files(files: Sequence[Path], corrections: Sequence[Correction], corrections_name: str,
                  fingerprint: str, cache: Path | None) -> Iterator[tuple[list[FileRows], bool]]:
    """process_file for each file, in order, as the rows it adds to the dataset (one FileRows per
    response: a zip archive has several); on several cores, in worker processes."""
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for path in files:
            yield _rows_of_file(path, corrections, corrections_name, fingerprint, cache)
        return
    work = partial(_rows_of_file, corrections=corrections, corrections_name=corrections_name,
                   fingerprint=fingerprint, cache=cache)
    # fork: workers start with fosi already imported, so they cost milliseconds, not seconds.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(work, files, chunksize=max(1, len(files) // (workers * 8)))


def _stamp(files: Sequence[Path], fingerprint: str, corrections: Path) -> dict:
    keys = {}
    for path in files:
        source = display_path(path)
        keys[source] = file_key(path, source, fingerprint, sidecar_path(path))[2]
    return {"fingerprint": fingerprint, "corrections": _hash(corrections if corrections.exists() else None),
            "files": keys}


def is_current(raw: Path, processed: Path, corrections: Path | None = None) -> bool:
    """Is the dataset in ``processed`` built from exactly the files now in ``raw``?"""
    stamp_path = processed / STAMP
    if not stamp_path.exists():
        return False
    corrections = corrections or raw.parent / "corrections.csv"
    try:
        previous = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    stamp = _stamp(response_files([raw]), code_fingerprint(), corrections)
    return {k: previous.get(k) for k in stamp} == stamp


def build(raw: Path, processed: Path, corrections_path: Path | None = None,
          progress: Callable[[int, int], None] | None = None, force: bool = False) -> BuildResult:
    """Read every response under ``raw`` into one dataset in ``processed``."""
    if not raw.is_dir():
        raise InputError(str(raw), "is not a folder of responses")
    corrections_path = corrections_path or raw.parent / "corrections.csv"
    corrections_name = display_path(corrections_path)
    corrections = read_corrections(corrections_path, corrections_name)
    files = response_files([raw])
    fingerprint = code_fingerprint()
    stamp = _stamp(files, fingerprint, corrections_path)
    stamp_path = processed / STAMP
    if not force and stamp_path.exists():
        try:
            previous = json.loads(stamp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = {}
        if {k: previous.get(k) for k in stamp} == stamp and "summary" in previous:
            return BuildResult(previous["summary"], changed=False, reread=0)
    results, reread = [], 0
    for index, (rows, fresh) in enumerate(
            process_files(files, corrections, corrections_name, fingerprint, processed / CACHE), start=1):
        results.extend(rows)
        reread += fresh
        if progress:
            progress(index, len(files))
    from fosi.dataset import dataset_from_rows, datapackage, write_dataset

    dataset = dataset_from_rows(results)
    summary = {
        "files": len(results),
        "figures": len(dataset.figures),
        "failed": dataset.manifest.loc[dataset.manifest["status"] == "failed", "reason"].tolist(),
        "corrections": len(dataset.corrections),
        "unmatched_corrections": int((dataset.findings["rule"] == "correction-unmatched").sum()),
    }
    write_dataset(dataset, processed, {"datapackage.json": datapackage(dataset),
                                       STAMP: json.dumps({**stamp, "summary": summary}, indent=1) + "\n"})
    _prune_cache(processed / CACHE, set(stamp["files"].values()))
    return BuildResult(summary, changed=True, reread=reread, dataset=dataset)


def _prune_cache(cache: Path, keep: set[str]) -> None:
    if cache.is_dir():
        for entry in cache.glob("*.pickle"):
            if entry.stem not in keep:
                entry.unlink(missing_ok=True)


def load_dataset(sources: Sequence[Path], root: Path | None = None, strict: bool = False) -> Dataset:
    """The dataset for a notebook: the built one when the sources are exactly data/raw/ and it is
    up to date; otherwise the named files read now (with data/corrections.csv applied to files
    under data/raw/). A file that cannot be read is listed in the manifest with its reason, or,
    with ``strict``, stops the load with its InputError."""
    root = root or project_root()
    raw, processed = root / "data" / "raw", root / "data" / "processed"
    if [Path(s).resolve() for s in sources] == [raw.resolve()] and is_current(raw, processed):
        from fosi.dataset import read_dataset

        return read_dataset(processed)
    corrections_path = root / "data" / "corrections.csv"
    corrections = read_corrections(corrections_path, display_path(corrections_path))
    from fosi.dataset import dataset_from_rows, file_rows

    results = []
    fingerprint, raw_folder, corrections_name = code_fingerprint(), raw.resolve(), display_path(corrections_path)
    for path in response_files(list(sources)):
        inside_raw = path.resolve().is_relative_to(raw_folder)
        read, _ = process_file(path, corrections if inside_raw else [], corrections_name, fingerprint, None)
        for result in read:
            if strict and result.error is not None:
                raise result.error
            results.append(file_rows(result))  # an unreadable file stays in the manifest, with its reason
    return dataset_from_rows(results)


def print_progress(done: int, total: int) -> None:
    """One line on a terminal, rewritten in place; every 10% elsewhere (logs stay short)."""
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\rfosi build: {done}/{total} files", end=end, file=sys.stderr, flush=True)
    elif total >= 20 and (done == total or done % max(1, total // 10) == 0):
        print(f"fosi build: {done}/{total} files", file=sys.stderr, flush=True)


def load(sources: Sequence[str | Path] = ("data/raw",)) -> Dataset:
    """The dataset for some responses (files or folders; relative paths from the project root):
    ``fosi.load()`` is everything in data/raw/."""
    from fosi.params import check_sources

    return load_dataset(check_sources(list(sources)))
