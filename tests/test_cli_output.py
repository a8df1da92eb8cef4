"""What the commands print from the editor's files and the network comes out as written.

Rich markup (``[/x]`` once crashed ``digest fetch``; ``?filter[status]=open`` lost its
``[status]``) and emoji codes (``content/issues/0004.md:100:`` became 💯) must not be read
in it, and terminal control sequences in it (a scraped title, a server's reply) must not
reach the terminal: they are shown as escapes.
"""

from __future__ import annotations

import json
import os
import pty
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner, Result

from digest.cli import main
from tests.conftest import FIXTURES, copy_project
from tests.httpd import Server, serve

# What must come out as it is: markup, emoji codes, a query with brackets, a file:line:.
HOSTILE = "[/x] [bold] :smile: :100:"
QUERY = "?filter[status]=open&utm_source=:smile:"
ESC = "\x1b[2J"  # clears the screen; must be printed as the four characters \x1b, then [2J
SHOWN_ESC = "\\x1b[2J"
PASSWORD = "pw-never-shown"

ARTICLE = f"""<html lang="zh-CN"><head><title>页面标题 {HOSTILE}</title></head>
<body><article><h1>页面标题 {HOSTILE}</h1><p>正文讲的是标签 [bold] 和 :smile: 这样的字面文字，
足够长，可以做摘要。</p></article></body></html>"""


class Refuser:
    """An SMTP server that refuses every recipient with a reply full of hostile text."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return f"550 5.1.1 no such user {HOSTILE} {ESC}"


@pytest.fixture
def smtp_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(Refuser(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def server() -> Iterator[Server]:
    with serve({"/article": lambda h: h.reply(200, ARTICLE.encode())}) as s:
        yield s  # every other path answers 404


def _project(tmp_path: Path, server: Server, smtp_port: int) -> tuple[Path, str]:
    """The minimal project in a folder whose name is hostile too, with a link that is gone,
    a failing external summariser and an SMTP server that refuses everyone."""
    root = copy_project(FIXTURES / "minimal", tmp_path / f"周刊 {HOSTILE}")
    gone = server.url(f"/gone[/x]{QUERY}")
    issue = root / "content" / "issues" / "001.md"
    issue.write_text(
        issue.read_text(encoding="utf-8")
        .replace("title: 第一期", f"title: '第一期 {HOSTILE}'")
        .replace("https://go.dev/blog/pipelines", gone)
        + f"\n### {server.url('/article')}\n",
        encoding="utf-8",
    )
    summarise = tmp_path / "summarise.py"
    summarise.write_text(f"import sys\nsys.stderr.write({HOSTILE!r})\nsys.exit(1)\n", "utf-8")
    site = root / "content" / "site.toml"
    site.write_text(
        site.read_text(encoding="utf-8")
        + f"""
[fetch]
host_delay = 0
retries = 0

[summary]
command = "{sys.executable} {summarise}"

[email]
from = "小周刊 <weekly@example.org>"
smtp_host = "127.0.0.1"
smtp_port = {smtp_port}
smtp_security = "none"
rate_per_minute = 0
retries = 0
""",
        encoding="utf-8",
    )
    (root / "subscribers.txt").write_text(f"ada@example.org\n{HOSTILE}\n", encoding="utf-8")
    (root / "content" / "inbox.md").write_text(
        f"- {gone}\n  编者的话：{HOSTILE}\n", encoding="utf-8"
    )
    return root, gone


def _run(args: list[str], code: int) -> Result:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, (args, result.output)
    assert "internal error" not in result.output and "\x1b" not in result.output
    return result


def _on_a_terminal(args: list[str]) -> str:
    """What ``digest ARGS`` shows on a wide terminal (where the fetch report is a table)."""
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "digest.cli", *args]
    wide = {**os.environ, "COLUMNS": "400"}
    proc = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=wide)
    os.close(follower)
    chunks = []
    try:
        while chunk := os.read(leader, 65536):
            chunks.append(chunk)
    except OSError:  # Linux: EIO once the child has closed the terminal
        pass
    finally:
        os.close(leader)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode()


def _serve_reports(root: Path) -> str:
    """What ``digest serve`` prints when its first build fails, up to the served URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "digest.cli", "serve", "--root", str(root), "--port", port],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    shown = b""
    deadline = time.monotonic() + 60
    try:
        while b"\nserving " not in shown and time.monotonic() < deadline:
            if select.select([proc.stdout], [], [], 1)[0]:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                shown += chunk
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return shown.decode()


def test_user_and_network_text_is_printed_as_written(
    tmp_path: Path, server: Server, smtp_port: int
) -> None:
    root, gone = _project(tmp_path, server, smtp_port)
    at = f"--root={root}"
    where = f"{root / 'content' / 'issues' / '001.md'}:13"

    fetch = _run(["fetch", at], 0)
    assert f"{where}: gone: {gone} (HTTP 404: gone)\n" in fetch.stdout
    assert f"summariser failed for {server.url('/article')}: exit status 1: {HOSTILE};" in (
        fetch.stdout
    )
    strict = _run(["fetch", at, "--offline", "--strict"], 1)  # the problem is in the cache
    assert f"{where}: gone: {gone} (HTTP 404: gone)\n" in strict.stdout
    table = _on_a_terminal(["fetch", at, "--offline"])
    assert gone in table and str(root) in table

    build = _run(["build", at], 0)
    assert f"warning: {where}: link {gone} is dead (HTTP 404)\n" in build.stderr
    assert f"into {root / 'site'}: " in build.stdout

    check = _run(["check", at], 1)
    assert f"error: {where}: {gone} is gone (HTTP 404)\n" in check.stderr
    assert f"warning: {where}: {gone} carries tracking parameters (utm_source)" in check.stdout
    found = json.loads(_run(["check", at, "--format", "json"], 1).stdout)
    assert any(gone in f["message"] for f in found["findings"])

    for command in ("email", "wechat"):
        written = _run([command, at, "1"], 0)
        assert f"{root / 'site' / command / '1.html'}: " in written.stdout

    dry = _run(["send", at, "1"], 0)
    assert f"subscribers.txt:2: invalid address '{HOSTILE}'" in dry.stdout
    assert f"“小周刊[第1期]：第一期 {HOSTILE}”" in dry.stdout
    sent = _run(["send", at, "1", "--yes"], 0)
    assert "failed (permanent): ada@example.org: " in sent.stdout
    assert f"no such user {HOSTILE} {SHOWN_ESC}" in sent.stdout

    draft = _run(["new", at, "--dry-run"], 0)
    assert f"编者的话：{HOSTILE}" in draft.stdout and gone in draft.stdout
    assert gone in draft.stderr  # flagged: the link is in issue 1 already

    page = _run(["inspect", at, server.url("/article")], 0)
    assert f"页面标题 {HOSTILE}" in page.stdout
    assert "warning: " in page.stderr and HOSTILE in page.stderr  # the summariser failed
    record = json.loads(_run(["inspect", at, server.url("/article"), "--json"], 0).stdout)
    assert record["title"] == f"页面标题 {HOSTILE}"

    # Errors with file and line: an unknown section with markup in its heading, and a file
    # whose name drives the terminal (a control character in a file's text is an error of
    # its own, which names the line and not the character).
    issue = root / "content" / "issues" / "001.md"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("## 一周文章精粹", f"## 栏目 {HOSTILE}"),
        encoding="utf-8",
    )
    (root / "content" / "posts" / f"{ESC}.md").write_text("no front matter\n", encoding="utf-8")
    error = f"{root / 'content' / 'issues' / '001.md'}:11: unknown section '栏目 {HOSTILE}'"
    named = f"{root / 'content' / 'posts' / SHOWN_ESC}.md:1: missing front matter"
    failed = _run(["build", at], 1)
    assert error in failed.stderr and named in failed.stderr
    assert error in _run(["check", at], 1).stderr
    assert named in _serve_reports(root)
