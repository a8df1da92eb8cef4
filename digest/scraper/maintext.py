"""The main text of an article page: the article, not the page around it.

Ours, in three steps. (1) Drop what is never the article: scripts, styles, forms,
``nav``/``aside``/``footer``/``header``, and elements whose class or id says comment,
share, sidebar, related, cookie, newsletter, QR code and the like. (2) Score every block
by its own text (length and punctuation, CJK counted per character) minus its links, pass
the score up to its parent and, halved, to its grandparent, and pick the best container;
known article containers (``article``, ``#js_content``, ``.entry-content``…) get a bonus.
(3) Read that container back as blocks: paragraphs, headings, list items and code, one
per line, skipping link lists.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString

from digest.text.cjk import CJK

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
_POSITIVE = re.compile(
    r"article|entry|post-?body|post-?content|story|rich_media_content|js_content|"
    r"markdown|richtext|blog-content|main-?content|content-?body|articlebody|prose",
    re.I,
)
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


def _known(el: Tag) -> bool:
    """True for an element that sites use to hold the article (``article``, ``#js_content``…)."""
    classes: object = el.get("class") or []
    return (
        el.name in _KNOWN_TAGS
        or el.get("id") in _KNOWN_IDS
        or el.get("itemprop") == "articleBody"
        or el.get("role") == "main"
        or bool(_KNOWN_CLASSES.intersection(classes if isinstance(classes, list) else [classes]))
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
# Chinese and Japanese put no spaces between words: one between two such characters comes
# from the line breaks of the page's source.
_CJK_GAP = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")
_PUNCT = re.compile(r"[,，。.；;！!？?、]")


# A class or id that is exactly one of these names the page's content, whatever else the
# element's classes say (``page-content and-w-sidebar``).
_CONTENT_TOKENS = frozenset(
    {"content", "page-content", "main", "main-content", "site-content", "body", "text"}
)


def _tokens(el: Tag) -> list[str]:
    classes: object = el.get("class") or []
    names = [*classes, str(el.get("id") or "")] if isinstance(classes, list) else [str(classes)]
    return [n.lower() for n in names if n]


def _is_negative(el: Tag) -> bool:
    tokens = _tokens(el)
    if not tokens or el.name in _KEEP:
        return False
    if _CONTENT_TOKENS.intersection(tokens):
        return False
    joined = " ".join(tokens)
    if _POSITIVE.search(joined) and not re.search(
        "comment|related|recommend|share|summary|promo|newsletter|subscri", joined
    ):
        return False
    words = set(re.split(r"[\s_]+", joined)) | set(re.split(r"[\s_-]+", joined))
    return bool(words & _NEGATIVE_EXACT) or any(stem in joined for stem in _NEGATIVE_STEMS)


def _hidden(el: Tag) -> bool:
    style = str(el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("aria-hidden") == "true" or el.has_attr("hidden")


def _text_sizes(soup: BeautifulSoup) -> dict[int, int]:
    """Characters of text (whitespace left out) under every element, in one pass."""
    sizes: dict[int, int] = {}
    for el in reversed(soup.find_all(True)):
        size = 0
        for child in el.children:
            if isinstance(child, Tag):
                size += sizes.get(id(child), 0)
            elif isinstance(child, NavigableString) and not isinstance(child, Comment):
                size += len(child) - sum(c.isspace() for c in child)
        sizes[id(el)] = size
    return sizes


def clean(soup: BeautifulSoup) -> None:
    """Remove, in place, everything that is never the article (see ``_FURNITURE_TAGS``)."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for el in soup.find_all(_JUNK_TAGS):
        el.decompose()
    sizes = _text_sizes(soup)
    most = _MOST * max(1, sizes.get(id(soup.body or soup), 0))
    for el in soup.find_all(True):
        if not isinstance(el, Tag) or el.attrs is None or sizes.get(id(el), 0) >= most:
            continue
        if el.name in _FURNITURE_TAGS or _is_negative(el) or _hidden(el):
            el.decompose()


def _own_text(el: Tag) -> str:
    return "".join(str(s) for s in el.children if isinstance(s, NavigableString))


def _link_density(el: Tag) -> float:
    text = len(el.get_text(strip=True)) or 1
    links = sum(len(a.get_text(strip=True)) for a in el.find_all("a"))
    return min(links / text, 1.0)


def best_container(soup: BeautifulSoup) -> Tag | None:
    """The element holding the article, by the scores in the module docstring."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for el in soup.find_all(
        ["p", "pre", "li", "blockquote", "td", "div", "section", "span", "h2", "h3", "h4"]
    ):
        text = el.get_text(strip=True) if el.name in ("p", "pre", "blockquote", "li") else ""
        text = text or _own_text(el).strip()
        if len(text) < 20:
            continue
        score = 1 + len(_PUNCT.findall(text)) + min(len(text) / 80, 4)
        parent = el.parent
        for share in (1.0, 0.5, 0.25):
            if not isinstance(parent, Tag) or parent.name in ("html", "[document]"):
                break
            key = id(parent)
            nodes[key] = parent
            scores[key] = scores.get(key, 0.0) + score * share
            parent = parent.parent
    if not scores:
        return None

    def final(key: int) -> float:
        el = nodes[key]
        bonus = 1.5 if _known(el) else 1.0
        bonus *= 1.2 if _POSITIVE.search(" ".join(_tokens(el))) else 1.0
        return scores[key] * bonus * (1 - _link_density(el))

    return nodes[max(scores, key=final)]


def blocks(el: Tag) -> list[str]:
    """The text of ``el`` as blocks, one per line; link lists are skipped."""
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        text = _CJK_GAP.sub("", text)
        if text:
            out.append(text)
        buffer.clear()

    for child in el.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            buffer.append(str(child))
        elif not isinstance(child, Tag):
            continue
        elif child.name == "pre":
            flush()
            code = child.get_text().strip("\n")
            if code.strip():
                out.append(code)
        elif child.name in ("ul", "ol", "table") and _link_density(child) > 0.6:
            continue
        elif child.name in _BLOCKS:
            flush()
            out.extend(blocks(child))
        else:
            buffer.append(child.get_text())
    flush()
    return out


# Short lines that are never the article: follow/QR prompts, share bars, editor credits.
_BOILERPLATE = re.compile(
    r"点击上方.{0,8}(关注|蓝字)|关注(我们|公众号|本号)|长按(识别|扫码|二维码)|扫码关注|识别二维码|"
    r"^阅读原文$|点个?(赞|在看)|^分享到|^(责任编辑|责编|编辑|来源|作者)\s*[:：]|^原标题\s*[:：]|"
    r"^(share|tweet|follow us|subscribe)\b",
    re.I,
)
# A heading after which a page lists other articles: everything from it on is dropped.
_TAIL_MARKERS = frozenset(
    {
        "往期推荐",
        "推荐阅读",
        "相关阅读",
        "往期回顾",
        "延伸阅读",
        "相关文章",
        "热门推荐",
        "相关推荐",
        "end",
        "-end-",
        "—end—",
        "the end",
    }
)


def tidy(lines: list[str]) -> list[str]:
    """Drop boilerplate lines; cut at a "往期推荐"-like marker in the last part of the text."""
    for i, line in enumerate(lines):
        key = re.sub(r"[\s\-—_·•]+", "", line).lower()
        if i >= len(lines) * 0.4 and (
            key in _TAIL_MARKERS or line.strip().lower() in _TAIL_MARKERS
        ):
            lines = lines[:i]
            break
    return [line for line in lines if not (len(line) <= 60 and _BOILERPLATE.search(line))]


def main_text(soup: BeautifulSoup) -> str:
    """The article's text, or '' when the page has none. Modifies ``soup``."""
    clean(soup)
    container = best_container(soup) or soup.body
    return "\n".join(tidy(blocks(container))) if container else ""
