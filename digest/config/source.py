"""The text of ``site.toml`` (or ``sources.toml``): parsed, and kept to tell which line a key
is written on.

``tomllib`` gives values without positions, so :meth:`Source.line_of` finds a key's line by
looking for it in the text, below its table's header when it has one.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from digest.errors import ContentError, Location, Problem, Problems
from digest.text.encoding import UNSHOWABLE, NotUTF8, character, read_utf8


class Source:
    """``site.toml``'s lines and the problems found in it so far."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems = Problems()

    def line_of(self, key: str, table: str | None = None) -> int | None:
        """The line defining ``key``, looked for below ``[table]`` when one is given."""
        pattern = re.compile(rf"^\s*(\[+\s*)?\"?{re.escape(key)}\"?\s*[=\].]")
        start = 0
        if table:
            header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*[\].]")
            start = next((i for i, line in enumerate(self.lines) if header.match(line)), 0)
        for i, line in enumerate(self.lines[start:], start=start + 1):
            if pattern.match(line):
                return i
        return None

    def headers(self, name: str) -> list[int]:
        """The lines of every ``[[name]]`` header, in order."""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*]]")
        return [i for i, line in enumerate(self.lines, 1) if header.match(line)]

    def line_in(self, key: str, header: int) -> int | None:
        """The line defining ``key`` in the table whose header is on line ``header``."""
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*[=.]")
        for i, line in enumerate(self.lines[header:], start=header + 1):
            if re.match(r"^\s*\[", line):
                break
            if pattern.match(line):
                return i
        return None

    def add(self, line: int | None, message: str) -> None:
        """Record one problem at ``line`` (None: the file as a whole)."""
        self.problems.add(self.path, line, message)


def read(path: Path, what: str = "site config") -> tuple[dict[str, Any], Source]:
    """The parsed TOML file and its :class:`Source`; a file that cannot be read or parsed
    raises :class:`ContentError` at once, since nothing else can be checked."""
    try:
        text = read_utf8(path)
        raw = tomllib.loads(text)
    except OSError as exc:
        message = f"cannot read {what}: {exc.strerror}"
        raise ContentError([Problem(Location(path), message)]) from exc
    except NotUTF8 as exc:
        raise ContentError([Problem(Location(path, exc.line), exc.message)]) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        at = Location(path, int(m.group(1)) if m else None)
        raise ContentError([Problem(at, f"invalid TOML: {exc}")]) from exc
    source = Source(path, text)
    for key, char in _unshowable(raw):  # written as an escape: "\u0001", "\e"
        source.add(
            source.line_of(key), f"'{key}' holds {character(char)}: no page or feed takes it"
        )
    source.problems.raise_if_any()
    return raw, source


def _unshowable(value: object, key: str = "") -> list[tuple[str, str]]:
    """(key, character) for each string under ``value`` holding a character of UNSHOWABLE."""
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in _unshowable(v, str(k))]
    if isinstance(value, list):
        return [found for v in value for found in _unshowable(v, key)]
    bad = UNSHOWABLE.search(value) if isinstance(value, str) else None
    return [(key, bad.group())] if bad else []
