"""Property-based tests: mutated corpus files raise only fosi's own errors, each parse in under 100 ms."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, SEED
from fosi.checks.validate import validate
from fosi.errors import FosiError
from fosi.readers.formats.decode import decode_text
from fosi.readers.formats.text import read_text

ORIGINALS = [SEED.read_bytes()] + [p.read_bytes() for p in sorted(CORPUS.glob("*.txt"))]
PIECES = ["\t", "  ", " |", "|", "\n", "\r\n", "---|", "Total", "Outcome 21", "*", "<5", "-", "n/a", "[c]", "1,234",
          "12.5", "-3", "2019", "Further investigation not in the public interest", "01a:", "\u2013", "\xa0",
          "\ufeff", "â€“", "Section 12", "1st January 2016 - 31st January 2018", "Sum:", "\x00"]


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(ORIGINALS)))
    for _ in range(draw(st.integers(1, 6))):
        operation = draw(st.sampled_from(["insert", "delete", "replace", "duplicate_line", "truncate", "byte"]))
        position = draw(st.integers(0, max(0, len(data) - 1)))
        if operation == "insert":
            data[position:position] = draw(st.sampled_from(PIECES)).encode("utf-8")
        elif operation == "delete":
            del data[position:position + draw(st.integers(1, 40))]
        elif operation == "replace":
            data[position:position + 1] = draw(st.text(max_size=3)).encode("utf-8")
        elif operation == "duplicate_line":
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
        elif operation == "truncate":
            del data[position:]
        else:
            data[position:position] = bytes([draw(st.integers(0, 255))])
    return bytes(data)


def _parse_and_check(data: bytes) -> None:
    try:
        response = read_text(decode_text(data, "mutated.txt"), "mutated.txt")
    except FosiError:
        return  # a clear, fosi-made error is the right answer to damaged input
    validate(response)
    for record in response.records:  # what comes out is well formed
        assert record["kind"] in ("figure", "total", "prose")
        assert record["count"] is None or isinstance(record["count"], int)
        assert record["count"] is not None or record["marker"] is not None


_parse_and_check(ORIGINALS[0])  # warm the caches before deadlines apply


# The deadline catches a reading that runs away (a response takes milliseconds); it is generous
# because these tests share the machine with the rest of the suite. Speed is measured in benchmarks/.
DEADLINE = dt.timedelta(seconds=1)


@settings(max_examples=300, deadline=DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_responses_raise_only_fosi_errors_quickly(data):
    _parse_and_check(data)


@settings(max_examples=150, deadline=DEADLINE)
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_raise_only_fosi_errors_quickly(data):
    _parse_and_check(data)
