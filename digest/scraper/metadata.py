"""Page metadata from HTML: title, site, author, date, language, description, image, canonical.

Each field has an ordered list of sources (Open Graph, Twitter card, JSON-LD, plain meta
tags, microdata, visible markup); the first good value wins, except the title, which is
checked against the page's own ``<h1>`` and cleaned of a site-name suffix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

CHINA = timezone(timedelta(hours=8))
_SEPARATORS = re.compile(r"\s+[-|–—·•»:]\s+|\s*[_｜|]\s*|\s+-\s*|\s*–\s*")


def meta(soup: BeautifulSoup, *names: str) -> str | None:
    """The content of the first ``<meta>`` whose property/name/itemprop is in ``names``."""
    for name in names:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: re.compile(f"^{re.escape(name)}$", re.I)})
            if isinstance(tag, Tag):
                value = " ".join(str(tag.get("content") or "").split())
                if value:
                    return value
    return None


def json_ld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, ``@graph`` members flattened."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            found.append(node)
            walk(node.get("@graph"))

    for script in soup.find_all("script", type=re.compile("ld\\+json", re.I)):
        try:
            walk(json.loads(script.string or script.get_text() or "null"))
        except (ValueError, TypeError):
            continue
    return found


_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|NewsArticle|Report|WebPage|TechArticle", re.I)


def _ld_articles(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    def kind(item: dict[str, Any]) -> str:
        t = item.get("@type", "")
        return " ".join(t) if isinstance(t, list) else str(t)

    yield from (i for i in items if re.search("Article|Posting", kind(i)))
    yield from (i for i in items if _ARTICLE_TYPES.search(kind(i)) and "Article" not in kind(i))


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(str(value).split()) if isinstance(value, str) and value.strip() else None


def _text(node: Tag | None) -> str:
    return " ".join(node.get_text(" ").split()) if node else ""


def site_name(soup: BeautifulSoup, ld: list[dict[str, Any]]) -> str | None:
    """og:site_name, JSON-LD publisher, application-name, a WeChat account name."""
    value = meta(soup, "og:site_name", "application-name", "apple-mobile-web-app-title")
    if value:
        return value
    for item in _ld_articles(ld):
        if name := _ld_name(item.get("publisher")):
            return name
    for item in ld:
        if str(item.get("@type")) in ("WebSite", "Organization") and (name := _ld_name(item)):
            return name
    account = soup.select_one("#js_name, .rich_media_meta_nickname")
    return _text(account) or None


def title(soup: BeautifulSoup, ld: list[dict[str, Any]], site: str | None) -> str | None:
    """The article's title, without the site-name suffix the ``<title>`` carries."""
    h1s = [_text(h) for h in soup.find_all("h1")]
    h1s = [h for h in h1s if h]
    candidates = [
        _text(soup.select_one("#activity-name, .rich_media_title")),
        meta(soup, "og:title", "twitter:title"),
        next((str(i["headline"]) for i in _ld_articles(ld) if i.get("headline")), None),
        meta(soup, "headline", "title", "dc.title"),
    ]
    document_title = _text(soup.title) if soup.title else ""
    for candidate in candidates:
        if candidate:
            return strip_site_suffix(candidate, site, h1s)
    for h1 in h1s:
        if document_title and h1 in document_title:
            return h1
    if document_title:
        return strip_site_suffix(document_title, site, h1s)
    return h1s[0] if h1s else None


def strip_site_suffix(text: str, site: str | None, h1s: list[str]) -> str:
    """``深入理解调度器 - 某某博客`` -> ``深入理解调度器``.

    A segment equal to an ``<h1>`` wins; otherwise segments naming the site are dropped,
    then the longest remaining segment is kept when the rest look like a site name.
    """
    text = " ".join(text.split())
    for h1 in h1s:
        if h1 and h1 in text and len(h1) >= len(text) / 3:
            return h1
    parts = [p for p in _SEPARATORS.split(text) if p.strip()]
    if len(parts) < 2:
        return text
    if site:
        kept = [p for p in parts if p.lower() not in site.lower() and site.lower() not in p.lower()]
        if kept and len(kept) < len(parts):
            return _join_kept(text, kept)
    head = parts[0]
    # "Title | Site": the first segment is the title when it is the longest part.
    if len(head) >= max(len(p) for p in parts[1:]):
        return head
    return text


def _join_kept(text: str, kept: list[str]) -> str:
    start = text.index(kept[0])
    end = text.index(kept[-1], start) + len(kept[-1])
    return text[start:end].strip()


_BYLINE = re.compile(r"^(?:by|作者|文|撰文|author)\s*[:：|/]?\s*(.+)$", re.I)


def author(soup: BeautifulSoup, ld: list[dict[str, Any]]) -> str | None:
    """meta author, JSON-LD author, rel=author / itemprop=author, a "By …"/"作者：…" byline."""
    value = meta(soup, "author", "article:author", "twitter:creator", "dc.creator")
    if value and not value.startswith(("http://", "https://", "@")):
        return value
    for item in _ld_articles(ld):
        if name := _ld_name(item.get("author")):
            return name
    for selector in (
        '[itemprop="author"] [itemprop="name"]',
        '[itemprop="author"]',
        '[rel="author"]',
        "#js_author_name",
        ".author-name",
        ".byline-name",
        ".follow-nick-name",
        ".author",
        ".byline",
    ):
        node = soup.select_one(selector)
        text = _text(node)
        if text and len(text) <= 60:
            m = _BYLINE.match(text)
            return m.group(1).strip() if m else text
    if value:
        return value.lstrip("@")
    return None


_DATE_TEXT = re.compile(
    r"(?P<y>20\d\d|19\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)


def published(soup: BeautifulSoup, ld: list[dict[str, Any]], html: str, lang: str) -> str | None:
    """The publication time as ISO 8601 (with offset when the time is known)."""
    values = [
        meta(
            soup,
            "article:published_time",
            "datePublished",
            "publishdate",
            "pubdate",
            "publish-date",
            "og:published_time",
            "dc.date.issued",
            "dc.date",
            "date",
            "sailthru.date",
            "parsely-pub-date",
        ),
        *(str(i["datePublished"]) for i in _ld_articles(ld) if i.get("datePublished")),
    ]
    for node in soup.select("[itemprop=datePublished], time[datetime]"):
        values.append(str(node.get("datetime") or node.get("content") or ""))
    for value in values:
        if value and (iso := parse_date(value, lang)):
            return iso
    m = re.search(r"""\bvar\s+ct\s*=\s*["']?(\d{10})["']?""", html)  # WeChat
    if m:
        return datetime.fromtimestamp(int(m.group(1)), CHINA).isoformat()
    for node in soup.select(
        ".publish_time, #publish_time, .time, .date, .post-date, "
        ".article-meta, .meta, .info, .byline, header, .source"
    ):
        if iso := parse_date(_text(node), lang):
            return iso
    return None


def parse_date(value: str, lang: str) -> str | None:
    """ISO 8601 from an ISO string, a Unix time or a ``2024年3月18日 09:30`` text.

    A time without an offset on a Chinese page is taken as China time (+08:00), which is
    what such pages mean; elsewhere it is left without an offset.
    """
    value = value.strip()
    if re.fullmatch(r"\d{10}", value):
        return datetime.fromtimestamp(int(value), UTC).isoformat()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if "T" not in value and " " not in value and len(value) <= 10:
            return moment.date().isoformat()
        return _with_zone(moment, lang).isoformat()
    except ValueError:
        pass
    m = _DATE_TEXT.search(value)
    if not m:
        return None
    try:
        if m.group("H") is None:
            return datetime(int(m["y"]), int(m["m"]), int(m["d"])).date().isoformat()
        moment = datetime(
            int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"]), int(m["M"]), int(m["S"] or 0)
        )
    except ValueError:
        return None
    return _with_zone(moment, lang).isoformat()


def _with_zone(moment: datetime, lang: str) -> datetime:
    if moment.tzinfo is None and lang.lower().startswith("zh"):
        return moment.replace(tzinfo=CHINA)
    return moment


def language(soup: BeautifulSoup, text: str) -> str:
    """``<html lang>``, og:locale or content-language; else zh/en by the share of CJK."""
    html = soup.find("html")
    declared = str(html.get("lang") or "") if isinstance(html, Tag) else ""
    declared = declared or meta(soup, "og:locale", "content-language", "language") or ""
    if declared:
        return declared.replace("_", "-")
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return "zh" if cjk > len(text) * 0.1 else "en"


def description(soup: BeautifulSoup, ld: list[dict[str, Any]]) -> str | None:
    """og:description, meta description, twitter:description, JSON-LD description."""
    value = meta(soup, "og:description", "description", "twitter:description")
    if value:
        return value
    return next((str(i["description"]) for i in _ld_articles(ld) if i.get("description")), None)


def image(soup: BeautifulSoup, ld: list[dict[str, Any]], base: str) -> str | None:
    """The lead image as an absolute URL."""
    value = meta(soup, "og:image", "og:image:url", "twitter:image", "twitter:image:src")
    if not value:
        for item in _ld_articles(ld):
            found: Any = item.get("image")
            found = found[0] if isinstance(found, list) and found else found
            found = found.get("url") if isinstance(found, dict) else found
            if isinstance(found, str) and found:
                value = found
                break
    return urljoin(base, value) if value else None


def canonical(soup: BeautifulSoup, base: str) -> str | None:
    """``<link rel=canonical>`` or og:url, absolute."""
    link = soup.find("link", rel=lambda v: bool(v) and "canonical" in v)
    href = str(link.get("href") or "") if isinstance(link, Tag) else ""
    href = href or meta(soup, "og:url") or ""
    return urljoin(base, href) if href else None
