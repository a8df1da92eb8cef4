"""The frozen values that flow between the stages of the pipeline.

``content`` produces :class:`Content` (issues, posts, their tags and images); ``renderer``
turns it into :class:`Output` values; ``writer`` puts those on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from digest.errors import Problem
from digest.text.urls import normalize_url

# The years an issue's or a post's date may lie in: any zone's offset, and the week `digest
# new` adds to the latest issue's, keep them within what Python's datetime holds (1 to 9999).
DATE_YEARS = (1000, 9998)
# The highest issue number: SQLite, where the send log keeps it, holds 64 bits; this is an
# issue a week for 19,000 years.
MOST_ISSUES = 999_999


@dataclass(frozen=True, order=True, slots=True)
class Tag:
    """A tag as the editor spells it, and its URL slug (``并发`` -> ``bing-fa``)."""

    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class Image:
    """An image the editor placed: path relative to the Markdown file, alt text, caption."""

    src: str
    alt: str
    caption: str


@dataclass(frozen=True, slots=True)
class Asset:
    """A file next to the Markdown that the site serves: ``site/<page dir>/<target>``."""

    source: Path
    target: str
    size: tuple[int, int] | None = None  # (width, height) in pixels, when known


@dataclass(frozen=True, slots=True)
class Item:
    """One curated link in a section: the link, the editor's title and commentary."""

    number: int
    url: str
    title: str | None
    commentary: str
    tags: tuple[Tag, ...]
    image: Image | None
    line: int
    summary: str = ""  # the scraped description, shown only when commentary is empty

    @property
    def display_title(self) -> str:
        """The editor's title, or, for a bare URL not yet scraped, its host and path."""
        return self.title or url_label(self.url)


@dataclass(frozen=True, slots=True)
class Section:
    """A section of one issue, e.g. ``一周文章精粹``, with its items in order."""

    key: str
    heading: str
    link_label: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Issue:
    """One weekly issue, as written in ``content/issues/*.md``."""

    number: int
    title: str
    date: datetime
    tags: tuple[Tag, ...]
    epigraph: str
    attribution: str
    summary: str
    cover: str | None
    draft: bool
    intro: str
    sections: tuple[Section, ...]
    source: Path
    assets: tuple[Asset, ...]
    # A digest of everything the issue was made from (set by a loader with a cache: the
    # file's key and its images' stats); empty when unknown (then its bytes are digested).
    fingerprint: str = ""
    # The notes and placeholders of ``digest new`` still in the file, each with its line
    # (see :mod:`digest.model.notes`); they matter only once the issue is not a draft.
    unfinished: tuple[Problem, ...] = ()

    @property
    def url_path(self) -> str:
        """Where the issue lives below the site root."""
        return f"issues/{self.number}/"

    @property
    def all_tags(self) -> tuple[Tag, ...]:
        """Front-matter tags, then item tags, each once."""
        seen = dict.fromkeys(self.tags)
        for section in self.sections:
            for item in section.items:
                seen.update(dict.fromkeys(item.tags))
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Post:
    """One long-form article, as written in ``content/posts/*.md``."""

    slug: str
    title: str
    date: datetime
    tags: tuple[Tag, ...]
    summary: str
    cover: str | None
    draft: bool
    body: str
    source: Path
    assets: tuple[Asset, ...]
    fingerprint: str = ""  # as for Issue

    @property
    def url_path(self) -> str:
        """Where the post lives below the site root."""
        return f"posts/{self.slug}/"

    @property
    def all_tags(self) -> tuple[Tag, ...]:
        """The post's tags (the same interface as :attr:`Issue.all_tags`)."""
        return self.tags


Entry = Issue | Post


@dataclass(frozen=True, slots=True)
class Content:
    """Everything loaded from ``content/``: issues by number, posts by date."""

    issues: tuple[Issue, ...]
    posts: tuple[Post, ...]

    def entries(self) -> list[Entry]:
        """Issues and posts together, newest first (ties broken by URL for stability)."""
        both: list[Entry] = [*self.issues, *self.posts]
        return sorted(both, key=lambda e: (e.date, e.url_path), reverse=True)


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: its path below ``site/`` and its bytes, or a file to copy.

    ``inputs`` names the content files the output was made from, so a later incremental
    build can tell which outputs an edit touches.
    """

    path: str
    data: bytes | None = None
    source: Path | None = None
    inputs: frozenset[Path] = frozenset()


def url_label(url: str) -> str:
    """``go.dev/blog/pgo`` for ``https://go.dev/blog/pgo?x=1``: a readable stand-in title."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    return unquote(host + parts.path.rstrip("/"))


def fillable(issue: Issue) -> tuple[str, ...]:
    """The (normalised) links of ``issue`` whose items the scrape cache may fill: those
    without a title, or with neither commentary nor summary."""
    return tuple(
        normalize_url(item.url)
        for section in issue.sections
        for item in section.items
        if not item.title or not (item.summary or item.commentary)
    )
