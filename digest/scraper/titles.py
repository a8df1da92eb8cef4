"""The article's title, read from the page's headline, the titles it declares and its
``<title>`` (the headline and the declared titles are read by
:mod:`~digest.scraper.headline`; what the body shows as headings by
:mod:`~digest.scraper.headings`; the site's name, and the parts of ``<title>`` that name
it, by :mod:`~digest.scraper.site_names`; how two titles' texts compare, and a title
without the parts that name the site, by :mod:`~digest.scraper.title_text`).

Three sources, and what each is:

- The headline: the ``<h1>`` or ``itemprop=headline`` that shows the title, not a logo,
  the site's name or navigation (:func:`~digest.scraper.headline.headline`); without one,
  the ``<h2>`` of an article's ``<header>`` that agrees with a declared title
  (:func:`~digest.scraper.headline.header_h2`); without either, or when the ``<h1>`` shows
  the blog's name, the heading a blog's theme shows its post's title in, which
  ``<title>`` shows beside the blog's name
  (:func:`~digest.scraper.site_names.beside_heading`).
- The declared title: WeChat's, og:title, JSON-LD's headline, then meta tags; not one
  that is the site's name (:func:`~digest.scraper.headline.declared_titles`,
  :func:`_names_site`).
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
:func:`~digest.scraper.headline.title_position`: the headline, else where the body
repeats ``<title>`` (old portals put it in a ``<td>``), else the first ``<h1>``, else the
first centred bold line.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

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
    words,
)
from digest.scraper.headline import declared_titles, header_h2, headline, shown_text
from digest.scraper.metadata import Page, plain_text
from digest.scraper.site_names import (
    DOMAIN,
    beside_heading,
    head_title,
    host_words,
    name_like,
    tidy,
    title_parts,
)
from digest.scraper.title_text import agrees, retold, reworded, strip_site_suffix


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
        c if c and not _names_site(page, c, site) else None for c in declared_titles(page)
    ]
    document_title = head_title(page)
    hosts = host_words(url)
    shown_el = headline(page)
    shown_el = shown_el if shown_el is not None else header_h2(page)
    shown = shown_text(shown_el) if shown_el is not None else ""
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
