"""The one HTML parse of a fetched page: the metadata reads the tree, the main text prunes it.

lxml.html on libxml2, with the repairs browsers make and libxml2 does not (a body after
``</html>`` or an ``<html/>``, a ``<title>`` never closed, a page nested too deep:
:func:`parse`), comments and processing instructions left out, and element classes looked
up in C.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from digest.text.encoding import NOT_XML


def parse(html: str) -> HtmlElement:
    """The document tree of ``html`` (lxml.html, comments left out); an empty ``<html>`` for
    a blank page.

    libxml2 (2.14) drops everything after ``</html>``, where some pages put their whole
    ``<body>``, and everything after an ``<html … />`` written as if empty; browsers read
    the rest as the page, and so do we: that end tag and that slash are removed. A
    ``<title>`` never closed (a page saved cut or garbled: ``<title>News</titlevalue=…``),
    or closed only by a later one, takes the page up to there as its text, in libxml2 as
    in the HTML standard; it is closed at its first tag instead (:func:`_close_title`).

    libxml2 stops nesting at 256 levels and drops the rest of the page, where old pages that
    never close their ``<font>`` (``<font size=2>line<br>`` on every line) nest one level a
    line; browsers show every line. Such a page is read again without its presentational
    tags (``font``, ``b``, ``i``…: :data:`_PRESENTATIONAL`), whose text stays.
    """
    html = _close_title(_HTML_END.sub("", _HTML_EMPTY.sub(r"\1>", html, count=1)))
    if any(char in html for char in _CONTROL_CHARS):
        # A stray NUL shows as nothing in a browser; libxml2 makes it U+FFFD. The other
        # control characters XML does not allow show as nothing too, and lxml refuses to
        # set a text holding one: the cleaning, joining a dropped element's tail to its
        # neighbour's text, ended in a ValueError. A form feed is white space in HTML.
        html = html.translate(_CONTROLS)
    root = _document(html)
    if _too_deep():
        root = _document(_PRESENTATIONAL.sub("", html))
    return root


def _document(html: str) -> HtmlElement:
    # As UTF-8 bytes, the encoding libxml2 works in: a str that is not ASCII is handed to
    # it as Latin-1, UTF-16 or UCS-4 and converted first (on the dev half's pages, the
    # same trees in 0.87 of the time; 0.6 on pages with characters past the Basic
    # Multilingual Plane, emoji). Its encoding is given, so a declared charset is not read.
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=_UTF8)
    except etree.ParserError:  # "Document is empty"
        return lxml.html.Element("html")


def _too_deep() -> bool:
    """Whether the last parse stopped at libxml2's nesting limit (and dropped the rest)."""
    return any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in _UTF8.error_log)


# The characters XML 1.0 does not allow, which lxml will not hold in a text, dropped; a form
# feed, white space in HTML, becomes a space.
_CONTROLS = {**NOT_XML, 0x0C: " "}
# Each looked for alone, as str.find looks for one character (a page holds none, most
# often): a quarter of the time of a search for any of them (a pattern of a class), which
# was as long as a third of the parse. A lone surrogate, which XML forbids too, is left to
# the encoding, as the table leaves it.
_CONTROL_CHARS = [chr(code) for code in _CONTROLS]

# Tags that only style their text, which old pages leave open; their text is kept.
_PRESENTATIONAL = re.compile(r"</?(font|b|i|u|s|strike|big|small|tt|center)\b[^>]*>", re.I)


_HTML_END = re.compile(r"</html\s*>", re.I)
_HTML_EMPTY = re.compile(r"(<html\b[^>]*?)/>", re.I)
_TITLE_START = re.compile(r"<title\b[^>]*>", re.I)
_TITLE_END = re.compile(r"</title\s*>", re.I)


_TAG = re.compile(r"<[/!a-zA-Z]")


def _close_title(html: str) -> str:
    """``html`` with a ``</title>`` before the first tag inside its ``<title>``: one never
    closed, or closed only after markup (the ``</title>`` of a later one): a title holds
    no markup, so where markup starts the title has ended. (Escaped, ``&lt;b&gt;`` is
    text, and stays.)"""
    start = _TITLE_START.search(html)
    tag = _TAG.search(html, start.end()) if start else None
    if tag is None or _TITLE_END.match(html, tag.start()):
        return html  # closed before any markup, or no tag after it
    return f"{html[: tag.start()]}</title>{html[tag.start() :]}"


def _parser(**options: str) -> etree.HTMLParser:
    """An HTML parser whose elements are lxml.html's, looked up in C: lxml.html's own parser
    picks the class of each element in Python, a call for every element visited."""
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, **options)
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


_UTF8 = _parser(encoding="utf-8")
