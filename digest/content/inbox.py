"""``content/inbox.md``: links and notes the editor collects during the week.

An entry is a top-level list item that starts with a link, bare or as ``[title](url)``.
Text after the link and indented lines below it are the editor's note, except two kinds of
line: ``标签：Go、并发`` (or ``tags: …``) and ``栏目：tools`` (or ``section: …``, a key or
heading from site.toml). Everything else in the file (headings, free notes, list items
without a link) is the editor's and is left alone. ``digest new`` removes the entries it
used, and only after the draft is safely written.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from digest.config import SiteConfig
from digest.content.frontmatter import split_names
from digest.errors import ContentError, Location, Problem, Problems
from digest.model import InboxEntry
from digest.text.encoding import NotUTF8, read_utf8
from digest.text.fences import code_lines
from digest.text.urls import url_problem

_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+(?P<rest>.*)$")
_LINKED = re.compile(r"^\[(?P<title>[^\]]+)\]\((?P<url>\S+?)\)\s*(?P<note>.*)$")
_BARE = re.compile(r"^<?(?P<url>[a-zA-Z][a-zA-Z0-9+.-]*://[^\s>]+)>?\s*(?P<note>.*)$")
_TAGS = re.compile(r"^(?:标签|tags)\s*[:：]\s*(?P<value>.+?)\s*$", re.IGNORECASE)
_SECTION = re.compile(r"^(?:栏目|section)\s*[:：]\s*(?P<value>.+?)\s*$", re.IGNORECASE)


def load_inbox(path: Path, site: SiteConfig) -> tuple[InboxEntry, ...]:
    """Every entry of the inbox at ``path`` (none when there is no file); bad ones are errors."""
    if not path.exists():
        return ()
    try:
        lines = read_utf8(path).splitlines()
    except NotUTF8 as exc:
        raise ContentError([Problem(Location(path, exc.line), exc.message)]) from None
    except OSError as exc:
        problem = Problem(Location(path), f"cannot read the inbox: {exc.strerror}")
        raise ContentError([problem]) from exc
    problems = Problems()
    entries = []
    for start, end in _items(lines):
        entry = _entry(lines, start, end, path, site, problems)
        if entry:
            entries.append(entry)
    problems.raise_if_any()
    return tuple(entries)


def _items(lines: list[str]) -> Iterable[tuple[int, int]]:
    """``(first, last)`` 1-based line spans of the top-level list items, outside code."""
    start: int | None = None
    last = 0
    for number, (line, in_code) in enumerate(code_lines(lines), start=1):
        top_item = not in_code and _ITEM.match(line) is not None
        continues = line.startswith((" ", "\t")) and line.strip()
        if start is not None and (top_item or not (continues or not line.strip())):
            yield start, last
            start = None
        if top_item:
            start = number
        if start is not None and line.strip():
            last = number
    if start is not None:
        yield start, last


def _entry(
    lines: list[str], start: int, end: int, path: Path, site: SiteConfig, problems: Problems
) -> InboxEntry | None:
    """The entry in ``lines[start..end]``, or None when the item does not start with a link."""
    match = _ITEM.match(lines[start - 1])
    rest = match.group("rest").strip() if match else ""
    linked = _LINKED.match(rest) or _BARE.match(rest)
    if not linked:
        return None
    url = linked.group("url")
    title = linked.groupdict().get("title")
    why = url_problem(url)
    if why:
        problems.add(path, start, why)
        return None
    note: list[str] = [linked.group("note")] if linked.group("note") else []
    tags: list[str] = []
    section: str | None = None
    for number in range(start + 1, end + 1):
        text = lines[number - 1].strip()
        if m := _TAGS.match(text):
            tags += split_names(m.group("value"))
        elif m := _SECTION.match(text):
            found = site.section(m.group("value"))
            if found is None:
                known = ", ".join(s.key for s in site.sections)
                problems.add(path, number, f"unknown section '{m.group('value')}' (known: {known})")
            else:
                section = found.key
        else:
            note.append(text)
    body = "\n".join(note).strip()
    return InboxEntry(
        url,
        title,
        re.sub(r"\n{3,}", "\n\n", body),
        tuple(dict.fromkeys(tags)),
        section,
        Location(path, start),
        end,
    )


def remove_entries(path: Path, used: Iterable[InboxEntry]) -> None:
    """Rewrite the inbox without the ``used`` entries; the rest of the file stays as it was.

    The new text goes to a temporary file that replaces the inbox in one rename, so a crash
    leaves either the old inbox or the new one.
    """
    path = path.resolve()  # a link's file is the inbox (one kept in a synced folder)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    drop = {n for entry in used for n in range(entry.line, entry.end + 1)}
    kept = [line for n, line in enumerate(lines, start=1) if n not in drop]
    text = re.sub(r"\n{3,}", "\n\n", "".join(kept))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".inbox-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))  # mkstemp's file is private
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
