"""Markdown -> HTML: a pure function of the text and the page it lands on.

Python-Markdown with fenced code and Pygments highlighting (CSS classes), tables,
footnotes, heading anchors and attribute lists, plus five things of ours:

* CJK line joining: a soft line break between two CJK characters, or next to CJK
  punctuation (``设计。`` then ``This``), disappears, because hard-wrapped Chinese would
  otherwise show a stray space where each line ended;
* figures: an image alone in its paragraph, with a title, becomes
  ``<figure><img><figcaption>title</figcaption></figure>``;
* link resolution: relative links and image paths are resolved against the page's URL,
  so the HTML works on the page, in feeds and in email alike;
* lists nest as CommonMark nests them (:mod:`.list_indent`): two spaces in, or under
  the item's text, as the editors most people write in do;
* headings need a space after their ``#`` (as CommonMark asks; Python-Markdown did not):
  ``#周末读书#``, a topic tag as Chinese social sites write it, and ``#dowork`` at the
  start of a line are text, not headings.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as etree
from collections.abc import MutableMapping
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from pygments.formatters import HtmlFormatter

from digest.renderer import list_indent
from digest.renderer.list_indent import ListIndent
from digest.text import cjk
from digest.text.cjk import break_vanishes
from digest.text.urls import split_url

LIGHT_STYLE, DARK_STYLE = "default", "github-dark"

_INLINE_TAG = r"</?(?:a|abbr|b|code|del|em|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|u)\b[^>]*>"
# A soft line break, with the inline tags that close before it and open after it.
_BREAK = re.compile(rf"((?:{_INLINE_TAG})*)\n[ \t]*((?:{_INLINE_TAG})*)(?=\S)")


def _join(m: re.Match[str]) -> str:
    """The break gone when :func:`break_vanishes` says so, the tags around it kept."""
    text, left, right = m.string, m.start() - 1, m.end()
    if left < 0 or (text[left] + text[right]).isascii() or text[left].isspace():
        return m.group(0)  # most breaks, between tags or Latin words: decided at once
    if break_vanishes(text, left, right):
        return m.group(1) + m.group(2)
    return m.group(0)


_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.DOTALL)


def join_cjk_lines(html: str) -> str:
    """Remove the soft line breaks that are artefacts of wrapping CJK text (between two CJK
    characters, or next to CJK punctuation: see :func:`break_vanishes`), outside ``<pre>``."""
    parts = _PRE.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = _BREAK.sub(_join, parts[i])
    return "".join(parts)


class _Page(Treeprocessor):
    """Resolve relative URLs against the page, turn lone captioned images into figures,
    keep hyphenated words of inline code whole."""

    base = ""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for child in list(parent):
                if child.tag == "p" and _lone_image(child) is not None:
                    _to_figure(child)
        parent_of = {child: parent.tag for parent in root.iter() for child in parent}
        for el in list(root.iter()):
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and _is_relative(value):
                    el.set(attr, urljoin(self.base, value))
            if el.tag == "img":
                el.set("loading", "lazy")
                el.set("decoding", "async")
            elif el.tag == "code" and parent_of.get(el) != "pre":
                _keep_hyphenated_words_whole(el)


NOBR_LONGEST = 30  # characters; a longer word may still break: a phone's line holds ~35


def _keep_hyphenated_words_whole(code: etree.Element) -> None:
    """Put each word of inline ``code`` that has a hyphen (``-race``, ``go-build``) in a
    ``<span class="nobr">`` (``white-space: nowrap`` in every stylesheet): browsers break
    a line after any hyphen, which splits a flag or a name in two, and CSS has no switch
    for that (``hyphens`` and ``word-break`` leave it). Spaces between words still break."""
    text = code.text or ""
    if len(code) or "-" not in text:
        return
    code.text, last = AtomicString(""), None
    for piece in re.split(r"(\s+)", text):
        if "-" in piece and not piece.isspace() and len(piece) <= NOBR_LONGEST:
            last = etree.SubElement(code, "span", {"class": "nobr"})
            last.text, last.tail = AtomicString(piece), AtomicString("")
        elif last is None:
            code.text = AtomicString(code.text + piece)
        else:
            last.tail = AtomicString((last.tail or "") + piece)


def _lone_image(p: etree.Element) -> etree.Element | None:
    if len(p) != 1 or (p.text or "").strip() or p[0].tag != "img" or (p[0].tail or "").strip():
        return None
    return p[0] if p[0].get("title") else None


def _to_figure(p: etree.Element) -> None:
    img = p[0]
    caption = img.attrib.pop("title")
    p.tag, p.text, img.tail = "figure", None, None
    etree.SubElement(p, "figcaption").text = caption


def _is_relative(url: str) -> bool:
    parts = split_url(url)  # None for http://[::1: left as it was written
    return parts is not None and not (parts.scheme or url.startswith(("/", "#")))


class _CjkJoin(Postprocessor):
    def run(self, text: str) -> str:
        # Code blocks and tables may scroll sideways: keyboard users must reach them too.
        text = text.replace("<pre>", '<pre tabindex="0">').replace(
            "<table>", '<table tabindex="0">'
        )
        return join_cjk_lines(text)


class _SpacedHeading(HashHeaderProcessor):
    """``# Title``: its ``#`` followed by a space, a tab or the line's end (module docstring)."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t\n]|$)(?P<header>(?:\\.|[^\\])*?)#*(?:\n|$)")


class _DigestExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.parser.blockprocessors.register(_SpacedHeading(md.parser), "hashheader", 70)
        md.preprocessors.register(ListIndent(md), "digest_list_indent", 15)  # after fences
        md.treeprocessors.register(_Page(md), "digest_page", 5)
        md.postprocessors.register(_CjkJoin(md), "digest_cjk", 5)


def _formatter(lang_str: str = "", **options: Any) -> HtmlFormatter[str]:
    """The HTML formatter codehilite asks for, made once per set of options: Pygments
    builds a style sheet in every new formatter, a tenth of highlighting a block. Like
    codehilite's own default, it is not given ``lang_str``."""
    try:
        return _formatter_for(tuple(sorted(options.items())))
    except TypeError:  # an option that does not hash (a list of lines): a new one
        return HtmlFormatter(**options)


@lru_cache(maxsize=16)  # a pure function of its options: a formatter is never changed
def _formatter_for(options: tuple[tuple[str, Any], ...]) -> HtmlFormatter[str]:
    return HtmlFormatter(**dict(options))


@lru_cache(maxsize=1)  # one converter for the process: reset before each use, never changed
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "fenced_code",
            "codehilite",
            "tables",
            "footnotes",
            "attr_list",
            "sane_lists",
            "toc",
            _DigestExtension(),
        ],
        extension_configs={
            "codehilite": {
                "css_class": "highlight",
                "guess_lang": False,
                "pygments_formatter": _formatter,
            },
            "toc": {
                "slugify": slugify_unicode,
                "permalink": "#",
                "permalink_class": "anchor",
                "permalink_title": "本节链接",
            },
            "footnotes": {"BACKLINK_TITLE": "回到正文 %d"},
        },
        output_format="html",
    )


def render_markdown(text: str, *, base: str = "", id_prefix: str = "") -> str:
    """Render ``text`` for a page at URL ``base``; prefix every id with ``id_prefix``.

    The prefix keeps ids unique when several fragments (the items of an issue) share a
    page: item 3's footnote 1 becomes ``item-3-fn:1``.
    """
    md = _markdown()
    md.reset()
    page = md.treeprocessors["digest_page"]
    assert isinstance(page, _Page)
    page.base = base
    try:
        html = md.convert(text)
    except RecursionError:  # emphasis nested thousands deep: the library's tree walks overflow
        md.reset()
        paragraphs = (p.strip() for p in re.split(r"\n\s*\n", text))
        html = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)
    if id_prefix:
        html = re.sub(r'\b(id="|href="#)', rf"\g<1>{id_prefix}", html)
    return html


@lru_cache(maxsize=1)  # a pure function of two source files and the libraries' versions
def renderer_version() -> str:
    """What a cached render depends on besides its input: this module, the line-join rule
    in :mod:`digest.text.cjk`, the list nesting in :mod:`.list_indent`, and the libraries."""
    import pygments

    modules = (Path(__file__), Path(cjk.__file__), Path(list_indent.__file__))
    source = b"".join(path.read_bytes() for path in modules)
    versions = f"{markdown.__version__} {pygments.__version__}".encode()
    return hashlib.sha256(source + versions).hexdigest()[:16]


def markdown_key(text: str, base: str, id_prefix: str) -> str:
    """The cache key of one render: the text, the options and :func:`renderer_version`."""
    data = f"{renderer_version()}\0{base}\0{id_prefix}\0{text}".encode()
    return hashlib.sha256(data).hexdigest()[:32]


def render_markdown_cached(
    text: str, base: str, id_prefix: str, cache: MutableMapping[str, str] | None
) -> str:
    """:func:`render_markdown`, looked up first in ``cache`` (keyed by a hash of the text,
    the options and :func:`renderer_version`), so an unchanged text is never re-parsed."""
    if cache is None:
        return render_markdown(text, base=base, id_prefix=id_prefix)
    key = markdown_key(text, base, id_prefix)
    html = cache.get(key)
    if html is None:
        html = cache[key] = render_markdown(text, base=base, id_prefix=id_prefix)
    return html


@lru_cache(maxsize=1)  # a pure function of the two constant styles
def highlight_css() -> str:
    """The one stylesheet for highlighted code: light, and dark under prefers-color-scheme."""
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    dark = HtmlFormatter(style=DARK_STYLE).get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    dark = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
