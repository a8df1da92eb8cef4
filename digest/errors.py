"""Errors the editor can act on.

    DigestError                 anything that stops a command; printed without a traceback
     └─ ContentError            one or more problems in content/ or site.toml, all reported at once

Each problem carries a :class:`Location` so the message reads ``file:line: what is wrong``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in the editor's files: a path and, when known, a 1-based line."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, and where."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class DigestError(Exception):
    """An error that ends a command with a readable message and a non-zero exit."""

    exit_code = 1


class ContentError(DigestError):
    """Every problem found in one pass over the content, sorted by file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        # a problem of the whole file (no line) goes first: None and int do not compare
        self.problems = sorted(
            problems, key=lambda p: (p.location.path, p.location.line or 0, p.message)
        )
        super().__init__(self.format_message())

    def format_message(self) -> str:
        """One line per problem, then a count."""
        lines = [str(p) for p in self.problems]
        n = len(self.problems)
        lines.append(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.")
        return "\n".join(lines)


class Problems:
    """Collects problems during a load so that one run reports all of them."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: Path, line: int | None, message: str) -> None:
        """Record one problem at ``path:line``."""
        self.items.append(Problem(Location(path, line), message))

    def raise_if_any(self) -> None:
        """Raise :class:`ContentError` when anything was recorded."""
        if self.items:
            raise ContentError(self.items)
