"""Load all of ``content/`` into :class:`Content`, reporting every problem in one run."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, MutableMapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from digest.config import SiteConfig
from digest.content.frontmatter import Document, read_document
from digest.content.issues import parse_issue
from digest.content.posts import parse_post
from digest.content.tags import TagIndex
from digest.errors import Problems
from digest.model import Content, Issue, Post, Tag


def load_content(
    content_dir: Path,
    site: SiteConfig,
    *,
    drafts: bool = False,
    cache: MutableMapping[str, bytes] | None = None,
    quick: bool = False,
    code: str = "",
) -> Content:
    """Read every issue and post; raise ContentError listing all problems found.

    Drafts are validated like everything else but left out unless ``drafts`` is true.
    With ``cache`` (the build's), a file whose bytes, images and site.toml are as they
    were, read by the same ``code`` (the build's digest of the package and the libraries),
    is not parsed again; ``quick`` (the preview) takes an unchanged stat for unchanged
    bytes.
    """
    problems = Problems()
    tags = TagIndex(site.tag_slugs, problems)
    _trim_memo()
    reader = _Reader(content_dir, site, tags, problems, cache, quick, code)

    issues: dict[int, Issue] = {}
    for path in sorted((content_dir / "issues").glob("*.md")):
        parsed = reader.read(path, parse_issue, "number")
        if parsed is None:
            continue
        issue, line = parsed
        if issue.number in issues:
            first = issues[issue.number].source
            problems.add(path, line, f"duplicate issue number {issue.number} (also in {first})")
            continue
        issues[issue.number] = issue

    posts: dict[str, Post] = {}
    for path in sorted((content_dir / "posts").glob("*.md")):
        parsed_post = reader.read(path, parse_post, "slug")
        if parsed_post is None:
            continue
        post, line = parsed_post
        if post.slug in posts:
            problems.add(
                path, line or 1,
                f"duplicate post slug '{post.slug}' (also in {posts[post.slug].source})",
            )  # fmt: skip
            continue
        posts[post.slug] = post

    problems.raise_if_any()
    return Content(
        issues=tuple(i for _, i in sorted(issues.items()) if drafts or not i.draft),
        posts=tuple(
            sorted(
                (p for p in posts.values() if drafts or not p.draft), key=lambda p: (p.date, p.slug)
            )
        ),
    )


E = TypeVar("E", Issue, Post)
Parse = Callable[[Document, SiteConfig, TagIndex, Path, Problems], E | None]


class _Recording(TagIndex):
    """The loader's TagIndex, noting which tags a file asked for (to replay on a cache hit)."""

    def __init__(self, inner: TagIndex) -> None:
        self.overrides, self.problems, self.by_slug = inner.overrides, inner.problems, inner.by_slug
        self.by_name = inner.by_name
        self.uses: list[tuple[str, int | None, str]] = []

    def tag(self, name: str, path: Path, line: int | None, slug: str | None = None) -> Tag:
        tag = super().tag(name, path, line, slug)
        self.uses.append((name, line, tag.slug))
        return tag


class _Reader:
    """Parses content files, through the build's cache when there is one."""

    def __init__(self, content_dir: Path, site: SiteConfig, tags: TagIndex, problems: Problems,
                 cache: MutableMapping[str, bytes] | None, quick: bool,
                 code: str) -> None:  # fmt: skip
        self.content_dir, self.site, self.tags, self.problems = content_dir, site, tags, problems
        self.cache, self.quick = cache, quick
        self.salt = hashlib.sha256(code.encode() + repr(site).encode()).hexdigest()

    def _key(self, path: Path) -> str:
        """The cache key of ``path``: the reading code, site.toml, the path as given (a parse
        holds it in every Location) and the file's bytes (not its mtime: two saves can share
        a clock tick), or, in ``quick`` mode, the key its unchanged stat had last time."""
        signature = _signature(path) if self.quick else ()
        if signature:
            known = _BY_STAT.get(str(path))
            if known is not None and known[0] == signature and known[1] in _MEMO:
                return known[1]
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        key = f"{self.salt}:{path}:{hashlib.sha256(data).hexdigest()}"
        if signature:
            _BY_STAT[str(path)] = (signature, key)
        return key

    def read(self, path: Path, parse: Parse[E], key_name: str) -> tuple[E, int | None] | None:
        """The parsed file and the line of ``key_name`` in its front matter."""
        key = None
        if self.cache is not None:
            key = self._key(path)
            known = _MEMO.get(key)
            if known is None and (blob := self.cache.get(key)) is not None:
                known = _MEMO[key] = pickle.loads(blob)
            if known is not None:
                entry, uses, assets, line = known
                if all(_signature(source) == stat for source, stat in assets):
                    for name, tag_line, slug in uses:  # no pinyin needed
                        self.tags.tag(name, path, tag_line, slug)
                    return entry, line
        local = Problems()
        recording = _Recording(self.tags)
        doc = read_document(path, local)
        entry = parse(doc, self.site, recording, self.content_dir, local) if doc else None
        self.problems.items += local.items
        if entry is None:
            return None
        line = doc.key_lines.get(key_name) if doc else None
        if key is not None and self.cache is not None and not local.items:
            assets = [(a.source, _signature(a.source)) for a in entry.assets]
            # What the entry is made of (its file; its images' sizes), so that the build
            # need not digest its contents.
            made_of = f"{key}\0{[(str(a.source), a.target, a.size) for a in entry.assets]}"
            entry = replace(entry, fingerprint=hashlib.sha256(made_of.encode()).hexdigest())
            _MEMO[key] = (entry, recording.uses, assets, line)
            self.cache[key] = pickle.dumps(_MEMO[key], protocol=5)
        return entry, line


# Parsed files this process has seen, by the same keys as the cache: a long-running
# preview reuses them without unpickling. Keys name the bytes, so an entry is never stale;
# the dict is bounded by emptying it when it outgrows any one site.
_MEMO: dict[str, Any] = {}
_MEMO_LIMIT = 20_000


def _trim_memo() -> None:
    if len(_MEMO) > _MEMO_LIMIT:
        _MEMO.clear()


# The preview trusts a file's stat between two of its own builds (mtime, ctime, size and
# inode all equal): path -> (stat, key). The command line always reads the bytes.
_BY_STAT: dict[str, tuple[tuple[int, ...], str]] = {}


def _signature(path: Path) -> tuple[int, ...]:
    """A file's mtime, ctime, size and inode; empty when it is gone."""
    try:
        st = path.stat()
    except OSError:
        return ()
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
