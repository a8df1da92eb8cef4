"""HTML -> Markdown that reads naturally: markdownify, with our fixes.

markdownify does the walk; ours are the parts it leaves to us:

* **Code blocks** keep their language, whatever the blog's highlighter called it
  (``language-go``, ``lang="go"``, ``brush: go;``, ``<pre lang="go">``), and the fence is
  longer than any run of backticks inside the code.
* **CJK line wraps**: a line break in the HTML source between two Chinese characters (or
  next to Chinese punctuation) is an artefact of the editor's wrapping and vanishes; any
  other becomes a space (the rule of ``digest.text.cjk.break_vanishes``, the one our
  Markdown renderer uses). A paragraph comes out as one line.
* **Figures**: ``<figure><img><figcaption>`` (and WordPress's ``[caption]``) become our
  ``![alt](src "caption")`` on a line of its own.
* **Text stays text**: ``<`` and entities in the HTML's text are written as entities, so
  ``&lt;select&gt;`` cannot turn into a tag once the Markdown is rendered.
* Links and images are made absolute against the page's URL; the images are listed so
  that ``--download-images`` can fetch them.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString
from markdownify import MarkdownConverter

from digest.text.cjk import break_vanishes
from digest.text.mdsyntax import md_url

_LANG_CLASS = re.compile(r"^(?:language|lang|highlight-source|sourceCode)-([\w+#.-]+)$", re.I)
_BRUSH = re.compile(r"\bbrush\s*:\s*([\w+#.-]+)", re.I)
_WRAP = re.compile(r"[ \t\r\f\v]*\n\s*")
_NO_TEXT = frozenset({"pre", "code", "script", "style", "textarea"})
_PLAYABLE = re.compile(r"https?://[^\s<>]+")  # what an autolink can hold
_DROP = ("script", "style", "noscript", "iframe", "form", "button", "input", "svg")


@dataclass(frozen=True)
class Converted:
    """A body as Markdown, the absolute URLs of its images, and what needs a look."""

    text: str
    images: tuple[str, ...]
    notes: tuple[str, ...] = ()


def code_language(pre: Tag) -> str:
    """The language a highlighter wrote on a ``<pre>`` or its ``<code>``; '' if none."""
    for el in (pre, pre.find("code")):
        if not isinstance(el, Tag):
            continue
        for attr in ("lang", "data-lang", "data-language"):
            if value := str(el.get(attr) or "").strip():
                return value.lower()
        classes: object = el.get("class") or []
        for cls in classes if isinstance(classes, list) else [classes]:
            if m := _LANG_CLASS.match(str(cls)):
                return m.group(1).lower()
        if m := _BRUSH.search(
            " ".join(str(c) for c in (classes if isinstance(classes, list) else [classes]))
        ):
            return m.group(1).lower()
    return ""


class _Converter(MarkdownConverter):
    """markdownify with our code blocks, figures and escaping (see the module docstring)."""

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        code = el.get_text().strip("\n")
        if not code.strip():
            return ""
        runs = [len(r) for r in re.findall(r"`{3,}", code)]
        fence = "`" * max([3, *(n + 1 for n in runs)])
        return f"\n\n{fence}{code_language(el)}\n{code}\n{fence}\n\n"

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        images = [img for img in el.find_all("img") if str(img.get("src") or "").strip()]
        if len(images) > 1:  # a gallery: each image with its own caption, then the gallery's
            shown = [image_markdown(img, _caption_of(img, el)) for img in images]
            caption = el.find("figcaption", recursive=False)
            if isinstance(caption, Tag) and (words := " ".join(caption.get_text().split())):
                shown.append(self.escape(words, parent_tags))
            return "\n\n" + "\n\n".join(shown) + "\n\n"
        img = el.find("img")
        if not isinstance(img, Tag):
            return f"\n\n{text.strip()}\n\n"
        caption = el.find("figcaption")
        title = " ".join(caption.get_text().split()) if isinstance(caption, Tag) else ""
        return f"\n\n{image_markdown(img, title)}\n\n"

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A list item; one of several blocks (a paragraph, code) ends with a blank line, or
        the next item is read as nested in it."""
        item = str(super().convert_li(el, text, parent_tags))  # type: ignore[misc]  # not in its stub
        if "\n\n" in item.strip("\n"):
            return item.rstrip("\n") + "\n\n"
        return item

    def convert_audio(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """An ``<audio>`` or ``<video>`` player: a link to what it plays (nothing when it
        names no web address)."""
        sources = [el, *el.find_all("source")]
        src = next((str(s.get("src")).strip() for s in sources if s.get("src")), "")
        return f"\n\n<{src}>\n\n" if _PLAYABLE.fullmatch(src) else ""

    convert_video = convert_audio

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not str(el.get("src") or "").strip():
            return ""  # nothing to show (a lazy image without its real URL)
        title = " ".join(str(el.get("title") or "").split())
        if title == " ".join(str(el.get("alt") or "").split()):
            title = ""  # WordPress's tooltip, its alt again: shown as a caption, said twice
        return image_markdown(el, title)

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """Text as text: entities and ``<`` escaped, ``*`` always and ``_`` where it could
        start or end emphasis (``snake_case`` stays as it is)."""
        text = re.sub(r"&(?=#?\w+;)", "&amp;", text).replace("<", "&lt;")
        return re.sub(r"\*|(?<!\w)_|_(?!\w)", lambda m: "\\" + m.group(), text)


def _caption_of(img: Tag, gallery: Tag) -> str:
    """The caption of one image of a gallery: its own figure's (WordPress's gallery block
    puts each image in one), else its title unless that is its alt again."""
    figure = img.find_parent("figure")
    if figure is not None and figure is not gallery:
        caption = figure.find("figcaption")
        if isinstance(caption, Tag):
            return " ".join(caption.get_text().split())
    title = " ".join(str(img.get("title") or "").split())
    return "" if title == " ".join(str(img.get("alt") or "").split()) else title


def image_markdown(img: Tag, title: str) -> str:
    """``![alt](src "title")`` for an ``<img>``."""
    alt = " ".join(str(img.get("alt") or "").split()).replace("]", "\\]")
    src = md_url(str(img.get("src") or ""))
    title_part = ' "{}"'.format(title.replace('"', "“")) if title else ""
    return f"![{alt}]({src}{title_part})"


def _join_wraps(soup: BeautifulSoup) -> None:
    """Line breaks in the text (outside code) become nothing or a space, by the CJK rule."""
    strings = [s for s in soup.find_all(string=True) if not isinstance(s, Comment)]
    for i, s in enumerate(strings):
        text = str(s)
        if "\n" not in text or not text.strip() or any(p.name in _NO_TEXT for p in s.parents):
            continue
        before = next(
            (t.rstrip()[-1] for j in range(i - 1, -1, -1) if (t := strings[j]).strip()), ""
        )
        after = next(
            (t.lstrip()[0] for j in range(i + 1, len(strings)) if (t := strings[j]).strip()), ""
        )
        padded = f"{before}{text}{after}"
        joined = _WRAP.sub(functools.partial(_wrap, padded), padded)
        s.replace_with(NavigableString(joined[len(before) : len(joined) - len(after)]))


def _wrap(text: str, m: re.Match[str]) -> str:
    left, right = m.start() - 1, m.end()
    if left < 0 or right >= len(text):
        return " "
    return "" if break_vanishes(text, left, right) else " "


def _absolute(soup: BeautifulSoup, base_url: str) -> list[str]:
    """Make links and images absolute; the images' URLs, each once, in order (a ``file:``
    one too: a saved page's image beside it, which the import copies, or else a link to
    the editor's disk that its report must name)."""
    images: list[str] = []
    for el in soup.find_all(["a", "img"]):
        attr = "href" if el.name == "a" else "src"
        value = str(el.get(attr) or "").strip()
        if not value:
            continue
        if base_url and not value.startswith(("#", "mailto:", "data:")):
            with contextlib.suppress(ValueError):  # http://[::1 : left as it was written
                value = urljoin(base_url, value)
            el[attr] = value
        if el.name == "img" and value.startswith(("http://", "https://", "file:")):
            images.append(value)
    return list(dict.fromkeys(images))


def to_markdown(html: str, base_url: str = "") -> Converted:
    """``html`` (a body, not a whole page) as our Markdown."""
    soup = BeautifulSoup(html, "lxml")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    dropped = sorted({el.name for el in soup.find_all(_DROP)})
    for el in soup.find_all(_DROP):
        el.decompose()
    flattened = _flatten_deep(soup)
    images = _absolute(soup, base_url)
    _join_wraps(soup)
    options: dict[str, Any] = {"heading_style": "ATX", "bullets": "-", "escape_misc": False}
    text = _Converter(**options).convert_soup(soup)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    notes = tuple(f"<{name}> left out (no Markdown for it)" for name in dropped)
    if flattened:
        notes += (f"markup nested over {MAX_DEPTH} levels deep read as plain text",)
    return Converted(text, tuple(images), notes)


# Markup nests a few levels (a list in a quote in a table cell); pasted word-processor HTML
# that never closes a <span> nests one level a line, past what the converter's recursive
# walk can take (about 300 levels).
MAX_DEPTH = 64


def _flatten_deep(soup: BeautifulSoup) -> bool:
    """Read what lies deeper than :data:`MAX_DEPTH` levels as plain text: each element at
    that depth keeps its strings, in their order, with a line break at a ``<br>`` and
    before a block, and loses the elements inside it; True when there were any."""
    flattened = False
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        tag, depth = stack.pop()
        kids = tag.find_all(True, recursive=False)
        if depth < MAX_DEPTH:
            stack.extend((kid, depth + 1) for kid in kids if kid.name != "pre")
        elif kids:
            _as_plain_text(soup, tag)
            flattened = True
    return flattened


_LINE_ENDS = frozenset({"br", "p", "div", "li", "tr", "blockquote", "h1", "h2", "h3", "h4"})


def _as_plain_text(soup: BeautifulSoup, tag: Tag) -> None:
    """``tag`` with its strings alone, and a ``<br>`` at each ``<br>`` and before each block
    (bs4 walks its descendants one after the other, never down a recursion)."""
    pieces: list[str | None] = []
    for node in tag.descendants:
        if isinstance(node, NavigableString):
            if not isinstance(node, Comment):
                pieces.append(str(node))
        elif isinstance(node, Tag) and node.name in _LINE_ENDS and pieces and pieces[-1]:
            pieces.append(None)
    tag.clear()
    for piece in pieces:
        tag.append(soup.new_tag("br") if piece is None else NavigableString(piece))
