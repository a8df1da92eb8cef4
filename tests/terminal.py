"""Running a command on a pseudo-terminal, as an editor would, to see what it draws."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path


def on_a_terminal(command: list[str], cwd: Path | None = None) -> str:
    """Everything ``command`` wrote to its terminal (stdout and stderr, 100 columns wide);
    it must exit 0."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        command,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "100"},
    )
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
