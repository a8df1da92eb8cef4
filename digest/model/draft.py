"""The next issue's draft as ``digest new`` plans it, before it is written out as Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from digest.model.inbox import InboxEntry


@dataclass
class DraftItem:
    """One proposed item; mutable only while :func:`plan_draft` merges duplicates."""

    url: str
    title: str | None
    note: str  # the editor's words, Markdown
    summary: str  # scraped or summarised text: escaped when written out
    tags: list[str]
    section: str
    origin: str  # "inbox" or the feed URL
    published_in: list[int] = field(default_factory=list)
    entry: InboxEntry | None = None


@dataclass(frozen=True)
class DraftSection:
    """A section of the draft with its items."""

    key: str
    heading: str
    items: tuple[DraftItem, ...]


@dataclass(frozen=True)
class Draft:
    """Everything the draft template needs, and which inbox entries it used."""

    number: int
    title: str
    date: datetime
    sections: tuple[DraftSection, ...]
    used: tuple[InboxEntry, ...]
    flags: tuple[str, ...]  # already-published links, for the terminal too
