"""The scraper's description of one link: what the cache stores and ``inspect`` prints.

Kept apart from the extractor so that reading the cache (every build does) does not
import the HTML and feed parsers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from digest.errors import Location


@dataclass(frozen=True)
class PageRecord:
    """Everything known about one link. ``kind`` is html, feed, pdf, image or other."""

    url: str
    final_url: str
    canonical_url: str | None
    status: int | None
    content_type: str | None
    encoding: str | None
    title: str | None
    site_name: str | None
    author: str | None
    published: str | None
    lang: str | None
    description: str | None
    image: str | None
    text: str
    word_count: int
    reading_minutes: int
    kind: str
    summary: str = ""  # see digest.summarizer.summaries: prose description or extractive

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON object (the ``inspect --json`` interface)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageRecord:
        """Read back a record stored by :meth:`to_json`; unknown keys are ignored."""
        values: dict[str, Any] = {k: data.get(k) for k in cls.__dataclass_fields__}
        values["summary"] = values["summary"] or ""  # records cached before summaries
        return cls(**values)


@dataclass(frozen=True)
class CachedPage:
    """The last known state of one link."""

    url: str
    outcome: str
    status: int | None
    error: str | None
    moved_to: str | None
    etag: str | None
    last_modified: str | None
    record: PageRecord | None
    checked_at: float


@dataclass(frozen=True)
class CachedFeed:
    """The validators and last outcome of one watched feed."""

    url: str
    outcome: str
    status: int | None
    error: str | None
    etag: str | None
    last_modified: str | None
    title: str | None


@dataclass(frozen=True)
class Candidate:
    """A feed entry waiting to be considered for the next issue."""

    link: str
    feed: str
    title: str | None
    summary: str
    published: str | None
    section: str | None
    tags: tuple[str, ...]
    first_seen: float


@dataclass(frozen=True)
class Source:
    """One watched feed."""

    url: str
    section: str | None
    tags: tuple[str, ...]
    where: Location  # the line of its url in sources.toml


class Summarizer(Protocol):
    """What the scraper asks of the summarizer while it fetches. The fetch command hands
    one in (the stages never import each other); it goes to the worker processes that
    parse pages, so it must pickle."""

    def summarized(self, record: PageRecord) -> PageRecord:
        """``record`` with the summary a newly extracted page gets."""
        ...

    def wants_command(self, record: PageRecord) -> bool:
        """Whether the external summariser should be asked about this page."""
        ...
