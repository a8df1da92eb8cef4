"""The command line itself: help with examples, version, quiet, exit codes, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest import __version__, cli
from digest.cli import INTERNAL_ERROR, main


def test_help_lists_the_week_and_exit_codes() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in main.commands:
        assert f"  {command} " in result.stdout
    week = result.stdout.split("A week with digest:", 1)[1].split("Exit codes:")[0]
    steps = ["content/inbox.md", "digest fetch", "digest new", "digest serve"]
    steps += ["digest check", "digest build", "digest send 7 --to", "digest send 7 --yes"]
    assert sorted(steps, key=week.find) == steps and all(step in week for step in steps)
    assert "Exit codes: 0 done, 1 a problem in the input, 2 a usage error" in result.stdout


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {command}") or "Usage:" in result.stdout
    examples = result.stdout.split("Example", 1)[1].split("Options:")[0]
    assert f"digest {command}" in examples


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.stdout.strip() == f"digest, version {__version__}"


def test_build_summary_and_quiet(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    first = CliRunner().invoke(main, ["build"])
    assert first.stdout.startswith("built 1 issue and 1 post into site: ")
    assert "0 unchanged" in first.stdout
    again = CliRunner().invoke(main, ["build"])
    files = again.stdout.split(": ")[1].split(" files")[0]
    assert f"(0 written, {files} unchanged)" in again.stdout
    quiet = CliRunner().invoke(main, ["-q", "build"])
    assert (quiet.exit_code, quiet.stdout) == (0, "")


QUIET_COMMANDS = [["build"], ["email", "1"], ["wechat", "1"], ["check"], ["fetch", "--offline"]]


@pytest.mark.parametrize("args", QUIET_COMMANDS)
def test_quiet_before_or_after_the_command(
    args: list[str], minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``digest -q build`` and ``digest build -q`` are the same: only warnings and errors."""
    monkeypatch.chdir(minimal)
    loud = CliRunner().invoke(main, args)
    assert loud.exit_code == 0 and loud.stdout, loud.output
    findings = [line for line in loud.stdout.splitlines(True) if line.startswith("warning: ")]
    for quiet in (["-q", *args], [args[0], "-q", *args[1:]], [*args, "--quiet"]):
        result = CliRunner().invoke(main, quiet)
        assert (result.exit_code, result.stdout) == (0, "".join(findings)), result.output


def test_usage_errors_exit_2() -> None:
    assert CliRunner().invoke(main, ["build", "--nope"]).exit_code == 2
    assert CliRunner().invoke(main, ["send", "not-a-number"]).exit_code == 2


def test_internal_errors_are_one_line_unless_verbose(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "run_build", broken)
    result = CliRunner().invoke(main, ["build", "--root", str(minimal)])
    assert result.exit_code == INTERNAL_ERROR
    assert result.stderr == ("internal error: ZeroDivisionError: a bug (run with -v for the "
                             "traceback; please report it)\n")  # fmt: skip
    verbose = CliRunner().invoke(main, ["-v", "build", "--root", str(minimal)])
    assert isinstance(verbose.exception, ZeroDivisionError)


def test_build_shows_a_progress_bar_on_a_terminal_only(minimal: Path) -> None:
    """On a terminal, ``digest build`` draws its stages on stderr (then clears them); into
    a pipe, or with ``-q``, it writes nothing there."""
    import os
    import pty
    import subprocess
    import sys

    command = [sys.executable, "-m", "digest.cli", "build", "--root", str(minimal)]
    piped = subprocess.run(command, capture_output=True, text=True, check=True)
    assert piped.stderr == "" and piped.stdout.startswith("built ")
    (minimal / "site").rename(minimal / "old-site")  # so that the next build renders again

    def on_a_terminal(*options: str) -> str:
        leader, follower = pty.openpty()
        proc = subprocess.Popen([*command[:3], *options, *command[3:]], stdin=follower,
                                stdout=follower, stderr=follower,
                                env={**os.environ, "COLUMNS": "100"})  # fmt: skip
        os.close(follower)  # read while it runs: a full terminal would block it
        chunks = []
        try:
            while chunk := os.read(leader, 65536):
                chunks.append(chunk)
        except OSError:  # Linux: EIO once every follower is closed and the rest read
            pass
        finally:
            os.close(leader)
        assert proc.wait(timeout=120) == 0
        return b"".join(chunks).decode()

    shown = on_a_terminal()
    assert "rendering" in shown and "built " in shown
    assert "\x1b[" in shown  # drawn, then cleared: the bar is transient
    (minimal / "site").rename(minimal / "site-2")
    quiet = on_a_terminal("-q")
    assert "rendering" not in quiet and "built " not in quiet


def test_python_m_digest_runs_the_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "digest", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout


def test_output_into_a_pipe_its_reader_left_ends_quietly(tmp_path: Path) -> None:
    # `digest inspect URL | head` : head leaves after its lines, and the next write found
    # the pipe closed. That was an "internal error" with a request to report it.
    page = tmp_path / "page.html"
    page.write_text(
        "<title>管道</title><p>" + "一行又一行的正文。" * 2000 + "</p>", encoding="utf-8"
    )
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first write
    try:
        done = subprocess.run(
            [sys.executable, "-m", "digest", "inspect", str(page)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")
