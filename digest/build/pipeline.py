"""``build(root, options)``: load -> plan -> render -> write -> record, top to bottom.

The build is a pure function of ``content/``, ``templates/`` and the scrape cache: no
clock, no network, stable ordering everywhere, so the same inputs give byte-identical
output. It is incremental: a job whose key is the same as last time and whose files are
untouched is not rendered again, and only files whose bytes changed are written.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from jinja2 import Environment

from digest.build import parallel
from digest.build.cache import BuildCache, JobRecord
from digest.build.catalog import Reading, load_catalog
from digest.build.documents import Documents
from digest.build.indexing import Indexing, search_index
from digest.build.inputs import inputs_digest, job_salt
from digest.build.jobs import ISSUE_FILES, PAGE, Job, environment, plan
from digest.build.ledger import Ledger
from digest.build.parallel import MIN_JOBS, Progress
from digest.build.project import cached_pages, template_faults
from digest.build.session import Session
from digest.config import SiteConfig, load_config
from digest.model import CachedPage, Issue
from digest.renderer.documents import Catalog
from digest.renderer.email import clipped, sent_size
from digest.renderer.site import email_of
from digest.summarizer.fill import dead_links
from digest.writer import SiteWriter, refuse_unsafe


@dataclass(frozen=True)
class BuildOptions:
    """How to build; the defaults are a plain ``digest build``."""

    target: Path | None = None  # the site folder (default: ``root/site``)
    drafts: bool = False  # build draft issues and posts too
    search: bool = True  # make the search index
    stale_search: bool = False  # keep the last search index as it is (the preview)
    # Parse new content files and render in worker processes when there is enough to do
    # (``digest build`` does; a process with threads, like the preview server, must not
    # fork): at least ``4 * min_jobs`` new files, ``min_jobs`` jobs to render.
    parallel: bool = False
    min_jobs: int = MIN_JOBS
    # First compare a digest of every input with the last build's and stop when nothing
    # changed (the preview knows something did: it skips that).
    check_unchanged: bool = True
    progress: Progress | None = None  # told (stage, done, total) as long stages go
    # Refuse an issue whose email is over ``[email] max_kb`` (``digest check`` builds
    # without the limit, to report it among every other problem).
    email_limit: bool = True


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for the command's one-line report."""

    issues: int
    posts: int
    files: int
    unchanged: int
    seconds: float
    target: Path
    base_path: str
    warnings: tuple[str, ...] = ()


def build(
    root: Path, options: BuildOptions = BuildOptions(), session: Session | None = None
) -> BuildResult:
    """Build the site of the project at ``root`` (see :class:`BuildOptions`).

    ``session`` keeps what a long-lived process (the preview) reuses from one build to the
    next; a command's build has a fresh one. The previous site stays untouched until every
    job has rendered: files are staged beside it and moved in at the end."""
    started = time.perf_counter()
    session = session or Session()
    target = options.target or root / "site"
    site = load_config(root / "content" / "site.toml")
    if not options.email_limit:
        site = replace(site, email=replace(site.email, max_kb=0))
    with BuildCache(root / ".cache" / "build.sqlite") as cache:
        refuse_unsafe(target, root, known=lambda: bool(cache.jobs(target)))
        inputs = _inputs(root, site, options)
        unchanged = _unchanged(cache, target, inputs, site, started)
        if unchanged is not None:
            return unchanged
        # Load: a card per document, the entries left in the cache until a job shows them.
        pages = cached_pages(root / site.fetch.cache)
        quick = _trusted(session, target)
        reading = Reading(
            options.drafts, quick, options.parallel, options.min_jobs, options.progress
        )
        catalog, notes = load_catalog(root, site, cache, pages, reading, session)
        warnings = _dead_links(catalog, pages) + notes
        # Plan: every output as a job with a key; nothing rendered yet.
        salt = job_salt(site)
        jobs = plan(site, catalog, root / "templates", session, cache.markdown, salt)
        # Render what changed, and write: staged, then moved in.
        with SiteWriter(target) as writer:
            ledger = Ledger(target, writer, cache.jobs(target) if target.exists() else {})
            todo = ledger.to_render(jobs, trusted=quick)
            _render(root, options, ledger, jobs, todo)
            env, _ = environment(site, root / "templates", session, salt)
            if not site.email.newest_issues:
                warnings += _newest_email(root, site, catalog, env, cache)
            written = writer.commit(ledger.known_files())
        # Record: what the next build compares itself with.
        issues = sum(card.kind == "issue" for card in catalog.cards)
        posts = len(catalog.cards) - issues
        records = ledger.records()
        warnings += _clipped_emails(site, env, catalog, records)
        cache.save(target, records, ledger.previous)
        record = {"inputs": inputs, "issues": issues, "posts": posts, "warnings": list(warnings)}
        cache.save_build(target, record)
    session.written.add(str(target.resolve()))
    seconds = time.perf_counter() - started
    return BuildResult(
        issues, posts, written.files, written.unchanged, seconds, target, site.base_path, warnings
    )


def _inputs(root: Path, site: SiteConfig, options: BuildOptions) -> str:
    """A digest of every input and the options that change what a build makes ("" when
    the build is not to compare itself with the last)."""
    if not options.check_unchanged:
        return ""
    mode = f"{options.drafts} {options.search} {options.stale_search}"
    return inputs_digest(root, site, root / "templates", mode)


def _trusted(session: Session, target: Path) -> bool:
    """Whether this session's builds alone wrote ``target`` (the preview's private folder):
    then content files with unchanged stats are unchanged, and its files are not checked
    one by one."""
    return str(target.resolve()) in session.written


def _unchanged(
    cache: BuildCache, target: Path, inputs: str, site: SiteConfig, started: float
) -> BuildResult | None:
    """The last build's result when every input is as it was then and ``target`` as it
    left it: there is nothing to do. Forget a folder that is gone."""
    if not target.exists():
        cache.forget(target)
        return None
    last = cache.last_build(target) if inputs else None
    if last is None or last["inputs"] != inputs:
        return None
    previous = cache.jobs(target)
    if not previous or not all(record.intact(target) for record in previous.values()):
        return None
    count = sum(len(record.files) for record in previous.values())
    seconds = time.perf_counter() - started
    warnings = tuple(last["warnings"])
    return BuildResult(
        last["issues"], last["posts"], count, count, seconds, target, site.base_path, warnings
    )


def _dead_links(catalog: Catalog, pages: Mapping[str, CachedPage]) -> tuple[str, ...]:
    """Warnings about dead or moved links in the newest issue."""
    issues = [card for card in catalog.cards if card.kind == "issue"]
    if not issues:
        return ()
    latest = catalog.load(max(issues, key=lambda card: card.number))
    return tuple(dead_links(latest, pages)) if isinstance(latest, Issue) else ()


def _newest_email(
    root: Path, site: SiteConfig, catalog: Catalog, env: Environment, cache: BuildCache
) -> tuple[str, ...]:
    """When the build writes no email files (``[email] newest_issues = 0``), the newest
    issue's email is rendered all the same (not written), so that the build refuses it
    over ``[email] max_kb`` and warns about it over ``clip_kb`` as if it wrote it."""
    issues = [card for card in catalog.cards if card.kind == "issue"]
    if not issues:
        return ()
    card = max(issues, key=lambda card: card.number)
    doc = Documents(site, env, cache.markdown, catalog.load)(card)
    with template_faults(root / "templates"):
        mail = email_of(doc, site, env)
    note = clipped(len(mail.html.encode()), site, card.source, card.number)
    return (note,) if note else ()


def _clipped_emails(
    site: SiteConfig, env: Environment, catalog: Catalog, records: Mapping[str, JobRecord]
) -> tuple[str, ...]:
    """Warnings about the emails in the site (written now or kept) that Gmail clips, newest
    issue first; their sizes are in the jobs' records (``site/email/N.html`` is the email
    sent and the editor's preview note)."""
    notes = []
    for card in sorted(catalog.cards, key=lambda card: -card.number):
        record = records.get(f"{ISSUE_FILES}{card.number}") if card.kind == "issue" else None
        for path, size, _ in record.files if record else ():
            if path != f"email/{card.number}.html":
                continue
            sent = sent_size(size, site, env, card.number)
            if note := clipped(sent, site, card.source, card.number):
                notes.append(note)
    return tuple(notes)


def _render(
    root: Path,
    options: BuildOptions,
    ledger: Ledger,
    jobs: list[Job],
    todo: list[Job],
) -> None:
    """Render ``todo`` and make (or keep) the search bundle; a template error is reported
    as ``templates/<file>:<line>: message``."""
    indexing = None
    if options.search:
        folder = root / ".cache" / "search"
        indexing = search_index(ledger, jobs, folder, stale_ok=options.stale_search)
    try:
        with template_faults(root / "templates"):
            _render_jobs(todo, ledger, options, indexing)
            if indexing is not None:
                indexing.finish(ledger)
    finally:
        if indexing is not None:
            indexing.close()


def _render_jobs(
    todo: list[Job],
    ledger: Ledger,
    options: BuildOptions,
    search: Indexing | None,
) -> None:
    """Render ``todo`` (in worker processes when ``options.parallel``), stage their files
    and note each job's key and paths in ``ledger``. With ``search``, each issue and post
    page is indexed where it was rendered, and the bundle is made here once they all are
    (while the workers go on with the rest)."""
    pages = sum(job.name.startswith(PAGE) for job in todo)
    if search is not None and not pages:
        search.start()
    progress = options.progress
    with _quiet_collector(len(todo) >= options.min_jobs):
        rendered = parallel.render_jobs(
            todo,
            ledger.writer,
            fork=options.parallel and len(todo) >= options.min_jobs,
            after=search.read if search else None,
            pages_first=search is not None,
        )
        for done, (job, paths, made) in enumerate(rendered, 1):
            ledger.rendered[job.name] = (job.key, paths)
            if progress is not None:
                progress("rendering", done, len(todo))
            if search is not None and job.name.startswith(PAGE):
                pages -= 1
                search.add(job, made)
                if pages == 0:
                    search.start()


@contextmanager
def _quiet_collector(big: bool) -> Iterator[None]:
    """A big render keeps the garbage collector out of the way: what exists before it
    (documents, jobs, caches) lives until it ends, so it is frozen out of every
    collection, and collections come ten times less often (a render allocates much and
    makes little cyclic garbage). Without that, collecting took a tenth of a cold build.
    The workers inherit both."""
    if not big:
        yield
        return
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
