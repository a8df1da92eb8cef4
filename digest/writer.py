"""The only code that writes ``site/``.

:class:`SiteWriter` stages new and changed files in a folder next to the site and moves
them into place only once the whole build has rendered, so a failed build leaves the
previous site untouched. Files whose bytes did not change are not written at all (their
mtime stays, so rsync and Pages deploys stay small), and files the build no longer makes
are removed. A first build simply renames the staged folder into place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from digest.errors import DigestError
from digest.model import Output


class SiteWriter:
    """One build's writes into ``target``; use as a context manager and call :meth:`commit`.

    Leaving the ``with`` block without committing (an error) throws the staged files away.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.fresh = not target.exists()
        target.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        os.chmod(self.staging, 0o755)  # mkdtemp makes it private; a web server must read it
        self.paths: set[str] = set()  # every file of the new site
        self.changed: list[str] = []  # those staged, to be moved into place
        self._made: set[Path] = {self.staging}  # staging folders known to exist
        self.committed = False

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            shutil.rmtree(self.staging, ignore_errors=True)

    def _claim(self, path: str) -> None:
        if path in self.paths:
            raise DigestError(f"refusing to write {self.target / path}: duplicate")
        self.paths.add(path)

    def keep(self, path: str) -> None:
        """``path`` is in the new site exactly as it is in the old one (it was checked when
        it was first written)."""
        self._claim(path)

    def put(self, output: Output) -> bool:
        """Stage ``output`` unless the site has those bytes already; True when staged."""
        self._claim(output.path)
        staged = self.stage(output)
        if staged:
            self.changed.append(output.path)
        return staged

    def stage(self, output: Output) -> bool:
        """The file-system half of :meth:`put`, which a worker process may do for the
        parent: write ``output`` into the staging folder unless the site has those bytes
        already; True when written. The parent then calls :meth:`record`."""
        parts = PurePosixPath(output.path).parts
        if not parts or parts[0] == "/" or ".." in parts:
            raise DigestError(f"refusing to write {self.target / output.path}: outside the site")
        if output.data is not None:
            data = output.data
        elif output.source is not None:
            data = output.source.read_bytes()
        else:  # pragma: no cover - an Output always has one of the two
            raise DigestError(f"{output.path}: nothing to write")
        if not self.fresh and _has_bytes(self.target / output.path, data):
            return False
        dest = self.staging / output.path
        if dest.parent not in self._made:  # most files share their folder with others
            dest.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(dest.parent)
        dest.write_bytes(data)
        return True

    def record(self, path: str, staged: bool) -> None:
        """Claim ``path`` for a file another process handled with :meth:`stage`."""
        self._claim(path)
        if staged:
            self.changed.append(path)

    def staged(self, path: str) -> Path:
        """Where the new version of ``path`` is right now (staged, else in the site)."""
        return self.staging / path if (self.staging / path).exists() else self.target / path

    def _make_room(self) -> None:
        """Before any file moves: each changed file's folder made and writable, and no
        folder where it goes, so that a commit cannot stop halfway (a file where the new
        site has a folder, files another user owns) and leave the site half old, half new."""
        made: set[Path] = set()
        for path in self.changed:
            dest = self.target / path
            try:
                if dest.parent not in made:
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    made.add(dest.parent)
                if dest.is_dir() or not os.access(dest.parent, os.W_OK):
                    raise OSError(errno.EACCES, "a folder is in the way, or may not be written")
            except OSError as exc:
                inside = [p for p in dest.parents if p.is_relative_to(self.target)]
                blocking = next((p for p in inside if p.is_file()), None)
                why = (
                    f"{blocking} is a file where the site has a folder"
                    if blocking
                    else exc.strerror
                )
                raise DigestError(
                    f"cannot write {dest}: {why}; the site was left as it was"
                ) from None

    def commit(self, previous: set[str] | None = None) -> WriteResult:
        """Move the staged files into place and remove the ones the build no longer makes.

        ``previous`` lists the files of the last build, when known; otherwise the site
        folder is walked to find what to remove.
        """
        if self.fresh:
            self.staging.rename(self.target)
            self.committed = True
            return WriteResult(len(self.paths), 0)
        self._make_room()
        for path in self.changed:
            os.replace(self.staging / path, self.target / path)
        self.committed = True
        shutil.rmtree(self.staging, ignore_errors=True)
        old = previous if previous is not None else set(_files(self.target))
        for path in sorted(old - self.paths):
            with contextlib.suppress(FileNotFoundError):
                (self.target / path).unlink()
            _prune_dirs((self.target / path).parent, self.target)
        return WriteResult(len(self.paths), len(self.paths) - len(self.changed))


def refuse_unsafe(target: Path, project: Path, *, known: Callable[[], bool]) -> None:
    """Raise :class:`DigestError` unless a build may fill ``target``: a commit removes every
    file there that the build does not make, so ``target`` is never the project, a folder
    holding it, or one of its own folders, and one no build of this project has filled
    (``known()``, asked once ``target`` is known to resolve) must be new, empty, or a site
    we made (it has our ``sitemap.xml``)."""
    if why := _link_fault(target):
        raise DigestError(f"refusing to build into {target}: {why}")
    out, home = target.resolve(), project.resolve()
    own = [home / name for name in ("content", "templates", ".cache", ".git")]
    removes = "and a build removes every file it does not make there"
    if home.is_relative_to(out) or any(out.is_relative_to(folder) for folder in own):
        why = f"it holds the project's own files, {removes}"
    elif out.exists() and not out.is_dir():
        why = "it is a file, not a folder"
    elif out.is_dir() and not known() and any(out.iterdir()) and not (out / "sitemap.xml").exists():
        why = f"it holds files digest did not make, {removes}"
    else:
        return
    raise DigestError(
        f"refusing to build into {target}: {why}; choose a new or empty folder (the default"
        " is site/)"
    )


def _link_fault(target: Path) -> str | None:
    """Why ``target`` cannot be written into for the link it is, or None: a link to
    nowhere (making it, or renaming a folder onto it, fails) or one that leads back to
    itself."""
    try:
        target.resolve()
    except (RuntimeError, OSError):  # a loop (RuntimeError before Python 3.13)
        return "it is a link that leads back to itself"
    if target.is_symlink() and not target.exists():
        return f"it is a link to {os.readlink(target)}, which is not there"
    return None


def _has_bytes(path: Path, data: bytes) -> bool:
    """True when ``path`` exists and holds exactly ``data``."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _files(root: Path) -> list[str]:
    """Every file below ``root``, as paths relative to it, but hidden ones (a build makes
    none: ``.git``, ``.nojekyll`` are someone else's)."""
    found = []
    for folder, folders, names in os.walk(root):
        folders[:] = [f for f in folders if not f.startswith(".")]  # .git of a Pages checkout
        rel = os.path.relpath(folder, root)
        found += [n if rel == "." else f"{rel}/{n}" for n in names if not n.startswith(".")]
    return found


def _prune_dirs(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents up to ``root`` while they are empty."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


@dataclass(frozen=True)
class WriteResult:
    """How many files the new site has, and how many of them are byte-identical to before."""

    files: int
    unchanged: int


def write_files(outputs: Iterable[Output], target: Path) -> list[Path]:
    """Write single files into an existing ``target`` (each via a temporary file and a
    rename, so a reader never sees half a file); return their paths."""
    if why := _link_fault(target):
        raise DigestError(f"cannot write into {target}: {why}")
    written = []
    for output in outputs:
        dest = target / output.path
        if not dest.resolve().is_relative_to(target.resolve()) or output.data is None:
            raise DigestError(f"refusing to write {dest}")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
        except OSError as exc:  # a file where the site has a folder, a folder we may not write
            raise DigestError(f"cannot write {dest}: {exc.strerror}") from None
        with os.fdopen(fd, "wb") as f:
            f.write(output.data)
        os.chmod(tmp, 0o644)
        try:
            os.replace(tmp, dest)
        except OSError as exc:  # a folder where the file goes
            Path(tmp).unlink()
            raise DigestError(f"cannot write {dest}: {exc.strerror}") from None
        written.append(dest)
    return written
