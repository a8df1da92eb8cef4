"""The article's title, read from the page's headline, the titles it declares and its
``<title>`` (what the body shows as headings is read by :mod:`~digest.scraper.headings`;
the site's name, and the parts of ``<title>`` that name it, by
:mod:`~digest.scraper.site_names`; how two titles' texts compare, and a title without the
parts that name the site, by :mod:`~digest.scraper.title_text`).

Three sources, and what each is:

- The headline: the ``<h1>`` or ``itemprop=headline`` that shows the title, not a logo,
  the site's name or navigation (:func:`headline`); without one, the ``<h2>`` of an
  article's ``<header>`` that agrees with a declared title (:func:`_header_h2`); without
  either, or when the ``<h1>`` shows the blog's name, the heading a blog's theme shows its
  post's title in, which ``<title>`` shows beside the blog's name
  (:func:`~digest.scraper.site_names.beside_heading`).
- The declared title: WeChat's, og:title, JSON-LD's headline, then meta tags; not one
  that is the site's name (:func:`_declared_titles`, :func:`_names_site`).
- ``<title>`` (:func:`~digest.scraper.site_names.head_title`).

:func:`title` takes the first of these steps that gives a title (:func:`_title`):

1. The headline, when another title confirms it: a declared title or ``<title>`` that
   is it or holds it (``Title | Site``, ``Artist – Song``:
   :func:`~digest.scraper.title_text.agrees`), or the declared title that says the same in
   other words (:func:`~digest.scraper.title_text.retold`). The headline is what readers see;
   og:title is often rewritten for search and social media. But a declared title with its
   very words and more careful punctuation (:func:`~digest.scraper.title_text.reworded`) is
   taken in step 2.
2. The declared title, without the parts that name the site or the author
   (``Title | Site``: :func:`~digest.scraper.title_text.strip_site_suffix`); of one that still
   has parts (``Title - Site - Motto``), the part the body shows alone
   (:func:`_part_shown`). It is the title alone more often than ``<title>``, which names
   the site too.
3. When no title is declared (but the site's name): the headline, when it is marked as
   one and not a section's label (:func:`_marked`) or retells ``<title>`` in other words
   (:func:`~digest.scraper.title_text.retold`): with no declared title to confirm it, its mark
   or ``<title>`` does.
4. ``<title>``, without the parts that name the site or the author, as in step 2. When
   it names only the site or a section (``Press TV``, ``Blog: Title``), the headline
   shown nearest before the article's text (a heading; on an old page, a line of its own
   in bold or a larger font) wins over it (:func:`_own_title`).
5. Without ``<title>``: a heading the body shows, the first ``<h1>`` unless it is not
   about the text (a logo, ``News``); else a title given in markup not shown, a news
   agency's ``<HeadLine>`` or a bookmarking link's (:func:`_without_title`).

Every title is read as a reader sees it (:func:`~digest.scraper.site_names.tidy`):
entities left in it read (JSON-LD's ``&#8217;``, a meta tag's ``&amp;amp;``), invisible
marks out, runs of spaces made one.

Where the title is shown (where the byline zone starts) is decided apart, by
:func:`title_position`: the headline, else where the body repeats ``<title>`` (old
portals put it in a ``<td>``), else the first ``<h1>``, else the first centred bold line.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from digest.scraper.headings import (
    HEADING_MARKS,
    HEADLINE_MARKS,
    about_text,
    as_heading,
    blocks_showing,
    class_and_id,
    headline_before_text,
    headline_over_byline,
    in_link,
    inline_text,
    words,
)
from digest.scraper.metadata import (
    Page,
    in_chrome,
    ld_articles,
    per_page,
    plain_text,
)
from digest.scraper.site_names import (
    DOMAIN,
    beside_heading,
    head_title,
    host_words,
    links_home,
    name_like,
    tidy,
    title_parts,
    title_suffixes,
)
from digest.scraper.title_text import agrees, retold, reworded, strip_site_suffix

_BRANDING = re.compile(r"logo|brand|site-?(?:title|name)|masthead", re.I)


@per_page
def headline(page: Page) -> HtmlElement | None:
    """The element that shows the article's title: among ``itemprop=headline`` and the
    ``<h1>`` elements, not a logo, the site's name, a link to the home page, navigation or
    a breadcrumb trail, the first that agrees with a title the page declares
    (:func:`~digest.scraper.title_text.agrees`), else the one best marked as a headline
    (itemprop, then a class or id speaking of a title, then inside ``<article>`` or
    ``<main>``). Its text is read without the permalink or the link to the comments it may
    end with, and without its kicker (:func:`_shown_text`)."""
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
    declared = [t for t in (*_declared_titles(page), head_title(page)) if t]
    agreed = (el for el in ranked if any(agrees(_shown_text(el), t) for t in declared))
    return next(agreed, ranked[0] if ranked else None)


def _header_h2(page: Page) -> HtmlElement | None:
    """Without a headline (the only ``<h1>`` a breadcrumb's), the ``<h2>`` of an article's
    header that agrees with a title the page declares (its kicker left out:
    :func:`_shown_text`). A title is read from it; the byline zone does not start there
    (:func:`title_position` does not look for it)."""
    declared = [t for t in (*_declared_titles(page), head_title(page)) if t]
    found = (h for h in page.all("h2") if _in_header(h) and not in_chrome(h))
    return next((h for h in found if any(agrees(_shown_text(h), t) for t in declared)), None)


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


def _shown_text(el: HtmlElement) -> str:
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
    bold line (not the ``<h2>`` of :func:`_header_h2`); True when the title is the tail
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


def _declared_titles(page: Page) -> list[str | None]:
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
    old pages show their title in a ``<td>`` or a ``<font>`` rather than an ``<h1>``."""
    titles = _wanted_titles(page)
    for string in _BODY_TEXTS(page.root):
        if _repeats(" ".join(string.split()), titles):
            parent = string.getparent()
            if isinstance(parent.tag, str):  # not a comment's tail: XPath cannot start there
                return parent, bool(string.is_tail)
    return None


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


def title(page: Page, site: str | None, url: str = "") -> str | None:
    """The article's title, without the site name (or author) the ``<title>`` adds, as a
    reader sees it (:func:`~digest.scraper.site_names.tidy`), at most :data:`LONGEST`
    characters."""
    found = _title(page, site, url)
    return (_cut(tidy(found)) or None) if found else found


# The longest title kept whole: our titles of the benchmark's dev half (1,662 pages) run to
# 158 characters at most; past this it is a <title> stuffed with keywords, or markup.
LONGEST = 300


def _cut(text: str) -> str:
    """``text`` cut to :data:`LONGEST` characters, at a space when one is near the end
    (not inside a Latin word), with ``…``."""
    if len(text) <= LONGEST:
        return text
    head = text[: LONGEST - 1]
    space = head.rfind(" ")
    return (head[:space] if space > LONGEST * 0.8 else head).rstrip() + "…"


def _title(page: Page, site: str | None, url: str) -> str | None:
    """The steps of the module's docstring, in its order: the first that gives a title wins."""
    # the three sources: the declared titles, <title>, the headline and its text
    candidates = [
        c if c and not _names_site(page, c, site) else None for c in _declared_titles(page)
    ]
    document_title = head_title(page)
    hosts = host_words(url)
    shown_el = headline(page)
    shown_el = shown_el if shown_el is not None else _header_h2(page)
    shown = _shown_text(shown_el) if shown_el is not None else ""
    # a blog's post title in an <h2>, its name in <title> (and maybe in the <h1>)
    beside = beside_heading(page) if not shown or name_like(shown) else None
    if beside and (not shown or shown.lower() == beside[0].lower()):
        shown_el, shown = None, beside[1]
    declared = next((c for c in candidates if c), None)
    stripped = strip_site_suffix(declared, site, shown, hosts) if declared else None
    # 1. the headline, when another title confirms it
    others = [c for c in (*candidates, document_title) if c]
    if shown and _confirmed(shown, others, stripped) and not reworded(shown, declared):
        return shown
    # 2. the declared title, without the site's parts
    if stripped:
        return _part_shown(page, stripped)
    # 3. none declared: the headline marked as one, or that retells <title>
    own = strip_site_suffix(document_title, site, shown, hosts) if document_title else None
    if shown_el is not None and (
        _marked(page, shown_el, shown, own) or (own and retold(shown, own))
    ):
        return shown
    # 4. <title>, without the site's parts
    if own:
        return _own_title(page, own)
    # 5. without <title>
    return _without_title(page)


def _confirmed(shown: str, others: list[str], declared: str | None) -> bool:
    """Another title confirms the headline: one of ``others`` (the declared titles and
    ``<title>``) agrees with it (:func:`~digest.scraper.title_text.agrees`), or the
    ``declared`` title, without the site's parts, retells it in other words
    (:func:`~digest.scraper.title_text.retold`)."""
    return any(agrees(shown, o) for o in others) or bool(declared and retold(shown, declared))


def _marked(page: Page, el: HtmlElement, shown: str, own: str | None) -> bool:
    """The headline ``el`` (its text ``shown``) is marked as one (:func:`_headline_marked`),
    and is not the label of a section marked as a title: that it is when ``<title>``,
    without the site's parts (``own``), is a phrase (not short like a name) the body shows
    alone, or shares a word with the article's first paragraph and the headline none."""
    if not _headline_marked(el):
        return False
    if own and not name_like(own) and blocks_showing(page, own):
        return False
    return not (own and about_text(page, own) and not about_text(page, shown))


def _own_title(page: Page, own: str) -> str:
    """``<title>`` without the site's parts (``own``), or the part of it the body shows
    (:func:`_part_shown`); but when the body does not show it alone (a link's text counts
    only in a heading) and it names the site or a section (:func:`_names_elsewhere`), the
    headline shown nearest before the article's text
    (:func:`~digest.scraper.headings.headline_before_text`) wins over it."""
    own = _part_shown(page, own)
    shown_own = blocks_showing(page, own, headed_links=True)
    before = None if shown_own else headline_before_text(page, own)
    return before[1] if before and _names_elsewhere(page, own, before) else own


def _without_title(page: Page) -> str | None:
    """The title of a page without ``<title>``: its first ``<h1>``; but when that shares no
    word with the article's first paragraph (a logo, the site's name, ``News``: an
    ``<h1>`` that is not the headline, or not marked as one), the headline shown nearest
    before the text (:func:`~digest.scraper.headings.headline_before_text`) when it does,
    else the line over the byline that opens the text
    (:func:`~digest.scraper.headings.headline_over_byline`). Without an ``<h1>``, the
    headline shown nearest before the text, else the title given in markup not shown as
    one (:func:`_given_elsewhere`)."""
    every_h1 = [text for h in page.all("h1") if (text := plain_text(h))]
    before = headline_before_text(page)
    if every_h1 and not about_text(page, every_h1[0]):  # a logo, a section's name ("News")
        before = before if before and about_text(page, before[1]) else None
        over = before[1] if before else headline_over_byline(page)
        if over:
            return over
    return every_h1[0] if every_h1 else before[1] if before else _given_elsewhere(page)


def _given_elsewhere(page: Page) -> str | None:
    """The title a page without ``<title>`` or a headline gives in markup not shown as one:
    a news agency's ``<HeadLine>`` (IPTC's NewsML, pasted into the page), else the title
    most of its links to bookmarking and sharing services give them
    (``del.icio.us/post?url=…&title=…``, Digg's, reddit's)."""
    newsml = next((t for el in page.all("headline") if (t := plain_text(el))), None)
    if newsml:
        return newsml
    given: Counter[str] = Counter()
    for link in page.all("a"):
        href = link.get("href") or ""
        query = parse_qs(urlsplit(href).query) if "title=" in href else {}
        if query.get("url") and (found := tidy(query.get("title", [""])[0])):
            given[found] += 1
    return given.most_common(1)[0][0] if given else None


def _names_elsewhere(page: Page, own: str, before: tuple[HtmlElement, str]) -> bool:
    """``<title>`` names the site or a section, not the article whose headline is shown
    before its text: it is short like a name (``Press TV``) or holds a web address
    (``Acme.com's Evening Digest``) and shares no word with the article's first
    paragraph, holds the headline (``Blog: Title``), or shares no word with
    a headline marked as one (an ``<h1>``, a class or id speaking of a title or a head: a
    motto, ``Site - Latest news, transfers``)."""
    el, text = before
    named = name_like(own) or DOMAIN.search(own) is not None
    if (named and not about_text(page, own)) or text.lower() in own.lower():
        return True
    marked = el.tag == "h1" or bool(HEADING_MARKS.search(class_and_id(el)))
    return marked and not words(text) & words(own)


def _names_site(page: Page, declared: str, site: str | None) -> bool:
    """A declared title that is the site's name (``<meta name="title" content="Shore
    Times">`` beside ``<title>shoretimes.com - Title</title>``): the same letters as the
    site's name, og:site_name or a web address in ``<title>`` (``www.`` and its domain's
    ending left out)."""
    parts = title_parts(head_title(page))
    names = [site, page.meta("og:site_name"), *(p for p in parts if DOMAIN.fullmatch(p))]
    return any(_letters(declared) == _letters(_bare_address(n)) for n in names if n)


def _bare_address(name: str) -> str:
    """``shoretimes`` for ``www.shoretimes.com``; a name that is not a web address as it is."""
    return re.sub(r"^www\.", "", name, flags=re.I).split(".")[0] if DOMAIN.fullmatch(name) else name


def _letters(text: str) -> str:
    return "".join(re.findall(r"[^\W_]", text.lower()))


def _part_shown(page: Page, found: str) -> str:
    """Of a title that still has parts (``Title - Site - Motto``, ``Site | Firm | Title``),
    the part the body shows alone as a heading (an ``<h1>``-``<h6>`` or an element whose
    class or id, or its parent's, speaks of a title; or a link in one), else alone as a
    phrase rather than a name, not in a link; a name only when it is the longest part."""
    parts = title_parts(found)
    if len(parts) < 2:
        return found
    headings, phrases = [], []
    for part in parts:
        places = blocks_showing(page, part, headed_links=True)
        if any(as_heading(el) or in_link(el) for el in places):
            headings.append(part)
        elif places and not name_like(part):
            phrases.append(part)
    chosen = max(headings or phrases, key=len, default="")
    # a name ("Site > Golf > News") only when no part is longer: a section's, else
    longest = bool(chosen) and len(chosen) == max(len(p) for p in parts)
    return chosen if chosen and (longest or not name_like(chosen)) else found


def _headline_marked(el: HtmlElement) -> bool:
    """``itemprop=headline``, or a class or id of its own that speaks of a title."""
    return el.get("itemprop") == "headline" or bool(HEADLINE_MARKS.search(class_and_id(el)))
