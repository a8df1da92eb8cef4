"""Page metadata from HTML: title, site, author, date, language, description, image, canonical.

Each field has an ordered list of sources (Open Graph, Twitter card, JSON-LD, plain meta
tags, microdata, visible markup); the first good value wins, except the title, which is
checked against the page's own ``<h1>`` and cleaned of a site-name suffix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from digest.text.cjk import HAN, count_han

CHINA = timezone(timedelta(hours=8))
_SEPARATORS = re.compile(r"\s+[-|–—·•»:]\s+|\s*[_｜|]\s*|\s+-\s*|\s*–\s*")


@dataclass(frozen=True)
class Page:
    """One parsed page, with what every field needs read once: JSON-LD and the meta tags."""

    soup: BeautifulSoup
    html: str
    ld: list[dict[str, Any]]
    metas: dict[str, str]
    index: dict[str, list[Tag]]  # "#id", ".class", "itemprop=x", "rel=x", "tag" -> elements

    @classmethod
    def parse(cls, html: str) -> Page:
        """Parse ``html`` (lxml); index JSON-LD, ``<meta>`` tags and elements in one pass."""
        soup = BeautifulSoup(html, "lxml")
        metas: dict[str, str] = {}
        index: dict[str, list[Tag]] = {}
        for el in soup.find_all(True):
            keys = [el.name]
            if el_id := el.get("id"):
                keys.append(f"#{el_id}")
            classes: object = el.get("class") or []
            keys += [f".{c}" for c in (classes if isinstance(classes, list) else [classes])]
            for attr in ("itemprop", "rel"):
                values = el.get(attr)
                for value in values if isinstance(values, list) else str(values or "").split():
                    keys.append(f"{attr}={value}")
            for key in keys:
                index.setdefault(key, []).append(el)
            if el.name == "meta":
                content = " ".join(str(el.get("content") or "").split())
                for attr in ("property", "name", "itemprop", "http-equiv"):
                    name = str(el.get(attr) or "").lower()
                    if name and content:
                        metas.setdefault(name, content)
        return cls(soup, html, json_ld(soup), metas, index)

    def meta(self, *names: str) -> str | None:
        """The content of the first ``<meta>`` whose property/name/itemprop is in ``names``."""
        return next((self.metas[n.lower()] for n in names if n.lower() in self.metas), None)

    def first(self, *keys: str) -> Tag | None:
        """The first element for the first key that has one (keys as in ``index``)."""
        return next((self.index[k][0] for k in keys if self.index.get(k)), None)

    def all(self, *keys: str) -> list[Tag]:
        """Every element under any of ``keys``, in the order of the keys."""
        found = dict.fromkeys(el for k in keys for el in self.index.get(k, []))
        return list(found)


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
    yield from (i for i in items if not kind(i))  # untyped, e.g. Baidu's cambrian


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(str(value).split()) if isinstance(value, str) and value.strip() else None


def _text(node: Tag | None) -> str:
    return " ".join(node.get_text(" ").split()) if node else ""


def site_name(page: Page) -> str | None:
    """A WeChat account name, og:site_name, JSON-LD publisher, application-name, or the
    site part of ``<title>`` (which wins when it is the shorter form of the same brand)."""
    ld = page.ld
    account = _text(page.first("#js_name", ".rich_media_meta_nickname"))
    if account:
        return account
    found = page.meta("og:site_name", "application-name", "apple-mobile-web-app-title")
    if not found:
        found = next((n for i in _ld_articles(ld) if (n := _ld_name(i.get("publisher")))), None)
    suffixes = title_suffixes(page)
    source = re.search(r"来源[:：]\s*([^\s　|/，,]+)", _byline_text(page))
    if source and source.group(1) in suffixes:
        return source.group(1)
    if found:
        shorter = [s for s in suffixes if s in found and s != found]
        return shorter[0] if shorter else found
    return suffixes[-1] if suffixes else None


_BYLINE_KEYS = re.compile(r"source|author|info|meta|byline|date", re.I)


def _byline_text(page: Page) -> str:
    """The text of elements whose class or id suggests source, author or date lines."""
    keys = [k for k in page.index if k[0] in ".#" and _BYLINE_KEYS.search(k)]
    return " ".join(_text(n) for n in page.all(*keys) if len(_text(n)) <= 200)


def title_suffixes(page: Page) -> list[str]:
    """The parts of ``<title>`` after the article's own title (``标题_频道_网站`` -> 频道, 网站)."""
    document_title = _text(page.soup.title) if page.soup.title else ""
    parts = [p.strip() for p in _SEPARATORS.split(document_title) if p.strip()]
    if len(parts) == 1 and (m := re.search(rf"-([^\s-]*[{HAN}][^\s-]*)$", document_title)):
        return [m.group(1)]  # "标题-CSDN博客": a bare hyphen only before a CJK site name
    return parts[1:] if len(parts) > 1 else []


def title(page: Page, site: str | None) -> str | None:
    """The article's title, without the site-name suffix the ``<title>`` carries."""
    soup, ld = page.soup, page.ld
    h1s = [_text(h) for h in soup.find_all("h1")]
    h1s = [h for h in h1s if h]
    candidates = [
        _text(page.first("#activity-name", ".rich_media_title")),
        page.meta("og:title", "twitter:title"),
        next((str(i["headline"]) for i in _ld_articles(ld) if i.get("headline")), None),
        page.meta("headline", "title", "dc.title"),
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


def author(page: Page) -> str | None:
    """meta author, JSON-LD author, Twitter's "Written by", itemprop/rel author, a
    "By …"/"作者：…" byline, or the middle of a ``标题 - 作者 - 站点`` title."""
    ld = page.ld
    value = page.meta("author", "article:author", "dc.creator")
    if value and not value.startswith(("http://", "https://", "@")):
        return value
    for item in _ld_articles(ld):
        if name := _ld_name(_resolve(item.get("author"), ld)):
            return name
    if (page.meta("twitter:label1") or "").lower() == "written by" and page.meta("twitter:data1"):
        return page.meta("twitter:data1")
    by_itemprop = page.first("itemprop=author")
    named = by_itemprop.find(itemprop="name") if by_itemprop else None
    if isinstance(named, Tag) and (name := str(named.get("content") or "") or _text(named)):
        return " ".join(name.split())
    nodes = page.all(
        "itemprop=author",
        "rel=author",
        "#js_author_name",
        ".author-name",
        ".byline-name",
        ".follow-nick-name",
        ".author",
        ".byline",
    )
    for node in nodes:
        text = _text(node)
        if text and len(text) <= 60:
            m = _BYLINE.match(text)
            return m.group(1).strip() if m else text
    if m := re.search(
        r"作者[:：]\s*(?:(?:记者|通讯员|特约撰稿人)\s*)?([^\s　|/，,：:]+)", _byline_text(page)
    ):
        return m.group(1)
    suffixes = title_suffixes(page)
    links = {_text(a) for a in page.soup.find_all("a")}
    if len(suffixes) >= 2 and len(suffixes[0]) <= 20 and suffixes[0] in links:
        return suffixes[0]
    twitter = page.meta("twitter:creator")
    return twitter.lstrip("@") if twitter else None


def _resolve(value: Any, ld: list[dict[str, Any]]) -> Any:
    """Follow a JSON-LD ``{"@id": …}`` reference to the node it names."""
    if isinstance(value, list):
        return [_resolve(v, ld) for v in value]
    if isinstance(value, dict) and "name" not in value and "@id" in value:
        return next((n for n in ld if n.get("@id") == value["@id"] and "name" in n), value)
    return value


_DATE_TEXT = re.compile(
    r"(?P<y>20\d\d|19\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?:\s*日)?"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)


def published(page: Page, lang: str) -> str | None:
    """The publication time as ISO 8601 (with offset when the time is known).

    Sources in order: meta tags, JSON-LD, ``<time>``/microdata, a WeChat ``var ct``, then
    the text of elements whose class or id speaks of a date or time. The first date found
    wins, but a later source giving a time on that same date refines it.
    """
    ld = page.ld
    names = (
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
    )
    values = [page.meta(*names)]
    for item in _ld_articles(ld):
        values += [str(item[k]) for k in ("datePublished", "pubDate", "dateCreated") if item.get(k)]
    values += [
        str(n.get("datetime") or n.get("content") or "") or _text(n)
        for n in page.all("itemprop=datePublished", "time")
    ]
    if m := re.search(r"""\bvar\s+ct\s*=\s*["']?(\d{10})["']?""", page.html):  # WeChat
        values.append(datetime.fromtimestamp(int(m.group(1)), CHINA).isoformat())
    dated = [k for k in page.index if k[0] in ".#" and _DATE_WORDS.search(k)]
    values += [
        _text(n)
        for n in page.all(*dated, ".article-meta", ".meta", ".info", ".byline", "header", ".source")
    ]
    found = [iso for v in values if v and (iso := parse_date(v, lang))]
    if not found:
        return None
    first = found[0]
    timed = next((f for f in found if len(f) > 10 and f[:10] == first[:10]), None)
    return first if len(first) > 10 or timed is None else timed


_DATE_WORDS = re.compile(r"date|time|publish|posted|pubdate", re.I)
_MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_ENGLISH_DATE = re.compile(
    r"\b(?:(?P<m1>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<d1>\d{1,2}),?"
    r"\s+(?P<y1>\d{4})|(?P<d2>\d{1,2})\s+(?P<m2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?,?\s+(?P<y2>\d{4}))\b",
    re.I,
)


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
        e = _ENGLISH_DATE.search(value)
        if not e:
            return None
        month = _MONTHS[(e["m1"] or e["m2"]).lower()[:3]]
        try:
            return (
                datetime(int(e["y1"] or e["y2"]), month, int(e["d1"] or e["d2"])).date().isoformat()
            )
        except ValueError:
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


def language(page: Page, text: str) -> str:
    """``<html lang>``, og:locale or content-language; else zh/en by the share of CJK."""
    soup = page.soup
    html = soup.find("html")
    declared = str(html.get("lang") or "") if isinstance(html, Tag) else ""
    declared = declared or page.meta("og:locale", "content-language", "language") or ""
    if declared:
        return declared.replace("_", "-")
    return "zh" if count_han(text) > len(text) * 0.1 else "en"


def description(page: Page) -> str | None:
    """og:description, meta description, twitter:description, JSON-LD description."""
    ld = page.ld
    value = page.meta("og:description", "description", "twitter:description")
    if value:
        return value
    return next((str(i["description"]) for i in _ld_articles(ld) if i.get("description")), None)


def image(page: Page, base: str) -> str | None:
    """The lead image as an absolute URL."""
    ld = page.ld
    value = page.meta("og:image", "og:image:url", "twitter:image", "twitter:image:src")
    if not value:
        for item in _ld_articles(ld):
            found: Any = item.get("image")
            found = found[0] if isinstance(found, list) and found else found
            found = found.get("url") if isinstance(found, dict) else found
            if isinstance(found, str) and found:
                value = found
                break
    return urljoin(base, value) if value else None


def canonical(page: Page, base: str) -> str | None:
    """``<link rel=canonical>`` or og:url, absolute."""
    soup = page.soup
    link = soup.find("link", rel=lambda v: bool(v) and "canonical" in v)
    href = str(link.get("href") or "") if isinstance(link, Tag) else ""
    href = href or page.meta("og:url") or ""
    return urljoin(base, href) if href else None
