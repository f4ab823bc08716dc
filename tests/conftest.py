"""Shared paths and helpers for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT / "tests" / "corpus"
SEED = ROOT / "data" / "raw" / "hertfordshire_iioc-outcomes_2016-01_2018-01.txt"
SEED_KEY = "../seeds/000_c169afbff6e176f3.txt"  # the seed's name in corpus/expected.json


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_response():
    from fosi.readers import read_response

    return read_response(SEED)
