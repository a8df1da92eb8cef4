"""The next issue's draft: inbox entries and new feed entries -> a Markdown issue file.

:func:`plan_draft` decides what goes in (numbers, date, items, their sections, titles,
summaries, suggested tags, notes for the editor); ``templates/draft/issue.md`` lays it
out. Nothing here touches the network: titles and summaries come from the scrape cache.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import nh3

from digest.config import WEEKDAYS, SiteConfig
from digest.model import (
    CachedPage,
    Candidate,
    Content,
    Draft,
    DraftItem,
    DraftSection,
    InboxEntry,
    Tag,
)
from digest.summarizer.summaries import text_summary
from digest.text.urls import normalize_url


def next_publishing_day(today: date, weekday: str, after: date | None) -> date:
    """The first ``weekday`` on or after ``today`` that is later than ``after``."""
    target = WEEKDAYS.index(weekday)
    day = today + timedelta(days=(target - today.weekday()) % 7)
    while after is not None and day <= after:
        day += timedelta(days=7)
    return day


@dataclass(frozen=True)
class DraftDates:
    """When a draft is made (``today``), feed entries published after ``since`` (by default
    the latest issue's date), and ``day`` to publish on, if not the next ``[draft] weekday``."""

    today: date
    since: datetime | None = None
    day: date | None = None


def plan_draft(
    site: SiteConfig,
    content: Content,
    inbox: Iterable[InboxEntry],
    candidates: Iterable[Candidate],
    pages: Mapping[str, CachedPage],
    dates: DraftDates,
) -> Draft:
    """Decide the next issue: number, date, and the items from ``inbox`` and ``candidates``.

    Feed entries count when they were published (or first seen) after ``dates.since``.
    """
    latest = max(content.issues, key=lambda i: i.number, default=None)
    number = latest.number + 1 if latest else 1
    since = dates.since or (latest.date if latest else None)
    items = _inbox_items(site, inbox, pages)
    _add_feed_items(items, site, candidates, pages, since)
    flags = _mark_published(items, content)
    known_tags = _archive_tags(content)
    for item in items.values():
        item.tags += _suggest_tags(item, known_tags, site.draft.max_tags)
    sections = tuple(
        DraftSection(s.key, s.heading, tuple(i for i in items.values() if i.section == s.key))
        for s in site.sections
    )
    return Draft(
        number,
        (site.draft.title or site.issue_heading).format(number=number),
        _publishing_moment(site, dates, latest.date.astimezone(site.tz).date() if latest else None),
        tuple(s for s in sections if s.items),
        tuple(i.entry for i in items.values() if i.entry),
        tuple(flags),
    )


def _publishing_moment(site: SiteConfig, dates: DraftDates, latest: date | None) -> datetime:
    """The new issue's date and ``[draft] time``: the coming publishing day (today, if today
    is one), a week on while that is not later than ``latest`` (the day, in the site's time
    zone, the latest issue is dated)."""
    when = dates.day or next_publishing_day(dates.today, site.draft.weekday, latest)
    hour, minute = (int(x) for x in site.draft.time.split(":"))
    return datetime(when.year, when.month, when.day, hour, minute, tzinfo=site.tz)


def _inbox_items(
    site: SiteConfig, inbox: Iterable[InboxEntry], pages: Mapping[str, CachedPage]
) -> dict[str, DraftItem]:
    """The inbox's entries as items by normalised URL, the cache filling what they lack."""
    items: dict[str, DraftItem] = {}
    for entry in inbox:
        key = normalize_url(entry.url)
        if key in items:  # the same link twice in the inbox: one item, both notes
            old = items[key]
            old.note = "\n\n".join(t for t in (old.note, entry.note) if t)
            old.tags += [t for t in entry.tags if t not in old.tags]
            continue
        page = pages.get(key)
        record = page.record if page else None
        items[key] = DraftItem(
            url=entry.url,
            title=entry.title or (record.title if record else None),
            note=entry.note,
            summary=record.summary if record else "",
            tags=list(entry.tags),
            section=entry.section or _guess_section(site, entry.url, None),
            origin="inbox",
            entry=entry,
        )
    return items


def _add_feed_items(
    items: dict[str, DraftItem],
    site: SiteConfig,
    candidates: Iterable[Candidate],
    pages: Mapping[str, CachedPage],
    since: datetime | None,
) -> None:
    """Add the feed entries newer than ``since``, oldest first, whose links are not in yet."""
    for c in sorted(candidates, key=lambda c: (c.published or "", c.first_seen, c.link)):
        key = normalize_url(c.link)
        if key in items or not _is_new(c, since):
            continue
        page = pages.get(key)
        record = page.record if page else None
        items[key] = DraftItem(
            url=key,  # the link as the cache knows it: no utm_* or other tracking
            title=(record.title if record else None) or c.title,
            note="",
            summary=record.summary if record else _feed_summary(c, site),
            tags=list(c.tags),
            section=_guess_section(site, c.link, c.section),
            origin=c.feed,
        )


def _mark_published(items: Mapping[str, DraftItem], content: Content) -> list[str]:
    """Note on each item the issues that already carry it; a flag for each such item."""
    published = _published_links(content)
    flags = []
    for key, item in items.items():
        item.published_in = published.get(key, [])
        if item.published_in:
            where = f"{item.entry.where}: " if item.entry else ""
            numbers = "、".join(f"第{n}期" for n in item.published_in)
            flags.append(f"{where}{item.url} was already published ({numbers})")
    return flags


def _published_links(content: Content) -> dict[str, list[int]]:
    """Normalised URL -> the numbers of the issues that already carry it."""
    seen: dict[str, list[int]] = {}
    for issue in sorted(content.issues, key=lambda i: i.number):
        for section in issue.sections:
            for item in section.items:
                seen.setdefault(normalize_url(item.url), []).append(issue.number)
    return seen


def _archive_tags(content: Content) -> list[Tag]:
    """Every tag the archive uses, most used first (ties by name)."""
    counts: dict[Tag, int] = {}
    for entry in content.entries():
        for tag in entry.all_tags:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t.name))


def _is_new(candidate: Candidate, since: datetime | None) -> bool:
    """Whether a feed entry appeared after ``since`` (its date, else when it was first seen)."""
    if since is None:
        return True
    if candidate.published:
        try:
            return datetime.fromisoformat(candidate.published) > since
        except ValueError:
            pass
    return candidate.first_seen > since.timestamp()


def _feed_summary(candidate: Candidate, site: SiteConfig) -> str:
    """A summary of a feed entry's own (sanitised) HTML, for pages not in the cache."""
    text = html.unescape(nh3.clean(candidate.summary.replace("</p>", "</p>\n"), tags=set()))
    return text_summary(text, site.summary, title=candidate.title)


def _guess_section(site: SiteConfig, url: str, default: str | None) -> str:
    """The source's section, else the first ``[draft.rules]`` match, else the default one."""
    if default and (section := site.section(default)):
        return section.key
    parts = urlsplit(url)
    host, path = (parts.hostname or "").lower(), parts.path
    for rule, key in site.draft.rules.items():
        rule_host, _, rule_path = rule.lower().partition("/")
        if (host == rule_host or host.endswith("." + rule_host)) and path.startswith(
            "/" + rule_path
        ):
            return key
    return site.draft.section or site.sections[0].key


def _suggest_tags(item: DraftItem, known: list[Tag], limit: int) -> list[str]:
    """Archive tags whose names occur in the item's title or text, up to ``limit`` in all."""
    haystack = f"{item.title or ''}\n{item.note or item.summary}"
    found: list[str] = []
    for tag in known:
        if len(item.tags) + len(found) >= limit:
            break
        if tag.name in item.tags:
            continue
        if re.fullmatch(r"[\x00-\x7f]+", tag.name):
            flags = re.IGNORECASE if len(tag.name) > 3 else 0
            pattern = rf"(?<![A-Za-z0-9]){re.escape(tag.name)}(?![A-Za-z0-9])"
            if re.search(pattern, haystack, flags):
                found.append(tag.name)
        elif tag.name in haystack:
            found.append(tag.name)
    return found
