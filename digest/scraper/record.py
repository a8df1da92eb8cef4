"""The scraper's description of one link: what the cache stores and ``inspect`` prints.

Kept apart from the extractor so that reading the cache (every build does) does not
import the HTML and feed parsers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


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
