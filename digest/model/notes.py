"""The notes ``digest new`` leaves for the editor in a draft, and the warning for those
left in a published issue."""

from __future__ import annotations

from collections.abc import Iterator

from digest.model import Issue

NOTE = "digest:"  # draft notes are HTML comments starting with this; the build warns on them


def draft_notes(issue: Issue) -> Iterator[str]:
    """A warning for each place where ``issue``, when published, still holds a note."""
    if issue.draft:
        return
    marker = f"<!-- {NOTE}"
    if marker in issue.intro:
        yield f"{issue.source}: a draft note is left in the intro"
    for section in issue.sections:
        for item in section.items:
            if marker in item.commentary:
                yield f"{issue.source}:{item.line}: a draft note is left in"
