"""``digest serve`` as a subprocess: edits show up, a broken build shows its error, recovery."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def eventually(check: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("not within the time limit")


@contextlib.contextmanager
def serving(root: Path) -> Iterator[str]:
    """``digest serve`` on ``root`` in a subprocess, until the block ends: its URL."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "digest.cli", "serve", "--root", str(root), "--port",
         str(free_port())],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        url = ""
        for line in proc.stdout:
            if m := re.search(r"serving (http://\S+)", line):
                url = m.group(1)
                break
        assert url, "the server did not start"
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def server(minimal: Path) -> Iterator[str]:
    with serving(minimal) as url:
        yield url


def test_serve_rebuilds_reports_errors_and_recovers(minimal: Path, server: str) -> None:
    status, page = get(server + "issues/1/")
    assert status == 200 and "第一期" in page
    assert "new EventSource" in page  # live reload, added while serving only

    issue = minimal / "content" / "issues" / "001.md"
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("点评。", "改过的点评。"), encoding="utf-8")
    eventually(lambda: "改过的点评。" in get(server + "issues/1/")[1])

    issue.write_text(text.replace("number: 1", "number: [1"), encoding="utf-8")
    eventually(lambda: "digest-build-error" in get(server + "issues/1/")[1])
    status, page = get(server + "issues/1/")
    assert status == 200 and "改过的点评。" in page  # the last good page is still served
    assert "001.md:2: unclosed bracket: the [ that opens on this line" in page

    issue.write_text(text.replace("点评。", "修好了。"), encoding="utf-8")
    # The new page is in place a moment before the build reports success (it still saves
    # its cache): the banner goes once it has, and the page reloads itself then.
    eventually(lambda: "修好了。" in get(server + "issues/1/")[1])
    eventually(lambda: "digest-build-error" not in get(server + "issues/1/")[1])
    assert "修好了。" in get(server + "issues/1/")[1]


def test_serve_shows_drafts_but_build_does_not_publish_them(minimal: Path, server: str) -> None:
    (minimal / "content" / "issues" / "002.md").write_text(
        "---\nnumber: 2\ntitle: 草稿\ndate: 2026-01-09\ndraft: true\n---\n\n还没写完。\n",
        encoding="utf-8",
    )
    eventually(lambda: get(server + "issues/2/")[0] == 200)
    assert not (minimal / "site").exists()  # serving never writes site/


def test_serve_needs_no_templates_folder(minimal: Path) -> None:
    """A project without templates/ (what ``digest init`` makes) is served with the default
    theme (watchfiles refuses to watch a folder that does not exist)."""
    shutil.rmtree(minimal / "templates")
    with serving(minimal) as url:
        status, page = get(url + "issues/1/")
        assert status == 200 and "第一期" in page
        assert get(url + "assets/style.css")[0] == 200


def test_the_event_stream_announces_builds(server: str) -> None:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(server))
    with urllib.request.urlopen(origin + "/__digest/events", timeout=5) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        assert stream.readline().decode().startswith("data: ")


def test_the_first_build_comes_before_any_thread_is_started(tmp_path: Path) -> None:
    """The build at start may fork (``digest serve`` renders it on every core): no
    thread of the server or the watcher may exist yet."""
    import threading

    from digest.commands.serve import watch_and_serve

    class Stop(Exception):
        pass

    seen: list[set[threading.Thread]] = []

    def rebuild() -> str | None:
        seen.append(set(threading.enumerate()))
        raise Stop

    before = set(threading.enumerate())
    with pytest.raises(Stop):
        watch_and_serve(tmp_path, free_port(), "/", [tmp_path], rebuild, announce=print)
    assert seen == [before]


def test_a_port_past_65535_is_refused_before_building(minimal: Path) -> None:
    """--port 99999 built the site, then ended in socket's OverflowError; the ports tried
    after a taken one stop at 65535, and none free is said, not raised as OSError."""
    from click.testing import CliRunner

    from digest.cli import main
    from digest.commands.serve import make_server
    from digest.errors import DigestError

    result = CliRunner().invoke(main, ["serve", "--root", str(minimal), "--port", "99999"])
    assert result.exit_code == 2
    assert "99999 is not in the range 1<=x<=65535" in result.stderr
    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", 65535))
        except OSError:
            pytest.skip("port 65535 is in use")
        with pytest.raises(DigestError, match="no free port in 65535–65535"):
            make_server(minimal, 65535)
