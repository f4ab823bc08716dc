"""Run a fosi command and kill it, as a crash or ``kill -9`` would, just before or just after its
Nth rename: the fault injection of the tests that every kill leaves a whole dataset or report.

    python tests/killed_run.py N before|after FOSI-ARGUMENTS...

Every os.rename and os.replace of the run counts (pathlib's rename and replace call them). With
N = 0 nothing is killed, and the number of renames the run made is printed last on stderr.
"""

from __future__ import annotations

import os
import signal
import sys

from fosi.cli import main


def _counting(original, state: dict):
    def renamed(*args, **kwargs):
        state["count"] += 1
        if state["count"] == state["kill_at"] and state["when"] == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if state["count"] == state["kill_at"] and state["when"] == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    return renamed


if __name__ == "__main__":
    state = {"count": 0, "kill_at": int(sys.argv[1]), "when": sys.argv[2]}
    os.rename = _counting(os.rename, state)
    os.replace = _counting(os.replace, state)
    status = main(sys.argv[3:])
    print(f"renames: {state['count']}", file=sys.stderr)
    sys.exit(status)
