"""Fill empty item titles and summaries from the scrape cache; the editor's words win.

The cached summary is the page's description when it is real prose, else the external
summariser's or our extractive summary (see :mod:`digest.summarizer.summaries`); it was
chosen when the page was fetched, so a build stays a pure function of the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace

from digest.errors import Location
from digest.model import CachedPage, Content, Issue, Item, fillable
from digest.text.urls import normalize_url


def fill_items(content: Content, pages: Mapping[str, CachedPage]) -> Content:
    """A copy of ``content`` whose items have the scraped title and summary where empty."""
    if not pages:
        return content
    return replace(content, issues=tuple(fill_issue(issue, pages) for issue in content.issues))


def fill_issue(issue: Issue, pages: Mapping[str, CachedPage]) -> Issue:
    """``issue`` with the scraped title and summary of its items where empty; its
    fingerprint, when it has one, made to cover them (see :func:`fill_print`)."""
    if not pages:
        return issue

    def fill(item: Item) -> Item:
        page = pages.get(normalize_url(item.url))
        record = page.record if page else None
        if record is None:
            return item
        title = item.title or record.title
        summary = item.summary or ("" if item.commentary else record.summary)
        return replace(item, title=title, summary=summary)

    sections = tuple(
        replace(section, items=tuple(fill(i) for i in section.items)) for section in issue.sections
    )
    fingerprint = issue.fingerprint and fill_print(issue.fingerprint, fillable(issue), pages)
    return replace(issue, sections=sections, fingerprint=fingerprint)


def fill_print(fingerprint: str, links: tuple[str, ...], pages: Mapping[str, CachedPage]) -> str:
    """The fingerprint of an issue made from ``fingerprint`` once the scrape cache filled
    its ``links`` (from :func:`fillable`): unchanged when the cache knows none of them."""
    known = []
    for url in links:
        page = pages.get(url)
        if page is not None and page.record is not None:
            known.append((url, page.record.title, page.record.summary))
    if not known:
        return fingerprint
    return hashlib.sha256(f"{fingerprint}\0{known}".encode()).hexdigest()


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
