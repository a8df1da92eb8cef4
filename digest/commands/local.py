"""A file named on the command line, read whole: its bytes and its ``file:`` URL."""

from __future__ import annotations

from pathlib import Path

from digest.errors import DigestError


def read_local(source: str) -> tuple[bytes, str]:
    """The bytes of the file ``source`` and its ``file:`` URL; a readable error if it cannot
    be read (``digest inspect FILE``, ``digest import feed FILE``)."""
    path = Path(source)
    try:
        return path.read_bytes(), path.resolve().as_uri()
    except OSError as exc:
        raise DigestError(f"{source}: cannot read ({exc.strerror})") from exc
