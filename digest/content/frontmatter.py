"""Split a Markdown file into YAML front matter and body, keeping line numbers.

PyYAML is asked for the node tree first, so each key's line is known; the values are
then checked field by field by :class:`FrontMatter`, which records a problem for each
wrong one instead of stopping at the first.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from digest.errors import Problems
from digest.model import DATE_YEARS, MOST_ISSUES
from digest.text.encoding import UNSHOWABLE, NotUTF8, character, read_utf8


class _Values:
    """What both loaders construct values with: a value PyYAML's constructors fail on with
    a bare exception (``!!timestamp 2026-13-45``, ``!!int abc``, ``!!bool maybe``, a number
    of more than 4,300 digits) is a YAML error at its line, and so is a string no page or
    feed can carry (a control character or a lone surrogate, written as an escape)."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            value = super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            what = f"{_shorten(node.value)!r} as {tag}" if isinstance(node.value, str) else tag
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {what}", node.start_mark
            ) from None
        if isinstance(value, str) and (bad := UNSHOWABLE.search(value)):
            raise yaml.constructor.ConstructorError(
                None, None, f"{character(bad.group())} in {_shorten(value)!r}", node.start_mark
            )
        return value


class _Loader(_Values, yaml.SafeLoader):
    """SafeLoader that leaves dates as text: :meth:`FrontMatter.moment` reads them with a
    message naming the key, where PyYAML would raise a bare ValueError for 2026-13-45."""


class _FastLoader(_Values, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same with LibYAML's parser (in C) when PyYAML has it: reading YAML in Python was
    a third of loading an archive. Its error messages and lines differ from PyYAML's, so a
    document it rejects is read again by :class:`_Loader`, whose messages are ours."""


def _shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _written(value: object) -> str:
    """A wrong value as a message shows it: a list or a mapping only by what it is, since
    YAML's aliases let a few lines make one of hundreds of millions of items."""
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "a mapping"
    return repr(_shorten(value) if isinstance(value, str) else value)


_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Document:
    """A Markdown file split in two; ``body_line`` is the file line of the body's first line."""

    path: Path
    meta: dict[str, object]
    key_lines: dict[str, int]
    body: str
    body_line: int


def read_document(path: Path, problems: Problems) -> Document | None:
    """Read ``path``; on any problem record it and return None."""
    try:
        text = read_utf8(path)
    except NotUTF8 as exc:
        problems.add(path, exc.line, exc.message)
        return None
    except OSError as exc:  # a link to nowhere, a pipe, a file we may not read
        link = f" (a link to {os.readlink(path)})" if path.is_symlink() else ""
        problems.add(path, None, f"cannot read this file: {exc.strerror or exc}{link}")
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.add(path, 1, "missing front matter: the file must start with a '---' line")
        return None
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if end is None:
        problems.add(path, 1, "front matter is not closed: add a '---' line after it")
        return None

    source = "\n".join(lines[1:end])
    try:
        node, meta = _compose(source, _FastLoader)
    except yaml.MarkedYAMLError:
        try:
            node, meta = _compose(source, _Loader)
        except yaml.MarkedYAMLError as exc:
            for line, message in _explain(exc, lines[1:end]):
                problems.add(path, line + 2, message)  # +1 for 1-based, +1 for the '---'
            return None
    key_lines: dict[str, int] = {}
    if node is not None and not isinstance(node, yaml.MappingNode):
        for line, message in _full_width_colons(lines[1:end]) or [(0, _NOT_MAPPING)]:
            problems.add(path, line + 2, message)
        return None
    for key_node, _ in node.value if node is not None else ():
        key = str(key_node.value)
        line = key_node.start_mark.line + 2  # +1 for 1-based, +1 for the '---'
        if key in key_lines:
            problems.add(path, line, f"duplicate front-matter key '{key}'")
        key_lines.setdefault(key, line)
    return Document(path, meta, key_lines, "\n".join(lines[end + 1 :]), end + 2)


_NOT_MAPPING = "front matter must be 'key: value' lines"
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]+(?P<value>\S.*?)[ \t]*$")
_FULL_WIDTH_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*：")
_QUOTED = {'"': re.compile(r'"(?:[^"\\]|\\.)*"'), "'": re.compile(r"'(?:[^']|'')*'")}


def _explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> list[tuple[int, str]]:
    """What went wrong in the front matter ``lines`` (0-based line, message), said at the
    line where the mistake starts rather than where PyYAML noticed it, with what to do for
    the mistakes people make: a full-width colon, a colon inside a plain value, a quote or
    bracket left open."""
    if found := _full_width_colons(lines):
        return found
    problem, context = exc.problem or "", exc.context or ""
    at = exc.problem_mark.line if exc.problem_mark else 0
    if (start := exc.context_mark) and start.line < len(lines):
        opener = lines[start.line][start.column : start.column + 1]  # " ' [ or {
        unended = start.line < at or "<stream end>" in problem
        if opener and context == "while scanning a quoted scalar":
            return [(start.line, _unclosed(opener))]
        if opener and unended and context.startswith("while parsing a flow"):
            return [(start.line, _unclosed(opener))]
    if opened := _open_quote(lines[: at + 1]):
        return [opened]
    if problem.startswith("mapping values are not allowed") and (
        m := _KEY_LINE.match(lines[at] if at < len(lines) else "")
    ):
        key, value = m["key"], m["value"]
        quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
        return [(at, f"the value of '{key}' contains ': '; put it in quotes: {key}: {quoted}")]
    return [(at, f"invalid YAML in front matter: {problem or context}")]


def _unclosed(char: str) -> str:
    """The message for a quote or bracket ``char`` that is never closed."""
    what, end = {"[": ("bracket", "the list with ]"), "{": ("brace", "it with }")}.get(
        char, ("quote", f"the value with {char}")
    )
    return f"unclosed {what}: the {char} that opens on this line is never closed; end {end}"


def _full_width_colons(lines: list[str]) -> list[tuple[int, str]]:
    """Lines that start ``key：`` (a full-width colon, as a Chinese input method types it)."""
    return [
        (i, f"full-width colon ： after {m['key']}; use : (half-width, then a space)")
        for i, line in enumerate(lines)
        if (m := _FULL_WIDTH_KEY.match(line))
    ]


def _open_quote(lines: list[str]) -> tuple[int, str] | None:
    """The first ``key: "value`` line whose quote does not close on that line."""
    for i, line in enumerate(lines):
        m = _KEY_LINE.match(line)
        value = m["value"] if m else ""
        closed = _QUOTED.get(value[:1])
        if closed and not closed.match(value):
            return i, _unclosed(value[0])
    return None


def _compose(
    source: str, kind: type[yaml.SafeLoader]
) -> tuple[yaml.Node | None, dict[str, object]]:
    """The node tree of ``source`` (for the keys' lines) and, for a mapping, its values."""
    loader = kind(source)
    try:
        node = loader.get_single_node()
        meta = loader.construct_document(node) if isinstance(node, yaml.MappingNode) else {}
        return node, meta
    finally:
        loader.dispose()


class FrontMatter:
    """Typed access to a document's front matter; each wrong value becomes one problem."""

    def __init__(self, doc: Document, problems: Problems, allowed: tuple[str, ...]) -> None:
        self.doc = doc
        self.problems = problems
        for key in doc.meta:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(allowed)}"
                self.error(str(key), f"unknown front-matter key '{key}' ({hint})")

    def line(self, key: str) -> int:
        """The line of ``key``, or of the opening '---' when the key is absent."""
        return self.doc.key_lines.get(key, 1)

    def error(self, key: str, message: str) -> None:
        """Record a problem at the line of ``key``."""
        self.problems.add(self.doc.path, self.line(key), message)

    def _missing(self, key: str) -> None:
        self.error(key, f"missing required front-matter key '{key}'")

    def text(self, key: str, *, required: bool = False) -> str:
        """A string value ('' when absent); numbers are accepted and turned into text."""
        value = self.doc.meta.get(key)
        if value is None:
            if required:
                self._missing(key)
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(key, f"'{key}' must be text")
            return ""
        text = str(value).strip()
        if required and not text:
            self.error(key, f"'{key}' must not be empty")
        return text

    def integer(self, key: str) -> int | None:
        """A required whole number from 1 to :data:`~digest.model.MOST_ISSUES`."""
        value = self.doc.meta.get(key)
        if value is None:
            self._missing(key)
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(key, f"'{key}' must be a whole number of at least 1, not {_written(value)}")
            return None
        if value > MOST_ISSUES:
            self.error(key, f"'{key}' must be at most {MOST_ISSUES:,}, not {value:,}")
            return None
        return value

    def flag(self, key: str) -> bool:
        """An optional true/false value."""
        value = self.doc.meta.get(key, False)
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not {_written(value)}")
            return False
        return value

    def moment(self, key: str, tz: ZoneInfo) -> datetime | None:
        """A required date or date-time; without an offset it is read in ``tz``."""
        value = self.doc.meta.get(key)
        if value is None:
            self._missing(key)
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                self.error(key, f"'{key}' must be a date like 2026-11-20 or 2026-11-20 08:30")
                return None
        if isinstance(value, datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=tz)
        elif isinstance(value, date):
            moment = datetime.combine(value, time(0, 0), tzinfo=tz)
        else:
            self.error(key, f"'{key}' must be a date like 2026-11-20, not {_written(value)}")
            return None
        first, last = DATE_YEARS
        if not first <= moment.year <= last:
            self.error(key, f"'{key}' must be in the years {first} to {last}, not {moment.year}")
            return None
        return moment

    def names(self, key: str) -> list[str]:
        """A list of names, written as a YAML list or as one comma-separated string."""
        value = self.doc.meta.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = split_names(value)
        if not isinstance(value, list) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip()
            for v in value
        ):
            self.error(key, f"'{key}' must be a list of names, like [Go, 并发]")
            return []
        return [str(v).strip() for v in value]


def split_names(text: str) -> list[str]:
    """``Go, 并发、容器`` -> ``['Go', '并发', '容器']`` (ASCII or CJK commas)."""
    return [
        part.strip()
        for part in text.replace("，", ",").replace("、", ",").split(",")
        if part.strip()
    ]
