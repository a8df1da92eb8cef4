"""The static search index: Pagefind (its extended build segments Chinese) over the site.

The index is made in the staged site, before the writer swaps it in, so a failure leaves
the previous ``site/`` as it was. Pagefind is only run when the pages it indexes changed:
the index is kept in the cache folder under a hash of those pages and copied back when
they are byte-identical (Pagefind's own output is deterministic too).
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from digest.errors import DigestError

BUNDLE = "pagefind"
KEEP = 3  # cached indexes kept


def _pages_hash(site: Path) -> str:
    digest = hashlib.sha256()
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site)
        if rel.parts[0] in ("email", BUNDLE):
            continue
        digest.update(str(rel).encode() + b"\0" + page.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def index_site(site: Path, cache: Path) -> bool:
    """Write ``site/pagefind/``; True when Pagefind ran, False when the cached index served."""
    cached = cache / _pages_hash(site)
    if cached.is_dir():
        shutil.copytree(cached, site / BUNDLE)
        return False
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE,
         "--silent"],
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise DigestError(f"the search index could not be built: {' '.join(detail[-3:])}")
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".new-", dir=cache))
    shutil.copytree(site / BUNDLE, staging / BUNDLE)
    with contextlib.suppress(OSError):  # another build may have stored the same index
        (staging / BUNDLE).rename(cached)
    shutil.rmtree(staging, ignore_errors=True)
    for old in sorted(cache.iterdir(), key=lambda p: p.stat().st_mtime)[:-KEEP]:
        shutil.rmtree(old, ignore_errors=True)
    return True
