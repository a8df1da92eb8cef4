"""The author a page's markup declares: a microdata author item's names, the elements
marked as the author's or the byline (``itemprop=author``, ``rel=author``, ``.author``,
``.byline``…), and, failing those, an element whose class or id speaks of an author
(``authorText``): :func:`marked_author`, step 4 of :mod:`digest.scraper.authors`.

The byline's text forms read here (``By …``, ``作者：…``, a byline in parts) are
:mod:`digest.scraper.byline_names`'; whether a text is like a person's name, and how it is
cleaned, :mod:`digest.scraper.person_names`'.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from digest.scraper.byline_names import BY, BYLINE, EDITOR, names_part
from digest.scraper.metadata import Page, in_chrome, plain_text
from digest.scraper.person_names import (
    LABEL_WORDS,
    once,
    person_like,
    sentence_end,
    without_organisation,
)
from digest.scraper.zh_names import person_part

# A class or id that marks a byline or an author's name, not their picture or biography.
_AUTHOR_MARK = re.compile(r"author|byline|credit", re.I)
_NOT_A_NAME_MARK = re.compile(
    r"bio|avatar|photo|image|img|pic|media|desc|about|share|follow|date", re.I
)


# "Jane Doe / Agency / Updated: Oct 9, 2019": the time a byline gives after the name
_DATELINE = re.compile(
    r"[\s|/·•,–—-]*\b(?:(?:last )?updated|published|posted|modified)(?:\s*:|\s+on\b).*$",
    re.I | re.S,
)


def marked_author(page: Page) -> str | None:
    """The name author markup gives: a microdata author item's names, all of them when it
    names several people, each its own ``itemprop=name`` (not the name of an item inside
    it, ``worksFor``: :func:`_item_names`); else the first element marked as the author
    (``itemprop=author``, ``rel=author``, ``.author-name``, ``.author``, ``.byline``…)
    whose text is short and neither a link's or a label's words (``View Profile``, ``About
    Us``, ``Powered by``, ``Article by``:
    :data:`~digest.scraper.person_names.LABEL_WORDS`) nor an editor's credit, and
    that does not open with a Chinese byline's other field (``来源：…``: the byline's step
    reads it); the time it gives after the name goes (``Jane Doe / Updated: Oct 9,
    2019``, ``作者：王小明 发布时间：…``), and a byline's label with the organisation after a
    name in capitals, a Chinese paper and role before it (``本报记者``). Else an element
    whose class or id speaks of an author (:func:`_loosely_marked_author`)."""
    by_itemprop = page.first("itemprop=author")
    named = _item_names(by_itemprop) if by_itemprop is not None else []
    # an author item may hold several people, each its own itemprop=name
    names = [" ".join((n.get("content") or plain_text(n)).split()) for n in named]
    name = ", ".join(n for n in dict.fromkeys(names) if n)
    if name and not LABEL_WORDS.search(name):
        return name
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
        text = _DATELINE.sub("", plain_text(node))
        if text and len(text) <= 60 and not LABEL_WORDS.search(text) and not EDITOR.search(text):
            if _OTHER_FIELD.match(text):  # "来源：某报 作者：王小明": the byline's step
                continue
            m = BYLINE.match(text)
            # "作者：王小明 发布时间：…", "本报记者 王小明": the person alone
            return person_part(without_organisation(m.group(1).strip()) if m else text)
    return _loosely_marked_author(page)


# A Chinese byline's field other than its author's, opening an element marked as the
# author's: "来源：某报", "发布时间：…" (an author's label later in it is the byline's)
_OTHER_FIELD = re.compile(r"(?:来源|稿源|出处|时间|日期|发布时间|发表时间|更新时间)\s*[:：]")


def _loosely_marked_author(page: Page) -> str | None:
    """The first element whose class or id speaks of an author or a byline
    (``authorText``, ``social-author__name``, ``css-x-Byline``), not of their picture or
    biography, outside navigation and comments, and whose text, or its first line, is a
    person's name: a ``By …`` list (see :func:`~digest.scraper.byline_names.byline_author`),
    else, of a byline in parts, the part that is names in full
    (:func:`~digest.scraper.byline_names.names_part`) when it is like a person's name
    (:func:`~digest.scraper.person_names.person_like`), or the ``By A, B and C`` list it is
    the last name of (:func:`_in_by_list`)."""
    keys = [k for k in page.index if k[0] in ".#" and _AUTHOR_MARK.search(k)]
    for node in page.all(*[k for k in keys if not _NOT_A_NAME_MARK.search(k)]):
        whole = plain_text(node)
        if in_chrome(node) or len(whole) > 500:  # a whole article marked for its author
            continue
        first = _first_strings(node)
        for text in (*first[:1], whole):  # "By A, B and C" before "… Associated Press"
            if (m := BY.match(text)) and len(m.group(1)) <= 120:
                return without_organisation(once(sentence_end(m.group(1))))
        for text in (whole, *first):
            m = BYLINE.match(text)
            name = names_part(without_organisation(m.group(1).strip()) if m else text)
            if person_like(name):
                return _in_by_list(node, name)
    return None


def _in_by_list(node: HtmlElement, name: str) -> str:
    """The whole ``By A, B and C`` list a name marked alone is the last of (``<span
    class=last-byline>C</span>``), else the name."""
    parent = node.getparent()
    shown = " ".join(parent.text_content().split()) if parent is not None else ""
    m = BY.match(shown)  # (text_content: no space before a comma between two elements)
    return m.group(1) if m and m.group(1).endswith(name) and len(m.group(1)) <= 120 else name


def _first_strings(node: HtmlElement) -> list[str]:
    """The element's first two non-blank strings."""
    found = [t for t in (" ".join(s.split()) for s in node.itertext()) if t]
    return found[:2]


def _item_names(item: HtmlElement) -> list[HtmlElement]:
    """The ``itemprop=name`` elements of a microdata item, not those of an item inside it
    (the name of the author's ``worksFor`` organisation)."""
    return [
        el
        for el in item.iterdescendants()
        if el.get("itemprop") == "name" and _item_of(el, item) is item
    ]


def _item_of(el: HtmlElement, outer: HtmlElement) -> HtmlElement | None:
    """The nearest element above ``el``, up to ``outer``, that opens an item (``itemscope``)."""
    up = el.getparent()
    while up is not None and up is not outer and up.get("itemscope") is None:
        up = up.getparent()
    return up
