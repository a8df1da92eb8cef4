"""Lists nested the way editors write them: two spaces in, or under the item's text.

Python-Markdown nests a list item only when it is indented four spaces more than its
parent's marker. Most editors an editor writes in (VS Code, Typora, Obsidian, GitHub) follow
CommonMark instead: an item is inside another when it starts at or past the column where the
other's text starts (``- `` two spaces, ``1. `` three). Written so, a nested list came out
flat, or as text of the item above (``第一步 - 细节``).

Before Python-Markdown reads the lists, this preprocessor re-indents each list's lines by
CommonMark's rule: an item at depth *n* starts at ``4 × n`` spaces, and a line that
continues an item keeps its place under that item's text, so code indented inside an item
stays code. A line of an item's first paragraph (no blank line since the item's marker)
keeps its place from the marker instead: Python-Markdown reads that paragraph as written,
and a quote there (``- 要点`` then ``  > 引文``) is a quote only within three spaces of the
marker. A rule (``* * *``, ``- - -``) is no item: it ends each list whose items' text it
starts left of. Code fenced at the start of a line is already set aside by then (it is read
first); code fenced inside an item (``1. 安装：`` then ````  ```bash````), which Python-Markdown
does not read, is moved to the start of its lines and given to the fenced-code reader, as a
fence there is: highlighted the same, two fences stay two, and the placeholder it leaves is
set as a paragraph of that item; a fence one to three spaces in outside every item's text is
read so too, and ends the lists it is left of (CommonMark). An item right under a later
paragraph of an item starts there, as in CommonMark (Python-Markdown read it as that
paragraph's text), a blank line put before it; so is an item further out than the block it
ends (``1. a``, a blank line, ``   - b``, then ``2. c``), which Python-Markdown read as text
of ``b``. Right under an item's text only ``1.`` starts a numbered list (CommonMark):
``2024. 年`` wrapped to a line's start there is text. Where the kind of item changes
(``2. b`` then ``- c``) a new list starts, as in CommonMark, a blank line put before it. A list
right under a paragraph's line (``本周推荐：`` then ``- 文章``), bulleted or numbered from 1,
starts there, as in CommonMark, a blank line put before it (Python-Markdown read its items
as the paragraph's text). Otherwise nothing outside a list moves, and a list already nested
by four spaces reads as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    numbered: bool
    text_is_list: bool = False  # its text starts a list (``- 1. 甲``)
    first_block: bool = True


_FENCE = re.compile(r"(`{3,}|~{3,})[ ]*\{?\.?([\w#+.-]*)[^`]*$")  # its marks, its language


def _fenced(
    lines: list[str], i: int, open_items: list[_Open], stash: Callable[[list[str]], list[str]]
) -> tuple[list[str], int] | None:
    """When ``lines[i]`` opens code fenced inside an open list item, or one to three spaces
    in outside every item's text, and a fence closes it: the block, moved to the start of
    its lines, as ``stash`` (the fenced-code reader) leaves it, a placeholder of its
    highlighted HTML, set as a paragraph of that item (or where a paragraph outside the
    lists goes: CommonMark ends the lists there); and the index after the closing fence.
    Else None."""
    line = lines[i]
    indent = len(line) - len(line.lstrip(" "))
    opening = _FENCE.match(line[indent:])
    in_item = bool(open_items) and indent >= open_items[0].text_col
    if opening is None or not (in_item or 0 < indent < STEP):
        return None  # at a line's start the fenced-code reader has read it; four in: code
    marks = opening[1]
    for end in range(i + 1, len(lines)):
        closing = lines[end].strip()
        if set(closing) == {marks[0]} and len(closing) >= len(marks):
            while open_items and indent < open_items[-1].text_col:
                open_items.pop()  # the fence belongs to an item further out, or to none
            if open_items:
                open_items[-1].first_block = False
            pad = " " * (STEP * len(open_items))
            block = stash([_unindent(code, indent) for code in lines[i : end + 1]])
            return [pad + line if line.strip() else "" for line in block], end + 1
    return None


def _marker(line: str) -> re.Match[str] | None:
    """``line``'s list marker (:data:`_ITEM`), when the line is an item and not a rule
    (``* * *``)."""
    item = _ITEM.match(line)
    return None if item is None or HRProcessor.SEARCH_RE.match(line.lstrip(" ")) else item


def _past_one(item: re.Match[str]) -> bool:
    """Whether ``item``'s marker is a number other than 1: under text, no list starts there."""
    marker = item[2].rstrip()
    return marker[0].isdigit() and int(marker[:-1]) != 1


def _interrupts(line: str, open_items: list[_Open], under_text: bool) -> bool:
    """Whether ``line`` is an item right under a later paragraph of an open item (``para``
    then ``2. b``): CommonMark starts the item there."""
    item = _marker(line)
    if item is None or not open_items or open_items[-1].first_block:
        return False
    return not _text_not_list(item, open_items, under_text)


def _opens_under(line: str, above: str) -> bool:
    """Whether ``line`` starts a list right under a paragraph's line ``above`` (``本周推荐：``
    then ``- 文章``): CommonMark starts it there, a bulleted one or one numbered from 1;
    Python-Markdown read it as the paragraph's text. Not under a quote, a table's row or a
    heading, which are no paragraph."""
    item = _marker(line)
    if item is None or len(item[1]) >= STEP or not line[item.end() :].strip():
        return False  # an empty item interrupts nothing (CommonMark)
    return not _past_one(item) and not above.lstrip(" ").startswith((">", "|", "#"))


def _switches(line: str, open_items: list[_Open]) -> bool:
    """Whether ``line`` is an item of another kind (numbered, bulleted) than the item before
    it at its depth (``2. 第二`` then ``- 备注``): CommonMark starts a new list there."""
    item = _marker(line)
    if item is None:
        return False
    indent = len(item[1])
    depth = sum(1 for outer in open_items if indent >= outer.text_col)
    if depth == len(open_items) or indent >= (open_items[depth - 1].text_col if depth else 0) + 4:
        return False  # no item before it there; or too far in to start one: a lazy line
    return open_items[depth].numbered != item[2][0].isdigit()


def _text_not_list(item: re.Match[str], open_items: list[_Open], under_text: bool) -> bool:
    """Whether ``item``, right under an item's text, would start a list numbered other than
    1 inside it (``- 我们在`` then ``  2024. 年做了``, a wrapped line): CommonMark reads it as
    that text; four spaces in, in the item's first paragraph, Python-Markdown read a list."""
    if not under_text or not open_items or not _past_one(item):
        return False
    inner, indent = open_items[-1], len(item[1])
    if indent < inner.text_col or inner.text_is_list:
        return False  # the list's next item, or one further out
    return not (inner.first_block and indent >= inner.marker_col + STEP)


def _unindent(line: str, indent: int) -> str:
    """``line`` without up to ``indent`` spaces at its start (the fence's own, CommonMark)."""
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, indent) :]


class ListIndent(Preprocessor):
    """Re-indent list items by CommonMark's nesting (see the module docstring)."""

    def _stash(self, block: list[str]) -> list[str]:
        """``block`` (a fence, its code, its closing fence) as the fenced-code reader leaves
        a fence at a line's start: a placeholder of its highlighted HTML."""
        fences = self.md.preprocessors["fenced_code_block"]
        return list(fences.run(block))

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        open_items: list[_Open] = []
        blank_before = True
        block_indent = 0  # where the first line of the block since the last blank line starts
        i = 0
        while i < len(lines):
            fenced = _fenced(lines, i, open_items, self._stash)
            if fenced is not None:  # code fenced inside an item: its HTML set aside (docstring)
                code, i = fenced
                out.extend(([""] if out and out[-1].strip() else []) + code + [""])
                blank_before = True
                continue
            under_text = not blank_before and not lines[i - 1].lstrip(" ").startswith(">")
            if not blank_before and (
                _interrupts(lines[i], open_items, under_text)
                or _switches(lines[i], open_items)
                or (not open_items and _opens_under(lines[i], lines[i - 1]))
            ):
                out.append("")  # else Python-Markdown reads the item as the text above it
                blank_before = True
            top = open_items[-1] if open_items else None
            line = self._line(lines[i], open_items, blank_before, under_text)
            indent = len(line) - len(line.lstrip(" "))
            at = len(lines[i]) - len(lines[i].lstrip(" "))
            new = open_items[-1] if open_items else None
            # an item of a list already open (a rule only closes items: its column is no marker's)
            started = (
                top is not None and new is not None and new is not top and new.marker_col == at
            )
            if started and not blank_before and indent < block_indent:
                # An item further out than the block it is in (``1. a``, a blank, ``   - b``,
                # ``2. c``): Python-Markdown reads a block indented under an item as that
                # item's, and made ``2. c`` text of ``b``.
                out.append("")
                blank_before = True
            if blank_before and line.strip():
                block_indent = indent if open_items else 0  # a paragraph's lines are its own
            out.append(line)
            blank_before = not lines[i].strip()
            i += 1
        return out

    def _line(
        self, line: str, open_items: list[_Open], blank_before: bool, under_text: bool
    ) -> str:
        if not line.strip():
            return line
        indent = len(line) - len(line.lstrip(" "))
        item = _ITEM.match(line)
        if item and HRProcessor.SEARCH_RE.match(line[indent:]):
            item = None
            while open_items and indent < open_items[-1].text_col:
                open_items.pop()
        if item and _text_not_list(item, open_items, under_text):
            # its dot escaped: under a numbered item Python-Markdown reads it as the next item
            number = item[2].rstrip()[:-1]
            line = f"{item[1]}{number}\\{line[indent + len(number) :]}"
            item = None
        if item and (open_items or indent < STEP):
            while open_items and indent < open_items[-1].text_col:
                open_items.pop()  # a sibling, or an item of a list further out
            depth = len(open_items)
            text_col = indent + len(item[2]) if line[item.end() :] else indent + 2
            nested = _ITEM.match(line[item.end() :]) is not None
            open_items.append(_Open(indent, text_col, item[2][0].isdigit(), nested))
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
