"""A fetched body -> :class:`PageRecord`, the scraper's one description of a link.

``digest inspect --json`` prints a PageRecord; its keys are a stable interface.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import replace
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import feedparser

from digest.model.pages import PageRecord
from digest.scraper import metadata as md
from digest.scraper import site_names, titles
from digest.scraper.authors import author
from digest.scraper.dates import published
from digest.scraper.decode import Decoded, decode_body, utf16_order
from digest.scraper.ensemble import article_text
from digest.scraper.tree import parse
from digest.text.cjk import count_cjk_letters

CJK_PER_MINUTE = 400  # characters a minute, reading Chinese
WORDS_PER_MINUTE = 230  # words a minute, reading English


def count_words(text: str) -> int:
    """CJK characters one by one, plus Latin words."""
    return sum(_counts(text))


def reading_minutes(text: str) -> int:
    """Minutes to read ``text``: 400 CJK characters or 230 words a minute, at least 1."""
    return _minutes(text, *_counts(text))


def _counts(text: str) -> tuple[int, int]:
    """CJK characters and Latin words."""
    return count_cjk_letters(text), len(_LATIN_WORD.findall(text))


_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")


def _minutes(text: str, cjk: int, latin: int) -> int:
    if not text.strip():
        return 0
    return max(1, math.ceil(cjk / CJK_PER_MINUTE + latin / WORDS_PER_MINUTE))


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """A ``Content-Type`` header's media type, lower-cased (``""`` when there is none), and
    its charset parameter, if any."""
    if not content_type:
        return "", None
    mime, _, params = content_type.partition(";")
    m = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", params, re.I)
    return mime.strip().lower(), (m.group(1) if m else None)


_IMAGE_STARTS = (b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"\xff\xd8\xff")


def is_image_data(data: bytes) -> bool:
    """PNG, GIF, JPEG or WebP by the first bytes (not SVG, which is text and can carry a
    script)."""
    return data.startswith(_IMAGE_STARTS) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def sniff_kind(body: bytes, mime: str) -> str:
    """html, feed, pdf, image or other, from the bytes first and the declared type second."""
    head = body[:1024].lstrip().lower()
    if head.startswith(b"%pdf") or mime == "application/pdf":
        return "pdf"
    if mime.startswith("image/") or is_image_data(body[:1024].lstrip()):
        return "image"
    if _root_element(head) in (b"rss", b"feed", b"rdf:rdf") or mime in (
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
    ):
        return "feed"
    if _binary(body[:4096]):
        return "other"
    if mime in ("text/html", "application/xhtml+xml", "") or re.search(rb"<(!doctype|html)", head):
        return "html"
    return "other"


# What may come before a document's first element: an XML declaration or another
# processing instruction, a comment (one cut off at the end of the bytes read too), a doctype
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?(?:-->|\Z)|<!doctype[^>]*>)", re.S)
_ELEMENT = re.compile(rb"\s*<([a-z][\w:.-]*)")


def _binary(start: bytes) -> bool:
    """NUL bytes in the first bytes, as a binary file has, unless they are UTF-16 (its BOM,
    or markup that shows once read as UTF-16) or the page's markup shows among them: a
    stray NUL in an old page's text (the CleanEval pages have some) does not make it a
    file, as it does not in a browser."""
    if b"\x00" not in start or start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if order := utf16_order(start):  # UTF-16 without its BOM: its markup, decoded
        return _MARKUP.search(start.decode(order, errors="replace").encode()) is None
    return _MARKUP.search(start) is None


_MARKUP = re.compile(rb"<(!doctype|html|head|body|title|meta|p|div|table)\b", re.I)


def _root_element(head: bytes) -> bytes | None:
    """The name of the first element in ``head`` (lower-cased bytes), after the prolog: a
    feed's is ``rss``, ``feed`` or ``rdf:rdf``; a web page's RDF (a blog's trackback data)
    comes after its first element, or in a comment."""
    at = 3 if head.startswith(codecs.BOM_UTF8) else 0
    while m := _PROLOG.match(head, at):
        at = m.end()
    m = _ELEMENT.match(head, at)
    return m.group(1) if m else None


def title_from_url(url: str) -> str:
    """``Go 1.22 Release Notes`` for ``…/go1.22-release-notes.pdf``-like URLs."""
    name = unquote(PurePosixPath(urlsplit(url).path).name)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return re.sub(r"[-_]+", " ", stem).strip() or urlsplit(url).netloc


def extract(
    body: bytes,
    *,
    url: str,
    final_url: str | None = None,
    status: int | None = None,
    content_type: str | None = None,
) -> PageRecord:
    """Describe a fetched body. Never raises on bad input: broken HTML is still read.

    The record's ``summary`` is left empty: the summarizer fills it (see
    :class:`digest.model.Summarizer`).
    """
    final_url = final_url or url
    mime, http_charset = media_type(content_type)
    kind = sniff_kind(body, mime)
    blank = PageRecord(
        url=url,
        final_url=final_url,
        canonical_url=None,
        status=status,
        content_type=content_type,
        encoding=None,
        title=None,
        site_name=None,
        author=None,
        published=None,
        lang=None,
        description=None,
        image=None,
        text="",
        word_count=0,
        reading_minutes=0,
        kind=kind,
    )
    if kind in ("pdf", "image", "other"):
        return replace(blank, title=title_from_url(final_url))
    decoded = decode_body(body, http_charset)
    if kind == "feed":
        return _feed_record(blank, decoded)
    return _html_record(blank, decoded)


def _feed_record(blank: PageRecord, decoded: Decoded) -> PageRecord:
    """A feed linked as an item: its title and subtitle."""
    parsed = feedparser.parse(decoded.text)
    feed_title = " ".join(str(parsed.feed.get("title", "")).split()) or None
    subtitle = str(parsed.feed.get("subtitle", "")) or None
    return replace(blank, encoding=decoded.encoding, title=feed_title, description=subtitle)


def _html_record(blank: PageRecord, decoded: Decoded) -> PageRecord:
    """A web page: its metadata, then its main text."""
    root = parse(decoded.text)  # one parse: the metadata reads the tree, the main text prunes it
    page = md.Page.parse(decoded.text, root)
    site = site_names.site_name(page, blank.final_url)
    lang = md.language(page)
    record = replace(
        blank,
        encoding=decoded.encoding,
        canonical_url=md.canonical(page, blank.final_url),
        title=titles.title(page, site, blank.final_url),
        site_name=site,
        author=author(page),
        published=published(page, lang, blank.final_url),
        lang=lang,
        description=md.description(page),
        image=md.image(page, blank.final_url),
    )
    # last: prunes the tree. Trafilatura reads the page parsed again, only when it runs
    # (ensemble's docstring); Chinese pages take a copy, as each needs the unpruned page
    html = None if lang[:2].lower() in ("zh", "ja") else decoded.text
    text = article_text(root, blank.final_url, html).text
    cjk, latin = _counts(text)  # once: the count and the minutes both read them
    return replace(
        record, text=text, word_count=cjk + latin, reading_minutes=_minutes(text, cjk, latin)
    )
