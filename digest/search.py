"""The static search index: Pagefind (its extended build segments Chinese) over the pages.

Only issue and post pages are indexed (they carry ``data-pagefind-body``), so only they
are given to Pagefind, in a scratch folder, before the build's files are moved into
place: a failure leaves the previous ``site/`` as it was. Pagefind runs only when those
pages changed: the bundle is kept in the cache folder under a key naming them (the keys
of the jobs that render them) and reused as long as they stay the same.

Pagefind's output is deterministic only without filters: with ``data-pagefind-filter``
it writes filter values in a random order (pagefind/pagefind#638), so a clean build
would differ from the last one. The pages carry none, on purpose.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from digest.errors import DigestError

BUNDLE = "pagefind"
KEEP = 3  # cached indexes kept


class Indexing:
    """Pagefind over ``pages`` (site path -> file with the page's new bytes), built once
    per ``key`` and kept in ``cache``. :meth:`start` runs Pagefind in the background (the
    build goes on rendering the other files meanwhile); :meth:`finish` waits for it and
    gives the folder holding the bundle."""

    def __init__(self, key: str, cache: Path) -> None:
        self.cached = cache / key
        self.cache = cache
        self.work: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, pages: dict[str, Path]) -> None:
        if self.cached.is_dir() or self.process is not None:
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        self.work = work = Path(tempfile.mkdtemp(prefix=".new-", dir=self.cache))
        for rel, source in pages.items():
            dest = work / "site" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, dest)
            except OSError:  # another file system
                shutil.copyfile(source, dest)
        with (work / "pagefind.log").open("w") as log:  # a file: a pipe nobody reads can fill
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pagefind", "--site", str(work / "site"), "--output-path",
                 str(work / BUNDLE), "--silent"],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def finish(self, pages: dict[str, Path]) -> Path:
        self.start(pages)  # when nobody started it yet
        if self.process is None:
            return self.cached
        try:
            self.process.wait()
            if self.process.returncode != 0:
                assert self.work is not None
                output = (self.work / "pagefind.log").read_text(errors="replace")
                detail = output.strip().splitlines()
                raise DigestError(f"the search index could not be built: {' '.join(detail[-3:])}")
            assert self.work is not None
            with contextlib.suppress(OSError):  # another build may have stored the same index
                (self.work / BUNDLE).rename(self.cached)
        finally:
            self.close()
        for old in sorted(self.cache.iterdir(), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            if old != self.cached:
                shutil.rmtree(old, ignore_errors=True)
        return self.cached

    def close(self) -> None:
        """Stop Pagefind if it still runs (the build failed) and remove its scratch folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None
