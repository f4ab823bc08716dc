"""Errors fosi raises on purpose: each carries a message fit to show a user as is."""

from __future__ import annotations


class FosiError(Exception):
    """Base class: the CLI prints these as one line and exits non-zero, with no traceback."""

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing a traceback: in a notebook a fosi error is
        # its one-line message, which is all a reader needs to act on.
        return [f"{type(self).__name__}: {self}"]


class InputError(FosiError):
    """A response file cannot be read: missing, a folder, undecodable, not a kind fosi knows.

    The message names the file and, where there is one, the line.
    """

    def __init__(self, path: str, problem: str, line: int | None = None, location: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.location = location if location is not None else (None if line is None else str(line))
        where = f"{self.path}:{self.location}" if self.location is not None else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):  # pickled when raised in a build's worker process: rebuilt from its fields
        return type(self), (self.path, self.problem, self.line, self.location)


class ParameterError(FosiError):
    """A notebook or command parameter has a value fosi cannot use."""


class OutputError(FosiError):
    """fosi cannot write where it was asked to: a read-only or full disk, a file where a folder
    must be, no permission. The message names the path and what to do about it."""


# What to do about an operating-system error, by its errno name (see describe_os_error).
_FIXES = {
    "EROFS": "the file system is read-only: choose another folder (-o DIR) or make it writable",
    "EACCES": "permission denied: give this user access to it, or choose another folder (-o DIR)",
    "EPERM": "operation not permitted: give this user access to it, or choose another folder (-o DIR)",
    "ENOSPC": "no space left on the device: free some space and run again (the last good output is kept)",
    "EDQUOT": "the disk quota is exhausted: free some space and run again (the last good output is kept)",
    "ELOOP": "a symbolic link loop: fix or remove the link",
    "ENOTDIR": "a file stands where a folder is needed: move the file away",
    "EISDIR": "a folder stands where a file is needed: move the folder away",
    "EEXIST": "something already stands there: move it away",
    "ENOTEMPTY": "a folder stands there: move it away",
    "ENAMETOOLONG": "the name is too long for the file system: use a shorter path",
    "ENOENT": "no such file or folder",
    "EMFILE": "too many open files: raise the limit (ulimit -n) and run again",
    "EIO": "an input/output error from the device: check the disk",
}


def describe_os_error(error: OSError, path: object | None = None) -> str:
    """One line for an operating-system error: the path, what went wrong and the fix."""
    import errno

    name = errno.errorcode.get(error.errno or 0, "")
    where = path if path is not None else (error.filename if error.filename is not None else "")
    fix = _FIXES.get(name, error.strerror or str(error))
    return f"{printable(str(where))}: {fix}" if where != "" else fix


def printable(text: str) -> str:
    """Text safe to print on one terminal line: control characters (a carriage return or an
    escape sequence in a file name) are shown as escapes, never acted on."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
