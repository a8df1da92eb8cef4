"""The text under the article's title, where a page puts its byline, source and date.

Read from where :func:`~digest.scraper.headline.title_position` finds the title shown, the
title's own text left out; a line break between blocks, so that a name stops at its
paragraph.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from digest.scraper.headline import title_position
from digest.scraper.metadata import Page, per_page

_FOLLOWING_TEXTS = etree.XPath(
    "following::text()[normalize-space()]"
    "[not(parent::script or parent::style or parent::noscript)][position() <= $n]"
)


ZONE = 300  # characters: the default size, read once a page (dates and authors both ask)


def byline_zone(page: Page, size: int = ZONE) -> str:
    """The first ``size`` characters of text after the article's title as the page shows
    it (its headline element, else the text that repeats the ``<title>``, else the first
    ``<h1>``; the title's own text left out): where a page puts its byline, source and date.
    Strings of different blocks (paragraphs, cells) or parted by a ``<br>`` are joined by a
    line break, the others by a space."""
    return _zone(page) if size == ZONE else _read_zone(page, size)


def _read_zone(page: Page, size: int) -> str:
    if (position := title_position(page)) is None:
        return ""
    start, tail = position
    parts: list[str] = []
    length = 0
    block = None
    strings = _FOLLOWING_TEXTS(start, n=size + 1)
    for string in strings[1:] if tail else strings:
        if text := " ".join(string.split()):  # not only the spaces XPath does not know
            parent = string.getparent()
            here = _block_of(parent.getparent() if string.is_tail else parent)
            broken = string.is_tail and parent.tag == "br"
            parts += [" " if (here is block and not broken) or not parts else "\n", text]
            block = here
            length += len(text)
            if length >= size:
                break
    return "".join(parts).lstrip()


@per_page
def _zone(page: Page) -> str:
    """The zone of :data:`ZONE` characters, read once a page: dates and authors both ask."""
    return _read_zone(page, ZONE)


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
