"""What ``digest import`` passes between the readers of an archive and the importer.

A WordPress export, a feed and a single page each become :class:`SourceEntry` values;
the importer turns them into files of our content format and says, per entry, what it
did in an :class:`ImportOutcome`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SourceEntry:
    """One post, page or article of an archive, as its source gave it.

    ``key`` is what identifies it across runs (a WordPress guid, a feed entry's id, a
    page's URL); ``origin`` says where it was read, for the report (``export.xml:211``,
    a URL). ``published`` without a time zone is in the site's. ``html`` is the body;
    relative links and images in it are read against ``base_url``.
    """

    key: str
    origin: str
    title: str
    html: str
    published: datetime | None
    slug: str = ""
    tags: tuple[str, ...] = ()
    summary: str = ""
    draft: bool = False
    base_url: str = ""
    notes: tuple[str, ...] = ()  # what the reader already knows needs a look


@dataclass(frozen=True)
class SkippedEntry:
    """Something in the archive that was not imported, and why."""

    origin: str
    title: str
    why: str


@dataclass(frozen=True)
class ImportOutcome:
    """What became of one entry: ``action`` is one of written, updated, unchanged, kept
    (a file the editor changed since, or that import did not write) or failed; ``path``
    is the file, relative to the project; ``notes`` are what needs a look."""

    origin: str
    title: str
    path: str
    action: str
    notes: tuple[str, ...] = ()
