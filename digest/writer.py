"""The only code that writes ``site/``: everything goes into a fresh directory next to it,
which then replaces the old one, so a failed build leaves the previous site untouched."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from digest.errors import DigestError
from digest.model import Output


@dataclass(frozen=True)
class WriteResult:
    """How many files the new site has, and how many of them are byte-identical to before."""

    files: int
    unchanged: int


def write_site(
    outputs: Iterable[Output], target: Path, finish: Callable[[Path], object] | None = None
) -> WriteResult:
    """Write ``outputs`` as the new ``target`` directory. ``finish`` may add to the staged
    folder (the search index) before it replaces the old site."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
        count = unchanged = 0
        seen: set[str] = set()
        for output in outputs:
            dest = staging / output.path
            if output.path in seen or not dest.resolve().is_relative_to(staging.resolve()):
                raise DigestError(
                    f"refusing to write {target / output.path}: duplicate or outside the site"
                )
            seen.add(output.path)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if output.data is not None:
                dest.write_bytes(output.data)
            elif output.source is not None:
                shutil.copyfile(output.source, dest)
            count += 1
            unchanged += _same_file(dest, target / output.path)
        if finish is not None:
            finish(staging)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteResult(count, unchanged)


def _same_file(new: Path, old: Path) -> bool:
    """True when ``old`` exists with exactly the bytes of ``new``."""
    try:
        return old.stat().st_size == new.stat().st_size and old.read_bytes() == new.read_bytes()
    except OSError:
        return False


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is; the old tree is removed only once it is replaced."""
    if not target.exists():
        staging.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_files(outputs: Iterable[Output], target: Path) -> list[Path]:
    """Write single files into an existing ``target`` (each via a temporary file and a
    rename, so a reader never sees half a file); return their paths."""
    written = []
    for output in outputs:
        dest = target / output.path
        if not dest.resolve().is_relative_to(target.resolve()) or output.data is None:
            raise DigestError(f"refusing to write {dest}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(output.data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
        written.append(dest)
    return written
