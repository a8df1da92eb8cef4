"""What is never the article, dropped from the tree before the blocks are scored: step 1
of :mod:`digest.scraper.maintext` (:func:`clean`).

Scripts, styles, forms, ``nav``/``aside``/``footer``/``header`` (not a ``header`` inside the
``article``: the article's own, its lede), what the page hides (``display: none``, the
``hidden`` attribute, ``aria-hidden``, the CSS frameworks' ``hidden`` class), and elements
whose class or id says comment, share, sidebar, related, cookie, newsletter, QR code, a box
about the author and the like, unless one holds most of the page's text (a page wrapped in
a form); the readers' comments and promotions of other stories go even then. A link inside
a sentence stays whatever its class says (``meta-loc``): its words are the sentence's
(readability.js spares links the same way).

The class and id words that say "article" (:data:`POSITIVE`) live here too: a name that
says both is not dropped, and the scoring's bonus reads them.
"""

from __future__ import annotations

import functools
import re

from lxml import etree
from lxml.html import HtmlElement

# Never text: removed wherever they are.
_JUNK_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "button",
    "input",
    "select",
    "textarea",
    "object",
    "embed",
    "link",
    "meta",
    "dialog",
)
# Page furniture, removed unless it holds most of the page's text: some sites wrap the whole
# page in a ``<form>`` (ASP.NET) or an element whose class says "menu" or "advertisement".
_FURNITURE_TAGS = frozenset({"form", "nav", "aside", "footer", "header"})
_MOST = 0.4  # "most of the page's text": this share of the body's characters or more
_KEEP = frozenset({"html", "body", "main", "article"})
# Class/id words meaning "not the article": exact tokens for short words, stems otherwise.
_NEGATIVE_EXACT = frozenset(
    {
        "ad",
        "ads",
        "adv",
        "hot",
        "nav",
        "toc",
        "bio",
        "tags",
        "tag",
        "meta",
        "share",
        "social",
        "menu",
        "foot",
        "footer",
        "header",
        "sidebar",
        "aside",
        "rank",
        "login",
        "reward",
        "pager",
        "pagination",
        "widget",
        "banner",
        "promo",
        "qr",
        "qrcode",
        "follow",
        "like",
        "likes",
        "vote",
        "related",
        "recommend",
        "breadcrumb",
        "breadcrumbs",
        "popup",
        "modal",
        "cookie",
        "cookies",
        "consent",
        "newsletter",
        "subscribe",
        "signup",
        "copyright",
        "disclaimer",
        "feedback",
        "rating",
        "clap",
        "claps",
        "responses",
        "tools",
        "toolbar",
        "edit",
        "helpful",
        "author-card",
        "donate",
        "summary",
        "collapsed",  # shut until clicked (MediaWiki's NavFrame, mw-collapsed): not on screen
        "navbox",
        "editsection",  # MediaWiki's "[edit]" beside each heading (mw-editsection)
        "respond",  # WordPress's comment form (#respond): "Leave a Reply", its fields' notes
    }
)
_NEGATIVE_STEMS = (
    "comment",
    "sidebar",
    "related",
    "recommend",
    "share",
    "breadcrumb",
    "newsletter",
    "subscri",
    "cookie",
    "consent",
    "advert",
    "sponsor",
    "qrcode",
    "qr_code",
    "reward",
    "dashang",
    "打赏",
    "popular",
    "mostread",
    "most-read",
    "trending",
    "footer",
    "navbar",
    "masthead",
    "widget",
    "authorcard",
    "author-card",
    "author-box",
    "authorbox",
    "more-from",
    "morefrom",
    "read-next",
    "readnext",
    "pagination",
    "onthispage",
    "on-this-page",
    "was-this",
    "social",
    "toolbar",
    "tagcloud",
    "tag-cloud",
)
# Class/id words that say "article": such a name is not dropped (unless it also says
# comment, related, share…), and maintext's scoring gives its element POSITIVE_BONUS.
POSITIVE = re.compile(
    r"article|entry|post-?body|post-?content|story|rich_media_content|js_content|"
    r"markdown|richtext|blog-content|main-?content|content-?body|articlebody|prose",
    re.I,
)


# A class or id that is exactly one of these names the page's content, whatever else the
# element's classes say (``page-content and-w-sidebar``).
_CONTENT_TOKENS = frozenset(
    {"content", "page-content", "main", "main-content", "site-content", "body", "text"}
)


def tokens(el: HtmlElement) -> list[str]:
    """The element's classes and its id, lowercased: the names that say what it is."""
    names = [*(el.get("class") or "").split(), el.get("id") or ""]
    return [n.lower() for n in names if n]


def _is_negative(el: HtmlElement) -> bool:
    if el.tag in _KEEP or (el.tag == "a" and _in_sentence(el)):
        return False
    classes, ident = el.get("class"), el.get("id")
    return bool(classes or ident) and _negative_names(classes or "", ident or "")


def _in_sentence(link: HtmlElement) -> bool:
    """True for a link with words of its parent's text on both sides: a link in a sentence."""
    before = link.getprevious()
    text = (before.tail if before is not None else link.getparent().text) or ""
    return _WORD.search(text) is not None and _WORD.search(link.tail or "") is not None


_WORD = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=4096)  # a page repeats its classes: the answer is computed once
def _negative_names(classes: str, ident: str) -> bool:
    if len(_WORD_BREAK.split(ident)) >= _SLUG_WORDS:
        ident = ""  # a heading's words (``getting-started-with-shared-history``), no role
    names = [n.lower() for n in [*classes.split(), ident] if n]
    if not names or _CONTENT_TOKENS.intersection(names):
        return False
    joined = " ".join(names)
    if (POSITIVE.search(joined) and not _NOT_POSITIVE.search(joined)) or _LEDE.search(joined):
        return False
    words = set(re.split(r"[\s_]+", joined)) | set(re.split(r"[\s_-]+", joined))
    return (
        bool(words & _NEGATIVE_EXACT)
        or bool(_NEGATIVE_STEM.search(joined))
        or bool(_AUTHOR_BOX.search(joined))
    )


# The box about the writer under a post (WordPress themes' ``author-info``, plugins'
# ``wp-about-author``, ``author-bio``, ``authorinfo``): a biography and links to more posts,
# not the article. Not ``author-information`` or ``author-name``, which are the byline.
_AUTHOR_BOX = re.compile(
    r"(about[-_]?(the[-_]?)?author|author[-_]?(bio|info|description)s?)(?![a-z])"
)


# An id of this many words or more was made from a heading (Sphinx and Markdown sections):
# its words say what the section is about, not what part of the page it is.
_SLUG_WORDS = 5
_WORD_BREAK = re.compile(r"[-_\s]+")
_NOT_POSITIVE = re.compile("comment|related|recommend|share|summary|promo|newsletter|subscri")
# The article's own summary, its lede: hAtom's ``entry-summary``, ``article__summary``,
# ``#speakable-summary`` (the part schema.org's SpeakableSpecification points at). A bare
# "summary" stays negative: on the dev half it names blurbs in sidebars as often as a lede.
_LEDE = re.compile(r"(article|entry|story|speakable)[-_]*summary")
_NEGATIVE_STEM = re.compile("|".join(map(re.escape, _NEGATIVE_STEMS)))


def _hidden(el: HtmlElement) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    # (get: "in el.attrib" makes an attribute view of every element)
    return (
        "display:none" in style
        or el.get("aria-hidden") == "true"
        or el.get("hidden") is not None
        or _hidden_class(el.get("class"))
    )


@functools.lru_cache(maxsize=4096)  # as _negative_names: a page repeats its class lists
def _hidden_class(classes: str | None) -> bool:
    """True for a class list holding ``hidden``, which CSS frameworks (Bootstrap, Tailwind)
    show as ``display: none``: a copy of the article for a script to show, a dialog, a menu.
    Not when another class shows the element at some screen width (Tailwind's ``hidden
    md:block``, Bootstrap's ``visible-md-block``, ``d-md-block``)."""
    if not classes or "hidden" not in classes:
        return False
    names = classes.split()
    return "hidden" in names and not any(":" in n or _SHOWN_AT.match(n) for n in names)


_SHOWN_AT = re.compile(r"(d|visible)-(xs|sm|md|lg|xl|xxl)-")


def text_size(el: HtmlElement) -> int:
    """Characters of text under ``el``, whitespace left out."""
    # its text written out by libxml2: the strings itertext() gives, in a third of the time
    text = etree.tostring(el, method="text", encoding=str, with_tail=False)
    return len("".join(text.split()))


def clean(root: HtmlElement) -> None:
    """Remove, in place, everything that is never the article (see ``_FURNITURE_TAGS``)."""
    etree.strip_elements(root, etree.Comment, *_JUNK_TAGS, with_tail=False)
    most = _MOST * max(1, text_size(next(root.iter("body"), root)))
    doomed: list[HtmlElement] = []
    stack = [root]
    while stack:  # the elements under a doomed one are not looked at: they go with it
        for el in stack.pop().iterchildren(etree.Element):
            furniture = _furniture_tag(el) or _is_negative(el) or _hidden(el)
            if furniture and (text_size(el) < most or _never_article(el)):
                doomed.append(el)
            else:
                stack.append(el)
    for el in doomed:
        el.drop_tree()  # its tail, which is its parent's text, stays


def _furniture_tag(el: HtmlElement) -> bool:
    """A tag of page furniture (``_FURNITURE_TAGS``), but not a ``header`` inside an
    ``article`` or the schema.org ``articleBody``: HTML makes it the header of the article,
    its headline, lede and byline, not of the page."""
    if el.tag not in _FURNITURE_TAGS:
        return False
    return el.tag != "header" or not any(
        up.tag == "article" or up.get("itemprop") == "articleBody" for up in el.iterancestors()
    )


# The readers' comments under an article (WordPress's ``#comments``, ``.commentlist``,
# Disqus's ``#disqus_thread``) or in a sidebar (WordPress's "Recent Comments" widget,
# ``#recentcomments``): never the article, however much of the page they fill.
_COMMENTS = re.compile(
    r"(recent[-_]?)?comments?([-_]?(list|area|section|wrapper|container|block|thread))?|"
    r"commentlist|disqus_thread"
)


# A box promoting other stories (``promo``, ``promo_holder``, ``hp-promo``): never the
# article either, though a slideshow of whole stories in one can fill most of the page.
_PROMO = frozenset({"promo", "promos"})


def _never_article(el: HtmlElement) -> bool:
    """True for the readers' comments (``_COMMENTS``) or a promotion (``_PROMO``)."""
    names = tokens(el)
    return any(_COMMENTS.fullmatch(name) for name in names) or any(
        not _PROMO.isdisjoint(_WORD_BREAK.split(name)) for name in names
    )
