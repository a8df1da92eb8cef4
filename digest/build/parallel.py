"""Cold builds on every core: jobs rendered here and in worker processes.

Workers are forked after the jobs are defined, so they inherit them (and the cards of
the documents they show: entries are loaded from the cache where needed) instead of
receiving them. This process renders too, with one worker fewer: every process holds
its own copy of the libraries and of what the jobs show, so on two cores a build is two
processes, not three. Each process stages its outputs' files itself (bytes never travel
between processes) and hands back their paths. Nothing made of what comes back depends
on the order it comes in, so the site is the same byte for byte whatever the number of
workers. Used only when there is enough to do and more than one core; small builds and
rebuilds stay in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, TypeVar

from digest.build.jobs import PAGE, Job
from digest.errors import DigestError
from digest.model import Output
from digest.writer import SiteWriter

MIN_JOBS = 64  # fewer than this: forking costs more than it saves
T = TypeVar("T")
After = Callable[[Job, list[Output]], Any]  # run where a job rendered, on its outputs
Done = dict[int, tuple[list[tuple[str, bool]], Any]]  # a chunk's jobs: staged files, after's
Progress = Callable[[str, int, int], None]  # told (stage, done, total) as a long stage goes
_state: tuple[Sequence[Job], SiteWriter | None, After | None] = ((), None, None)
last_split = (0, 0)  # jobs the last parallel render did here and in workers (for tests)


def workers() -> int:
    """How many processes render: one per core the build may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


def render_jobs(
    jobs: Sequence[Job],
    writer: SiteWriter,
    *,
    fork: bool = True,
    after: After | None = None,
    pages_first: bool = False,
) -> Iterator[tuple[Job, list[str], Any]]:
    """Render each of ``jobs``, stage its files with ``writer`` and give it back with their
    paths and what ``after`` (when given) made of its outputs. Spread over this process
    and worker processes when ``fork`` (the caller says whether there is enough to do; a
    process with threads must not fork) and there is more than one core: the jobs go in
    chunks, queued for the workers, and this process takes the next chunk no worker has
    started whenever none has come back; whoever renders a chunk stages its files and
    runs ``after``. Chunks are handed back as they are done. With ``pages_first`` this
    process renders other jobs than issue and post pages (which come first) only once
    every page is handed back: what is made of the pages then (the search index) comes
    first. When a chunk fails (here or in a worker), the jobs not yet handed back are
    rendered again here, one by one in the order a one-process build renders them, so
    the error raised is the one that build raises, with its whole traceback (a template
    error names its file and line)."""
    count = workers()
    pages, rest = _order(jobs)
    serial = [i for run in pages + rest for i in run]
    if not fork or count < 2:
        for i in serial:
            yield jobs[i], *_put(jobs[i], writer, after)
        return
    global _state, last_split
    _state = (jobs, writer, after)
    # Small chunks: what a chunk hands back (its pages indexed for search) is held whole.
    page_parts = split(pages, count * 64)
    parts = page_parts + split(rest, count * 16)
    chunks = [[i for run in part for i in run] for part in parts]
    handed: set[int] = set()
    here = there = 0
    try:
        first = len(page_parts) if pages_first else 0
        for done, elsewhere in _spread(chunks, count - 1, first):
            for i in sorted(done):
                files, made = done[i]
                for path, staged in files:
                    writer.record(path, staged)
                handed.add(i)
                here, there = (here, there + 1) if elsewhere else (here + 1, there)
                yield jobs[i], [path for path, _ in files], made
    except DigestError:  # a duplicate path: there is nothing to render again
        raise
    except Exception:  # rendered below, where it raises as in a one-process build
        pass
    finally:
        _state = ((), None, None)
        last_split = (here, there)
    for i in serial:
        if i not in handed:
            yield jobs[i], *_put(jobs[i], writer, after)


def _spread(chunks: list[list[int]], count: int, first: int) -> Iterator[tuple[Done, bool]]:
    """Each chunk rendered, as it is done, and whether a worker rendered it. Every chunk
    is queued for ``count`` forked workers, in order; whenever nothing is done, this
    process takes the next one no worker has started and renders it itself, but none
    after the ``first`` ones until those are all handed back. So it renders as much as
    the time it has left (after what it makes of the chunks handed back) allows."""
    context = multiprocessing.get_context("fork")
    # A worker reads the build cache through a connection of its own, opened at its first
    # read (digest.store): the parent's must not cross the fork.
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        running = {pool.submit(_render_chunk, chunk): n for n, chunk in enumerate(chunks)}
        by_number = {n: future for future, n in running.items()}
        taken = 0  # the chunks before this one are done, started by a worker, or taken
        left = first  # of the first chunks, those not handed back yet
        try:
            while running:
                for future in [f for f in running if f.done()]:
                    n = running.pop(future)
                    del by_number[n]
                    left -= n < first
                    yield future.result(), True
                limit = first if left else len(chunks)
                while taken < limit and (taken not in by_number or not by_number[taken].cancel()):
                    taken += 1
                if taken < limit:
                    del running[by_number.pop(taken)]
                    left -= taken < first
                    yield _render_chunk(chunks[taken]), False
                elif running:
                    wait(running, return_when=FIRST_COMPLETED)
        finally:
            for future in running:
                future.cancel()


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


def _render_chunk(indexes: list[int]) -> Done:
    """Render the jobs at ``indexes`` and stage their files (here or in a worker)."""
    jobs, writer, after = _state
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
