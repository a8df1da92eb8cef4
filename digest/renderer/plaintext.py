"""Rendered HTML -> the plain-text part of an email.

Headings, paragraphs, numbered and bulleted lists, quotes and code, wrapped at 72 columns
with CJK characters counted as two columns; every link becomes ``text [n]`` and the URLs
are listed at the end as ``[n] https://…``, each URL once.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from itertools import accumulate

from lxml.html import HtmlElement

from digest.text.cjk import CJK, NO_LINE_START, NO_SPACE_AFTER

WIDTH = 72
# A space after a closing mark of Chinese text: ， or 」, and ” only after CJK (好”, not Go”).
_AFTER_CJK_PUNCT = re.compile(rf"(?:(?<=[{NO_SPACE_AFTER}])|(?<=[{CJK}][”’]))\s+")
_NO_START = frozenset(NO_LINE_START)


@functools.lru_cache(maxsize=8192)  # a pure function of the character: asked once each
def _width(char: str) -> int:
    """Display width of one character."""
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def columns(text: str) -> int:
    """Display width: East Asian wide and full-width characters count two."""
    return len(text) if text.isascii() else sum(map(_width, text))


def wrap(text: str, width: int = WIDTH, indent: str = "") -> list[str]:
    """Wrap ``text``: between any two CJK characters, at spaces between Latin words.

    The text is read as tokens: single spaces, single wide characters and words (what lies
    between them). Lines are filled greedily, a line's first token going on it even if it
    is too wide; spaces at the start of a line are dropped, and a token that must not
    start a line (``_NO_START``) takes the token before it down with it.
    """
    start = columns(indent)
    # Lines are filled one bisection at a time, not token by token: ends[i] is the width
    # of text[:i], so a line from a can run to the last i with ends[i] <= ends[a] + width
    # - start (moved back to the start of a word cut there).
    ends = [0, *accumulate(map(_width, text))]
    if start + ends[-1] <= width:  # all on one line
        text = text.lstrip(" ")
        return [(indent + text).rstrip()] if text.strip() else []
    t = _Tokens(text)
    lines: list[str] = []
    a = t.after_spaces(0)  # where the line starts
    m = t.end(a)  # the end of the tokens that go on the line whatever their width
    while a < t.n:
        b = max(m, bisect_right(ends, ends[a] + width - start) - 1)
        if m < b < t.n and t.in_word(b - 1) and t.in_word(b):
            b = t.start(b)  # the word cut at b starts the next line
        if b >= t.n:
            if text[a:].strip():
                lines.append((indent + text[a:]).rstrip())
            break
        e = t.end(b)  # text[b:e] is the first token that does not fit
        before = t.start(b)
        takes = text[b:e] in _NO_START and before > a  # it takes the token before it along
        lines.append(indent + text[a : before if takes else b].rstrip(" "))
        if takes:
            a, m = (b if text[before] == " " else before), e
        elif text[b] != " ":
            a, m = b, e
        else:  # a space: it goes nowhere, nor do the ones after it
            a = t.after_spaces(b)
            m = t.end(a)
    return lines


class _Tokens:
    """Where the tokens of ``text`` start and end (see :func:`wrap`)."""

    def __init__(self, text: str) -> None:
        self.text, self.n = text, len(text)

    def in_word(self, i: int) -> bool:
        """Whether ``text[i]`` belongs to a word: not a space, not a wide character."""
        return self.text[i] != " " and _width(self.text[i]) == 1

    def end(self, i: int) -> int:
        """The end of the token that starts at ``i`` (``i`` itself at the end of the text)."""
        if i == self.n:
            return i
        if self.in_word(i):
            while i + 1 < self.n and self.in_word(i + 1):
                i += 1
        return i + 1

    def start(self, j: int) -> int:
        """The start of the token that ends at ``j``."""
        j -= 1
        if self.in_word(j):
            while j > 0 and self.in_word(j - 1):
                j -= 1
        return j

    def after_spaces(self, i: int) -> int:
        """The first position from ``i`` on that is not a space."""
        while i < self.n and self.text[i] == " ":
            i += 1
        return i


class _Writer:
    """The blocks of text written so far, and the URLs they cite, in order."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.links: list[str] = []

    def ref(self, url: str) -> int:
        """The number of ``url`` in the references (a new one if it is not there yet)."""
        if url not in self.links:
            self.links.append(url)
        return self.links.index(url) + 1

    def inline(self, node: HtmlElement) -> str:
        """The text of ``node``'s contents: links numbered, images by their ``alt``."""
        parts = [(node.text or "").replace("\n", " ")]  # a soft break, not a line break
        for child in node:
            name = child.tag
            if name == "br":
                parts.append("\n")
            elif name == "img":
                alt = child.get("alt") or ""
                parts.append(f"[图：{alt}]" if alt else "")
            elif name == "a" and child.get("href", "").startswith("http"):
                text = self.inline(child).strip()
                parts.append(f"{text} [{self.ref(child.get('href'))}]")
            elif isinstance(name, str):  # not a comment or processing instruction
                parts.append(self.inline(child))
            parts.append((child.tail or "").replace("\n", " "))
        return "".join(parts)

    def block(self, node: HtmlElement, indent: str = "") -> None:
        """Write ``node``'s contents as blocks: headings, code, lists, quotes, paragraphs."""
        if node.text and node.text.strip():
            self.paragraph(node.text, indent)
        for child in node:
            name = child.tag
            if name in ("h1", "h2", "h3", "h4"):
                text = " ".join(self.inline(child).split())
                rule = "=" if name in ("h1", "h2") else "-"
                self.blocks.append(f"{text}\n{rule * min(columns(text), WIDTH)}")
            elif name == "pre":
                code = "".join(child.itertext()).rstrip("\n")
                self.blocks.append("\n".join("    " + line for line in code.split("\n")))
            elif name in ("ul", "ol"):
                self.blocks.append(self.items(child, indent))
            elif name == "blockquote":
                inner = _Writer()
                inner.links = self.links
                inner.block(child)
                quoted = "\n\n".join(inner.blocks)
                self.blocks.append("\n".join("> " + line for line in quoted.split("\n")))
            elif name in ("p", "figcaption", "td", "th", "dt", "dd"):
                self.paragraph(self.inline(child), indent)
            elif name == "hr":
                self.blocks.append("-" * 20)
            elif name == "table":
                for row in child.iter("tr"):
                    cells = [" ".join(self.inline(c).split()) for c in row.iter("td", "th")]
                    self.blocks.append(" | ".join(cells))
            elif isinstance(name, str):  # not a comment or processing instruction
                self.block(child, indent)
            if child.tail and child.tail.strip():
                self.paragraph(child.tail, indent)

    def items(self, node: HtmlElement, indent: str) -> str:
        """A list's items, numbered or bulleted, each wrapped under its marker."""
        lines = []
        for n, li in enumerate(node.findall("li"), 1):
            marker = f"{n}. " if node.tag == "ol" else "- "
            text = " ".join(self.inline(li).split())
            wrapped = wrap(text, WIDTH - len(indent) - len(marker))
            lines.append(indent + marker + wrapped[0] if wrapped else indent + marker)
            lines += [indent + " " * len(marker) + w for w in wrapped[1:]]
        return "\n".join(lines)

    def paragraph(self, text: str, indent: str = "") -> None:
        """Write ``text`` as one paragraph, wrapped (a line break stays one)."""
        lines = []
        for part in text.split("\n"):
            part = _AFTER_CJK_PUNCT.sub("", " ".join(part.split()))
            lines += wrap(part, WIDTH, indent)
        if lines:
            self.blocks.append("\n".join(lines))


def html_to_text(body: HtmlElement, *, references_title: str = "链接") -> str:
    """The plain-text rendering of what is in ``body`` (an lxml element, as
    :func:`~digest.renderer.email.adapt_body` gives it), references at the end."""
    writer = _Writer()
    writer.block(body)
    text = "\n\n".join(b for b in writer.blocks if b.strip())
    if writer.links:
        refs = "\n".join(f"[{n}] {url}" for n, url in enumerate(writer.links, 1))
        text += f"\n\n{references_title}\n{'-' * columns(references_title)}\n{refs}"
    return text + "\n"
