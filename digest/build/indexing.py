"""The search bundle of a build: pages indexed where they are rendered, then the bundle
made, patched or kept (see :mod:`digest.renderer.search` for the index itself)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from digest.build.cache import JobRecord
from digest.build.jobs import PAGE, Job
from digest.build.ledger import Ledger
from digest.errors import DigestError
from digest.model import Output
from digest.renderer import search as search_mod
from digest.writer import SiteWriter


class Indexing:
    """The search bundle of one build, a job keyed by the bytes of the issue and post
    pages it indexes. Pages are indexed where they are rendered (:meth:`read`, in a
    worker when the build has them; only pages whose bytes the cache does not know) and
    handed in (:meth:`add`); :meth:`start`, once they all are, keeps the last bundle when
    the pages are unchanged, patches it when it can, else makes it; :meth:`finish` notes
    which it was."""

    NAME = "search"

    def __init__(
        self,
        pages: list[str],
        old: JobRecord | None,
        target: Path,
        writer: SiteWriter,
        cache: Path,
    ) -> None:
        self.pages, self.old, self.target, self.writer = pages, old, target, writer
        self.index = search_mod.Index(cache, len(pages), target)
        self.known = self.index.known()
        self.intact = old is not None and old.intact(target)
        was = self.index.last()
        # Trusted only when the bundle in the folder is the one made from those pages (a
        # build that failed after indexing did not replace it).
        self.was = was if self.intact and old is not None and old.key == self._key(was) else {}
        self.digests: dict[str, str] = {}  # pages rendered by this build, URL -> digest
        self.key = ""
        self.paths: list[str] | None = None

    @staticmethod
    def _key(pages: dict[str, str]) -> str:
        digest = hashlib.sha256(f"{search_mod.VERSION}".encode())
        for url, key in sorted(pages.items()):
            digest.update(f"\0{url}\0{key}".encode())
        return digest.hexdigest()[:32]

    def read(self, job: Job, outputs: list[Output]) -> tuple[str, search_mod.Indexed | None]:
        """``job``'s page: the digest of its bytes, and the page indexed unless the cache
        has it (None for other jobs)."""
        if not job.name.startswith(PAGE):
            return "", None
        url = job.name.removeprefix(PAGE)
        for output in outputs:
            if output.path == f"{url}index.html" and output.data is not None:
                key = search_mod.digest(output.data)
                if key in self.known:
                    return key, None
                return key, search_mod.index_html(output.data, url, self.index.terms)
        return "", None

    def add(self, job: Job, made: tuple[str, search_mod.Indexed | None] | None) -> None:
        key, page = made or ("", None)
        if key:
            self.digests[job.name.removeprefix(PAGE)] = key
        if page is not None:
            self.index.add(key, page)

    def _digest(self, url: str) -> str:
        """The digest of a page's bytes: known if it was rendered now or was unchanged
        since the last bundle, else read from its file (the first build with this cache)."""
        found = self.digests.get(url) or self.was.get(url)
        if found is None:
            try:
                found = search_mod.digest(self.writer.staged(f"{url}index.html").read_bytes())
            except OSError as exc:
                raise DigestError(f"{url}index.html: cannot be indexed: {exc}") from exc
        return found

    def start(self) -> None:
        if self.paths is not None:
            return
        now = {url: self._digest(url) for url in self.pages}
        self.key = self._key(now)
        paths: list[str] = []
        self.paths = paths
        if self.intact and self.old is not None and self.old.key == self.key:
            for path, _, _ in self.old.files:
                self.writer.keep(path)
            return

        def put(path: str, data: bytes) -> None:
            self.writer.put(Output(path, data))
            paths.append(path)

        def keep(path: str) -> None:
            self.writer.keep(path)
            paths.append(path)

        def where(url: str) -> Path:
            return self.writer.staged(f"{url}index.html")

        sources = [search_mod.Source(url, key, where) for url, key in now.items()]
        files = [p for p, _, _ in self.old.files] if self.old else []
        if not self.was or not self.index.update(self.target, self.was, sources, put, keep, files):
            self.index.build(sources, put)

    def finish(self, ledger: Ledger) -> None:
        """Note the bundle in ``ledger``: rendered, or kept when unchanged."""
        self.start()  # when no page was rendered
        if self.paths:
            ledger.rendered[self.NAME] = (self.key, self.paths)
        else:
            assert self.old is not None
            ledger.kept[self.NAME] = self.old

    def close(self) -> None:
        self.index.close()


def search_index(
    ledger: Ledger, jobs: list[Job], cache: Path, *, stale_ok: bool
) -> Indexing | None:
    """What makes the search bundle (its cache folder ``cache``); None when the preview
    (``stale_ok``) keeps the last one as it is."""
    old = ledger.previous.get(Indexing.NAME)
    if old is not None and stale_ok and old.intact(ledger.target):
        # Kept as it is while the pages may change: under a key no set of pages has, so
        # that a later build here makes it again rather than patch it as if current.
        ledger.keep(Indexing.NAME, JobRecord(f"stale {old.key.removeprefix('stale ')}", old.files))
        return None
    pages = [j.name.removeprefix(PAGE) for j in jobs if j.name.startswith(PAGE)]
    return Indexing(pages, old, ledger.target, ledger.writer, cache)
