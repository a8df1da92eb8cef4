"""Rendered HTML -> the plain-text part of an email.

Headings, paragraphs, numbered and bulleted lists, quotes and code, wrapped at 72 columns
with CJK characters counted as two columns; every link becomes ``text [n]`` and the URLs
are listed at the end as ``[n] https://…``, each URL once.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from itertools import accumulate

from digest.renderer.htmltree import Tag, parse
from digest.text.cjk import NO_LINE_START, NO_SPACE_AFTER

WIDTH = 72
_AFTER_CJK_PUNCT = re.compile(rf"(?<=[{NO_SPACE_AFTER}”])\s+")
_NO_START = set(NO_LINE_START)


class _Widths(dict[str, int]):
    """Display width by character; unicodedata is asked once per character."""

    def __missing__(self, char: str) -> int:
        width = self[char] = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        return width


_WIDTHS = _Widths()


def columns(text: str) -> int:
    """Display width: East Asian wide and full-width characters count two."""
    return len(text) if text.isascii() else sum(map(_WIDTHS.__getitem__, text))


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
    ends = [0, *accumulate(map(_WIDTHS.__getitem__, text))]
    if start + ends[-1] <= width:  # all on one line
        text = text.lstrip(" ")
        return [(indent + text).rstrip()] if text.strip() else []
    n = len(text)

    def in_word(i: int) -> bool:
        return text[i] != " " and _WIDTHS[text[i]] == 1

    def token_end(i: int) -> int:  # of the token that starts at i
        if in_word(i):
            while i + 1 < n and in_word(i + 1):
                i += 1
        return i + 1

    def token_start(j: int) -> int:  # of the token that ends at j
        j -= 1
        if in_word(j):
            while j > 0 and in_word(j - 1):
                j -= 1
        return j

    def after_spaces(i: int) -> int:
        while i < n and text[i] == " ":
            i += 1
        return i

    lines: list[str] = []
    a = after_spaces(0)  # where the line starts
    if a == n:
        return lines
    m = token_end(a)  # the end of the tokens that go on the line whatever their width
    while True:
        b = max(m, bisect_right(ends, ends[a] + width - start) - 1)
        if m < b < n and in_word(b - 1) and in_word(b):
            b = token_start(b)  # the word cut at b starts the next line
        if b >= n:
            rest = text[a:]
            if rest.strip():
                lines.append((indent + rest).rstrip())
            return lines
        e = token_end(b)  # text[b:e] is the first token that does not fit
        before = token_start(b)
        if text[b:e] in _NO_START and before > a:  # it takes the token before it along
            lines.append(indent + text[a:before].rstrip(" "))
            a, m = (b if text[before] == " " else before), e
        elif text[b] != " ":
            lines.append(indent + text[a:b].rstrip(" "))
            a, m = b, e
        else:  # a space: it goes nowhere, nor do the ones after it
            lines.append(indent + text[a:b].rstrip(" "))
            a = after_spaces(b)
            if a == n:
                return lines
            m = token_end(a)


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.links: list[str] = []

    def ref(self, url: str) -> int:
        if url not in self.links:
            self.links.append(url)
        return self.links.index(url) + 1

    def inline(self, node: Tag) -> str:
        parts: list[str] = []
        for child in node.contents:
            if isinstance(child, str):
                parts.append(child.replace("\n", " "))  # a soft break, not a line break
            elif child.name == "br":
                parts.append("\n")
            elif child.name == "img":
                alt = child.get("alt") or ""
                parts.append(f"[图：{alt}]" if alt else "")
            elif child.name == "a" and child.get("href", "").startswith("http"):
                text = self.inline(child).strip()
                parts.append(f"{text} [{self.ref(child['href'])}]")
            else:
                parts.append(self.inline(child))
        return "".join(parts)

    def block(self, node: Tag, indent: str = "") -> None:
        for child in node.contents:
            if isinstance(child, str):
                if child.strip():
                    self.paragraph(child, indent)
                continue
            name = child.name
            if name in ("h1", "h2", "h3", "h4"):
                text = " ".join(self.inline(child).split())
                rule = "=" if name in ("h1", "h2") else "-"
                self.blocks.append(f"{text}\n{rule * min(columns(text), WIDTH)}")
            elif name == "pre":
                code = child.get_text().rstrip("\n")
                self.blocks.append("\n".join("    " + line for line in code.split("\n")))
            elif name in ("ul", "ol"):
                lines = []
                for n, li in enumerate(child.find_all("li", recursive=False), 1):
                    marker = f"{n}. " if name == "ol" else "- "
                    text = " ".join(self.inline(li).split())
                    wrapped = wrap(text, WIDTH - len(indent) - len(marker))
                    lines.append(indent + marker + wrapped[0] if wrapped else indent + marker)
                    lines += [indent + " " * len(marker) + w for w in wrapped[1:]]
                self.blocks.append("\n".join(lines))
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
                for row in child.find_all("tr"):
                    cells = [" ".join(self.inline(c).split()) for c in row.find_all("td", "th")]
                    self.blocks.append(" | ".join(cells))
            else:
                self.block(child, indent)

    def paragraph(self, text: str, indent: str = "") -> None:
        lines = []
        for part in text.split("\n"):
            part = _AFTER_CJK_PUNCT.sub("", " ".join(part.split()))
            lines += wrap(part, WIDTH, indent)
        if lines:
            self.blocks.append("\n".join(lines))


def html_to_text(html: str | Tag, *, references_title: str = "链接") -> str:
    """The plain-text rendering of an HTML fragment (or of the tree :func:`parse` made of
    one), references at the end."""
    writer = _Writer()
    body = (parse(html) if isinstance(html, str) else html).find("body")
    if body is not None:
        writer.block(body)
    text = "\n\n".join(b for b in writer.blocks if b.strip())
    if writer.links:
        refs = "\n".join(f"[{n}] {url}" for n, url in enumerate(writer.links, 1))
        text += f"\n\n{references_title}\n{'-' * columns(references_title)}\n{refs}"
    return text + "\n"
