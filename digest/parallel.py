"""Cold builds on every core: Markdown and jobs rendered in worker processes.

Workers are forked after the jobs are defined, so they inherit them (and the documents'
Markdown already rendered) instead of receiving them; each stages its outputs' files
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
from digest.model import Content, Entry, Output
from digest.renderer.documents import markdown_fragments
from digest.renderer.markdown import markdown_key, render_markdown
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


def warm_markdown(
    content: Content, base_path: str, cache: BuildCache, min_jobs: int = MIN_JOBS
) -> int:
    """Render, across all cores, the fragments the cache does not have; return how many."""
    store = cache.markdown
    todo = {}
    entries: list[Entry] = [*content.issues, *content.posts]
    every = [f for entry in entries for f in markdown_fragments(entry, base_path)]
    count = workers()
    if count < 2 or len(every) < min_jobs * 4:
        return 0
    sample = every[:: max(1, len(every) // 100)]
    if all(markdown_key(*f) in store for f in sample):  # a rebuild: the cache has them
        return 0
    for text, base, prefix in every:
        key = markdown_key(text, base, prefix)
        if key not in todo and key not in store:
            todo[key] = (text, base, prefix)
    if len(todo) < min_jobs * 4:
        return 0
    items = list(todo.items())
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        for done in pool.map(_render_fragments, _split(items, count * 4)):
            cache.pending.update(done)
    return len(items)


def _render_fragments(chunk: list[tuple[str, tuple[str, str, str]]]) -> dict[str, str]:
    return {key: render_markdown(t, base=b, id_prefix=p) for key, (t, b, p) in chunk}


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
    if not fork or count < 2 or len(jobs) < min_jobs:
        for job in jobs:
            yield job, *_put(job, writer, after)
        return
    global _state, last_forked
    _state = (jobs, cache, writer, after)
    # Issue and post pages first: the search index starts from them while the workers go
    # on with the rest. (A worker lays out a document again for its email if another
    # rendered its page: a few per cent of the document's cost.)
    pages = [i for i, job in enumerate(jobs) if job.name.startswith(PAGE)]
    rest = [i for i, job in enumerate(jobs) if not job.name.startswith(PAGE)]
    chunks = _split(pages, count * 16) + _split(rest, count * 16)
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


def _split(items: list[T], parts: int) -> list[list[T]]:
    """``items`` in up to ``parts`` interleaved slices of near-equal size."""
    return [s for s in (items[i::parts] for i in range(parts)) if s]
