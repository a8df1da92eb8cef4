"""A WordPress eXtended RSS export (Tools → Export) -> :class:`SourceEntry` values.

Read with lxml, from text decoded by the charset rules the caller gives (a GBK file that
declares UTF-8, or nothing, is still read), without the control characters XML forbids
(WordPress keeps whatever was pasted into a post; each refused the whole file). Posts
are imported, pages when asked; attachments, menu items, revisions and the like are not
content, and what is in the trash stays there. Comments are dropped. Dates:
``post_date_gmt`` in UTC when WordPress wrote one (a draft has ``0000-00-00``), else
``post_date`` as the blog's local time, taken to be the site's; written otherwise than
WordPress writes them (``2024-01-05T08:00:00``, a day alone: another tool's export), as
ISO 8601 reads them; else the item's ``pubDate``. Slugs are decoded
(``%e4%b9%9f%e8%b0%88`` is ``也谈``). Categories and tags both become tags, except
WordPress's default ``Uncategorized``. A title is HTML in WordPress and plain text here
(``Title <em>With</em> Markup`` is ``Title With Markup``). A password-protected post
becomes a draft. The export's namespace may be http or https (WordPress.com's exports,
the theme unit test data among them, use https).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote

import lxml.html
from lxml import etree

from digest.errors import DigestError
from digest.importer.galleries import Attachment, with_galleries, with_players
from digest.importer.wphtml import post_html
from digest.model.imports import SkippedEntry, SourceEntry
from digest.text.cjk import break_vanishes
from digest.text.encoding import NOT_XML

_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
# Every WXR version so far (1.0-1.2) names its elements alike under its own namespace,
# http or (WordPress.com's exports) https; the excerpt's namespace is under it.
_WP_NAMESPACE = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/\Z")
_DRAFT_STATUSES = frozenset({"draft", "pending", "private", "future", "auto-draft"})
_NOT_TAGS = frozenset({"uncategorized", "未分类"})


@dataclass(frozen=True)
class Export:
    """What an export holds: the entries to import and what was left out, and why."""

    site_url: str
    entries: tuple[SourceEntry, ...]
    skipped: tuple[SkippedEntry, ...]
    comments: int  # dropped


def read_export(path: Path, decode: Callable[[bytes], str], *, pages: bool = False) -> Export:
    """Read ``path``, its bytes made text by ``decode``; a file that is not a WordPress
    export is a DigestError naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DigestError(f"{path}: cannot read ({exc.strerror})") from exc
    text = decode(data).translate(NOT_XML)
    try:
        # Entities are never resolved and nothing is fetched: an export naming a local
        # file or a URL in its DTD (XXE) reads neither.
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=True, encoding="utf-8"
        )
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        where = f"{path}:{line}" if line else str(path)
        why = exc.msg.splitlines()[0] if exc.msg else "not XML"  # (lxml adds the text after)
        if "wordpress.org/export/" in text[:5000]:  # one, that ends too soon or is damaged
            raise DigestError(
                f"{where}: a WordPress export that is not well-formed XML here (it may have "
                f"been cut short: {why})"
            ) from exc
        raise DigestError(f"{where}: not a WordPress export ({why})") from exc
    wp = _namespace(root)
    if wp is None:
        raise DigestError(f"{path}: not a WordPress export (no wp:wxr_version in <channel>)")
    channel = root.find("channel")
    site_url = _text(channel, f"{{{wp}}}base_blog_url") or _text(channel, "link")
    entries: list[SourceEntry] = []
    skipped: list[SkippedEntry] = []
    comments = 0
    attachments = _attachments(root, wp)
    for item in root.iter("item"):
        comments += len(item.findall(f"{{{wp}}}comment"))
        read = _item(item, wp, path, site_url, pages, attachments)
        if isinstance(read, SourceEntry):
            entries.append(read)
        else:
            skipped.append(read)
    return Export(site_url, tuple(entries), tuple(skipped), comments)


def _namespace(root: etree._Element) -> str | None:
    """The WXR namespace the channel's ``wxr_version`` is in; None when it has none."""
    channel = root.find("channel")
    for el in channel.iterchildren(etree.Element) if channel is not None else ():
        name = etree.QName(el)
        if name.localname == "wxr_version" and _WP_NAMESPACE.match(name.namespace or ""):
            return str(name.namespace)
    return None


def _text(el: etree._Element | None, tag: str) -> str:
    found = el.find(tag) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def _attachments(root: etree._Element, wp: str) -> dict[str, Attachment]:
    """The uploaded files the export lists, by their post id (for ``[gallery]``)."""
    found = {}
    for item in root.iter("item"):
        url = _text(item, f"{{{wp}}}attachment_url")
        if _text(item, f"{{{wp}}}post_type") != "attachment" or not url:
            continue
        meta = {
            _text(m, f"{{{wp}}}meta_key"): _text(m, f"{{{wp}}}meta_value")
            for m in item.findall(f"{{{wp}}}postmeta")
        }
        order = _text(item, f"{{{wp}}}menu_order")
        attachment = Attachment(
            id=_text(item, f"{{{wp}}}post_id"),
            url=url,
            parent=_text(item, f"{{{wp}}}post_parent") or "0",
            order=int(order) if re.fullmatch(r"-?\d+", order) else 0,
            alt=meta.get("_wp_attachment_image_alt", ""),
            caption=_text(item, f"{{{wp}excerpt/}}encoded"),
        )
        found[attachment.id] = attachment
    return found


def _item(
    item: etree._Element,
    wp: str,
    path: Path,
    site_url: str,
    pages: bool,
    attachments: Mapping[str, Attachment],
) -> SourceEntry | SkippedEntry:
    """One ``<item>``: an entry to import, or the reason it is not one."""
    origin = f"{path}:{item.sourceline}"
    title = _plain(_text(item, "title"))
    kind = _text(item, f"{{{wp}}}post_type") or "post"
    status = _text(item, f"{{{wp}}}status")
    shown_title = title or f"({kind} {_text(item, f'{{{wp}}}post_id')})"
    if kind not in ("post", "page"):
        return SkippedEntry(origin, shown_title, f"a WordPress {kind}, not a post")
    if kind == "page" and not pages:
        return SkippedEntry(origin, shown_title, "a page (--pages imports pages as posts)")
    if status == "trash":
        return SkippedEntry(origin, shown_title, "in the WordPress trash")
    published = _date(item, wp)
    if isinstance(published, str):
        why = f"its date {published!r} cannot be read (a post needs one: fix it and import again)"
        return SkippedEntry(origin, shown_title, why)
    body = item.find(_CONTENT)
    link = _text(item, "link")
    text = (body.text or "") if body is not None else ""
    post_id = _text(item, f"{{{wp}}}post_id")
    text = with_players(with_galleries(text, post_id, attachments), post_id, attachments)
    html, notes = post_html(text)
    if not title:
        notes += ("it had no title; the first words of the text stand in",)
    locked = bool(_text(item, f"{{{wp}}}post_password"))
    if locked:
        notes += (_LOCKED,)
    return SourceEntry(
        key=_text(item, "guid") or link or origin,
        origin=origin,
        title=title,
        html=html,
        published=published,
        slug=unquote(_text(item, f"{{{wp}}}post_name")),
        tags=_tags(item),
        summary=_text(item, f"{{{wp}excerpt/}}encoded") or _teaser(text),
        draft=status in _DRAFT_STATUSES or locked,
        base_url=link if link.startswith(("http://", "https://")) else site_url,
        notes=notes,
    )


# A password-protected post was for some readers only: never published by an import.
_LOCKED = "password-protected in WordPress: imported as a draft (the password is not kept)"


_MORE = re.compile(r"<!--\s*more\b.*?-->", re.I | re.S)


def _teaser(body: str) -> str:
    """The text before a post's ``<!--more-->``, which the writer chose to show on the
    blog's front page: its summary when it has no excerpt ('' when it has no such mark)."""
    found = _MORE.search(body)
    if not found or not body[: found.start()].strip():
        return ""
    before = _fragment(body[: found.start()])
    etree.strip_elements(before, "script", "style", "pre", with_tail=False)
    for block in before.iter(*_BLOCKS):
        block.tail = "\n" + (block.tail or "")
    lines = [" ".join(line.split()) for line in before.text_content().split("\n")]
    parts: list[str] = []
    prev = ""
    for line in filter(None, lines):  # joined as lines of wrapped text: no space in Chinese
        if prev:  # the rule looks at the two lines that meet (linear, however many lines)
            parts.append("" if break_vanishes(prev + line, len(prev) - 1, len(prev)) else " ")
        parts.append(line)
        prev = line
    return "".join(parts)


_BLOCKS = ("p", "div", "li", "br", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr")


def _plain(title: str) -> str:
    """A WordPress title as its readers saw it: it is HTML (``Title <em>With</em>
    Markup``, ``Q&amp;A``), and ours are plain text."""
    if "<" not in title and "&" not in title:
        return title
    return " ".join(_fragment(title).text_content().split())


# A whole document's tags: lxml's fragment parser refuses a fragment that holds one alone
# (a tech blog's post titled "<!DOCTYPE html>" or "<html>"); a browser shows none of them.
_DOCUMENT_TAG = re.compile(r"<!DOCTYPE[^>]*>|</?(?:html|head|body)\b[^>]*>", re.I)


def _fragment(markup: str) -> lxml.html.HtmlElement:
    """``markup``, a piece of a post's HTML, inside a ``<div>`` (its document's tags gone)."""
    return lxml.html.fragment_fromstring(_DOCUMENT_TAG.sub("", markup), create_parent="div")


def _date(item: etree._Element, wp: str) -> datetime | str | None:
    """UTC from ``post_date_gmt``; else ``post_date`` without a zone (the site's); else the
    ``pubDate``. None when there is none (a draft's ``0000-00-00``), and the first one
    written when none can be read."""
    unread = None
    for tag, zone in (("post_date_gmt", UTC), ("post_date", None)):
        value = _text(item, f"{{{wp}}}{tag}")
        if not value or value.startswith("0000"):
            continue
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            unread = unread or value
            continue
        return when if when.tzinfo or not zone else when.replace(tzinfo=zone)
    value = _text(item, "pubDate")
    if value and "-0001" not in value.split()[:4]:  # WordPress's year of a draft's: none
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return unread or value
        return when if when.tzinfo else when.replace(tzinfo=UTC)  # -0000: UTC, RFC 5322
    return unread


def _tags(item: etree._Element) -> tuple[str, ...]:
    names = []
    for cat in item.findall("category"):
        name = " ".join((cat.text or "").split())
        if cat.get("domain") in ("category", "post_tag") and name.lower() not in _NOT_TAGS:
            names.append(name)
    return tuple(dict.fromkeys(names))
