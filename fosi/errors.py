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

    def __reduce__(self):  # pickled in the build's cache: rebuilt from its fields, not its message
        return type(self), (self.path, self.problem, self.line, self.location)


class ParameterError(FosiError):
    """A notebook or command parameter has a value fosi cannot use."""
