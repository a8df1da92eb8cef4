"""``digest email N`` and ``digest wechat N``: one issue's files, rendered as the build
renders them, written into the site folder only."""

from __future__ import annotations

from pathlib import Path

from digest.build.issue import OneIssue, email_files, wechat_files, with_issue
from digest.model import Output
from digest.renderer.email import clipped, sent_size
from digest.writer import write_files


def email(root: Path, number: int, target: Path | None = None) -> tuple[list[Path], list[str]]:
    """Write ``email/<number>.html``, ``.txt`` and ``.eml`` into the site folder only; the
    paths, and a warning when the HTML is over ``[email] clip_kb`` or close to it (over
    ``max_kb``, nothing is written: an error)."""
    outputs, note = with_issue(root, number, _email_and_size)
    return write_files(outputs, target or root / "site"), [note] if note else []


def _email_and_size(one: OneIssue) -> tuple[list[Output], str | None]:
    outputs = email_files(one)
    html = sum(len(o.data or b"") for o in outputs if o.path.endswith(".html"))
    sent = sent_size(html, one.site, one.env, one.issue.number)
    return outputs, clipped(sent, one.site, one.doc.source, one.issue.number, near=True)


def wechat(root: Path, number: int, target: Path | None = None) -> list[Path]:
    """Write ``wechat/<number>.html`` and its copy page into the site folder only."""
    return write_files(with_issue(root, number, wechat_files), target or root / "site")
