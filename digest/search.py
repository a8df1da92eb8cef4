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


def index_pages(pages: dict[str, Path], key: str, cache: Path) -> Path:
    """The folder holding the Pagefind bundle for ``pages`` (site path -> file with the
    page's new bytes); built once per ``key`` and kept in ``cache``."""
    cached = cache / key
    if cached.is_dir():
        return cached
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".new-", dir=cache))
    try:
        for rel, source in pages.items():
            dest = work / "site" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, dest)
            except OSError:  # another file system
                shutil.copyfile(source, dest)
        done = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(work / "site"), "--output-path",
             str(work / BUNDLE), "--silent"],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise DigestError(f"the search index could not be built: {' '.join(detail[-3:])}")
        with contextlib.suppress(OSError):  # another build may have stored the same index
            (work / BUNDLE).rename(cached)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in sorted(cache.iterdir(), key=lambda p: p.stat().st_mtime)[:-KEEP]:
        if old != cached:
            shutil.rmtree(old, ignore_errors=True)
    return cached
