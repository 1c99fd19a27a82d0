"""The one exception type for mistakes a user can fix, and the problems `check` reports."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """Something wrong in a user's file, located as precisely as we can."""

    path: Path | None
    line: int | None
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.severity}: {self.message}"


class BookletError(Exception):
    """A user mistake: carries the file, the line and one plain sentence."""

    def __init__(self, path: Path | str | None, line: int | None, sentence: str):
        self.path = Path(path) if path is not None else None
        self.line = line
        self.sentence = sentence
        super().__init__(str(self.problem))

    def __reduce__(self):
        # Rebuilt from its own arguments when it crosses from a worker process.
        return (type(self), (self.path, self.line, self.sentence))

    @property
    def problem(self) -> Problem:
        return Problem(self.path, self.line, self.sentence, "error")

    @classmethod
    def from_problem(cls, problem: Problem) -> "BookletError":
        return cls(problem.path, problem.line, problem.message)


def warning(path, line, message) -> Problem:
    return Problem(Path(path) if path is not None else None, line, message, "warning")


def error(path, line, message) -> Problem:
    return Problem(Path(path) if path is not None else None, line, message, "error")


def cannot_read(path, exc: OSError) -> Problem:
    """A file or folder the operating system would not let booklet read."""
    reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
    kind = "folder" if Path(path).is_dir() else "file"
    return error(path, None, f"the {kind} cannot be read ({reason}).")
