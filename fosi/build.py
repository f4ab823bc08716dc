"""Build one dataset from a folder of responses: ``fosi build``.

Every file under the raw folder is read (fosi.readers), corrected (fosi.checks.corrections) and checked
(fosi.checks.validate); a file that cannot be read is reported with its reason while the rest still
build. The dataset is written as a complete new generation and switched in all at once
(fosi.generations), so a failed or killed build leaves the last good dataset in place.

The last generation is also the cache. Its stamp, build.json, records for every file the key
its rows were made for (a hash of the file, of its sidecar, of the corrections that name it and
of fosi's own code), how long its rows are in each table, and a checksum of them; and the
SHA-256 of every output. A build takes a file's rows from the last generation only when the key
is unchanged and the rows still match their checksum; everything else is read again. A build
with nothing changed, whose outputs all still match their hashes, writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from fosi.checks.corrections import (
    Correction,
    apply_corrections,
    corrections_by_file,
    corrections_for,
    read_corrections,
)
from fosi.checks.validate import mask_across_responses, mask_revealing, validate
from fosi.errors import InputError
from fosi.generations import (
    check_apart,
    check_folder,
    current_generation,
    locked,
    new_generation,
    pinned_generation,
    switch_to,
    tidy,
    writing,
)
from fosi.model.dataset import (
    FILES,
    Dataset,
    FileResult,
    csv_header,
    file_rows,
    table_texts,
)
from fosi.paths import display_path, project_root
from fosi.publish.excel import MAX_FIGURES, WORKBOOK
from fosi.readers import (
    MAX_BYTES,
    guarded,
    is_archive,
    read_archive,
    read_response,
    response_files,
)
from fosi.readers.formats.sidecar import sidecar_path

STAMP = "build.json"
STAMP_FORMAT = 4  # 4: each file's error and table-not-read counts
DATAPACKAGE = "datapackage.json"
TABLE_FILES = tuple(FILES.values())  # figures.csv, findings.csv, manifest.csv, notes.csv, corrections_applied.csv
# Left in data/processed/ by earlier versions of fosi (a cache of parsed responses); removed.
_LEGACY = (".cache",)


@dataclass(frozen=True)
class BuildResult:
    summary: dict  # files, figures, failed (reasons), corrections applied, correction problems
    changed: bool  # False when nothing had changed and nothing was written
    reread: int  # files read afresh (not taken from the last generation)
    generation: Path | None = None  # the generation written; None when nothing changed

    @property
    def failed(self) -> list[str]:
        return self.summary["failed"]

    @property
    def dataset(self) -> Dataset | None:
        """What was written (read back from the generation); None when nothing changed."""
        from fosi.model.dataset import read_dataset

        return None if self.generation is None else read_dataset(self.generation)


def code_fingerprint() -> str:
    """A hash of fosi's code and reference data: rows made by other code are never reused."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for pattern in ("**/*.py", "reference_data/*.csv"):
        for path in sorted(package.glob(pattern)):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class FileInput:
    """One response file of a build, and the key its rows are made for."""

    path: Path
    source: str  # as recorded in the tables
    sidecar: Path | None
    corrections: tuple[Correction, ...]  # those that name this file
    key: str


def _sha256(path: Path | None) -> str:
    """The file's SHA-256, read only when it is small enough to be a response (a larger one is
    keyed by its size: it is refused unread); "unreadable" when it cannot be read. read_response
    says which, in one line."""
    if path is None:
        return ""
    try:
        size = path.stat().st_size
        return f"size {size}" if size > MAX_BYTES else hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def file_inputs(files: Sequence[Path], corrections: list[Correction], corrections_name: str,
                fingerprint: str) -> list[FileInput]:
    """Each file with its sidecar, its corrections and its key."""
    naming = corrections_by_file(corrections)
    root = project_root()
    inputs = []
    for path in files:
        source = display_path(path, root)
        sidecar = sidecar_path(path)
        mine = tuple(naming(source))
        key = hashlib.sha256("|".join((
            _sha256(path), _sha256(sidecar), source, fingerprint, corrections_name, repr(mine))).encode()).hexdigest()
        inputs.append(FileInput(path, source, sidecar, mine, key))
    return inputs


def process_file(path: Path, corrections: Sequence[Correction], corrections_name: str) -> list[FileResult]:
    """Read, correct and check one file: one result, or one per member of a zip archive (each a
    response of its own, named ARCHIVE/MEMBER)."""
    source = display_path(path)
    sidecar = sidecar_path(path)
    data, sha256 = None, ""
    try:
        if path.stat().st_size <= MAX_BYTES:
            data = path.read_bytes()
            sha256 = hashlib.sha256(data).hexdigest()
    except OSError:  # missing, a folder, unreadable: read_response says which, in one line
        pass
    sidecar_name = display_path(sidecar) if sidecar else None
    try:
        # One guard around reading and checking: whatever goes wrong is this file's failure, not the build's.
        with guarded(source):
            if is_archive(path):
                members = read_archive(path, source=source, data=data, sidecar=sidecar)
                return [_checked(m.source, m.sha256, m.sidecar, m.outcome, corrections, corrections_name)
                        for m in members]
            response = read_response(path, source=source, data=data, sha256=sha256 or None, sidecar=sidecar)
            return [_checked(source, response.sha256, sidecar_name, response, corrections, corrections_name)]
    except InputError as error:
        return [_checked(source, sha256 or _sha256(path), sidecar_name, error, corrections, corrections_name)]


def _checked(source: str, sha256: str, sidecar_name: str | None, outcome: object,
             corrections: Sequence[Correction], corrections_name: str) -> FileResult:
    """A response corrected and checked; or the InputError that stopped its reading, as a failed result."""
    if isinstance(outcome, InputError):
        return FileResult(source, sha256, sidecar_name, None, (), (), str(outcome), outcome)
    response, applied = apply_corrections(outcome, list(corrections), corrections_name)
    findings = tuple(validate(response))
    if any(f.rule == "suppression-ineffective" for f in findings):
        # Checked as printed; published with the figures that would reveal a withheld cell masked.
        response = mask_revealing(response)
    return FileResult(source, response.sha256, sidecar_name, response, findings, tuple(applied))


class FilePart(NamedTuple):
    """What one file adds to a built dataset: its rows of each table file, as CSV, and its counts.
    (A named tuple: a build of 10,000 files makes 10,000 of them in the parent.)"""

    source: str
    key: str
    tables: tuple[bytes | memoryview, ...]  # in TABLE_FILES order
    checksum: str  # of the tables (_checksum)
    figures: int
    failed: tuple[str, ...]  # why it (or each member of an archive that failed) could not be read
    corrections: int
    unmatched: int  # corrections naming it that do not match what it prints
    errors: int = 0  # its error findings (a table not read among them)
    tables_not_read: int = 0  # its table-not-read findings

    def record(self) -> list:
        """Its entry in the stamp."""
        return [self.key, [len(t) for t in self.tables], self.checksum, self.figures, list(self.failed),
                self.corrections, self.unmatched, self.errors, self.tables_not_read]


def _checksum(tables: Sequence[bytes | memoryview]) -> str:
    digest = hashlib.sha256()
    for table in tables:
        digest.update(len(table).to_bytes(8, "big"))
        digest.update(table)
    return digest.hexdigest()


def file_part(item: FileInput, corrections_name: str) -> FilePart:
    results = process_file(item.path, item.corrections, corrections_name)
    rows = [file_rows(result) for result in results]
    # A zip archive's members follow one another in each table, in the archive's order.
    tables = tuple("".join(texts).encode() for texts in zip(*(table_texts(r) for r in rows)))
    findings = [f for result in results for f in result.findings]
    unmatched = sum(1 for f in findings if f.rule == "correction-unmatched")
    return FilePart(item.source, item.key, tables, _checksum(tables), sum(len(r.figures) for r in rows),
                    tuple(result.reason for result in results if result.reason),
                    sum(len(result.corrections) for result in results), unmatched,
                    sum(1 for f in findings if f.severity == "error"),
                    sum(1 for f in findings if f.rule == "table-not-read"))


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64


def _ignore_interrupts() -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent alone answers it (and
    # stops the workers), so the workers print nothing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()


def _die_with_parent() -> None:
    """A worker ends the moment its parent does (Linux's PR_SET_PDEATHSIG), killed or not: it never
    goes on holding the output folder's lock, which it shares by inheritance."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the call: go now
        os._exit(1)


def process_files(items: Sequence[FileInput], corrections_name: str) -> Iterator[FilePart]:
    """file_part for each file, in order; on several cores, in worker processes."""
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield file_part(item, corrections_name)
        return
    from functools import partial

    # fork: workers start with fosi already imported, so they cost milliseconds, not seconds.
    with multiprocessing.get_context("fork").Pool(workers, initializer=_ignore_interrupts) as pool:
        yield from pool.imap(partial(file_part, corrections_name=corrections_name), items,
                             chunksize=max(1, len(items) // (workers * 8)))


class LastGeneration:
    """The current generation of an output folder, as a cache: its stamp, checked against its own
    checksum, and its outputs, checked against their hashes."""

    def __init__(self, generation: Path, stamp: dict) -> None:
        self.generation = generation
        self.stamp = stamp
        self._contents: dict[str, bytes | None] = {}

    @classmethod
    def of(cls, folder: Path) -> LastGeneration | None:
        generation = current_generation(folder)
        if generation is None:
            return None
        try:
            stamp = _read_stamp((generation / STAMP).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if stamp is None or stamp.get("format") != STAMP_FORMAT:
            return None  # damaged or written by another version: nothing in it is trusted
        return cls(generation, stamp)

    def content(self, name: str) -> bytes | None:
        """An output's bytes, or None when it is missing or differs from the hash it was written with."""
        if name not in self._contents:
            try:
                data = (self.generation / name).read_bytes()
            except OSError:
                data = None
            if data is not None and hashlib.sha256(data).hexdigest() != self.stamp["outputs"].get(name):
                data = None
            self._contents[name] = data
        return self._contents[name]

    def intact(self) -> bool:
        """Every output as written, and nothing else in the generation (a file dropped into it is
        never published as fosi's)."""
        try:
            present = {entry.name for entry in self.generation.iterdir()}
        except OSError:
            return False
        return present == {*self.stamp["outputs"], STAMP} and all(
            self.content(name) is not None for name in self.stamp["outputs"])

    def matches(self, items: Sequence[FileInput]) -> bool:
        """Was it made from exactly these files, with these keys?"""
        files = self.stamp["files"]
        return len(files) == len(items) and all(files.get(i.source, [None])[0] == i.key for i in items)

    def parts(self) -> dict[str, FilePart]:
        """The rows of every file whose rows are still as written, by source.

        When every output matches its hash, so does every file's rows; otherwise each file's rows
        are checked against their own checksum (a table that is missing gives none)."""
        tables = [self._table_rows(name) for name in TABLE_FILES]
        if any(table is None for table in tables):
            return {}
        checked = not all(self.content(name) is not None for name in TABLE_FILES)
        files = list(self.stamp["files"].items())
        # Each table's rows, cut into each file's piece (slices of a memoryview copy nothing).
        columns = []
        for table, lengths in zip(tables, zip(*(record[1] for _, record in files))):
            columns.append([table[end - length:end] for end, length in zip(accumulate(lengths), lengths)])
        parts = {}
        for (source, (key, _, checksum, figures, failed, *counts)), pieces in zip(files, zip(*columns)):
            if checked and _checksum(pieces) != checksum:
                continue
            parts[source] = FilePart(source, key, pieces, checksum, figures, tuple(failed), *counts)
        return parts

    def _table_rows(self, name: str) -> memoryview | None:
        """A table file's rows without its header line, read even when the file as a whole was altered."""
        data = self.content(name)
        if data is None:
            try:
                data = (self.generation / name).read_bytes()
            except OSError:
                return None
        end = data.find(b"\n")
        return None if end < 0 else memoryview(data)[end + 1:]


# build.json: {"checksum":"<SHA-256 of the stamp's JSON text>","stamp":<that text>}, so the stamp is
# checked by hashing its text as written, not by writing it out again.
_STAMP_HEAD = '{"checksum":"'
_STAMP_MIDDLE = '","stamp":'


def _stamp_text(stamp: dict) -> str:
    text = json.dumps(stamp, ensure_ascii=False, separators=(",", ":"))
    return f"{_STAMP_HEAD}{hashlib.sha256(text.encode()).hexdigest()}{_STAMP_MIDDLE}{text}}}\n"


def _read_stamp(text: str) -> dict | None:
    """The stamp, or None when its text does not match its checksum."""
    start = len(_STAMP_HEAD) + 64 + len(_STAMP_MIDDLE)
    if not text.startswith(_STAMP_HEAD) or text[start - len(_STAMP_MIDDLE):start] != _STAMP_MIDDLE \
            or not text.endswith("}\n"):
        return None
    body = text[start:-2]
    if hashlib.sha256(body.encode()).hexdigest() != text[len(_STAMP_HEAD):len(_STAMP_HEAD) + 64]:
        return None
    stamp = json.loads(body)
    return stamp if isinstance(stamp, dict) else None


def _summary(parts: Sequence[FilePart]) -> dict:
    return {
        "files": len(parts),
        "figures": sum(p.figures for p in parts),
        "failed": [reason for p in parts for reason in p.failed],
        "corrections": sum(p.corrections for p in parts),
        "unmatched_corrections": sum(p.unmatched for p in parts),
        "errors": sum(p.errors for p in parts),
        "tables_not_read": sum(p.tables_not_read for p in parts),
    }


def _write_generation(generation: Path, parts: Sequence[FilePart], fingerprint: str) -> dict:
    """Write every table, datapackage.json and the stamp into a new generation; return the summary."""
    from fosi.model.dataset import datapackage

    outputs = {}
    for index, (name, filename) in enumerate(FILES.items()):
        data = csv_header(name).encode() + b"".join(part.tables[index] for part in parts)
        (generation / filename).write_bytes(data)
        outputs[filename] = hashlib.sha256(data).hexdigest()
    package = datapackage()
    (generation / DATAPACKAGE).write_text(package, encoding="utf-8")
    outputs[DATAPACKAGE] = hashlib.sha256(package.encode()).hexdigest()
    if sum(part.figures for part in parts) <= MAX_FIGURES:  # else only the CSVs: see fosi.publish.excel
        from fosi.publish.excel import write_workbook

        write_workbook(generation / WORKBOOK, generation)
        outputs[WORKBOOK] = hashlib.sha256((generation / WORKBOOK).read_bytes()).hexdigest()
    summary = _summary(parts)
    stamp = {"format": STAMP_FORMAT, "fingerprint": fingerprint, "files": {p.source: p.record() for p in parts},
             "outputs": outputs, "summary": summary}
    (generation / STAMP).write_text(_stamp_text(stamp), encoding="utf-8")
    return summary


def build(raw: Path, processed: Path, corrections_path: Path | None = None,
          progress: Callable[[int, int], None] | None = None, force: bool = False,
          say: Callable[[str], None] | None = None) -> BuildResult:
    """Read every response under ``raw`` into one dataset in ``processed``.

    ``force``: read every file again, taking nothing from the last generation. ``say`` hears,
    once, that the build waits for another one writing into the same folder."""
    if not raw.is_dir():
        raise InputError(display_path(raw), "is not a folder of responses")
    check_folder(processed)
    check_apart(processed, [raw])
    corrections_path = corrections_for([raw], corrections_path)[raw]
    corrections_name = display_path(corrections_path) if corrections_path else "corrections.csv"
    corrections = read_corrections(corrections_path, corrections_name)
    files = response_files([raw])
    fingerprint = code_fingerprint()
    items = file_inputs(files, corrections, corrections_name, fingerprint)

    def up_to_date() -> LastGeneration | None:
        last = None if force else LastGeneration.of(processed)
        return last if last is not None and last.matches(items) and last.intact() else None

    # Nothing to write while a report reads the dataset (or another build writes it): no need to wait.
    with locked(processed, "fosi build", say, unless_busy=lambda: up_to_date() is not None) as held:
        if not held:
            return BuildResult(up_to_date().stamp["summary"], changed=False, reread=0)  # type: ignore[union-attr]
        with writing(processed):
            tidy(processed, legacy=_LEGACY)
        last = None if force else LastGeneration.of(processed)
        if last is not None and last.matches(items) and last.intact():
            return BuildResult(last.stamp["summary"], changed=False, reread=0)
        kept = last.parts() if last is not None else {}
        todo = [item for item in items if item.source not in kept or kept[item.source].key != item.key]
        fresh = {}
        for done, part in enumerate(process_files(todo, corrections_name), start=1):
            fresh[part.source] = part
            if progress:
                progress(done, len(todo))
        parts = [fresh.get(item.source) or kept[item.source] for item in items]
        with new_generation(processed) as generation, writing(processed):
            summary = _write_generation(generation, parts, fingerprint)
            switch_to(processed, generation)
    return BuildResult(summary, changed=True, reread=len(todo), generation=generation)


def _verified(raw: Path, processed: Path, corrections: Path | None = None) -> Path | None:
    """The current generation of ``processed`` when it is built from exactly the files now in
    ``raw`` and every output still matches its hash; else None."""
    last = LastGeneration.of(processed)
    if last is None:
        return None
    corrections = corrections_for([raw], corrections)[raw]
    corrections_name = display_path(corrections) if corrections else "corrections.csv"
    items = file_inputs(response_files([raw]), read_corrections(corrections, corrections_name), corrections_name,
                        code_fingerprint())
    return last.generation if last.matches(items) and last.intact() else None


def load_dataset(sources: Sequence[Path], root: Path | None = None, strict: bool = False,
                 corrections: Path | None = None, for_readers: bool = False) -> Dataset:
    """The dataset of some responses, read the one way every command, ``fosi.load`` and the
    notebooks read them: the built one when the sources are exactly data/raw/ and it is up to date
    and intact; otherwise the named files read now. Corrections follow ``corrections_for``: the
    file named, else the one beside each folder named. A file that cannot be read is listed in the
    manifest with its reason, or, with ``strict``, stops the load with its InputError.
    ``for_readers`` (the reports): files outside the project are named relative to the responses'
    folder, never by this machine's path (fosi.paths.reader_name)."""
    dataset = _load_dataset(sources, root, strict, corrections)
    if not for_readers:
        return dataset
    from fosi.model.dataset import with_names
    from fosi.paths import reader_name, responses_folder

    base = responses_folder(list(sources))
    named = {name for frame, column in ((dataset.manifest, "file"), (dataset.manifest, "sidecar"),
                                        (dataset.figures, "source"))
             for name in frame[column].dropna().unique() if os.path.isabs(name)}
    return with_names(dataset, {name: reader_name(name, base) for name in named})


def _load_dataset(sources: Sequence[Path], root: Path | None, strict: bool, corrections: Path | None) -> Dataset:
    root = root or project_root()
    raw, processed = root / "data" / "raw", root / "data" / "processed"
    sources = [Path(source) for source in sources]
    if [s.resolve() for s in sources] == [raw.resolve()]:
        from fosi.model.dataset import read_dataset

        pinned = pinned_generation()
        if pinned is not None and corrections in (None, raw.parent / "corrections.csv"):
            # in a report run: the dataset fixed at its start, whatever changed since
            return disclosure_controlled(read_dataset(pinned))
        for _ in range(3):
            generation = _verified(raw, processed, corrections)
            if generation is None:
                break
            try:
                return disclosure_controlled(read_dataset(generation))
            except FileNotFoundError:
                continue  # a build switched in a newer generation while this one was read: check that one
    from fosi.model.dataset import dataset_from_rows

    read: dict[Path | None, tuple[list, str]] = {}
    results = []
    for source, corrections_path in corrections_for(sources, corrections).items():
        if corrections_path not in read:
            name = display_path(corrections_path) if corrections_path else "corrections.csv"
            read[corrections_path] = read_corrections(corrections_path, name), name
        found, corrections_name = read[corrections_path]
        for path in response_files([source]):
            for result in process_file(path, found, corrections_name):
                if strict and result.error is not None:
                    raise result.error
                results.append(file_rows(result))  # an unreadable file stays in the manifest, with its reason
    return disclosure_controlled(dataset_from_rows(results))


def disclosure_controlled(dataset: Dataset) -> Dataset:
    """The dataset with the figures masked that, across replies of the same force and period, would
    reveal a withheld cell (fosi.checks.validate.mask_across_responses; within one reply the build
    has masked them already). Every output is made from a loaded dataset, so none prints them."""
    figures, findings = mask_across_responses(dataset.figures, dataset.findings)
    if figures is dataset.figures:
        return dataset
    from dataclasses import replace

    return replace(dataset, figures=figures, findings=findings)


def print_progress(done: int, total: int) -> None:
    """One line on a terminal, rewritten in place; every 10% elsewhere (logs stay short)."""
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\rfosi build: {done}/{total} files", end=end, file=sys.stderr, flush=True)
    elif total >= 20 and (done == total or done % max(1, total // 10) == 0):
        print(f"fosi build: {done}/{total} files", file=sys.stderr, flush=True)


def load(sources: object = "data/raw", corrections: str | Path | None = None) -> Dataset:
    """The dataset of some responses: ``sources`` is a file, a folder, a str or Path, or a list of
    them (``fosi.readers.resolve_sources``: relative paths from the current folder, except the
    default, the project's data/raw/). ``corrections`` names a corrections file; by default the
    ``corrections.csv`` beside each folder named applies, as on the command line and in reports.

    >>> data = fosi.load("~/foi/responses")   # doctest: +SKIP
    >>> data.figures.head()                   # doctest: +SKIP
    """
    from fosi.readers import resolve_sources

    if sources == "data/raw" or sources == ("data/raw",):
        paths = [project_root() / "data" / "raw"]
    else:
        paths = resolve_sources(sources)
    named = Path(corrections).expanduser().absolute() if corrections is not None else None
    if named is not None and not named.is_file():
        raise InputError(str(corrections), "is not a file: name the corrections file to apply")
    return load_dataset(paths, corrections=named)
