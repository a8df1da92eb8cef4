"""An entry of ``content/inbox.md``: a link the editor collected for the next issue."""

from __future__ import annotations

from dataclasses import dataclass

from digest.errors import Location


@dataclass(frozen=True)
class InboxEntry:
    """One collected link: what the editor wrote about it and where (lines ``line..end``)."""

    url: str
    title: str | None
    note: str
    tags: tuple[str, ...]
    section: str | None  # a section key
    where: Location  # the entry's first line
    end: int

    @property
    def line(self) -> int:
        """The entry's first line."""
        return self.where.line or 0
