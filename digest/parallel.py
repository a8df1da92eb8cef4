"""Cold builds on every core: jobs rendered in worker processes.

Workers are forked after the jobs are defined, so they inherit them (and the cards of
the documents they show: entries are loaded from the cache where needed) instead of
receiving them; each stages its outputs' files
itself and returns their paths, which the parent records in the jobs' own order, so the
site is the same byte for byte whatever the number of workers. Used only when there is
enough to do and more than one core; small builds and rebuilds stay in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from digest.buildcache import BuildCache
from digest.errors import DigestError
from digest.model import Output
from digest.renderer.site import PAGE, Job
from digest.writer import SiteWriter

MIN_JOBS = 64  # fewer than this: forking costs more than it saves
T = TypeVar("T")
After = Callable[[Job, list[Output]], Any]  # run where a job rendered, on its outputs
_state: tuple[Sequence[Job], BuildCache | None, SiteWriter | None, After | None] = (
    (), None, None, None,
)  # fmt: skip
last_forked = 0  # jobs the last parallel render got back from workers (for tests)


def workers() -> int:
    """How many processes render: one per core the build may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


def render_jobs(
    jobs: Sequence[Job],
    cache: BuildCache,
    writer: SiteWriter,
    min_jobs: int = MIN_JOBS,
    *,
    fork: bool = True,
    after: After | None = None,
) -> Iterator[tuple[Job, list[str], Any]]:
    """Render each of ``jobs``, stage its files with ``writer`` and give it back with their
    paths and what ``after`` (when given) made of its outputs. Done in worker processes
    when it pays (and ``fork`` allows: a process with threads must not fork): each worker
    renders and stages its jobs' files itself (bytes never travel between processes), runs
    ``after`` and hands back which paths it staged and ``after``'s result, a chunk at a
    time, for the parent to record in job order. When a worker fails, the jobs not yet
    handed over are rendered here, so that the error is raised with its whole traceback
    (a template error names its file and line)."""
    count = workers()
    pages, rest = _order(jobs)
    if not fork or count < 2 or len(jobs) < min_jobs:
        for i in [i for run in pages + rest for i in run]:
            yield jobs[i], *_put(jobs[i], writer, after)
        return
    global _state, last_forked
    _state = (jobs, cache, writer, after)
    # Small chunks: what a chunk hands back (its pages indexed for search) is held whole.
    parts = split(pages, count * 64) + split(rest, count * 16)
    chunks = [[i for run in part for i in run] for part in parts]
    context = multiprocessing.get_context("fork")
    handed: set[int] = set()
    last_forked = 0
    try:
        with ProcessPoolExecutor(count, mp_context=context, initializer=_reopen) as pool:
            for done in pool.map(_render_chunk, chunks):
                for i in sorted(done):
                    files, made = done[i]
                    for path, staged in files:
                        writer.record(path, staged)
                    handed.add(i)
                    last_forked += 1
                    yield jobs[i], [path for path, _ in files], made
    except DigestError:  # a duplicate path: there is nothing to render again
        raise
    except Exception:  # rendered below, where it raises with its traceback
        pass
    finally:
        _state = ((), None, None, None)
    for i, job in enumerate(jobs):
        if i not in handed:
            yield job, *_put(job, writer, after)


def _order(jobs: Sequence[Job]) -> tuple[list[list[int]], list[list[int]]]:
    """The indexes of ``jobs`` in runs to render together, in two groups: issue and post
    pages first (the search index starts from them while the workers go on with the rest),
    each followed by the job that follows it (an issue's email: it finds the issue laid
    out); then the others."""
    followers = {job.follows: i for i, job in enumerate(jobs) if job.follows}
    pages = [[i] for i, job in enumerate(jobs) if job.name.startswith(PAGE)]
    for run in pages:
        if jobs[run[0]].name in followers:
            run.append(followers.pop(jobs[run[0]].name))
    paired = {i for run in pages for i in run}
    return pages, [[i] for i in range(len(jobs)) if i not in paired]


def _put(job: Job, writer: SiteWriter, after: After | None) -> tuple[list[str], Any]:
    """Render ``job`` here and stage its files; their paths and what ``after`` made."""
    outputs = job.render()
    for output in outputs:
        writer.put(output)
    return [output.path for output in outputs], after(job, outputs) if after else None


def _reopen() -> None:
    """A forked worker must not share the parent's SQLite connection: open its own."""
    cache = _state[1]
    if cache is not None:
        cache.db = sqlite3.connect(cache.path, timeout=30)


def _render_chunk(indexes: list[int]) -> dict[int, tuple[list[tuple[str, bool]], Any]]:
    jobs, _, writer, after = _state
    assert writer is not None
    done = {}
    for i in indexes:
        outputs = jobs[i].render()
        files = [(o.path, writer.stage(o)) for o in outputs]
        done[i] = files, after(jobs[i], outputs) if after else None
    return done


def split(items: list[T], parts: int) -> list[list[T]]:
    """``items`` in up to ``parts`` interleaved slices of near-equal size."""
    return [s for s in (items[i::parts] for i in range(parts)) if s]
