"""What a page's body shows as headings: the elements that show a text alone, the
headline shown nearest before an article's text starts, or over the byline that opens it,
and whether a line is about that text (shares a word with its first paragraph).

:mod:`~digest.scraper.titles` reads them to tell a ``<title>`` that holds the article's
title from one that names only the site or a section (``Press TV``), and to find the
title a page shows without one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from lxml import etree
from lxml.html import HtmlElement

from digest.scraper.metadata import Page, in_chrome, per_page
from digest.text.cjk import HAN, KANA
from digest.text.months import MONTH_NAME, MONTHS

HEADLINE_MARKS = re.compile(r"title|headline|\bhed\b", re.I)


def class_and_id(el: HtmlElement | None) -> str:
    """The element's class and id, to search for what they speak of."""
    return f"{el.get('class') or ''} {el.get('id') or ''}" if el is not None else ""


# A text of the body's, whole (not inside a script, a style or the <title>), equal to $t
_SHOWN_ALONE = etree.XPath(
    "//body//text()[normalize-space()=$t][not(parent::script or parent::style or parent::title)]"
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def blocks_showing(page: Page, text: str, headed_links: bool = False) -> list[HtmlElement]:
    """The elements whose text is ``text``, whole: not a link's, or with ``headed_links``
    a link's in a heading (a blog's title, a link to the post itself)."""
    places = [s.getparent() for s in _SHOWN_ALONE(page.root, t=text) if not s.is_tail]
    return [el for el in places if not in_link(el) or (headed_links and _headed_link(el))]


def _headed_link(el: HtmlElement) -> bool:
    """In a link that a heading holds (the link, its parent or their parent a heading): a
    blog's post titled by a link to itself."""
    link = el if el.tag == "a" else next(el.iterancestors("a"), None)
    ups = itertools.islice(link.iterancestors(), 2) if link is not None else iter(())
    return link is not None and any(as_heading(up) for up in (link, *ups))


# The first long run of prose in the body, where an article's text starts: not a script's,
# a style's, a menu's option's, nor code written out as text (``{``, ``;``, ``<``, ``=``)
_PROSE = etree.XPath(
    "//body//text()[string-length(normalize-space()) >= 120][not(parent::script or"
    " parent::style or parent::title or parent::option or parent::noscript)]"
)
_CODE = re.compile(r"[{}<>=;]")
# The lines around a headline that are not it: a subhead or deck, the byline, the date or
# time (``PublishedHead``), a caption or a credit, related links, comments.
_NOT_HEADLINE = re.compile(r"sub|byline|date|time|publish|caption|credit|related|comment", re.I)
HEADING_MARKS = re.compile(r"title|head", re.I)  # a headline's, a header's class or id
BEFORE_TEXT = 80  # the elements looked at, back from the article's text, for its headline
HEADINGS_BEFORE_TEXT = 3  # the headings among them that may be the headline
# Lines shaped otherwise than a headline: a dateline (``Tuesday January 8, 2008``, ``8th
# April 2001``, ``01/10/2008``, ``at 10:25am``), a byline (``By Jane Doe``), two sentences.
_NOT_A_HEADLINE_TEXT = re.compile(
    rf"\b{MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_NAME},?\s+(?:19|20)\d\d\b"
    r"|\b\d{1,2}/\d{1,2}/(?:19|20)\d\d\b|\b\d{1,2}:\d\d\s*[ap]\.?m\b|^by\s|[a-z]{2}[.?]\s+[A-Z]",
    re.I,
)


def headline_before_text(page: Page, document_title: str = "") -> tuple[HtmlElement, str] | None:
    """The headline shown nearest before the article's text starts (its first run of
    prose, not a link's): a heading (``<h1>``-``<h6>``, or an element whose class or id
    speaks of a title or a head; a link only in a heading), not a subhead, a byline, a
    dateline or a caption, not in navigation or a sidebar, of three words or more (without
    a date or a byline on a line of its own: :func:`_without_dateline`). Of the
    few nearest, the first that ``<title>`` holds, else the nearest; when that is an
    ``<h1>``-``<h6>``, the nearest of the highest rank among them (the ``<h1>`` before the
    deck in an ``<h2>``, or before the first section's heading), unless that one shares no
    word with the text and the nearest does (:func:`about_text`: a blog's name in the
    ``<h1>``, its post's title in the ``<h2>``). Without such a heading, a line shown
    bold or large just before the text (:func:`_emphasised_before`)."""
    start = _text_start(page)
    if start is None:
        return None
    return _heading_before(page, start, document_title) or _emphasised_before(page, start)


def _heading_before(
    page: Page, start: HtmlElement, document_title: str
) -> tuple[HtmlElement, str] | None:
    near = list(itertools.islice(_headings_before(start), HEADINGS_BEFORE_TEXT))
    long = [(el, t) for el, t in near if len(t.split()) >= 3]
    held = next((pair for pair in long if pair[1].lower() in document_title.lower()), None)
    if held or not near:
        return held
    headings = [pair for pair in near if pair[0].tag in HEADINGS]
    best = min(headings, key=lambda pair: pair[0].tag) if near[0] in headings else near[0]
    if best is not near[0] and about_text(page, near[0][1]) and not about_text(page, best[1]):
        best = near[0]  # the higher heading names the site or a section, not this text
    return best if best in long else None


def _emphasised_before(page: Page, start: HtmlElement) -> tuple[HtmlElement, str] | None:
    """A headline written before CSS, as a line of its own shown bold or large, among the
    three lines before the text (``<p><font size="+2"><b>Title</b></font></p>``:
    :func:`_emphasised_line`): not a sentence (a deck ends with a full stop), a dateline
    or a byline, and sharing a word with the text (:func:`about_text`)."""
    shown = (el for el in itertools.islice(_preceding(start), BEFORE_TEXT) if _own_text(el))
    for el in itertools.islice(shown, 3):
        line = _emphasised_line(el, start)
        if not line or line.endswith(".") or _NOT_A_HEADLINE_TEXT.search(line):
            continue
        if about_text(page, line):
            return el, line
    return None


_BLOCKS = ("p", "div", "td", "th", "li", "center", "blockquote", "body")


def _emphasised_line(el: HtmlElement, start: HtmlElement) -> str | None:
    """The text of ``el`` when it is a line of its own (its block's whole text) shown bold
    or large (:func:`_emphasised`), of three to twenty words, not a link, not in a sidebar
    or navigation, in the text's own box (the block and the text share a parent up to three
    levels over the text); a ``<br>`` in it read as a space."""
    block = next(el.iterancestors(*_BLOCKS), None)
    if block is None or inline_text(block) != inline_text(el) or in_link(el) or in_chrome(el):
        return None
    ups = itertools.takewhile(lambda up: up is not block, (el, *el.iterancestors()))
    boxes = list(itertools.islice(start.iterancestors(), 3))
    if not any(_emphasised(up) for up in ups) or not any(b in boxes for b in block.iterancestors()):
        return None  # plain text, or in another box than the text's (a sidebar's heading)
    pieces = (" " if isinstance(node, etree._Element) else node for node in _LINE(el))
    line = " ".join("".join(pieces).split())
    return line if 3 <= len(line.split()) <= 20 else None


_LINE = etree.XPath(".//text() | .//br")  # a line's strings and breaks, in their order


def _own_text(el: HtmlElement) -> bool:
    """Text directly in ``el``: its first string, or one after a child (``<br>`` Title)."""
    return any((t or "").strip() for t in (el.text, *(kid.tail for kid in el)))


_EMPHASIS = frozenset({"b", "strong", "big"})


def _emphasised(el: HtmlElement) -> bool:
    """Shown bold or larger than the text: ``<b>``, ``<strong>``, ``<big>``, a ``<font>``
    of size ``+1`` and up or 4 and up."""
    if el.tag in _EMPHASIS:
        return True
    size = (el.get("size") or "").strip() if el.tag == "font" else ""
    return bool(re.fullmatch(r"\+[1-7]|[4-7]", size))


def headline_over_byline(page: Page) -> str | None:
    """The line shown just over the byline that opens the article's text, a headline not
    marked as one (``<p>Title</p><p>by Jane Doe - January 16 2008</p><p>Text…``): of three
    words or more, one line, not a link, sharing a word with the text."""
    start = _text_start(page)
    if start is None:
        return None
    shown = (el for el in itertools.islice(_preceding(start), BEFORE_TEXT) if el.text)
    lines = [(el, inline_text(el)) for el in itertools.islice(shown, 3)]
    byline = next((i for i, (_, t) in enumerate(lines) if _BYLINE.match(t)), None)
    if byline is None or byline + 1 >= len(lines) or byline > 1:
        return None
    el, text = lines[byline + 1]
    one_line = 3 <= len(text.split()) <= 20 and not _NOT_A_HEADLINE_TEXT.search(text)
    return text if one_line and not in_link(el) and about_text(page, text) else None


_BYLINE = re.compile(r"(?i:by)\s+[A-Z]\w+")  # "By Jane", "BY JANE"; not "by the way"


@per_page
def _text_start(page: Page) -> HtmlElement | None:
    """The element where the article's text starts: its first run of prose, not a link's,
    not in a sidebar, navigation or comments (a reader's comment in a sidebar the page
    writes before its article)."""
    prose = (s.getparent() for s in _PROSE(page.root) if not _CODE.search(s))
    return next((el for el in prose if not in_link(el) and not in_chrome(el)), None)


def before_text(page: Page, el: HtmlElement) -> bool:
    """``el`` comes before the article's text starts (:func:`_text_start`), as its headline
    does, not a section's heading inside it; any element, when no start is found."""
    start = _text_start(page)
    return start is None or comes_first(page, el, start)


def comes_first(page: Page, first: HtmlElement, then: HtmlElement) -> bool:
    """``first`` comes before ``then`` in the page (or is it)."""
    return next(el for el in page.root.iter() if el is first or el is then) is first


def about_text(page: Page, text: str) -> bool:
    """``text`` shares a word with the start of the article's text (its first run of prose):
    a word of four letters or more, or a pair of CJK characters. An article's headline
    does; a site's or a section's name mostly does not."""
    shared = words(text) & _start_words(page)
    return any(len(w) >= 4 or _CJK.match(w) for w in shared)


@per_page  # about_text asks several times a page: the start's words are read once
def _start_words(page: Page) -> frozenset[str]:
    """The words of the first 1,000 characters of the article's text (:func:`_text_start`)."""
    start = _text_start(page)
    return frozenset(words(inline_text(start)[:1000])) if start is not None else frozenset()


_CJK = re.compile(f"[{HAN}{KANA}]")


def _headings_before(start: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """The headings before ``start`` and their texts, nearest first, among the elements
    :data:`BEFORE_TEXT` back from it."""
    for el in itertools.islice(_preceding(start), BEFORE_TEXT):
        if el.tag not in HEADINGS and not HEADING_MARKS.search(class_and_id(el)):
            continue
        if in_link(el) and not any(up.tag in HEADINGS for up in (el, *el.iterancestors())):
            continue  # a link marked as a title (``Print version``), not a heading's
        text = _without_dateline(el)
        if not text or len(text) > 300 or _NOT_HEADLINE.search(class_and_id(el)):
            continue
        if not _NOT_A_HEADLINE_TEXT.search(text) and not in_chrome(el):
            yield el, text


# A line that is only a date and time (``Thursday, 10, January, 2008, 09:14``, ``9 Jan 2008
# 10:25 GMT``): weekdays, months, numbers, their separators; a year or a month's name in it.
_DATE_ONLY = re.compile(
    rf"(?=.*(?:\b(?:19|20)\d\d\b|\b(?:{'|'.join(MONTHS)})))"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun|{'|'.join(MONTHS)})[a-z]*\.?"
    r"|\d{1,4}(?:st|nd|rd|th)?|[ap]\.?m\.?|gmt|utc|[est]t|[,/.:|–—-]|\s)+",
    re.I,
)


def _without_dateline(el: HtmlElement) -> str:
    """A heading's text (:func:`inline_text`) without the dateline or byline it starts or
    ends with, on a line or in an element of its own (``<td class="title">Title<span
    class="date"><br>Thursday, 10, January, 2008</span>``, ``<h2>Title<br><span>by Jane
    Doe, 30 December 2007</span>``): a line that is only a date, or a byline."""
    strings = list(el.itertext())
    lines = [i for i, s in enumerate(strings) if s.strip()]
    if len(lines) > 1 and _dateline(strings[lines[-1]]):
        del strings[lines[-1]]
    elif len(lines) > 1 and _DATE_ONLY.fullmatch(strings[lines[0]].strip()):
        del strings[lines[0]]
    else:
        return inline_text(el)
    rest = " ".join("".join(strings).split())
    return rest if len(rest.split()) >= 3 else ""  # a kicker and a date: a label, not a headline


def _dateline(line: str) -> bool:
    """A line that is only a date, or a byline (``by Jane Doe, 30 December 2007``)."""
    line = line.strip()
    return bool(_DATE_ONLY.fullmatch(line) or re.match(r"(?i)by\s", line))


_WORD = re.compile(rf"[{HAN}{KANA}]+|[^\W_]+")


def words(text: str) -> set[str]:
    """Lower-cased words, and the character pairs of CJK runs."""
    found: set[str] = set()
    for run in _WORD.findall(text.lower()):
        if _CJK.match(run):
            found.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
        else:
            found.add(run)
    return found


def in_link(el: HtmlElement) -> bool:
    """A link, or inside one."""
    return el.tag == "a" or next(el.iterancestors("a"), None) is not None


def _preceding(el: HtmlElement) -> Iterator[HtmlElement]:
    """The elements before ``el`` in the page, nearest first (not its ancestors)."""
    for node in (el, *el.iterancestors()):
        for sibling in node.itersiblings(preceding=True):
            if isinstance(sibling.tag, str):
                yield from reversed(list(sibling.iter(etree.Element)))


def as_heading(el: HtmlElement) -> bool:
    """A heading, or an element (or its parent) whose class or id speaks of a title."""
    marks = f"{class_and_id(el)} {class_and_id(el.getparent())}"
    return el.tag in HEADINGS or bool(HEADLINE_MARKS.search(marks))


def inline_text(el: HtmlElement | None) -> str:
    """A headline's text as shown: its strings joined as they are (``<span>标题</span>：``
    has no space before the colon), runs of spaces made one."""
    return " ".join(el.text_content().split()) if el is not None else ""
