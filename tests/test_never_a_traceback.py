"""Anything a user can put in a sidecar or a corrections file gives a result or one line naming
the file (an InputError), never a traceback: random values for every field, through the reading,
the corrections, the checks and the rates that every command runs."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED
from fosi.analysis.rates import outcome_rates
from fosi.build import load_dataset
from fosi.checks.corrections import COLUMNS, read_corrections
from fosi.errors import FosiError
from fosi.readers.formats.sidecar import FIELDS

# Values a user might type: text of any kind, numbers, dates real and not, lists and mappings.
SCALARS = st.one_of(
    st.text(max_size=40), st.integers(min_value=-10**12, max_value=10**12), st.floats(allow_nan=True),
    st.booleans(), st.none(), st.dates().map(str),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),  # shaped like a date, often not one (2023-13-01)
    st.sampled_from(["Avon & Somerset", "Met", "not a url", "https://", "http://x", "outcome", "zero",
                     "86/2", "<5", "*", "=1+1", "2023-04-31", "FOI 1/2", "∞", "\x00", "a\nb"]),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(st.text(max_size=8), SCALARS, max_size=3))
SIDECARS = st.dictionaries(st.sampled_from(sorted(FIELDS)), VALUES, max_size=6)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read_all(folder: Path) -> None:
    """What parse, validate, rates and fosi.load do with a folder (errors as findings, not raised)."""
    data = load_dataset([folder])
    outcome_rates(data.figures, "21", findings=data.findings)


@SETTINGS
@given(fields=SIDECARS)
def test_random_sidecar_values_give_a_result_or_one_line(tmp_path_factory, fields):
    folder = tmp_path_factory.mktemp("replies")
    shutil.copyfile(SEED, folder / "reply.txt")
    try:
        text = yaml.safe_dump(fields, allow_unicode=True)
    except yaml.YAMLError:
        return
    (folder / "reply.yml").write_text(text, encoding="utf-8")
    try:
        load_dataset([folder / "reply.txt"], strict=True)
    except FosiError as error:
        message = str(error)
        assert message.startswith(str(folder / "reply.yml")) and "\n" not in message.strip(), message
    _read_all(folder)  # a file that cannot be read is in the manifest, with its reason


@SETTINGS
@given(text=st.text(max_size=200))
def test_random_sidecar_text_gives_a_result_or_one_line(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("replies")
    shutil.copyfile(SEED, folder / "reply.txt")
    (folder / "reply.yml").write_text(text, encoding="utf-8")
    try:
        load_dataset([folder / "reply.txt"], strict=True)
    except FosiError as error:
        assert "\n" not in str(error).strip()


ROWS = st.lists(st.fixed_dictionaries({column: SCALARS.map(lambda v: "" if v is None else str(v))
                                       for column in COLUMNS}), max_size=3)


@SETTINGS
@given(rows=ROWS, separator=st.sampled_from([",", ";"]), bom=st.booleans())
def test_random_corrections_give_a_result_or_one_line(tmp_path_factory, rows, separator, bom):
    project = tmp_path_factory.mktemp("project")
    raw = project / "raw"
    raw.mkdir()
    shutil.copyfile(SEED, raw / SEED.name)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, delimiter=separator, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (project / "corrections.csv").write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")
    try:
        read_corrections(project / "corrections.csv")
    except FosiError as error:
        assert str(error).startswith(str(project / "corrections.csv")) and "\n" not in str(error).strip()
        return
    _read_all(raw)


def test_a_correction_in_the_seed_survives_every_excel_flavour(tmp_path):
    # The seed prints 358 at line 13; each flavour of the same one correction is read alike.
    row = [SEED.name, "13", "358", "357", "recorded twice", "A. Analyst", "2024-05-01"]
    flavours = {
        "utf8.csv": ("\ufeff" + ",".join(COLUMNS) + "\n" + ",".join(row) + "\n").encode("utf-8"),
        "semicolon.csv": (";".join(COLUMNS) + "\r\n" + ";".join(row) + "\r\n").encode("cp1252"),
    }
    found = []
    for name, data in flavours.items():
        (tmp_path / name).write_bytes(data)
        found.append(read_corrections(tmp_path / name))
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(COLUMNS))
    book.active.append([SEED.name, 13, 358, 357, "recorded twice", "A. Analyst", "2024-05-01"])
    book.save(tmp_path / "corrections.xlsx")
    found.append(read_corrections(tmp_path / "corrections.xlsx"))
    assert [[(c.file, c.location, c.printed_value, c.corrected_value) for c in f] for f in found] == \
        [[(SEED.name, "13", "358", 357)]] * 3


def test_a_separator_fosi_cannot_use_is_named(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text("|".join(COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(FosiError, match=r"missing column\(s\) file, .* read as fields separated by ','; .*"
                                        r"separated by ',' or ';'"):
        read_corrections(path)
