"""The main text of a page, chosen per page between ours and trafilatura.

Two extractors that fail in different ways do better together than either alone
(``make bench-extract``, README "Extraction quality"). The choice, in this order:

1. **Chinese and Japanese text: ours,** unless rule 3 finds ours the short block of two
   texts that disagree (ours took a wrong block: a forum's other post, one line of an
   error page). Our boilerplate rules (关注/二维码/责任编辑, the "往期推荐" tail) and
   WeChat's markup are where ours wins; trafilatura drops WeChat's section headings and
   lists and keeps its follow prompts, and on the Chinese pages of issue 19's independent
   check it scored 0.74 against our 0.84. Trafilatura is run only when ours holds under
   a tenth of the page's text (:data:`CJK_CHECKED`), as a wrong block does; on the dev
   half that is 7 Chinese pages in 44, and their F1 goes from 0.896 to 0.909.
2. **One text inside the other: the shorter.** When nearly all of the shorter text's
   tokens are in the longer one (:data:`CONTAINED`), both found the same article and the
   extra lines are what one of them failed to leave out: captions, bylines, "related"
   lists. The shorter must hold a fair part of the longer (:data:`FAIR_PART`), or it is
   a fragment, not the article. Trafilatura's shorter text must keep more of ours
   (:data:`OURS_KEPT`): what it leaves out beyond that is whole sections of the article
   (on the dev half's readability set: 0.951 with the rule, 0.936 without), unless a good
   share (:data:`LINKED`) of the lines ours adds are each the whole text of one of the
   page's links: a list of other stories' headlines after the article, page furniture
   however much of ours it is (dev half, each fold: dragnet 0.9415 to 0.9422 and unchanged,
   l3s-google-news's B 0.9531 to 0.9555, no set lower). Nor is trafilatura's shorter text
   taken for ours without furniture when it read the page as a layout table (most of its
   tokens in table rows, :data:`TABLE_SHARE`): it keeps or leaves out a table's cells whole,
   by its rules for tables, and what it left out was an old page's captions, lists and
   addresses, which CleanEval's gold keeps (dev half, each fold: cleaneval 0.9156 to 0.9168
   and 0.9203 to 0.9209, dragnet's B 0.9211 to 0.9214, no set lower). Ours inside
   trafilatura's text but under that fair part (at least :data:`SMALL_PART` of it) is
   taken too when the lines trafilatura adds are short (:data:`SHORT_LINE` tokens a line
   on average): headlines of other stories, labels, dates, "Posted in" lines, page
   furniture rather than more of the article (dev half, each fold: dragnet 0.824 to 0.827
   and 0.812 to 0.815, cleaneval 0.923 to 0.925 and 0.895 to 0.897, no set lower; at
   12 tokens a line, CleanEval's lists of short prose lines start to lose). So is ours
   inside trafilatura's text when a good share (:data:`LINKED`) of the lines it adds are
   each the whole text of one of the page's links: "more from" lists, reprint and
   permission links, a site's index, page furniture however long its lines (dev half,
   each fold: dragnet 0.9305 to 0.9355 and 0.9146 unchanged, cleaneval 0.9090 unchanged
   and 0.9174 to 0.9200, no set lower).
3. **Otherwise: the longer.** Texts that disagree mean that one extractor picked the
   wrong block (a teaser, a comment, nothing at all), and that block is the short one.

**Trafilatura is run only when ours looks unsure** (:func:`doubt`); otherwise ours stands.
Most of what the choice gains comes from a few pages on which ours took the wrong block or
too little, and those show it: few tokens (:data:`FEW_TOKENS`), a block outside ours that
scores close to ours (:data:`RIVAL`), a container full of links (:data:`LINKY`), or figures
and captions, lines trafilatura leaves out (:data:`CAPTIONS`). On the dev half's 1551 pages
that are not Chinese, trafilatura is run on 527 (it takes 12–21 ms a page, as long as all
the rest of our extraction), and our time a page falls by about a third. The main-text F1
(benchmarks/extraction.py, dev half) goes from 0.863 to 0.866: up on cleaneval (0.899 to
0.909), l3s-google-news, dragnet and readability, where most pages skipped are ones on
which rule 2 gave trafilatura's text and lost F1; down on scrapinghub (0.975 to 0.973) and
cleanportaleval (0.900 to 0.899), whose pages skipped keep a caption or a byline that
trafilatura would have dropped. When the only signs are links or captions, trafilatura
runs in its fast mode, without the fallbacks that find a missed article (:func:`doubt`).

Trafilatura's lines go through our :func:`~digest.scraper.lines.tidy` too, so its text is
judged without the boilerplate lines ours would have dropped. It reads the page as parsed
before ours prunes it: parsed again, only on the third of the pages on which it runs, rather
than a copy of our tree taken on every page (on the dev half's pages that are not Chinese,
measured side by side: a parse 1.9 ms, a copy 0.8 ms; 0.65 ms a page against 0.8). Chinese
pages take the copy: rule 1 measures the unpruned text of each.
Trafilatura's XPath expressions run with each regular-expression test guarded by its attribute
(:mod:`~digest.scraper.xpath_guard`): the same text for less time.

A paragraph trafilatura gives a second time is left out of its text (:data:`REPEAT_MIN`):
a copy of the article that the page keeps out of sight for a script to show, which it
reads as well (dev half, each fold: dragnet 0.9267 to 0.9271 and 0.9125 to 0.9132,
l3s-google-news's B 0.9524 to 0.9528, cleaneval's B +0.00002, no set lower).

So is a table row of trafilatura's whose cells, two or more not empty, are each the whole
text of one of the page's links (:func:`is_menu_row`): an old table-layout page's menu
("|  | HOME | CLANS A-Z | HISTORY |  |"), which CleanEval's gold leaves out; a row of data
holds other text too (dev half, each fold: cleaneval 0.9107 to 0.9110 and 0.9203 to
0.92035, dragnet's B 0.9147 to 0.9149, l3s-google-news's B 0.9528 to 0.9531, no set
lower). A label may come first ("Site index: | A | B | C |"; cleaneval's A 0.9110 to
0.9111, no other set or fold moved).
Once trafilatura's text is chosen, its rows of empty cells are left out and a row of one
cell of text is given as that text (:func:`plain_cells`): the layout table around a
paragraph, not a table of the text. Given as plain lines before the choice, such rows
would read as link lines to rule 2 and change choices (dev half: cleaneval's A 0.9110 to
0.9090); after it, only the line a later edge rule reads changes (a dateline in a cell).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace

from lxml import etree
from lxml.html import HtmlElement

from digest.scraper.lines import tidy
from digest.scraper.maintext import (
    KNOWN_BONUS,
    POSITIVE_BONUS,
    Article,
    find_article,
    parts_text,
)
from digest.scraper.prune import text_size
from digest.scraper.tree import parse
from digest.scraper.xpath_guard import guard_package
from digest.text.cjk import CJK_LETTERS, count_cjk_letters, has_cjk_letters

CONTAINED = 0.9  # share of the shorter text's tokens found in the longer one
FAIR_PART = 0.5  # the shorter text's tokens, as a share of the longer one's
OURS_KEPT = 0.6  # the same share, when the shorter text is trafilatura's
SMALL_PART = 0.15  # ours inside trafilatura's, under FAIR_PART but at least this share…
SHORT_LINE = 8  # …and trafilatura's extra lines under this many tokens a line: ours
LINKED = 0.25  # …or this share of its extra lines each the whole text of a link: ours
TABLE_SHARE = 0.5  # of trafilatura's tokens in table rows: a page read as a layout table
CJK_SHARE = 0.3  # CJK letters, as a share of all words, that make a page Chinese
CJK_CHECKED = 0.1  # Chinese text under this share of the page's text is checked (rule 1)
# Signs that ours is unsure, on which trafilatura is run (module docstring). Each was
# tried without the others on the dev half: the F1 each set loses when that sign is left out.
FEW_TOKENS = 100  # ours under this many tokens: a fragment (dragnet -0.007 without it)
RIVAL = 0.3  # a block outside ours scoring over this share of ours (readability -0.014)
LINKY = 0.1  # our container's link density over this (htmltotext -0.004, scrapinghub -0.003)
CAPTIONS = 2  # figures and captions in ours: a figure with its caption (scrapinghub -0.010)

_TOKEN = re.compile(rf"[{CJK_LETTERS}]+|[^\W_]+")
_CJK_RUN = re.compile(rf"[{CJK_LETTERS}]+")
_TOKEN_KIND = re.compile(rf"([{CJK_LETTERS}]+)|([^\W_]+)")  # _TOKEN, its two kinds apart


@dataclass(frozen=True)
class Choice:
    """The chosen text, whose it is (``ours`` or ``trafilatura``) and why."""

    text: str
    by: str
    reason: str


def tokens(text: str) -> Counter[str]:
    """Latin words (lower-cased) and the character bigrams of each CJK run."""
    if not has_cjk_letters(text):  # most pages: words only, counted in C
        return Counter(map(str.lower, _TOKEN.findall(text)))
    found = _TOKEN_KIND.findall(text)  # (a CJK run, "") or ("", a word)
    out = Counter([word.lower() for _, word in found if word])
    out.update([run[i : i + 2] for run, _ in found if run for i in range(max(1, len(run) - 1))])
    return out


def is_cjk(text: str) -> bool:
    """True when Chinese or Japanese letters are a good part (:data:`CJK_SHARE`) of the words."""
    cjk = count_cjk_letters(text)
    if not cjk:  # most pages: the Latin words need not be counted
        return False
    latin = len(re.findall(r"[^\W\d_]+", _CJK_RUN.sub(" ", text)))
    return cjk >= CJK_SHARE * (cjk + latin)


def choose(ours: str, theirs: str, links: frozenset[str] = frozenset()) -> Choice:
    """Ours or trafilatura's text, by the rules in the module docstring; ``links``: the
    texts of the page's links, each with its spaces collapsed."""
    choice = _by_tokens(ours, theirs, links)
    if is_cjk(ours) and choice.reason != _OURS_WRONG:
        return Choice(ours, "ours", "Chinese or Japanese text")
    return choice


_OURS_WRONG = "the texts disagree and ours is the shorter"


def _by_tokens(ours: str, theirs: str, links: frozenset[str]) -> Choice:
    """Rules 2 and 3 of the module docstring."""
    mine, other = tokens(ours), tokens(theirs)
    n_mine, n_other = sum(mine.values()), sum(other.values())
    if not n_other:
        return Choice(ours, "ours", "trafilatura found nothing")
    if not n_mine:
        return Choice(theirs, "trafilatura", "ours found nothing")
    shared = sum((mine & other).values())
    short, long = sorted((n_mine, n_other))
    ours_shorter = n_mine <= n_other
    contained = shared >= CONTAINED * short  # the shorter text is inside the longer
    if contained and short >= FAIR_PART * long:
        if ours_shorter:
            return Choice(ours, "ours", "inside trafilatura's text, without its extra lines")
        if short >= OURS_KEPT * long and not _layout_table(theirs):
            return Choice(theirs, "trafilatura", "inside ours, without our extra lines")
        if _linked_lines(_extra_lines(ours, other), links):
            return Choice(theirs, "trafilatura", _OURS_LINKED)
        return Choice(ours, "ours", "inside ours, but without whole sections of ours")
    if ours_shorter and contained and short >= SMALL_PART * long:
        extra = _extra_lines(theirs, mine)
        if _short_lines(extra):
            return Choice(ours, "ours", _AROUND)
        if _linked_lines(extra, links):
            return Choice(ours, "ours", _LINKED)
    if ours_shorter:
        return Choice(theirs, "trafilatura", _OURS_WRONG)
    return Choice(ours, "ours", "the texts disagree and trafilatura's is the shorter")


_AROUND = "inside trafilatura's text, whose extra lines are short: page furniture"


def _layout_table(text: str) -> bool:
    """True when most of ``text``'s tokens (:data:`TABLE_SHARE`) are in table rows: trafilatura
    read the page as a layout table, whose cells it keeps or leaves out whole, by its rules
    for tables rather than for the article's blocks."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    if not rows:  # most texts: no row at all
        return False
    in_rows = sum(sum(tokens(row).values()) for row in rows)
    return in_rows >= TABLE_SHARE * sum(tokens(text).values())


def _short_lines(extra: list[tuple[str, int]]) -> bool:
    """True when the extra lines (:func:`_extra_lines`) hold few tokens a line on average
    (:data:`SHORT_LINE`): labels, links, headlines, dates."""
    return bool(extra) and sum(size for _, size in extra) < SHORT_LINE * len(extra)


_LINKED = "inside trafilatura's text, whose extra lines are links: page furniture"
_OURS_LINKED = "inside ours, whose extra lines are links: page furniture"


def _linked_lines(extra: list[tuple[str, int]], links: frozenset[str]) -> bool:
    """True when a good share (:data:`LINKED`) of the extra lines (:func:`_extra_lines`)
    are each the whole text of one of the page's ``links``."""
    linked = sum(" ".join(line.split()) in links for line, _ in extra)
    return bool(extra) and linked >= LINKED * len(extra)


def _extra_lines(longer: str, inner: Counter[str]) -> list[tuple[str, int]]:
    """The lines of ``longer`` whose tokens are mostly not in ``inner``, each with its
    number of tokens."""
    out = []
    for line in longer.splitlines():
        words = tokens(line)
        size = sum(words.values())
        if size and sum((words - inner).values()) * 2 > size:
            out.append((line, size))
    return out


def link_texts(page: HtmlElement) -> frozenset[str]:
    """The texts of the links of ``page``, each with its spaces collapsed."""
    return frozenset(" ".join(a.text_content().split()) for a in page.iter("a"))


def trafilatura_text(
    page: str | HtmlElement, url: str, *, fast: bool = False, links: frozenset[str] = frozenset()
) -> str:
    """Trafilatura's main text of ``page`` (tables kept, comments not), tidied as ours is,
    without its menu rows (:func:`is_menu_row`, ``links``: the page's :func:`link_texts`);
    ``fast``: without its fallback extractors.

    ``page`` is the HTML or its parsed tree, which trafilatura edits: give it a copy.
    """
    import trafilatura  # imported here: 0.12 s paid only once ours shows doubt

    guard_package("trafilatura")  # once: its regular-expression tests made cheaper

    if isinstance(page, HtmlElement):  # as trafilatura's own parser leaves them out
        etree.strip_elements(page, etree.Comment, etree.PI, with_tail=False)
    try:
        text = trafilatura.extract(
            page, url=url, include_comments=False, include_tables=True, fast=fast
        )
    except Exception:  # a library's crash on one odd page must not lose the page: use ours
        return ""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    lines = tidy([line for line in lines if not is_menu_row(line, links)])
    return "\n".join(_first_copies(lines))


_CELL_BAR = re.compile(r"(?<!\\)\|")  # trafilatura writes a "|" inside a cell as "\|"


def _cells(row: str) -> list[str]:
    """The cells of trafilatura's table row ``row`` ("| a | b |"), each stripped, a bar it
    escaped inside a cell (a backslash before it) given back as "|"."""
    return [cell.strip().replace("\\|", "|") for cell in _CELL_BAR.split(row)[1:-1]]


def is_menu_row(line: str, links: frozenset[str]) -> bool:
    """Whether ``line`` is a table row of trafilatura's ("| Home | News |  |") whose cells,
    two or more that are not empty, are each the whole text of one of ``links``, after a
    label ("Site index: | A | B | C |") if any: a site's menu laid out as a table row on an
    old table-layout page, not a row of data."""
    if not line.startswith("|"):
        return False
    cells = [" ".join(cell.split()) for cell in _cells(line)]
    full = [cell for cell in cells if cell]
    if full and full[0].endswith(":"):
        full = full[1:]
    return len(full) >= 2 and all(cell in links for cell in full)


def _first_copies(lines: list[str]) -> list[str]:
    """``lines`` without a paragraph that repeats one before it (:data:`REPEAT_MIN`
    characters or more): a copy of the article the page holds out of sight, which
    trafilatura reads as well."""
    seen: set[str] = set()
    out = []
    for line in lines:
        if len(line) >= REPEAT_MIN:
            if line in seen:
                continue
            seen.add(line)
        out.append(line)
    return out


REPEAT_MIN = 80  # characters, a sentence or two: a short line said twice may be the text's


_SURE = "ours looks sure: trafilatura not run"


WRONG_BLOCK = "wrong block"  # few tokens or a close rival: trafilatura in full
EXTRA_LINES = "extra lines"  # links or captions only: trafilatura without its fallbacks


def doubt(article: Article, ours: str) -> str | None:
    """Why ours may be wrong (the module docstring's "Trafilatura is run only…"), or None.

    Few tokens or a close rival block: ours may hold the wrong block, and trafilatura's
    fallbacks (readability, jusText) are what find the right one. A linky container or
    captions alone: ours has the article with extra lines, and trafilatura's fast mode
    finds them as well (dev half, those 269 pages: cleaneval -0.0006, dragnet +0.003,
    readability +0.0006, others unchanged; 1 ms a page less).
    """
    container = article.container
    if container is None or _few_tokens(ours) or rival_share(article) > RIVAL:
        return WRONG_BLOCK
    if article.density(container) > LINKY or _captions(article.parts) >= CAPTIONS:
        return EXTRA_LINES
    return None


def _few_tokens(text: str) -> bool:
    """Under :data:`FEW_TOKENS` tokens; counted only as far as that (a CJK run is at least
    one token, so a run or word counts one and an exact count is needed only below it)."""
    if sum(1 for _ in itertools.islice(_TOKEN.finditer(text), FEW_TOKENS)) >= FEW_TOKENS:
        return False
    return sum(tokens(text).values()) < FEW_TOKENS


def rival_share(article: Article) -> float:
    """The best block outside our container (neither inside it nor around it), by its final
    score (:func:`~digest.scraper.maintext.best_container`), as a share of our container's."""
    container = article.container
    if container is None:
        return 1.0
    ours = article.bound(container) * (1 - article.density(container))
    around = set(container.iterancestors())
    rival = 0.0
    for el, score in sorted(article.scores.items(), key=lambda item: -item[1]):
        if score * KNOWN_BONUS * POSITIVE_BONUS <= rival:
            break  # bonuses and link density bound the rest: none can beat the rival
        if el is container or el in around or _inside(el, container):
            continue
        rival = max(rival, article.bound(el) * (1 - article.density(el)))
    return rival / ours if ours > 0 else 1.0


def _inside(el: HtmlElement, container: HtmlElement) -> bool:
    return any(parent is container for parent in el.iterancestors())


_CAPTION = re.compile("caption|credit", re.I)


def _captions(parts: list[HtmlElement]) -> int:
    """Figures, figure captions and elements named for a caption or a photo credit."""
    return sum(
        el.tag in ("figure", "figcaption")
        or bool(_CAPTION.search(f"{el.get('class') or ''} {el.get('id') or ''}"))
        for part in parts
        for el in part.iter(etree.Element)
    )


def article_text(root: HtmlElement, url: str, html: str | None = None) -> Choice:
    """The page's main text, ours or trafilatura's (see the module docstring).

    ``root`` is the parsed page (:func:`~digest.scraper.tree.parse`); it is pruned in
    place, as :func:`main_text` does. Trafilatura reads the page as parsed before that:
    ``html`` parsed again, only when it runs, or else a copy of ``root`` taken first.
    """
    pristine = copy.deepcopy(root) if html is None else None

    def unpruned() -> HtmlElement:
        return pristine if pristine is not None else parse(html or "")

    article = find_article(root)
    ours = parts_text(article.parts)
    if is_cjk(ours):  # trafilatura can only win rule 1's exception when ours took little
        page = unpruned()
        if len("".join(ours.split())) >= CJK_CHECKED * text_size(next(page.iter("body"), page)):
            return choose(ours, "")
        links = link_texts(page)  # before trafilatura edits the page
        return plain_cells(choose(ours, trafilatura_text(page, url, links=links), links))
    why = doubt(article, ours)
    if why is None:
        return Choice(ours, "ours", _SURE)
    page = unpruned()
    links = link_texts(page)  # before trafilatura edits the page
    theirs = trafilatura_text(page, url, fast=why == EXTRA_LINES, links=links)
    return plain_cells(choose(ours, theirs, links))


def plain_cells(choice: Choice) -> Choice:
    """``choice`` with trafilatura's table rows of one cell of text given as that text
    ("|  | Handmade kilts, made to measure |  |": the layout table of an old page around a
    paragraph), and its rows of empty cells left out. Done once the choice is made: the
    tokens, and so the choice, are the same either way."""
    if choice.by != "trafilatura":
        return choice
    lines = (_one_cell(line) for line in choice.text.split("\n"))
    return replace(choice, text="\n".join(line for line in lines if line))


def _one_cell(line: str) -> str:
    """The text of the table row ``line`` when it has one cell that is not empty ("" when
    none: "|  |  |", "|---|---|"); else ``line``."""
    if not line.startswith("|"):
        return line
    full = [cell for cell in _cells(line) if cell.strip("-:")]
    if len(full) > 1:
        return line
    return full[0] if full else ""
