"""The author tests' cases and their check, shared by each language's test file."""

from __future__ import annotations

from digest.scraper.extract import extract

Case = tuple[str, bytes, str | None]  # name, page, expected author


def wrong(cases: list[Case], url: str) -> list[tuple[str, str | None]]:
    """The cases whose author is not the expected one, with what was found: each page read
    as fetched from ``url``."""
    found = []
    for name, html, expected in cases:
        record = extract(html, url=url, content_type="text/html")
        if record.author != expected:
            found.append((name, record.author))
    return found
