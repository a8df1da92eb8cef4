"""Rendered HTML -> the plain-text part of an email.

Headings, paragraphs, numbered and bulleted lists, quotes and code, wrapped at 72 columns
with CJK characters counted as two columns; every link becomes ``text [n]`` and the URLs
are listed at the end as ``[n] https://…``, each URL once.
"""

from __future__ import annotations

import re
import unicodedata

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

WIDTH = 72
_AFTER_CJK_PUNCT = re.compile(r"(?<=[，。、；：！？）」』】”])\s+")
# Never at the start of a line (they belong to the character before them).
_NO_START = set("，。、；：！？）」』】〉》”’…—,.;:!?)]}%")


def columns(text: str) -> int:
    """Display width: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int = WIDTH, indent: str = "") -> list[str]:
    """Wrap ``text``: between any two CJK characters, at spaces between Latin words."""
    tokens: list[str] = []  # words, single CJK characters and spaces
    word = ""
    for char in text:
        if char == " " or columns(char) == 2:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)

    lines: list[str] = []
    line: list[str] = []  # the tokens of the line being filled

    def width_of(tokens: list[str]) -> int:
        return columns(indent + "".join(tokens))

    for token in tokens:
        if token == " " and not line:
            continue
        if width_of([*line, token]) <= width or not line:
            line.append(token)
            continue
        # Punctuation never starts a line: take the token before it down with it.
        carried = [line.pop()] if token in _NO_START and len(line) > 1 else []
        while line and line[-1] == " ":
            line.pop()
        lines.append(indent + "".join(line))
        line = [t for t in [*carried, token] if t != " "]
    if "".join(line).strip():
        lines.append((indent + "".join(line)).rstrip())
    return lines


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
        for child in node.children:
            if isinstance(child, NavigableString):
                parts.append(str(child).replace("\n", " "))  # a soft break, not a line break
            elif isinstance(child, Tag):
                if child.name == "br":
                    parts.append("\n")
                elif child.name == "img":
                    alt = str(child.get("alt") or "")
                    parts.append(f"[图：{alt}]" if alt else "")
                elif child.name == "a" and str(child.get("href", "")).startswith("http"):
                    text = self.inline(child).strip()
                    parts.append(f"{text} [{self.ref(str(child['href']))}]")
                else:
                    parts.append(self.inline(child))
        return "".join(parts)

    def block(self, node: Tag, indent: str = "") -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if child.strip():
                    self.paragraph(str(child), indent)
                continue
            if not isinstance(child, Tag):
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
                items = [li for li in child.find_all("li", recursive=False)]
                lines = []
                for n, li in enumerate(items, 1):
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
                    cells = [" ".join(self.inline(c).split()) for c in row.find_all(["td", "th"])]
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


def html_to_text(html: str, *, references_title: str = "链接") -> str:
    """The plain-text rendering of an HTML fragment, references at the end."""
    writer = _Writer()
    writer.block(BeautifulSoup(html, "lxml").body or BeautifulSoup("", "lxml"))
    text = "\n\n".join(b for b in writer.blocks if b.strip())
    if writer.links:
        refs = "\n".join(f"[{n}] {url}" for n, url in enumerate(writer.links, 1))
        text += f"\n\n{references_title}\n{'-' * columns(references_title)}\n{refs}"
    return text + "\n"
