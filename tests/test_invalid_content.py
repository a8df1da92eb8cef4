"""Each folder in tests/invalid/ breaks the minimal project in one way.

The build must print exactly the messages in its expected.txt (file and line for each
problem, all problems in one run), exit non-zero, and leave the previous site/ as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from tests.conftest import snapshot

CASES = Path(__file__).resolve().parent / "invalid"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_invalid_input_is_reported_and_site_is_kept(
    case: str, minimal: Path, update_golden: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    runner = CliRunner()
    first = runner.invoke(main, ["build"])
    assert first.exit_code == 0, first.output
    before = snapshot(minimal / "site")

    for path in (CASES / case).rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            dest = minimal / path.relative_to(CASES / case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    result = runner.invoke(main, ["build"])

    expected_file = CASES / case / "expected.txt"
    if update_golden:
        expected_file.write_text(result.stderr, encoding="utf-8")
    assert isinstance(result.exception, SystemExit), result.exception  # no crash
    assert result.exit_code == 1
    assert result.stderr == expected_file.read_text(encoding="utf-8")
    assert result.stdout == ""
    assert snapshot(minimal / "site") == before
    leftovers = [name for name in os.listdir(minimal) if name.startswith(".site")]
    assert leftovers == []


def test_files_that_cannot_be_read_are_reported_not_waited_for(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A named pipe hung the build (reading it waits for a writer for ever); a link to
    nowhere and a folder named like a Markdown file ended it with a traceback."""
    monkeypatch.chdir(minimal)
    runner = CliRunner()
    assert runner.invoke(main, ["build"]).exit_code == 0
    before = snapshot(minimal / "site")
    os.mkfifo(minimal / "content/issues/002.md")
    (minimal / "content/posts/gone.md").symlink_to("moved-away.md")
    (minimal / "content/posts/notes.md").mkdir()  # a folder: not a post, and not a problem

    result = runner.invoke(main, ["build"])

    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert result.stderr == (
        "content/issues/002.md: cannot read this file: not a regular file"
        " (a pipe, a device or a socket)\n"
        "content/posts/gone.md: cannot read this file: No such file or directory"
        " (a link to moved-away.md)\n"
        "2 problems found; nothing was written.\n"
    )
    assert snapshot(minimal / "site") == before
