"""Whole articles for ``digest import``: a page's main content, or a feed's entries, as
:class:`SourceEntry` values whose HTML is sanitised and whose links are absolute.

A page goes through the same decoding, metadata and main-text container choice as any
fetched link (``extract``, ``maintext.article_parts``), but keeps the HTML of the container
and the siblings that belong to it (headings, code, images, links) instead of their text.
Lazy-loaded images (WeChat's ``data-src``) get their real URL. A feed's entries come from
feedparser.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import unquote

import lxml.html
from lxml.html import HtmlElement

from digest.model import PageRecord
from digest.model.imports import SourceEntry
from digest.scraper.decode import decode_body
from digest.scraper.extract import extract, media_type
from digest.scraper.feeds import ALLOWED_TAGS, clean_html, plain_text, read_feed
from digest.scraper.maintext import article_parts
from digest.scraper.tree import parse
from digest.text.urls import join_url, split_url

_TAGS = ALLOWED_TAGS | {"h1", "h5", "h6", "del", "s", "kbd", "dl", "dt", "dd", "caption"}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "pre": {"class", "lang", "data-lang"},
    "code": {"class", "lang", "data-lang"},
}
_WORDS = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$|^[^\x00-\x7f]*[^\x00-\x7f][^/]*$")
_LAZY = ("data-src", "data-original", "data-lazy-src", "data-actualsrc")


def sanitise(markup: str, base: str) -> str:
    """Untrusted article HTML -> a safe subset that keeps code languages; links absolute."""
    return clean_html(markup, base, _TAGS, _ATTRIBUTES, link_rel=None)


def inner_html(el: HtmlElement) -> str:
    """The HTML of what is inside ``el``: its text and its children, not its own tag."""
    inside = "".join(lxml.html.tostring(child, encoding="unicode") for child in el)
    return escape(el.text or "", quote=False) + inside


def _part_html(part: HtmlElement, parts: int) -> str:
    """A lone container gives what is inside it; with its siblings, each gives itself."""
    if parts == 1:
        return inner_html(part)
    return str(lxml.html.tostring(part, encoding="unicode", with_tail=False))


def page_entry(
    body: bytes,
    *,
    url: str,
    final_url: str | None = None,
    content_type: str | None = None,
    record: PageRecord | None = None,
) -> SourceEntry:
    """The article on a fetched page; ``notes`` say what was missing. ``record``: what
    :func:`extract` gave for the same arguments, when the caller has it already."""
    final_url = final_url or url
    if record is None:
        record = extract(body, url=url, final_url=final_url, content_type=content_type)
    root = parse(decode_body(body, media_type(content_type)[1]).text)
    for img in root.iter("img"):
        lazy = next((img.get(a) for a in _LAZY if img.get(a)), None)
        if lazy and (not img.get("src") or str(img.get("src")).startswith("data:")):
            img.set("src", lazy)
    parts = article_parts(root)
    html = sanitise("".join(_part_html(part, len(parts)) for part in parts), final_url)
    notes = []
    if not record.text.strip():
        notes.append("no article text found on the page")
    published = None
    if record.published:
        published = datetime.fromisoformat(record.published)
    return SourceEntry(
        key=url,
        origin=url,
        title=record.title or "",
        html=html,
        published=published,
        slug=slug_from(final_url),
        base_url=final_url,
        notes=tuple(notes),
    )


def feed_entries(
    body: bytes, *, url: str, content_type: str | None = None
) -> tuple[tuple[SourceEntry, ...], str | None]:
    """A feed's entries, oldest first, and what was wrong with the feed, if anything."""
    # Relative links are made absolute against each entry's own link (by ``sanitise``),
    # not the feed's location, which for a saved file is a file: URL.
    parsed = read_feed(body, url=url, content_type=content_type, resolve_relative_uris=False)
    problem = f"{url}: broken feed ({parsed.get('bozo_exception')})" if parsed.bozo else None
    if not parsed.entries and not parsed.get("version"):
        return (), problem or f"{url}: not a feed"
    entries = [_entry(entry, url, n) for n, entry in enumerate(parsed.entries, 1)]
    oldest_first = sorted(entries, key=lambda e: e.published or datetime.min.replace(tzinfo=UTC))
    return tuple(oldest_first), problem


def _entry(entry: Any, feed_url: str, n: int) -> SourceEntry:
    link = join_url(feed_url, str(entry.get("link") or "")) or ""  # http://[::1/x: no link
    html = str(entry.get("summary") or "")
    summary = ""
    if entry.get("content"):  # the whole text; the summary, when it is more than its start
        html = str(entry["content"][0].get("value") or html)
        summary = plain_text(entry.get("summary_detail")) or ""
        whole = plain_text({"value": html, "type": "text/html"}) or ""
        summary = "" if whole.startswith(summary.rstrip("…. ")) else summary
    published = _moment(entry.get("published_parsed") or entry.get("updated_parsed"))
    tags = tuple(" ".join(str(t.get("term") or "").split()) for t in entry.get("tags", []))
    return SourceEntry(
        key=str(entry.get("id") or link or f"{feed_url}#{n}"),
        origin=f"{feed_url} (entry {n})",
        title=plain_text(entry.get("title_detail")) or "",
        html=sanitise(html, link or feed_url),
        published=published,
        slug=slug_from(link),
        tags=tuple(t for t in tags if t),
        summary=summary,
        base_url=link or feed_url,
    )


def _moment(stamp: Any) -> datetime | None:
    """feedparser's UTC time tuple as a datetime; None for none, or for one past what a
    datetime holds (year 0 of a +14:00 date, 99999), which ended the whole import."""
    try:
        return datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
    except (ValueError, OverflowError, OSError):
        return None


def slug_from(link: str) -> str:
    """The last part of a URL's path when it reads as words (``pprof-leak.html``), which a
    blog usually makes its slug; '' for an id such as WeChat's ``/s/AbCdEf``."""
    parts = split_url(link)
    if parts is None:
        return ""
    last = unquote(parts.path).rstrip("/").rpartition("/")[2]
    last = last.rsplit(".", 1)[0] if last.endswith((".html", ".htm", ".php")) else last
    return last if _WORDS.match(last) else ""
