"""A parsed page and the metadata fields that need no reading of its layout.

:class:`Page` parses a page once (lxml) and indexes what every field reads: its JSON-LD,
its ``<meta>`` tags, its elements by tag, id, class, itemprop and rel. Each field has an
ordered list of sources (Open Graph, Twitter card, JSON-LD, plain meta tags, microdata,
visible markup) and the first good value wins. The fields that read the page's layout have
their own modules: the title (:mod:`~digest.scraper.titles`, with the headline shown:
:mod:`~digest.scraper.headline`, and the body's headings: :mod:`~digest.scraper.headings`)
and the site's name (:mod:`~digest.scraper.site_names`), the text under the title
(:mod:`~digest.scraper.byline`), the author (:mod:`~digest.scraper.authors`) and the date
(:mod:`~digest.scraper.dates`); here are the language, description, lead image and
canonical URL.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, wraps
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from lxml import etree
from lxml.html import HtmlElement

from digest.text.cjk import KANA, count_han
from digest.text.urls import join_url


def _index_keys(attr: str, value: str) -> list[str]:
    """The keys under which :class:`Page` indexes an element for one of its attributes."""
    if attr == "class":
        return [f".{c}" for c in value.split()]
    if attr == "id":
        return [f"#{value}"] if value else []
    if attr in ("itemprop", "rel"):
        return [f"{attr}={v}" for v in value.split()]
    return ["[datetime]"] if attr == "datetime" and value else []


_INDEXED = frozenset({"class", "id", "itemprop", "rel", "datetime"})  # what _index_keys reads


def _read_meta(el: HtmlElement, metas: dict[str, str]) -> None:
    content = " ".join((el.get("content") or "").split())
    for attr in ("property", "name", "itemprop", "http-equiv"):
        name = (el.get(attr) or "").lower()
        if name and content:
            metas.setdefault(name, content)


# eq=False: a page is hashed by its identity, for per_page
@dataclass(frozen=True, eq=False)
class Page:
    """One parsed page, with what every field needs read once: JSON-LD and the meta tags."""

    root: HtmlElement
    html: str
    ld: list[dict[str, Any]]
    metas: dict[str, str]
    # "#id", ".class", "itemprop=x", "rel=x", "[datetime]", "tag" -> elements
    index: dict[str, list[HtmlElement]]

    @classmethod
    def parse(cls, html: str, root: HtmlElement) -> Page:
        """The page ``html``, parsed into ``root`` (:func:`digest.scraper.tree.parse`): JSON-LD,
        ``<meta>`` tags and elements indexed in one pass."""
        metas: dict[str, str] = {}
        index: dict[str, list[HtmlElement]] = {}
        for el in root.iter(etree.Element):  # elements only: no comments
            index.setdefault(el.tag, []).append(el)
            for attr, value in el.items():
                if attr not in _INDEXED:  # most attributes (href, src, style…): skipped here
                    continue
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
        strings, ends = self._strings
        # the strings up to the first whose end (its length and a space counted) reaches limit
        count = len(strings) if limit is None else bisect.bisect_left(ends, limit) + 1
        return " ".join(strings[:count])[:limit]

    @cached_property
    def _strings(self) -> tuple[list[str], list[int]]:
        """The visible strings, read once (:meth:`text` is asked for twice a page), a blank
        one made one character as BeautifulSoup keeps it; and where each ends, counting a
        space after each."""
        texts = _TEXTS if "template" in self.index else _TEXTS_NO_TEMPLATE
        strings: list[str] = [
            s if s.strip() else "\n" if "\n" in s else " " for s in texts(self.root)
        ]
        return strings, list(itertools.accumulate(len(s) + 1 for s in strings))

    @cached_property
    def flat_text(self) -> str:
        """The page's text on one line, its runs of spaces made one, for searches."""
        return " ".join(self.text(200_000).split())


_T = TypeVar("_T")


def per_page(func: Callable[[Page], _T]) -> Callable[[Page], _T]:
    """``func`` computed once a page, as a cached property would be, for the functions of
    other modules (the page's headline, where its title is shown)."""
    found: WeakKeyDictionary[Page, _T] = WeakKeyDictionary()

    @wraps(func)
    def once(page: Page) -> _T:
        if page not in found:
            found[page] = func(page)
        return found[page]

    return once


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
            walk(_pruned(_loads(script.text or "")))
    return found


# JSON-LD nests a few levels (a page's graph, its article, the author, their employer);
# what lies deeper is no metadata, and would carry the readers of it past Python's stack.
LD_DEPTH = 32


def _pruned(node: Any, depth: int = 0) -> Any:
    """``node`` without what lies more than :data:`LD_DEPTH` levels down (``None`` there)."""
    if depth >= LD_DEPTH:
        return None
    if isinstance(node, list):
        return [_pruned(n, depth + 1) for n in node]
    if isinstance(node, dict):
        return {k: _pruned(v, depth + 1) for k, v in node.items()}
    return node


_WRAPPER = re.compile(r"^\s*(?:<!--|<!\[CDATA\[|//\s*<!\[CDATA\[)|(?:-->|\]\]>|//\s*\]\]>|;)\s*$")


def _loads(raw: str) -> Any:
    """JSON as pages write it: strict first, then forgiving what browsers' users never see.
    JSON nested past the parser's depth (a thousand levels) is read as none."""
    try:
        return json.loads(raw)
    except ValueError:
        pass
    except RecursionError:
        return None
    cleaned = _WRAPPER.sub("", _WRAPPER.sub("", raw.strip()))
    cleaned = re.sub(r",\s*([}\]])", r"\1", cleaned)
    try:
        return json.loads(cleaned, strict=False)
    except (ValueError, RecursionError):
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


# The strings a reader sees: what BeautifulSoup's get_text() gives, in C. A script or a
# style holds only text (libxml2 reads them raw), so its text is a child: a parent test, not
# the walk up to the root ``ancestor::`` takes, which only a template needs (its content is
# parsed). Plain strings: the "smart" ones, which know their element, cost twice the time.
_TEXTS = etree.XPath(
    "descendant-or-self::text()[not(parent::script or parent::style or ancestor::template)]",
    smart_strings=False,
)
# The same for a page without a template: that walk, for each of the page's strings, is a
# third of the time (:meth:`Page._strings`; on the dev half, 6 pages in 1662 have one).
_TEXTS_NO_TEMPLATE = etree.XPath(
    "descendant-or-self::text()[not(parent::script or parent::style)]", smart_strings=False
)


def plain_text(node: HtmlElement | None) -> str:
    """The element's text, its strings joined by single spaces."""
    return " ".join(" ".join(_TEXTS(node)).split()) if node is not None else ""


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
        if el.tag in ("nav", "aside"):
            return True
        # a footer inside an article is the article's own (its tags, its credits)
        if el.tag == "footer" and next(el.iterancestors("article"), None) is None:
            return True
        marks = [*(el.get("class") or "").split(), el.get("id") or ""]
        if any(_CHROME.fullmatch(mark) for mark in marks):
            return True
        if el.tag in ("article", "main"):
            return False
    return False


_BYLINE_KEYS = re.compile(r"source|author|info|meta|byline|date", re.I)


@per_page  # the site's name and the author both read it
def byline_text(page: Page) -> str:
    """The text of elements whose class or id suggests source, author or date lines."""
    keys = [k for k in page.index if k[0] in ".#" and _BYLINE_KEYS.search(k)]
    texts = (plain_text(n) for n in page.all(*keys))
    return " ".join(text for text in texts if len(text) <= 200)


_KANA = re.compile(f"[{KANA}]")


def language(page: Page) -> str:
    """``<html lang>``, og:locale or content-language; else zh/en by the share of CJK in
    the first 20,000 characters of the page's text."""
    declared = page.root.get("lang") or ""
    declared = declared or page.meta("og:locale", "content-language", "language") or ""
    if declared:
        return declared.replace("_", "-")
    text = page.text(20000)
    han, kana = count_han(text), len(_KANA.findall(text))
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
    return join_url(base, value) if value else None  # (None: http://[::1, a bracket open)


def canonical(page: Page, base: str) -> str | None:
    """``<link rel=canonical>`` or og:url, absolute."""
    link = next((el for el in page.all("rel=canonical") if el.tag == "link"), None)
    href = (link.get("href") or "") if link is not None else ""
    href = href or page.meta("og:url") or ""
    return join_url(base, href) if href else None
