"""``digest email N`` and ``digest wechat N``: one issue's files, rendered as the build
renders them, written into the site folder only."""

from __future__ import annotations

from pathlib import Path

from digest.build.issue import email_files, wechat_files, with_issue
from digest.writer import write_files


def email(root: Path, number: int, target: Path | None = None) -> list[Path]:
    """Write ``email/<number>.html``, ``.txt`` and ``.eml`` into the site folder only."""
    return write_files(with_issue(root, number, email_files), target or root / "site")


def wechat(root: Path, number: int, target: Path | None = None) -> list[Path]:
    """Write ``wechat/<number>.html`` and its copy page into the site folder only."""
    return write_files(with_issue(root, number, wechat_files), target or root / "site")
