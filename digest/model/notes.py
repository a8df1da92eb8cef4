"""What ``digest new`` leaves for the editor to replace in a draft: its notes and its
placeholders, defined once for the draft's template and for the checks that find them
left in a published issue."""

from __future__ import annotations

import re
from collections.abc import Iterator

from digest.errors import Problem
from digest.model import Issue

NOTE = "digest:"  # draft notes are HTML comments starting with this

NOTE_RE = re.compile(rf"<!--\s*{re.escape(NOTE)}\s*(?P<text>.*?)\s*(?:-->|$)")
"""A draft note in a line of Markdown; ``text`` is what it asks of the editor."""

PLACEHOLDERS = {
    "epigraph": "在这里写本期的题记。",
    "attribution": "出处",
    "summary": "一句话介绍本期，用作邮件预览和订阅摘要。",
}
"""The front-matter values the draft proposes (commented out) for the editor to replace."""


def note_message(text: str) -> str:
    """What a check says of a draft note asking ``text`` of the editor."""
    return (
        f"a note from digest new is still here: “{text}” "
        "(do what it says and delete the comment, or mark the issue 'draft: true')"
    )


def placeholder_message(key: str) -> str:
    """What a check says of front-matter ``key`` still holding the draft's placeholder."""
    return (
        f"'{key}' is still the draft's placeholder “{PLACEHOLDERS[key]}” "
        "(write your own, or delete the key)"
    )


def is_placeholder(key: str, value: str) -> bool:
    """Whether ``value`` of front-matter ``key`` is the draft's placeholder, unedited."""
    return key in PLACEHOLDERS and " ".join(value.split()) == PLACEHOLDERS[key]


def draft_notes(issue: Issue) -> Iterator[Problem]:
    """Each note and placeholder of the draft left in ``issue``, unless it is a draft."""
    if not issue.draft:
        yield from issue.unfinished
