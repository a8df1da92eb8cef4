"""Feeds -> candidate entries: feedparser for every dialect, nh3 for the HTML inside.

Entry HTML is untrusted: it is sanitised here, before it is stored or shown. Broken
("bozo") feeds are still read where feedparser could, and the problem is reported.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import feedparser
import nh3

from digest.model import Candidate
from digest.scraper.decode import decode_body
from digest.scraper.extract import media_type
from digest.text.urls import join_url, url_fault

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "em",
    "strong",
    "b",
    "i",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title, its entries as candidates, and what was wrong with it, if anything."""

    title: str | None
    entries: tuple[Candidate, ...]
    problem: str | None


def plain_text(construct: Any) -> str | None:
    """A feed title (feedparser's ``title_detail``) as plain text, None if empty.

    An ``html`` title loses its tags and entities; a ``text`` one is kept as written, so a
    title about ``<select>`` keeps it. Pages escape titles themselves.
    """
    if not construct:
        return None
    text = str(construct.get("value", ""))
    if "html" in str(construct.get("type", "")):
        text = html.unescape(nh3.clean(text, tags=set()))
    return " ".join(text.split()) or None


def sanitise(markup: str, base: str) -> str:
    """Untrusted HTML -> a small safe subset with absolute http(s) links."""
    rel = "noopener noreferrer nofollow"
    return clean_html(markup, base, ALLOWED_TAGS, ALLOWED_ATTRIBUTES, link_rel=rel)


def clean_html(
    markup: str, base: str, tags: set[str], attributes: dict[str, set[str]], link_rel: str | None
) -> str:
    """Untrusted HTML -> only ``tags`` and their ``attributes``; URLs only http, https or
    mailto, ``href`` and ``src`` made absolute against ``base``; ``link_rel`` added to each
    link (None: nothing added). Feeds' entries and imported articles (``article.py``) keep
    different tags and attributes; the rest is this one rule."""
    return nh3.clean(
        markup,
        tags=tags,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel=link_rel,
        attribute_filter=lambda tag, attr, value: (
            urljoin(base, value) if attr in ("href", "src") else value
        ),
    )


def read_feed(body: bytes, *, url: str, content_type: str | None, **options: Any) -> Any:
    """feedparser's reading of a feed's bytes, decoded by our charset rules first
    (:mod:`digest.scraper.decode`); ``options`` go to ``feedparser.parse``.

    feedparser is told what it is given: XML in UTF-8. The charset the server or the feed
    declared (GBK, or none for ``text/xml``, which RFC 3023 makes US-ASCII) and a server's
    ``text/html`` for a feed were each a mismatch it reported as a broken feed."""
    text = decode_body(body, media_type(content_type)[1]).text
    headers = {"content-location": url, "content-type": "application/xml; charset=utf-8"}
    return feedparser.parse(text, response_headers=headers, **options)


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None,
    section: str | None,
    tags: tuple[str, ...],
) -> ParsedFeed:
    """Parse a feed body fetched from ``url``; never raises."""
    parsed = read_feed(body, url=url, content_type=content_type)
    problem = None
    if parsed.bozo:
        problem = f"{url}: broken feed ({parsed.get('bozo_exception')})"
    if not parsed.entries and not parsed.feed and not parsed.get("version"):
        # (a feed with no entries and no title yet is still one: feedparser names its kind)
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
                title=plain_text(entry.get("title_detail")),
                summary=sanitise(str(summary), link),
                published=_published(entry),
                section=section,
                tags=tags,
                first_seen=now,
            )
        )
    return ParsedFeed(plain_text(parsed.feed.get("title_detail")), tuple(entries), problem)


def _link(entry: Any, base: str) -> str | None:
    href = entry.get("link") or next(
        (link.get("href") for link in entry.get("links", []) if link.get("href")), None
    )
    if not href:
        return None
    absolute = join_url(base, str(href).strip())
    # a link with a port past 65535 or no host ended the whole fetch when it was normalised
    return None if absolute is None or url_fault(absolute) else absolute


def _published(entry: Any) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", stamp)
