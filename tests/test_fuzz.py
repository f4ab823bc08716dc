"""Fuzzing the readers: real replies (tests/corpus/real), mutated the way careless copying and hostile
editing mutate them (blank lines, duplicated, dropped and swapped lines, stray separators, no-break
spaces, markers, carriage returns, cut ends), each read within a tight budget. Every case must end
within it, as a figure table or one line naming the file; none may escape as a traceback.

Seeded, so a failure names a case that can be made again: ``mutated(SEED, case)``.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS

SEED = 23
CASES = 300
CHUNKS = 3  # run side by side under pytest-xdist
# Far tighter than fosi's own budget (fosi.readers.budget): a real reply takes at most 0.2 s.
FUZZ_SECONDS = 10
FUZZ_MEMORY = 512 * 1024 ** 2
_REPLIES = sorted((CORPUS / "real").glob("*.txt"))
_INSERTS = ("\n", "\n\n", "|", " | ", "\u00a0", "\t", " / ", "; ", "0", "12", "-", "*", "Total ", "---|---",
            "\r", "<5", " 2019 ", "\n|\n", "1" * 30, "Outcome 21", "\ufeff", "  ")


def mutated(seed: int, case: int) -> tuple[str, bytes]:
    """The reply a case starts from, and its bytes after one to four mutations."""
    rng = random.Random(seed * 100_003 + case)
    reply = rng.choice(_REPLIES)
    lines = reply.read_text(encoding="utf-8").split("\n")
    for _ in range(rng.randint(1, 4)):
        operation, at = rng.randrange(7), rng.randrange(len(lines))
        if operation == 0:
            lines.insert(at, "")
        elif operation == 1:
            lines.insert(at, lines[at])
        elif operation == 2 and len(lines) > 1:
            del lines[at]
        elif operation == 3:
            text = lines[at]
            where = rng.randint(0, len(text))
            lines[at] = text[:where] + rng.choice(_INSERTS) + text[where:]
        elif operation == 4:
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        elif operation == 5:
            lines = lines[:max(1, at)]
        else:
            text = lines[at]
            lines[at] = text[:rng.randint(0, len(text))]  # a line cut short
    return reply.name, "\n".join(lines).encode("utf-8")


def _read(name: str, data: bytes) -> tuple[str, float]:
    """'read', 'refused: ...' or 'fault: ...' for one case, and the seconds it took."""
    from fosi.errors import InputError
    from fosi.readers import read_response
    from fosi.readers.budget import REPORT_IT, guarded

    started = time.process_time()
    try:
        with guarded(name, seconds=FUZZ_SECONDS, memory=FUZZ_MEMORY):
            read_response(Path(name), data=data, sidecar=None)
        outcome = "read"
    except InputError as error:
        outcome = f"{'fault' if REPORT_IT in str(error) else 'refused'}: {error}"
    return outcome, time.process_time() - started


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_mutated_replies_end_within_their_budget(chunk):
    from fosi.readers.formats.limits import TOO_COMPLEX

    slowest, faults = (0.0, -1), []
    for case in range(chunk, CASES, CHUNKS):
        name, data = mutated(SEED, case)
        outcome, seconds = _read(f"case-{case}-{name}", data)  # an exception escaping fails the test here
        assert TOO_COMPLEX not in outcome, f"case {case} ({name}) met the budget: {outcome}"
        assert "\n" not in outcome, outcome
        slowest = max(slowest, (seconds, case))
        if outcome.startswith("fault"):
            faults.append(outcome)
    assert slowest[0] < FUZZ_SECONDS, slowest
    # A fault inside a reader is one line for its file (the guard), never a traceback; the ones found
    # are listed here so that a run shows them.
    print(f"chunk {chunk}: slowest case {slowest[1]} took {slowest[0]:.2f} s; {len(faults)} fault(s): {faults}")


@pytest.mark.parametrize("case", [0, 1, 2, 3, 4])
def test_fosi_parse_on_a_mutated_reply_exits_0_1_or_2_without_a_traceback(case, tmp_path):
    name, data = mutated(SEED, case)
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run([sys.executable, "-m", "fosi", "parse", str(path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.returncode == 2:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
