"""The README's "A week with digest" runs as written on a copy of the sample project.

Two commands cannot run here as they would at the editor's desk: ``digest fetch`` runs
with ``--offline`` (no internet in tests), ``digest serve`` is left to test_serve.py, and
the two sends that need a mail server are left to test_send.py. Where the editor writes
(with ``digest serve`` open), the test replaces the draft's notes with a sentence, or
``digest check`` would rightly fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from tests.conftest import ROOT, copy_project

SECTION = (ROOT / "README.md").read_text(encoding="utf-8").split("## A week with digest")[1]
SECTION = SECTION.split("\n## Commands")[0]
ELSEWHERE = {"digest serve", "digest send 5 --to editor@example.com", "digest send 5 --yes"}


def test_the_week_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(ROOT, tmp_path / "project")
    monkeypatch.chdir(root)
    inbox = re.search(r"```markdown\n(.*?)```", SECTION, re.S)
    assert inbox is not None
    (root / "content" / "inbox.md").write_text(inbox.group(1), encoding="utf-8")
    (root / "subscribers.txt").write_text("reader@example.org\n", encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", SECTION, re.S)
    commands = [line.split("#")[0].strip() for block in blocks
                for line in block.splitlines() if line.startswith("digest ")]  # fmt: skip
    assert commands[:3] == ["digest fetch", "digest new", "digest serve"] and len(commands) == 9
    runner = CliRunner()
    for command in commands:
        if command == "digest serve":  # where the editor writes what the draft asks for
            path = root / "content" / "issues" / "0005.md"
            text = re.sub(r"<!-- digest: .*? -->", "编者写的话。", path.read_text("utf-8"))
            path.write_text(text, encoding="utf-8")
        if command in ELSEWHERE:
            continue
        args = command.split()[1:] + (["--offline"] if command == "digest fetch" else [])
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (command, result.output)
    draft = (root / "content" / "issues" / "0005.md").read_text(encoding="utf-8")
    assert "### [Go 1.23 的迭代器](https://go.dev/blog/range-functions)" in draft
    assert (root / "content" / "inbox.md").read_text(encoding="utf-8") == ""  # all used
    assert (root / "site" / "issues" / "5" / "index.html").is_file()
    assert (root / "site" / "email" / "5.eml").is_file()
