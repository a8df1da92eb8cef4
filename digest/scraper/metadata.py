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
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from digest.text.cjk import HAN, KANA, count_han

_SEPARATORS = re.compile(r"\s+[-|–—·•»:]\s+|\s*[_｜|]\s*|\s+-\s*|\s*–\s*")


_PARSER = HTMLParser(encoding="utf-8")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def drop_xml_declaration(html: str) -> str:
    """``html`` without a leading ``<?xml …?>``, which an HTML parser has no use for: lxml
    refuses one in a ``str``, BeautifulSoup warns of it."""
    return _XML_DECLARATION.sub("", html, count=1)


def _index_keys(attr: str, value: str) -> list[str]:
    """The keys under which :class:`Page` indexes an element for one of its attributes."""
    if attr == "class":
        return [f".{c}" for c in value.split()]
    if attr == "id":
        return [f"#{value}"] if value else []
    if attr in ("itemprop", "rel"):
        return [f"{attr}={v}" for v in value.split()]
    return ["[datetime]"] if attr == "datetime" and value else []


def _read_meta(el: HtmlElement, metas: dict[str, str]) -> None:
    content = " ".join((el.get("content") or "").split())
    for attr in ("property", "name", "itemprop", "http-equiv"):
        name = (el.get(attr) or "").lower()
        if name and content:
            metas.setdefault(name, content)


def parse_html(html: str) -> HtmlElement:
    """The page's ``<html>`` element, however broken or empty the markup (lxml, libxml2)."""
    data = drop_xml_declaration(html).encode("utf-8", "replace")
    try:
        return document_fromstring(data, parser=_PARSER)
    except etree.ParserError:  # an empty document
        return document_fromstring(b"<html><body></body></html>", parser=_PARSER)


@dataclass(frozen=True)
class Page:
    """One parsed page, with what every field needs read once: JSON-LD and the meta tags."""

    root: HtmlElement
    html: str
    ld: list[dict[str, Any]]
    metas: dict[str, str]
    # "#id", ".class", "itemprop=x", "rel=x", "[datetime]", "tag" -> elements
    index: dict[str, list[HtmlElement]]

    @classmethod
    def parse(cls, html: str, root: HtmlElement | None = None) -> Page:
        """Parse ``html`` (or take its parsed ``root``); index JSON-LD, ``<meta>`` tags and
        elements in one pass."""
        root = parse_html(html) if root is None else root
        metas: dict[str, str] = {}
        index: dict[str, list[HtmlElement]] = {}
        for el in root.iter(etree.Element):  # elements only: no comments
            index.setdefault(el.tag, []).append(el)
            for attr, value in el.items():
                for key in _index_keys(attr, value):
                    index.setdefault(key, []).append(el)
            if el.tag == "meta":
                _read_meta(el, metas)
        return cls(root, html, json_ld(index.get("script", [])), metas, index)

    def meta(self, *names: str) -> str | None:
        """The content of the first ``<meta>`` whose property/name/itemprop is in ``names``."""
        return next((self.metas[n.lower()] for n in names if n.lower() in self.metas), None)

    def first(self, *keys: str) -> HtmlElement | None:
        """The first element for the first key that has one (keys as in ``index``)."""
        return next((self.index[k][0] for k in keys if self.index.get(k)), None)

    def all(self, *keys: str) -> list[HtmlElement]:
        """Every element under any of ``keys``, in the order of the keys."""
        found = dict.fromkeys(el for k in keys for el in self.index.get(k, []))
        return list(found)

    def text(self, limit: int | None = None) -> str:
        """The page's visible text (scripts, styles and templates left out), cut at ``limit``."""
        parts: list[str] = []
        length = 0
        for string in _TEXTS(self.root):
            if not string.strip():  # as BeautifulSoup keeps a blank string: one character
                string = "\n" if "\n" in string else " "
            parts.append(string)
            length += len(string) + 1
            if limit is not None and length >= limit:
                break
        return " ".join(parts)[:limit]

    @cached_property
    def flat_text(self) -> str:
        """The page's text on one line, its runs of spaces made one, for searches."""
        return " ".join(self.text(200_000).split())

    @cached_property
    def headline(self) -> HtmlElement | None:
        """The element that shows the article's title (see :func:`_headline`)."""
        return _headline(self)

    @cached_property
    def zone_start(self) -> tuple[HtmlElement, bool] | None:
        """Where the article's title is shown, for :func:`byline_zone`; True when the
        title is the tail text of that element rather than its content."""
        if self.headline is not None:
            return self.headline, False
        if found := _title_in_body(self):
            return found
        first = self.first("h1")
        return (first, False) if first is not None else None


def json_ld(scripts: list[HtmlElement]) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page: ``@graph`` members, top-level arrays and the
    ``mainEntity`` of a page flattened; scripts wrapped in comments or CDATA, with raw
    line breaks in strings or trailing commas, still read."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            found.append(node)
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                walk(node.get(key))

    for script in scripts:
        if "ld+json" in (script.get("type") or "").lower():
            walk(_loads(script.text or ""))
    return found


_WRAPPER = re.compile(r"^\s*(?:<!--|<!\[CDATA\[|//\s*<!\[CDATA\[)|(?:-->|\]\]>|//\s*\]\]>|;)\s*$")


def _loads(raw: str) -> Any:
    """JSON as pages write it: strict first, then forgiving what browsers' users never see."""
    try:
        return json.loads(raw)
    except ValueError:
        pass
    cleaned = _WRAPPER.sub("", _WRAPPER.sub("", raw.strip()))
    cleaned = re.sub(r",\s*([}\]])", r"\1", cleaned)
    try:
        return json.loads(cleaned, strict=False)
    except ValueError:
        return None


_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|NewsArticle|Report|WebPage|TechArticle", re.I)


def ld_articles(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    def kind(item: dict[str, Any]) -> str:
        t = item.get("@type", "")
        return " ".join(t) if isinstance(t, list) else str(t)

    yield from (i for i in items if re.search("Article|Posting", kind(i)))
    yield from (i for i in items if _ARTICLE_TYPES.search(kind(i)) and "Article" not in kind(i))
    yield from (i for i in items if not kind(i))  # untyped, e.g. Baidu's cambrian


def ld_name(value: Any) -> str | None:
    """The name of a JSON-LD person or organisation (or of several, joined by commas)."""
    if isinstance(value, list):
        names = [n for n in (ld_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(str(value).split()) if isinstance(value, str) and value.strip() else None


# The strings a reader sees: what BeautifulSoup's get_text() gives, in C.
_TEXTS = etree.XPath(
    "descendant-or-self::text()[not(ancestor::script or ancestor::style or ancestor::template)]"
)
_FOLLOWING_TEXTS = etree.XPath(
    "following::text()[normalize-space()]"
    "[not(parent::script or parent::style or parent::noscript)][position() <= $n]"
)


def plain_text(node: HtmlElement | None) -> str:
    """The element's text, its strings joined by single spaces."""
    return " ".join(" ".join(_TEXTS(node)).split()) if node is not None else ""


def site_name(page: Page, url: str = "") -> str | None:
    """A WeChat account name, og:site_name, JSON-LD publisher, application-name, or the
    site part of ``<title>`` (which wins when it is the shorter form of the same brand):
    the part that names the host, else the last part if it is short like a name."""
    ld = page.ld
    account = plain_text(page.first("#js_name", ".rich_media_meta_nickname"))
    if account:
        return account
    found = page.meta("og:site_name", "application-name", "apple-mobile-web-app-title")
    if not found:
        found = next((n for i in ld_articles(ld) if (n := ld_name(i.get("publisher")))), None)
    suffixes = title_suffixes(page)
    source = re.search(r"来源[:：]\s*([^\s　|/，,]+)", byline_text(page))
    if source and source.group(1) in suffixes:
        return source.group(1)
    if found:
        shorter = [s for s in suffixes if s in found and s != found]
        return shorter[0] if shorter else found
    hosts = host_words(url)
    parts = [p.strip() for p in _SEPARATORS.split(_document_title(page)) if p.strip()]
    named = [p for p in parts if _names_host(p, hosts)] if len(parts) > 1 else []
    if named:
        return named[-1]
    return suffixes[-1] if suffixes and _name_like(suffixes[-1]) else None


_GENERIC_LABELS = frozenset({"www", "com", "net", "org", "blog", "blogs", "news", "html", "dev"})


def host_words(url: str) -> frozenset[str]:
    """The labels of the URL's host that could name the site: ``blog.acme.io`` -> acme."""
    host = (urlsplit(url).hostname or "").lower()
    return frozenset(w for w in host.split(".") if len(w) >= 3 and w not in _GENERIC_LABELS)


def _name_like(part: str) -> bool:
    """Short like a site's or a person's name, not like a phrase of a title."""
    return len(part) <= 30 and len(part.split()) <= 4


def _names_host(part: str, hosts: frozenset[str]) -> bool:
    """``SegmentFault 思否`` on segmentfault.com, ``Acme Blog`` on blog.acme.io."""
    words = re.findall(r"[a-z0-9]+", part.lower())
    named = "".join(words) in hosts or any(w in hosts for w in words)
    return bool(words) and named and _name_like(part)


def _document_title(page: Page) -> str:
    return plain_text(page.first("title"))


def byline_zone(page: Page, size: int = 300) -> str:
    """The first ``size`` characters of text after the article's title as the page shows
    it (its headline element, else the text that repeats the ``<title>``, else the first
    ``<h1>``; the title's own text left out): where a page puts its byline, source and date.
    Strings of different blocks (paragraphs, cells) are joined by a line break, the others
    by a space."""
    if page.zone_start is None:
        return ""
    start, tail = page.zone_start
    parts: list[str] = []
    length = 0
    block = None
    strings = _FOLLOWING_TEXTS(start, n=size + 1)
    for string in strings[1:] if tail else strings:
        if text := " ".join(string.split()):  # not only the spaces XPath does not know
            parent = string.getparent()
            here = _block_of(parent.getparent() if string.is_tail else parent)
            parts += [" " if here is block or not parts else "\n", text]
            block = here
            length += len(text)
            if length >= size:
                break
    return "".join(parts).lstrip()


_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "td",
        "th",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "form",
        "body",
    }
)


def _block_of(el: HtmlElement | None) -> HtmlElement | None:
    """The nearest block element holding ``el`` (itself included)."""
    while el is not None and el.tag not in _BLOCKS:
        el = el.getparent()
    return el


_HEADLINE_MARKS = re.compile(r"title|headline|\bhed\b", re.I)
_BRANDING = re.compile(r"logo|brand|site-?(?:title|name)|masthead", re.I)
_CHROME = re.compile(
    r"(?:nav|navbar|sidebar|side-bar|aside|(?:site-|page-)?footer|related|recommend|comments?)"
    r"(?:[-_]\w+)*",
    re.I,
)


def in_chrome(node: HtmlElement) -> bool:
    """Inside navigation, a sidebar, related links, comments or the site's footer."""
    for el in (node, *node.iterancestors()):
        if el.tag in ("body", "html"):
            return False
        in_article = any(True for _ in el.iterancestors("article"))
        if el.tag in ("nav", "aside") or (el.tag == "footer" and not in_article):
            return True
        marks = [*(el.get("class") or "").split(), el.get("id") or ""]
        if any(_CHROME.fullmatch(mark) for mark in marks):
            return True
        if el.tag in ("article", "main"):
            return False
    return False


def _marks(el: HtmlElement | None) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}" if el is not None else ""


def _headline(page: Page) -> HtmlElement | None:
    """The element that shows the article's title: among ``itemprop=headline`` and the
    ``<h1>`` elements, not a logo, the site's name or navigation, the first that agrees
    with a title the page declares, else the one best marked as a headline (itemprop,
    then a class or id speaking of a title, then inside ``<article>`` or ``<main>``)."""
    names = {n.lower() for n in (page.meta("og:site_name"), *title_suffixes(page)) if n}
    scored: list[tuple[int, HtmlElement]] = []
    for el in page.all("itemprop=headline", "h1"):
        text = plain_text(el)
        marks = _marks(el) + " " + _marks(el.getparent())
        if not text or len(text) > 300 or text.lower() in names or _BRANDING.search(marks):
            continue
        if in_chrome(el):
            continue
        score = 3 * (el.get("itemprop") == "headline") + 2 * bool(_HEADLINE_MARKS.search(marks))
        score += any(a.tag in ("article", "main") for a in el.iterancestors())
        scored.append((-score, el))
    ranked = [el for _, el in sorted(scored, key=lambda pair: pair[0])]
    declared = [t for t in (*_declared_titles(page), _document_title(page)) if t]
    agreed = (el for el in ranked if any(_agrees(plain_text(el), t) for t in declared))
    return next(agreed, ranked[0] if ranked else None)


def _declared_titles(page: Page) -> list[str | None]:
    """The titles a page declares for itself, most trusted first (``<title>`` aside)."""
    return [
        plain_text(page.first("#activity-name", ".rich_media_title")),
        page.meta("og:title", "twitter:title"),
        next((str(i["headline"]) for i in ld_articles(page.ld) if i.get("headline")), None),
        page.meta("headline", "title", "dc.title", "parsely-title"),
    ]


_BODY_TEXTS = etree.XPath(
    "//body//text()[normalize-space()][not(ancestor::script or ancestor::style or ancestor::title)]"
)


def _title_in_body(page: Page) -> tuple[HtmlElement, bool] | None:
    """The first text in the body that repeats the page's title (og:title, JSON-LD
    headline, ``<title>`` or its first part): old pages show their title in a ``<td>``
    or a ``<font>`` rather than an ``<h1>``."""
    document_title = _document_title(page)
    parts = [p.strip() for p in _SEPARATORS.split(document_title) if p.strip()]
    wanted = {page.meta("og:title"), document_title, parts[0] if parts else None}
    wanted |= {str(i["headline"]) for i in ld_articles(page.ld) if i.get("headline")}
    titles = {" ".join(w.split()) for w in wanted if w and len(w) >= 4}
    for string in _BODY_TEXTS(page.root):
        parent = string.getparent()
        if not isinstance(parent.tag, str):  # the tail of a comment: XPath cannot start there
            continue
        if _repeats(" ".join(string.split()), titles):
            return parent, bool(string.is_tail)
    return None


def _repeats(text: str, titles: set[str]) -> bool:
    """``text`` is one of ``titles``, most of one (``标题`` for ``标题(页 1)``), or one
    with little around it (``[栏目] 标题``), not a breadcrumb that ends with it."""
    if text in titles:
        return True
    if len(text) < 6:
        return False
    return any(
        (t.startswith(text) and len(text) >= 0.6 * len(t))
        or (t in text and len(t) >= 0.5 * len(text))
        for t in titles
    )


_BYLINE_KEYS = re.compile(r"source|author|info|meta|byline|date", re.I)


def byline_text(page: Page) -> str:
    """The text of elements whose class or id suggests source, author or date lines."""
    keys = [k for k in page.index if k[0] in ".#" and _BYLINE_KEYS.search(k)]
    return " ".join(plain_text(n) for n in page.all(*keys) if len(plain_text(n)) <= 200)


def title_suffixes(page: Page) -> list[str]:
    """The parts of ``<title>`` after the article's own title (``标题_频道_网站`` -> 频道, 网站)."""
    document_title = _document_title(page)
    parts = [p.strip() for p in _SEPARATORS.split(document_title) if p.strip()]
    if len(parts) == 1 and (m := re.search(rf"-([^\s-]*[{HAN}][^\s-]*)$", document_title)):
        return [m.group(1)]  # "标题-CSDN博客": a bare hyphen only before a CJK site name
    return parts[1:] if len(parts) > 1 else []


def title(page: Page, site: str | None, url: str = "") -> str | None:
    """The article's title, without the site name (or author) the ``<title>`` adds."""
    h1s = [plain_text(h) for h in page.all("h1")]
    h1s = [h for h in h1s if h]
    candidates = _declared_titles(page)
    document_title = _document_title(page)
    hosts = host_words(url)
    shown_el = page.headline
    shown = _inline_text(shown_el)
    declared = next((c for c in candidates if c), None)
    confirmed = any(_agrees(shown, c) for c in (*candidates, document_title) if c)
    if shown and confirmed and not (declared and _overlap(shown, declared) >= 0.6):
        return shown  # the page's headline, which another title confirms
    if declared:
        return strip_site_suffix(declared, site, h1s, hosts)
    if shown_el is not None and (_headline_marked(shown_el) or _overlap(shown, document_title)):
        return shown  # a marked headline, or one that says what <title> says in other words
    for h1 in h1s:
        if document_title and h1 in document_title:
            return h1
    if document_title:
        return strip_site_suffix(document_title, site, h1s, hosts)
    return h1s[0] if h1s else None


def _inline_text(el: HtmlElement | None) -> str:
    """A headline's text as shown: its strings joined as they are (``<span>标题</span>：``
    has no space before the colon), runs of spaces made one."""
    return " ".join(el.text_content().split()) if el is not None else ""


def _agrees(shown: str, other: str) -> bool:
    """The headline shown is the other title, or a good part of it (``Title | Site``)."""
    a, b = shown.lower(), " ".join(other.split()).lower()
    return a == b or (a in b and len(a) >= len(b) / 3)


def _headline_marked(el: HtmlElement) -> bool:
    """``itemprop=headline``, or a class or id of its own that speaks of a title."""
    return el.get("itemprop") == "headline" or bool(_HEADLINE_MARKS.search(_marks(el)))


_WORD = re.compile(rf"[{HAN}{KANA}]+|[^\W_]+")


def _words(text: str) -> set[str]:
    """Lower-cased words, and the character pairs of CJK runs."""
    found: set[str] = set()
    for run in _WORD.findall(text.lower()):
        if re.match(f"[{HAN}{KANA}]", run):
            found.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
        else:
            found.add(run)
    return found


def _overlap(a: str, b: str) -> float:
    """The share of the shorter text's words found in the other; 0 under two words shared."""
    wa, wb = _words(a), _words(b)
    shared = len(wa & wb)
    return shared / min(len(wa), len(wb)) if shared >= 2 else 0.0


def strip_site_suffix(
    text: str, site: str | None, h1s: list[str], hosts: frozenset[str] = frozenset()
) -> str:
    """``深入理解调度器 - 某某博客`` -> ``深入理解调度器``.

    A segment equal to an ``<h1>`` wins; otherwise segments naming the site (its name or
    its host) and a ``by Author`` segment are dropped, wherever they are; then the first
    segment is kept when it is the longest and the rest are short like names.
    """
    text = " ".join(text.split())
    for h1 in h1s:
        if h1 and h1 in text and len(h1) >= len(text) / 3:
            return h1
    if site and (m := re.search(rf"\s*[-_|｜–—]\s*{re.escape(site)}$", text)) and m.start():
        text = text[: m.start()]  # "标题-CSDN博客": a bare hyphen before the site's name
    parts = [p for p in _SEPARATORS.split(text) if p.strip()]
    if len(parts) < 2 or any(_all_in(parts, h1) for h1 in h1s):
        return text  # every part is in the headline: a separator of the title's own

    def names_site(part: str) -> bool:
        lowered = part.lower()
        if site and (lowered in site.lower() or (site.lower() in lowered and _name_like(part))):
            return True
        return _names_host(part, hosts) or re.match(r"(?i)by\s", part) is not None

    kept = [p for p in parts if not names_site(p)] or parts
    head = kept[0]
    # "Title | Section | Site": the first segment is the title when it is the longest part.
    longest = len(kept) > 1 and len(head) >= max(len(p) for p in kept[1:])
    if longest and (len(kept) < len(parts) or all(_name_like(p) for p in kept[1:])):
        return head
    return _join_kept(text, kept) if len(kept) < len(parts) else text


def _all_in(parts: list[str], headline: str) -> bool:
    """Most words of each part are in the headline (``Acme’s ATF - a design`` and
    ``Acme ATF: a design``)."""
    words = _words(headline)
    return all(len(_words(p) & words) >= 0.5 * len(_words(p)) for p in parts)


def _join_kept(text: str, kept: list[str]) -> str:
    start = text.index(kept[0])
    end = text.index(kept[-1], start) + len(kept[-1])
    return text[start:end].strip()


def language(page: Page) -> str:
    """``<html lang>``, og:locale or content-language; else zh/en by the share of CJK in
    the first 20,000 characters of the page's text."""
    declared = page.root.get("lang") or ""
    declared = declared or page.meta("og:locale", "content-language", "language") or ""
    if declared:
        return declared.replace("_", "-")
    text = page.text(20000)
    han, kana = count_han(text), len(re.findall(f"[{KANA}]", text))
    if han + kana <= len(text) * 0.1:
        return "en"
    return "ja" if kana >= 0.1 * (han + kana) else "zh"  # kana: Japanese, not Chinese


def description(page: Page) -> str | None:
    """og:description, meta description, twitter:description, JSON-LD description."""
    ld = page.ld
    value = page.meta("og:description", "description", "twitter:description")
    if value:
        return value
    return next((str(i["description"]) for i in ld_articles(ld) if i.get("description")), None)


def image(page: Page, base: str) -> str | None:
    """The lead image as an absolute URL."""
    ld = page.ld
    value = page.meta("og:image", "og:image:url", "twitter:image", "twitter:image:src")
    if not value:
        for item in ld_articles(ld):
            found: Any = item.get("image")
            found = found[0] if isinstance(found, list) and found else found
            found = found.get("url") if isinstance(found, dict) else found
            if isinstance(found, str) and found:
                value = found
                break
    return urljoin(base, value) if value else None


def canonical(page: Page, base: str) -> str | None:
    """``<link rel=canonical>`` or og:url, absolute."""
    link = next((el for el in page.all("rel=canonical") if el.tag == "link"), None)
    href = (link.get("href") or "") if link is not None else ""
    href = href or page.meta("og:url") or ""
    return urljoin(base, href) if href else None
