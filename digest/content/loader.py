"""Load all of ``content/`` into :class:`Content`, reporting every problem in one run.

The pieces are shared with the build's catalog (:mod:`digest.build.catalog`), which reads the
same files through its cache: the list of files, their cache keys, one file's parse,
and the check for duplicate issue numbers and post slugs.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from digest.config import SiteConfig
from digest.content.frontmatter import read_document
from digest.content.issues import parse_issue
from digest.content.posts import parse_post
from digest.content.tags import TagIndex
from digest.errors import ContentError, Location, Problem, Problems
from digest.model import Content, Entry, Issue, Post, Tag
from digest.text.encoding import read_bytes


def load_content(content_dir: Path, site: SiteConfig, *, drafts: bool = False) -> Content:
    """Read every issue and post; raise ContentError listing all problems found.

    Drafts are validated like everything else but left out unless ``drafts`` is true.
    """
    problems = Problems()
    tags = TagIndex(site.tag_slugs, problems)
    seen = Registry(problems)
    issues: list[Issue] = []
    posts: list[Post] = []
    for file in content_files(content_dir):
        parsed = parse_file(file, site, tags, content_dir, problems)
        if parsed is None or not seen.add(parsed.entry, parsed.line):
            continue
        if isinstance(parsed.entry, Issue):
            issues.append(parsed.entry)
        else:
            posts.append(parsed.entry)
    problems.raise_if_any()
    return Content(
        issues=tuple(sorted((i for i in issues if drafts or not i.draft), key=lambda i: i.number)),
        posts=tuple(
            sorted((p for p in posts if drafts or not p.draft), key=lambda p: (p.date, p.slug))
        ),
    )


@dataclass(frozen=True)
class ContentFile:
    """An issue or post file, in the order the loader reads them."""

    path: Path
    kind: str  # "issue" or "post"


def content_files(content_dir: Path) -> list[ContentFile]:
    """The issue files, then the post files, each sorted by name; :class:`ContentError`
    for a folder that cannot be listed, where a glob finds nothing in it (and the build
    then removed every page of what it holds)."""
    return [
        ContentFile(path, kind)
        for kind, folder in (("issue", "issues"), ("post", "posts"))
        for path in sorted(_listed(content_dir / folder))
        if path.name.endswith(".md")
        and not path.is_dir()  # a folder named like a file (a link to nowhere is read, and said)
    ]


def _listed(folder: Path) -> list[Path]:
    """What ``folder`` holds (nothing when there is none, but a link to nowhere)."""
    try:
        return [folder / name for name in os.listdir(folder)]
    except FileNotFoundError:
        if not folder.is_symlink():
            return []
        why = f"it is a link to {os.readlink(folder)}, which is not there"
    except NotADirectoryError:
        why = "it is a file, not a folder"
    except OSError as exc:
        why = str(exc.strerror)
    raise ContentError([Problem(Location(folder), f"cannot read this folder: {why}")])


@dataclass(frozen=True)
class Parsed:
    """One file read: the entry, the tags it asked for (name, line, slug: replayed when
    the parse is reused, so that the same problems are found) and the line of its number
    or slug in the front matter."""

    entry: Entry
    uses: tuple[tuple[str, int | None, str], ...]
    line: int | None
    clean: bool  # no problem found in the file itself (a tag's clash is the whole site's)


class _Recording(TagIndex):
    """A TagIndex noting which tags a file asked for."""

    def __init__(self, inner: TagIndex) -> None:
        self.overrides, self.problems, self.by_slug = inner.overrides, inner.problems, inner.by_slug
        self.by_name = inner.by_name
        self.uses: list[tuple[str, int | None, str]] = []

    def tag(self, name: str, path: Path, line: int | None, slug: str | None = None) -> Tag:
        tag = super().tag(name, path, line, slug)
        self.uses.append((name, line, tag.slug))
        return tag


def parse_file(
    file: ContentFile,
    site: SiteConfig,
    tags: TagIndex,
    content_dir: Path,
    problems: Problems,
    key: str | None = None,
) -> Parsed | None:
    """Read one issue or post (None when it has a fatal problem). Its problems are added
    to ``problems`` once it is read (a clash of tags, found while reading, comes first).
    With ``key`` (its cache key), the entry's fingerprint is made from it and its images'
    sizes, so that the build need not digest the entry's contents."""
    local = Problems()
    recording = _Recording(tags)
    doc = read_document(file.path, local)
    parse = parse_issue if file.kind == "issue" else parse_post
    entry: Entry | None = parse(doc, site, recording, content_dir, local) if doc else None
    problems.items += local.items
    if doc is None or entry is None:
        return None
    if key is not None:
        made_of = f"{key}\0{[(str(a.source), a.target, a.size) for a in entry.assets]}"
        entry = replace(entry, fingerprint=hashlib.sha256(made_of.encode()).hexdigest())
    line = doc.key_lines.get("number" if file.kind == "issue" else "slug")
    return Parsed(entry, tuple(recording.uses), line, not local.items)


class Registry:
    """Issue numbers and post slugs seen so far; a second file with the same is a problem."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.issues: dict[int, Path] = {}
        self.posts: dict[str, tuple[Path, int | None, datetime]] = {}

    def add(self, entry: Entry, line: int | None) -> bool:
        """Note ``entry``; False (and a problem recorded) when its number or slug is taken."""
        if isinstance(entry, Issue):
            return self.add_issue(entry.number, entry.source, line)
        return self.add_post(entry.slug, entry.source, line, entry.date)

    def add_issue(self, number: int, path: Path, line: int | None) -> bool:
        first = self.issues.setdefault(number, path)
        if first != path:
            self.problems.add(path, line, f"duplicate issue number {number} (also in {first})")
        return first == path

    def add_post(self, slug: str, path: Path, line: int | None, date: datetime) -> bool:
        """Note a post; a clash is reported in the newer of the two files (the one just
        written, as a rule), at its ``slug:`` line."""
        first = self.posts.setdefault(slug, (path, line, date))
        if first[0] == path:
            return True
        (new, at, _), (old, _, _) = sorted(
            [(path, line, date), first], key=lambda p: (p[2], p[0]), reverse=True
        )
        why = "" if at else " (from the file name: give it a 'slug:' of its own)"
        self.problems.add(new, at or 1, f"duplicate post slug '{slug}' (also in {old}){why}")
        return False


def reading_salt(site: SiteConfig, code: str) -> str:
    """What every file's key starts from: the reading ``code`` and site.toml."""
    return hashlib.sha256(f"{code}{site!r}".encode()).hexdigest()


def file_key(
    path: Path, salt: str, stats: dict[str, tuple[tuple[int, ...], str]] | None = None
) -> str:
    """The cache key of ``path``: ``salt`` (:func:`reading_salt`), the path as given (a
    parse holds it in every Location) and the file's bytes (not its mtime: two saves can
    share a clock tick), or, with ``stats`` (the preview's: path -> (stat, key), kept
    between two of its own builds), the key its unchanged stat had last time."""
    stat = signature(path) if stats is not None else ()
    if stats is not None and stat:
        known = stats.get(str(path))
        if known is not None and known[0] == stat:
            return known[1]
    try:
        data = read_bytes(path)
    except OSError:
        data = b""
    key = f"{salt}:{path}:{hashlib.sha256(data).hexdigest()}"
    if stats is not None and stat:
        stats[str(path)] = (stat, key)
    return key


def signature(path: Path) -> tuple[int, ...]:
    """A file's mtime, ctime, size and inode; empty when it is gone."""
    try:
        st = path.stat()
    except OSError:
        return ()
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
