"""Reading one file inside a guard: a budget of time and memory, and one line for anything that goes wrong.

A reply fosi reads takes well under a second and a few tens of MB (the real corpus: at most
0.2 s); the budget is far above that, so that only a file built to be hostile, or a fault in
fosi, meets it. Beyond it the file gets one line, "too large or too complex to read", and the
other files are still read. Any other error that is not fosi's own (a ValueError, a
RecursionError deep in a library) becomes one line for that file too, with a plea to report it:
nothing a user hands fosi prints a traceback or stops the other files.

The budget is watched by a profiling timer (SIGPROF, every READ_CHECK_SECONDS of the process's
CPU time) that checks the CPU time and the memory (resident set size) used since the file's
reading began. Signals reach only the main thread: read from any other thread, a file is read
without the budget (the errors are still caught).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

from fosi.errors import FosiError, InputError
from fosi.readers.formats.limits import TOO_COMPLEX, Refused

READ_SECONDS = 60  # CPU seconds to read one file (with everything inside it: attachments, members)
READ_MEMORY = 2 * 1024 ** 3  # bytes of memory a file's reading may add to the process (2 GiB)
READ_CHECK_SECONDS = 0.05
REPORT_IT = "this is a fault in fosi: please report it, with the file if you can share it"


class BudgetExceeded(BaseException):
    """Raised inside a reader when its file has used up the budget. A BaseException, so that a
    reader's own ``except Exception`` (around a library that raises many kinds) never swallows it."""


def _resident_bytes() -> int:
    """The process's resident memory now (Linux /proc; elsewhere its peak, which only grows)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


_active = threading.local()


@contextlib.contextmanager
def _budget(seconds: float, memory: int) -> Iterator[None]:
    watched = (threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
               and not getattr(_active, "on", False))  # a file inside a file shares its container's budget
    if not watched:
        yield
        return
    started, resident = time.process_time(), _resident_bytes()

    def check(signum: int, frame: object) -> None:
        if time.process_time() - started > seconds:
            raise BudgetExceeded(f"it needs more than {seconds:g} s of processor time")
        if _resident_bytes() - resident > memory:
            raise BudgetExceeded(f"it needs more than {memory / 1024 ** 3:g} GB of memory")

    previous = signal.signal(signal.SIGPROF, check)
    _active.on = True
    signal.setitimer(signal.ITIMER_PROF, READ_CHECK_SECONDS, READ_CHECK_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        _active.on = False


@contextlib.contextmanager
def guarded(source: str, seconds: float = READ_SECONDS, memory: int = READ_MEMORY) -> Iterator[None]:
    """Read one file (``source``, as shown) within its budget: any error becomes an InputError naming
    the file, in one line. fosi's own errors pass as they are; Ctrl-C still stops fosi."""
    try:
        with _budget(seconds, memory):
            yield
    except FosiError:
        raise
    except Refused as error:  # a limit of fosi.readers.formats.limits
        raise InputError(source, str(error)) from None
    except BudgetExceeded as error:
        raise InputError(source, f"{TOO_COMPLEX}: {error}") from None
    except MemoryError:
        raise InputError(source, f"{TOO_COMPLEX}: it needs more memory than this computer can give") from None
    except RecursionError:
        raise InputError(source, f"{TOO_COMPLEX}: it nests its parts too deeply") from None
    except Exception as error:  # noqa: BLE001 - anything else: one line for this file, never a traceback
        detail = " ".join(str(error).split())[:200]
        raise InputError(source, f"could not be read ({type(error).__name__}: {detail}); {REPORT_IT}") from None
