"""Fill empty item titles and summaries from the scrape cache; the editor's words win.

The cached summary is the page's description when it is real prose, else the external
summariser's or our extractive summary (see :mod:`digest.summarizer.summaries`); it was
chosen when the page was fetched, so a build stays a pure function of the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import replace

from digest.errors import Location
from digest.model import Content, Issue, Item
from digest.scraper.cache import CachedPage
from digest.scraper.urls import normalize_url


def fill_items(content: Content, pages: Mapping[str, CachedPage]) -> Content:
    """A copy of ``content`` whose items have the scraped title and summary where empty."""
    if not pages:
        return content

    def fill(item: Item) -> Item:
        page = pages.get(normalize_url(item.url))
        record = page.record if page else None
        if record is None:
            return item
        title = item.title or record.title
        summary = item.summary or ("" if item.commentary else record.summary)
        return replace(item, title=title, summary=summary)

    return replace(content, issues=tuple(_filled(issue, fill) for issue in content.issues))


def _filled(issue: Issue, fill: Callable[[Item], Item]) -> Issue:
    """``issue`` with ``fill`` applied to every item; its fingerprint, when it has one,
    made to cover what the items now show."""
    sections = tuple(
        replace(section, items=tuple(fill(i) for i in section.items)) for section in issue.sections
    )
    fingerprint = issue.fingerprint
    if fingerprint:
        shown = [(item.title, item.summary) for section in sections for item in section.items]
        fingerprint = hashlib.sha256(f"{fingerprint}\0{shown}".encode()).hexdigest()
    return replace(issue, sections=sections, fingerprint=fingerprint)


def dead_links(issue: Issue, pages: Mapping[str, CachedPage]) -> list[str]:
    """Warnings for the links of ``issue`` that the cache knows to be gone or moved.

    A link that merely could not be reached (timeout, DNS) is not called dead here: that
    may be this machine's network; ``digest fetch`` reports it.
    """
    warnings = []
    for section in issue.sections:
        for item in section.items:
            page = pages.get(normalize_url(item.url))
            if page is None:
                continue
            where = Location(issue.source, item.line)
            if page.outcome == "gone":
                warnings.append(f"{where}: link {item.url} is dead (HTTP {page.status})")
            elif page.outcome == "redirect" and page.moved_to:
                warnings.append(f"{where}: link {item.url} moved permanently to {page.moved_to}")
    return warnings
