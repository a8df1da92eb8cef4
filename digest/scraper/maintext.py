"""The main text of an article page: the article, not the page around it.

Ours, in three steps (:func:`find_article`, then :func:`parts_text`):

1. **Drop what is never the article** (:func:`~digest.scraper.prune.clean`, in
   :mod:`digest.scraper.prune`): scripts, styles, page furniture, what the page hides,
   and elements whose class or id says comment, share, sidebar, related and the like.
2. **Score the blocks and pick the article** (:func:`_scores`, :func:`_best`,
   :func:`_parts`): every block scores by its own text (length and punctuation, CJK
   counted per character) minus its links, passes the score up to its parent and, halved,
   to its grandparent, and the best container wins; known article containers (``article``,
   ``#js_content``, ``.entry-content``…) get a bonus; a list of teasers for other stories
   (``streams``) is dropped, and the page scored again, when a block outside it has prose.
   When no block has text of its own (an old page whose text all sits in ``<font>``
   elements), the blocks are scored again with their fonts' text as theirs, and the best
   container is taken if it reads as prose, most of its text in lines of a sentence or two
   (not a list of addresses); else the body (:func:`_font_fallback`).
   Its siblings that score a fair part of its score, or are paragraphs, or are lists
   beside a list that won, and have few links, are the article too (a lede or a section
   set apart, as readability takes them), and so are the prose blocks before it that share
   its tag and class, and the blocks after it that share its tag and class, have no id and
   score a few sentences (the article's next sections: :func:`_sister_section`). When the
   container's block is one post of a list of posts (its parent one of several siblings of
   its tag and class, a blog's front page), the posts are the text, all of them, with what
   lies between them (:func:`_post_list`).
3. **Read those back as lines** (:func:`blocks`, then :func:`tidy`): paragraphs, headings,
   list items and code, one per line, skipping link lists (between Chinese or Japanese
   letters, the source's line breaks go and typed spaces stay); then drop the lines that
   are boilerplate, controls, labels, a toolbar (print, e-mail, bookmark), a pager or a
   copyright notice, and the label lines that close the text
   (:mod:`~digest.scraper.lines`).

Parsed by lxml.html (:func:`parse`); the tree is pruned in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

from digest.scraper.lines import tidy
from digest.scraper.prune import POSITIVE, clean, text_size, tokens
from digest.scraper.streams import is_teaser_stream
from digest.text.cjk import CJK, CJK_MARKS

# Containers that sites use for the article body: tag names, ids, classes.
_KNOWN_TAGS = frozenset({"article", "main"})
_KNOWN_IDS = frozenset({"js_content", "article_content", "artibody", "content"})
_KNOWN_CLASSES = frozenset(
    {
        "rich_media_content",
        "article-content",
        "entry-content",
        "post-content",
        "post-body",
        "RichText",
        "markdown-body",
        "article-body",
        "article__content",
    }
)


def _known(el: HtmlElement) -> bool:
    """True for an element that sites use to hold the article (``article``, ``#js_content``…)."""
    return (
        el.tag in _KNOWN_TAGS
        or el.get("id") in _KNOWN_IDS
        or el.get("itemprop") == "articleBody"
        or el.get("role") == "main"
        or not _KNOWN_CLASSES.isdisjoint((el.get("class") or "").split())
    )


_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "pre",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",  # a table's row groups: without them its cells run together in one line
        "tbody",
        "tfoot",
        "caption",
        "tr",
        "td",
        "th",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "br",
        "hr",
        "center",
    }
)
# Chinese and Japanese put no spaces between words: a line break between two such
# characters comes from the page's source, and a space beside full-width punctuation is
# wrapping's too (the mark carries its own spacing); both are dropped. A space typed between
# two letters is kept, as the page shows it ("乔 冠 华", "还 在 香港"): people copying the
# text keep it, and the letters on either side are not one word.
_CJK_GAP = re.compile(  # (?=\s) first: most positions fail there, before a lookbehind
    rf"(?=\s)(?:(?<=[{CJK}])[^\S\n\r]*[\n\r]\s*(?=[{CJK}])"
    rf"|(?<=[{CJK_MARKS}])\s+(?=[{CJK}])|(?<=[{CJK}])\s+(?=[{CJK_MARKS}]))"
)


def _collapse(text: str) -> str:
    """``text`` on one line, its runs of whitespace one space, or none where ``_CJK_GAP``
    says, icon glyphs read as spaces (both looked for only in text that has CJK or the
    Private Use Area: most text skips the costly patterns)."""
    if _SPECIAL.search(text):
        text = _ICONS.sub(" ", _CJK_GAP.sub("", text))
    return " ".join(text.split())


# The Private Use Area: the glyphs of icon fonts (an arrow after "返回目录", a share
# button's logo), which show as pictures, not as text.
_ICONS = re.compile("[\ue000-\uf8ff]+")
_SPECIAL = re.compile(f"[{CJK}\ue000-\uf8ff]")


_PUNCT = re.compile(r"[,，。.；;！!？?、]")


def _stripped_length(el: HtmlElement) -> int:
    """``len`` of BeautifulSoup's ``get_text(strip=True)``: each piece of text stripped."""
    return sum(map(len, map(str.strip, el.itertext())))


def link_density(el: HtmlElement) -> float:
    text = _stripped_length(el) or 1
    links = sum(_stripped_length(a) for a in el.iterdescendants("a"))
    return min(links / text, 1.0)


_SCORED = ("p", "pre", "li", "blockquote", "td", "div", "section", "span", "h2", "h3", "h4")
_WHOLE = frozenset({"p", "pre", "blockquote", "li"})  # scored by all their text, not their own


def _block_text(el: HtmlElement, fonts: bool = False) -> str:
    """The block's own text: its text and its children's tails (all its text for
    ``_WHOLE``); with ``fonts``, the text of its ``<font>`` children too, unless one holds
    blocks other than line breaks (:func:`_font_fallback`)."""
    if el.tag in _WHOLE and (text := "".join(map(str.strip, el.itertext()))):
        return text
    if not fonts:
        return ((el.text or "") + "".join(child.tail or "" for child in el)).strip()
    parts = [el.text or ""]
    for child in el:
        if child.tag == "font" and not any(
            d.tag in _BLOCKS and d.tag != "br" for d in child.iterdescendants()
        ):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _scores(root: HtmlElement, fonts: bool = False) -> dict[HtmlElement, float]:
    """Every block's score, passed up to its parent and, halved, to its grandparent…"""
    scores: dict[HtmlElement, float] = {}
    for el in root.iter(*_SCORED):
        text = _block_text(el, fonts)
        if len(text) < 20:
            continue
        score = 1 + len(_PUNCT.findall(text)) + min(len(text) / 80, 4)
        parent = el.getparent()
        for share in (1.0, 0.5, 0.25):
            if parent is None or parent.tag == "html":
                break
            scores[parent] = scores.get(parent, 0.0) + score * share
            parent = parent.getparent()
    return scores


def container_bound(el: HtmlElement, score: float) -> float:
    """A container's score times its bonus: its final score before link density lowers it."""
    bonus = KNOWN_BONUS if _known(el) else 1.0
    bonus *= POSITIVE_BONUS if POSITIVE.search(" ".join(tokens(el))) else 1.0
    return score * bonus


KNOWN_BONUS = 1.5  # a known article container (``_known``)
POSITIVE_BONUS = 1.2  # a class or id that says article, entry, post body…


def best_container(
    root: HtmlElement, scores: dict[HtmlElement, float] | None = None
) -> HtmlElement | None:
    """The element holding the article, by the scores in the module docstring.

    A container's score times its bonus bounds its final score (link density only lowers
    it), so link density, the costly part, is computed from the best bound down only
    while a container could still win; ties go to the first in document order.
    """
    return _best(_scores(root) if scores is None else scores, {}, {})


def _best(
    scores: dict[HtmlElement, float],
    bounds: dict[HtmlElement, float],
    densities: dict[HtmlElement, float],
) -> HtmlElement | None:
    """:func:`best_container`, keeping the bounds and link densities it computes."""
    ranked = []
    for n, (el, score) in enumerate(scores.items()):
        bounds[el] = container_bound(el, score)
        ranked.append((bounds[el], n, el))
    ranked.sort(key=lambda b: (-b[0], b[1]))
    best: tuple[float, int, HtmlElement | None] = (-1.0, 0, None)
    for bound, n, el in ranked:
        if bound < best[0]:
            break
        densities[el] = link_density(el)
        value = bound * (1 - densities[el])
        if value > best[0] or (value == best[0] and n < best[1]):
            best = (value, n, el)
    return best[2]


def blocks(el: HtmlElement) -> list[str]:
    """The text of ``el`` as blocks, one per line; link lists are skipped."""
    out: list[str] = []
    buffer: list[str] = [el.text or ""]

    def flush() -> None:
        text = _collapse("".join(buffer))
        if text:
            out.append(text)
        buffer.clear()

    for child in el:
        tag = child.tag
        if not isinstance(tag, str):  # a processing instruction: its tail only
            pass
        elif tag == "pre":
            flush()
            code = "".join(child.itertext()).strip("\n")
            if code.strip():
                out.append(code)
        elif tag in ("ul", "ol", "table") and link_density(child) > 0.6:
            pass
        elif tag in _BLOCKS:
            flush()
            out.extend(blocks(child))
        else:
            buffer.append("".join(child.itertext()))
        buffer.append(child.tail or "")
    flush()
    return out


def _parts(container: HtmlElement, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    """The container and those of its siblings that are more of the article: a block that
    scores a fair part of the container's score, or a paragraph, or, beside a list that won,
    another list (an article in bullet points, its lists split by paragraphs), with few
    links."""
    floor = max(SIBLING_FLOOR, SIBLING_SHARE * scores.get(container, 0.0))
    size, outer = text_size(container), container
    parent = container.getparent()
    while parent is not None and parent.tag not in ("html", "body") and text_size(parent) == size:
        outer, parent = parent, parent.getparent()  # a wrapper: its siblings are the article's
    if parent is None or parent.tag in ("html", "body"):
        return [container]
    if posts := _post_list(parent):
        return posts
    parts, before = [], True
    for sibling in parent.iterchildren(etree.Element):
        wanted = scores.get(sibling, 0.0) >= floor or (
            sibling.tag == "p" and len(_block_text(sibling)) >= 80
        )
        wanted = wanted or (before and _same_kind(sibling, outer))
        wanted = wanted or (not before and _sister_section(sibling, outer, scores))
        wanted = wanted or (container.tag in _LISTS and sibling.tag in _LISTS)
        if sibling is outer:
            parts.append(container)
            before = False
        elif wanted and link_density(sibling) < 0.25:
            parts.append(sibling)
    return parts


_LISTS = frozenset({"ul", "ol"})


def _post_list(parent: HtmlElement) -> list[HtmlElement]:
    """When the container's block is one of a list of posts (its parent, with a class and
    no id, among siblings of its tag and class that hold text): the posts, from the first
    to the last, and what lies between them (a date over each day's posts); else [].
    CleanEval's gold is such a page's every post (dev half, fold A 0.9166 to 0.9211, no
    other set or fold moved). Not the container's own siblings, nor its grandparent's:
    there, blocks of one class were as often a list of other stories, teasers beside a
    single article (scrapinghub, L3S and Dragnet lost)."""
    kind = parent.get("class")
    up = parent.getparent()
    if not kind or parent.get("id") or up is None or parent.tag == "td":
        return []
    items = [
        el
        for el in up.iterchildren(parent.tag)
        if el.get("class") == kind and not el.get("id") and text_size(el) >= POST_MIN
    ]
    if len(items) < 2 or parent not in items:
        return []
    first, last = up.index(items[0]), up.index(items[-1])
    return [
        el
        for el in up[first : last + 1]
        if isinstance(el.tag, str) and (el in items or link_density(el) < 0.25)
    ]


POST_MIN = 200  # characters: a post, more than a title and a date


def _same_kind(sibling: HtmlElement, outer: HtmlElement) -> bool:
    """A block before the container with its tag and class, holding prose (a sentence or
    more, ending on a sentence end): the article's start, which the page split from the
    rest around a photo or an advertisement, or a lede in a section of its own.
    readability.js takes a sibling of the container's class the same way. Only before it:
    after it, the same class held boilerplate as often (an "about the company" note, a
    copyright notice) on the dev half."""
    kind = outer.get("class")
    if not kind or sibling.tag != outer.tag or sibling.get("class") != kind:
        return False
    text = " ".join("".join(sibling.itertext()).split())
    return len(text) >= SAME_KIND_MIN and bool(_SENTENCE_END.search(text))


def _sister_section(
    sibling: HtmlElement, outer: HtmlElement, scores: dict[HtmlElement, float]
) -> bool:
    """A block after the container with its tag and class, neither with an id, scoring
    at least :data:`SIBLING_FLOOR`: the article's next section, made by the same template
    (a page of questions and answers in groups, the longest group the container), though
    it scores less than a fair part of the container's score. A block with an id of its
    own is another part of the page (a box of news beside the article), not a section."""
    if sibling.tag != outer.tag or sibling.get("class") != outer.get("class"):
        return False
    if sibling.get("id") or outer.get("id"):
        return False
    return scores.get(sibling, 0.0) >= SIBLING_FLOOR


SAME_KIND_MIN = 80  # characters: a sentence or two; a byline or a dateline is shorter
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»)]*$")
SIBLING_SHARE = 0.2  # a sibling block's score, as a share of the container's, to be taken
SIBLING_FLOOR = 10.0  # and at least this: a few sentences


@dataclass(frozen=True)
class Article:
    """Where the article is: its parts, the best container among them (``None``: no block
    scored) and every block's score, which the ensemble reads to judge how sure we are.
    ``bounds`` and ``densities`` keep what choosing the container computed (its
    :func:`container_bound` and :func:`link_density`), for the ensemble to read again."""

    parts: list[HtmlElement]
    container: HtmlElement | None
    scores: dict[HtmlElement, float]
    bounds: dict[HtmlElement, float] = field(default_factory=dict)
    densities: dict[HtmlElement, float] = field(default_factory=dict)

    def bound(self, el: HtmlElement) -> float:
        """:func:`container_bound` of a scored element."""
        if el not in self.bounds:
            self.bounds[el] = container_bound(el, self.scores[el])
        return self.bounds[el]

    def density(self, el: HtmlElement) -> float:
        """:func:`link_density` of ``el``, computed once (the tree is pruned by then)."""
        if el not in self.densities:
            self.densities[el] = link_density(el)
        return self.densities[el]


def find_article(root: HtmlElement) -> Article:
    """The article's parts (:func:`article_parts`), its container and the scores."""
    clean(root)
    scores = _scores(root)
    bounds: dict[HtmlElement, float] = {}
    densities: dict[HtmlElement, float] = {}
    container = _best(scores, bounds, densities)
    if (
        container is not None
        and is_teaser_stream(container)
        and _rival_with_prose(container, scores, bounds, densities)
    ):
        container.drop_tree()  # a list of other stories: page furniture, scored again without
        scores, bounds, densities = _scores(root), {}, {}
        container = _best(scores, bounds, densities)
    if container is None and (fallback := _font_fallback(root)) is not None:
        container, scores, bounds, densities = fallback
    if container is None:
        body = next(root.iter("body"), None)
        return Article([] if body is None else [body], None, scores, bounds, densities)
    return Article(_parts(container, scores), container, scores, bounds, densities)


# A container chosen, with the scores, bounds and link densities that chose it.
_Choice = tuple[
    HtmlElement, dict[HtmlElement, float], dict[HtmlElement, float], dict[HtmlElement, float]
]


def _font_fallback(root: HtmlElement) -> _Choice | None:
    """When no block scores by its own text: the container (and the scores, bounds and
    densities that chose it) with the text of ``<font>`` elements counted as their block's,
    if that container reads as prose (:func:`_prose`); else ``None`` (the body is taken).

    Old pages style their whole story with ``<font>`` (``<td><font>story…</font></td>``),
    so no block has text of its own. Counted on every page, a font's text moved the
    container on pages that have blocks of their own (the dev half lost), so only here."""
    scores: dict[HtmlElement, float] = _scores(root, fonts=True)
    bounds: dict[HtmlElement, float] = {}
    densities: dict[HtmlElement, float] = {}
    container = _best(scores, bounds, densities)
    if container is None or not _prose(container):
        return None
    return container, scores, bounds, densities


def _prose(el: HtmlElement) -> bool:
    """True when at least half of ``el``'s text is in lines of :data:`SAME_KIND_MIN`
    characters or more (a line ends at a ``<br>`` or a block): paragraphs, not an address,
    a list of contacts or a menu, written one short line each."""
    lengths = [len(" ".join(line.split())) for line in _broken_text(el).split("\n")]
    return 2 * sum(n for n in lengths if n >= SAME_KIND_MIN) >= sum(lengths) > 0


def _broken_text(el: HtmlElement) -> str:
    """``el``'s text with a line break at each ``<br>`` and around each block."""
    parts = [el.text or ""]
    for child in el:
        if child.tag in _BLOCKS:
            parts += ["\n", _broken_text(child), "\n"]
        elif isinstance(child.tag, str):
            parts.append(_broken_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _rival_with_prose(
    stream: HtmlElement,
    scores: dict[HtmlElement, float],
    bounds: dict[HtmlElement, float],
    densities: dict[HtmlElement, float],
) -> bool:
    """True when the best block neither inside the teaser stream nor around it scores at
    least :data:`STREAM_RIVAL` of the stream's final score."""
    around = set(stream.iterancestors())
    rivals = {
        el: score
        for el, score in scores.items()
        if el is not stream and el not in around and stream not in el.iterancestors()
    }
    rival = _best(rivals, bounds, densities)
    if rival is None:
        return False
    value = bounds[rival] * (1 - densities[rival])
    return value >= STREAM_RIVAL * bounds[stream] * (1 - densities[stream])


# A rival block must score this share of a teaser stream's score to be taken instead. The
# dev half's four streams (yahoo-3, mozilla-2, two of dragnet's) had rivals of 0.5 to 0.95.
STREAM_RIVAL = 0.25


def article_parts(root: HtmlElement) -> list[HtmlElement]:
    """The elements that hold the article, in page order: the best container and the
    siblings that belong with it (or the body, or nothing). Prunes ``root``'s tree."""
    return find_article(root).parts


def parts_text(parts: list[HtmlElement]) -> str:
    """The text of the article's parts, one block a line, boilerplate lines left out."""
    return "\n".join(tidy([line for part in parts for line in blocks(part)]))


def main_text(root: HtmlElement) -> str:
    """The article's text, or '' when the page has none. Prunes ``root``'s tree."""
    return parts_text(article_parts(root))
