"""A teaser stream: a list of other stories, each a headline link and a line of blurb.

A portal's front page and the foot of its article pages hold such a list (Yahoo's
``#Stream``). Its blurbs are sentences with few links between them, so block scoring can
rate the whole list above the article beside it. A list whose items nearly all have that
shape, and one class (a template made them: a list written by hand, links with notes,
which CleanEval's gold keeps, has none), is not an article: ``maintext`` drops it and
scores the page again when a block outside it has prose.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree
from lxml.html import HtmlElement

# On the dev half these find four containers, all lists of other stories (yahoo-3, 20
# items; mozilla-2, 6; two of dragnet's, 8); without the class test, 13, nine of them
# lists of links with notes or tables that the golds keep.
STREAM_ITEMS = 5  # at least this many items make a stream
STREAM_SHARE = 0.8  # and at least this share of the items are teasers, and of one class
HEADLINE = 15  # characters: a teaser's headline link is at least this long
BLURB = 400  # characters: and the rest (a blurb of two or three sentences, a source) at most


def _length(el: HtmlElement) -> int:
    return sum(len(s.strip()) for s in el.itertext())


def _teaser(item: HtmlElement) -> bool:
    """A headline link, then at most a short blurb: the item's first text is the link's."""
    first = next((s for s in item.itertext() if s.strip()), None)
    links = [a for a in item.iter("a") if _length(a) >= HEADLINE]
    if first is None or not links:
        return False
    headline = links[0]
    if first.strip() not in "".join(headline.itertext()):
        return False
    return _length(item) - _length(headline) <= BLURB


def is_teaser_stream(el: HtmlElement) -> bool:
    """True for a list of teasers (see the module docstring)."""
    items = [child for child in el.iterchildren(etree.Element) if _length(child)]
    if len(items) < STREAM_ITEMS:
        return False
    kinds = Counter(item.get("class") for item in items if item.get("class"))
    if not kinds or kinds.most_common(1)[0][1] < STREAM_SHARE * len(items):
        return False  # written by hand (a list of links with notes), not by a template
    return sum(map(_teaser, items)) >= STREAM_SHARE * len(items)
