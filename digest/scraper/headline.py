"""The headline a page shows, where it shows it, and the titles the page declares for
itself (:mod:`~digest.scraper.titles` takes the article's title from these and
``<title>``, in the steps its docstring lists).

- The headline: the ``<h1>`` or ``itemprop=headline`` that shows the title, not a logo,
  the site's name or navigation (:func:`headline`); without one, the ``<h2>`` of an
  article's ``<header>`` that agrees with a declared title (:func:`header_h2`); its text
  as shown, without a permalink or a kicker (:func:`shown_text`).
- The declared titles: WeChat's, og:title, JSON-LD's headline, then meta tags
  (:func:`declared_titles`). They are read here because the headline is chosen by them
  (the one that agrees with one); the title's steps read them too, from this module,
  which imports nothing from theirs.
- Where the title is shown (where the byline zone starts; :func:`title_position`): the
  headline, else where the body repeats ``<title>`` (old portals put it in a ``<td>``),
  else the first ``<h1>``, else the first centred bold line; whether a text repeats the
  page's title (:func:`repeats_title`).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from digest.scraper.headings import HEADLINE_MARKS, class_and_id, inline_text
from digest.scraper.metadata import Page, in_chrome, ld_articles, per_page, plain_text
from digest.scraper.site_names import head_title, links_home, tidy, title_parts, title_suffixes
from digest.scraper.title_text import agrees

_BRANDING = re.compile(r"logo|brand|site-?(?:title|name)|masthead", re.I)


@per_page
def headline(page: Page) -> HtmlElement | None:
    """The element that shows the article's title: among ``itemprop=headline`` and the
    ``<h1>`` elements, not a logo, the site's name, a link to the home page, navigation or
    a breadcrumb trail, the first that agrees with a title the page declares
    (:func:`~digest.scraper.title_text.agrees`), else the one best marked as a headline
    (itemprop, then a class or id speaking of a title, then inside ``<article>`` or
    ``<main>``). Its text is read without the permalink or the link to the comments it may
    end with, and without its kicker (:func:`shown_text`)."""
    names = {n.lower() for n in (page.meta("og:site_name"), *_name_parts(page)) if n}
    scored: list[tuple[int, HtmlElement]] = []
    for el in page.all("itemprop=headline", "h1"):
        text = _without_permalink(el, plain_text(el))
        marks = class_and_id(el) + " " + class_and_id(el.getparent())
        if not text or len(text) > 300 or text.lower() in names or _BRANDING.search(marks):
            continue
        if in_chrome(el) or links_home(el) or _in_breadcrumb(el):
            continue
        score = 3 * (el.get("itemprop") == "headline") + 2 * bool(HEADLINE_MARKS.search(marks))
        score += any(a.tag in ("article", "main") for a in el.iterancestors())
        scored.append((-score, el))
    ranked = [el for _, el in sorted(scored, key=lambda pair: pair[0])]
    declared = [t for t in (*declared_titles(page), head_title(page)) if t]
    agreed = (el for el in ranked if any(agrees(shown_text(el), t) for t in declared))
    return next(agreed, ranked[0] if ranked else None)


def header_h2(page: Page) -> HtmlElement | None:
    """Without a headline (the only ``<h1>`` a breadcrumb's), the ``<h2>`` of an article's
    header that agrees with a title the page declares (its kicker left out:
    :func:`shown_text`). A title is read from it; the byline zone does not start there
    (:func:`title_position` does not look for it)."""
    declared = [t for t in (*declared_titles(page), head_title(page)) if t]
    found = (h for h in page.all("h2") if _in_header(h) and not in_chrome(h))
    return next((h for h in found if any(agrees(shown_text(h), t) for t in declared)), None)


def _in_header(el: HtmlElement) -> bool:
    """Inside an article's ``<header>`` (in ``<article>`` or ``<main>``, or one that holds
    no navigation)."""
    header = next(el.iterancestors("header"), None)
    if header is None:
        return False
    inside = any(a.tag in ("article", "main") for a in header.iterancestors())
    return inside or next(header.iter("nav"), None) is None


def _name_parts(page: Page) -> list[str]:
    """The parts of ``<title>`` that may name the site or a section: its suffixes, but not
    a middle part longer than every other, the title after a kicker (``Opinion | Title |
    Site``)."""
    suffixes = title_suffixes(page)
    if len(suffixes) < 2:
        return suffixes
    longest = max(suffixes[:-1], key=len)
    others = title_parts(head_title(page))
    if all(len(longest) > len(p) for p in others if p != longest):
        return [p for p in suffixes if p != longest]
    return suffixes


# A trail of links to the page's sections: the class sites give it, schema.org's type, the
# ARIA role every navigation has.
_BREADCRUMB = re.compile(r"breadcrumb", re.I)


def _in_breadcrumb(el: HtmlElement) -> bool:
    """Inside a breadcrumb trail or an element whose role is navigation: the page's title
    as its last step (``Home › Biology › <h1>Title</h1>``), a shortened one, not the
    headline the article shows."""
    for up in (el, *el.iterancestors()):
        if up.tag in ("body", "html", "article", "main"):
            return False  # a page's or an article's class speaks of all of it
        marks = f"{class_and_id(up)} {up.get('itemtype') or ''}"
        if up.get("role") == "navigation" or _BREADCRUMB.search(marks):
            return True
    return False


_PERMALINKS = frozenset({"¶", "#", "§", "🔗"})


def _without_permalink(el: HtmlElement, text: str) -> str:
    """``text`` without the link to itself a heading ends with (``Title¶``, Sphinx's), or
    to its comments (``Title 199 Comments``, blog themes')."""
    marks = [m for a in el.iter("a") if (m := plain_text(a)) in _PERMALINKS or _to_comments(a)]
    return text[: -len(marks[-1])].rstrip() if marks and text.endswith(marks[-1]) else text


_COMMENTS = re.compile(r"#.*(?:comment|respon|repl|disqus)", re.I)


def _to_comments(link: HtmlElement) -> bool:
    """A link to the comments further down the page (``#comments``, ``#respond``)."""
    return bool(_COMMENTS.match((link.get("href") or "").strip()))


def shown_text(el: HtmlElement) -> str:
    """A headline's text as shown (:func:`~digest.scraper.headings.inline_text`), without a
    permalink or the kicker it may start with."""
    return _without_kicker(el, _without_permalink(el, inline_text(el)))


# The classes news sites give the line over a headline, inside its <h1>: the topic, not
# the title (tagesschau's <span class="dachzeile">, the German word for it).
_KICKER = re.compile(r"kicker|dachzeile|overline|eyebrow|topline|supertitle|surtitle", re.I)


def _without_kicker(el: HtmlElement, text: str) -> str:
    """``text`` without the kicker the headline starts with (``<span class="kicker">Topic
    </span><span>Title</span>``): read as one, the two make no sentence."""
    for kid in el.iterdescendants(etree.Element):
        kicker = inline_text(kid) if _KICKER.search(class_and_id(kid)) else ""
        rest = text[len(kicker) :].lstrip(" :：-–—|") if text.startswith(kicker) else ""
        if kicker and rest:
            return rest
    return text


@per_page
def title_position(page: Page) -> tuple[HtmlElement, bool] | None:
    """Where the article's title is shown, where the byline zone starts: its headline, else
    the text that repeats the ``<title>``, else the first ``<h1>``, else the first centred
    bold line (not the ``<h2>`` of :func:`header_h2`); True when the title is the tail
    text of that element rather than its content."""
    if (shown := headline(page)) is not None:
        return shown, False
    if found := _title_in_body(page):
        return found
    first = page.first("h1")
    first = first if first is not None else _centred_bold(page)
    return (first, False) if first is not None else None


def _centred_bold(page: Page) -> HtmlElement | None:
    """The first paragraph or cell, centred, whose whole text is bold and short like a
    title: how pages written before CSS show one (``<p align=center><b>标题</b></p>``)."""
    for el in page.all("b", "strong"):
        block = next(el.iterancestors("p", "div", "td", "center"), None)
        if block is None or (block.tag != "center" and block.get("align") != "center"):
            continue
        text = plain_text(block)
        if 2 <= len(text) <= 80 and plain_text(el) == text:
            return block
    return None


def declared_titles(page: Page) -> list[str | None]:
    """The titles a page declares for itself, most trusted first: WeChat's, og:title (or
    twitter:title), JSON-LD's headline, then the meta tags (``headline``, ``title``,
    ``dc.title``, ``parsely-title``); ``<title>`` aside, and a meta tag that repeats it
    declares nothing more than it does."""
    meta = tidy(page.meta("headline", "title", "dc.title", "parsely-title") or "")
    found = [
        plain_text(page.first("#activity-name", ".rich_media_title")),
        page.meta("og:title", "twitter:title"),
        next((str(i["headline"]) for i in ld_articles(page.ld) if i.get("headline")), None),
    ]
    return [tidy(t) if t else t for t in found] + [meta if meta != head_title(page) else None]


# (script, style and title hold only text, which libxml2 reads raw: a parent test, not the
# walk up to the root that ancestor:: takes for every string)
_BODY_TEXTS = etree.XPath(
    "//body//text()[normalize-space()][not(parent::script or parent::style or parent::title)]"
)


def _title_in_body(page: Page) -> tuple[HtmlElement, bool] | None:
    """The first text in the body that repeats the page's title (see :func:`repeats_title`):
    old pages show their title in a ``<td>`` or a ``<font>`` rather than an ``<h1>``.

    A string that repeats a title holds the start of its first word (four characters at
    most; a string that is the start of a title has six or more), with no space to be
    collapsed: libxml2 picks the strings that hold one, and only those are made Python
    strings, which was most of the time taken on the pages that show no headline."""
    titles = _wanted_titles(page)
    keys = {t.split()[0][:4] for t in titles}
    if not keys:
        return None  # no title of four characters or more: none is repeated
    for string in _body_texts_with(keys)(page.root):
        if _repeats(" ".join(string.split()), titles):
            parent = string.getparent()
            if isinstance(parent.tag, str):  # not a comment's tail: XPath cannot start there
                return parent, bool(string.is_tail)
    return None


def _body_texts_with(keys: set[str]) -> etree.XPath:
    """:data:`_BODY_TEXTS`, only the strings that hold one of ``keys`` (written into the
    expression: a variable is looked up in Python for every string)."""
    if any("'" in key for key in keys):
        return _BODY_TEXTS
    holding = " or ".join(f"contains(., '{key}')" for key in sorted(keys))
    return etree.XPath(
        f"//body//text()[{holding}][normalize-space()]"
        "[not(parent::script or parent::style or parent::title)]"
    )


def repeats_title(page: Page, text: str) -> bool:
    """``text`` repeats the page's title: its og:title, JSON-LD headline, ``<title>`` or
    the first part of it (see :func:`_repeats`)."""
    return _repeats(" ".join(text.split()), _wanted_titles(page))


@per_page
def _wanted_titles(page: Page) -> set[str]:
    document_title = head_title(page)
    parts = title_parts(document_title)
    wanted = {page.meta("og:title"), document_title, parts[0] if parts else None}
    wanted |= {tidy(str(i["headline"])) for i in ld_articles(page.ld) if i.get("headline")}
    return {" ".join(w.split()) for w in wanted if w and len(w) >= 4}


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
