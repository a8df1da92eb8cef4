"""``digest serve``'s builds: drafts included, into a private folder, one session long."""

from __future__ import annotations

import gc
from pathlib import Path

from digest.build import parallel
from digest.build.parallel import Progress
from digest.build.pipeline import BuildOptions, BuildResult, build
from digest.build.session import Session


class Preview:
    """The builds of one preview of the project at ``root`` into ``target``.

    Each runs in this process: the server has threads, and a process with threads must not
    fork. Only a build with ``fork`` (the one at start, before the server's threads exist)
    renders on every core as ``digest build`` does (``min_jobs`` as there). The search
    index made at start is kept as it is. Between builds, the session's memos are frozen
    out of the garbage collector's way, so a big archive does not make every rebuild pay
    for a full collection."""

    def __init__(self, root: Path, target: Path, *, min_jobs: int = parallel.MIN_JOBS) -> None:
        self.root, self.target, self.min_jobs = root, target, min_jobs
        self.session = Session()

    def build(self, *, fork: bool = False, progress: Progress | None = None) -> BuildResult:
        """Build once more, incrementally."""
        options = BuildOptions(
            target=self.target,
            drafts=True,
            stale_search=True,
            parallel=fork,
            min_jobs=self.min_jobs,
            check_unchanged=False,
            progress=progress,
        )
        result = build(self.root, options, self.session)
        gc.collect()
        gc.freeze()
        return result
