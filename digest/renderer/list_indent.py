"""Lists nested the way editors write them: two spaces in, or under the item's text.

Python-Markdown nests a list item only when it is indented four spaces more than its
parent's marker. Most editors an editor writes in (VS Code, Typora, Obsidian, GitHub)
follow CommonMark instead: an item is inside another when it starts at or past the
column where the other's text starts (``- `` two spaces, ``1. `` three). Written so, a
nested list came out flat, or as text of the item above (``第一步 - 细节``).

Before Python-Markdown reads the lists, this preprocessor re-indents each list's lines
by CommonMark's rule: an item at depth *n* starts at ``4 × n`` spaces, and a line that
continues an item keeps its place under that item's text, so code indented inside an
item stays code. A line of an item's first paragraph (no blank line since the item's
marker) keeps its place from the marker instead: Python-Markdown reads that paragraph
as written, and a quote there (``- 要点`` then ``  > 引文``) is a quote only within three
spaces of the marker. A rule (``* * *``, ``- - -``) is no item: it ends each list whose
items' text it starts left of. Fenced code is already set aside by then (it is read
first); outside a list nothing moves, and a list already nested by four spaces reads as
before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.blockprocessors import HRProcessor
from markdown.preprocessors import Preprocessor

_ITEM = re.compile(r"( *)((?:[-*+]|\d{1,9}\.)(?: +|$))")  # indent, marker and its spaces
STEP = 4  # spaces a level, as Python-Markdown reads them


@dataclass
class _Open:
    """An item of the lists open at this line: where its marker and its text start, in
    the source, and whether a blank line has been seen since its marker."""

    marker_col: int
    text_col: int
    first_block: bool = True


class ListIndent(Preprocessor):
    """Re-indent list items by CommonMark's nesting (see the module docstring)."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        open_items: list[_Open] = []
        blank_before = True
        for line in lines:
            out.append(self._line(line, open_items, blank_before))
            blank_before = not line.strip()
        return out

    def _line(self, line: str, open_items: list[_Open], blank_before: bool) -> str:
        if not line.strip():
            return line
        indent = len(line) - len(line.lstrip(" "))
        item = _ITEM.match(line)
        if item and HRProcessor.SEARCH_RE.match(line[indent:]):
            item = None
            while open_items and indent < open_items[-1].text_col:
                open_items.pop()
        if item and (open_items or indent < STEP):
            while open_items and indent < open_items[-1].text_col:
                open_items.pop()  # a sibling, or an item of a list further out
            depth = len(open_items)
            text_col = indent + len(item[2]) if line[item.end() :] else indent + 2
            open_items.append(_Open(indent, text_col))
            return " " * (STEP * depth) + line[indent:]
        if not open_items:
            return line
        while open_items and indent < open_items[-1].text_col and blank_before:
            open_items.pop()  # after a blank line, text left of an item's is not in it
        if not open_items:
            return line
        if indent < open_items[-1].text_col:  # a lazy continuation line: left as written
            return line
        inner = open_items[-1]
        if blank_before:
            inner.first_block = False
        if inner.first_block:  # read as written, from the item's marker (module docstring)
            return " " * (STEP * (len(open_items) - 1) + indent - inner.marker_col) + line[indent:]
        return " " * (STEP * len(open_items) + indent - inner.text_col) + line[indent:]
