"""Fenced code blocks in Markdown read a line at a time: which lines are code.

One rule for every reader that goes through Markdown line by line (issue bodies, the
inbox, text to summarise), close to CommonMark's:

* a fence is three or more backticks or three or more tildes at the start of a line,
  after any indentation: a fence inside a list item is indented by the item, and a line
  reader does not follow lists to know by how much;
* a backtick fence's info string holds no backtick (```` ```x``` ```` is inline code);
* the block closes at a fence of the same character, at least as long as the opening
  one, with nothing but spaces after it; ```` ```python ```` inside a block is code;
* a fence never closed runs to the end of the text, as Markdown renders it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)")


def opening_fence(line: str) -> str | None:
    """The fence (```` ``` ````, ``~~~~``...) that ``line`` opens a code block with, or None."""
    m = _FENCE.match(line)
    if m is None or (m.group(1)[0] == "`" and "`" in m.group(2)):
        return None
    return m.group(1)


def closes(line: str, fence: str) -> bool:
    """Whether ``line`` closes the code block opened by ``fence``."""
    m = _FENCE.match(line)
    return (
        m is not None
        and m.group(1)[0] == fence[0]
        and len(m.group(1)) >= len(fence)
        and not m.group(2).strip()
    )


def code_lines(lines: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Each line with whether it is code: inside a fenced block, or one of its fences."""
    fence: str | None = None
    for line in lines:
        if fence is None:
            fence = opening_fence(line)
            yield line, fence is not None
        else:
            if closes(line, fence):
                fence = None
            yield line, True
