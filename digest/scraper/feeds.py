"""Feeds -> candidate entries: feedparser for every dialect, nh3 for the HTML inside.

Entry HTML is untrusted: it is sanitised here, before it is stored or shown. Broken
("bozo") feeds are still read where feedparser could, and the problem is reported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import feedparser
import nh3

from digest.scraper.cache import Candidate
from digest.scraper.decode import decode_body

ALLOWED_TAGS = {"a", "p", "br", "em", "strong", "b", "i", "code", "pre", "ul", "ol", "li",
                "blockquote", "h2", "h3", "h4", "img", "figure", "figcaption", "table",
                "thead", "tbody", "tr", "th", "td", "sup", "sub", "hr"}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title, its entries as candidates, and what was wrong with it, if anything."""

    title: str | None
    entries: tuple[Candidate, ...]
    problem: str | None


def sanitise(html: str, base: str) -> str:
    """Untrusted HTML -> a small safe subset with absolute http(s) links."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=lambda tag, attr, value: (
            urljoin(base, value) if attr in ("href", "src") else value
        ),
    )


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None,
    section: str | None,
    tags: tuple[str, ...],
) -> ParsedFeed:
    """Parse a feed body fetched from ``url``; never raises."""
    charset = None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=")[-1].split(";")[0].strip()
    text = decode_body(body, charset).text
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(text, response_headers=headers)
    problem = None
    if parsed.bozo:
        problem = f"{url}: broken feed ({parsed.get('bozo_exception')})"
    if not parsed.entries and not parsed.feed:
        return ParsedFeed(None, (), problem or f"{url}: not a feed")
    now = time.time()
    entries = []
    for entry in parsed.entries:
        link = _link(entry, url)
        if not link:
            continue
        summary = entry.get("summary") or ""
        if entry.get("content"):
            summary = entry["content"][0].get("value", summary)
        entries.append(
            Candidate(
                link=link,
                feed=url,
                title=" ".join(str(entry.get("title", "")).split()) or None,
                summary=sanitise(str(summary), link),
                published=_published(entry),
                section=section,
                tags=tags,
                first_seen=now,
            )
        )
    title = " ".join(str(parsed.feed.get("title", "")).split()) or None
    return ParsedFeed(title, tuple(entries), problem)


def _link(entry: Any, base: str) -> str | None:
    href = entry.get("link") or next(
        (link.get("href") for link in entry.get("links", []) if link.get("href")), None
    )
    if not href:
        return None
    absolute = urljoin(base, str(href).strip())
    return absolute if absolute.startswith(("http://", "https://")) else None


def _published(entry: Any) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", stamp)
