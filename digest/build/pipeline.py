"""``build()``: load -> render -> write, top to bottom.

The build is a pure function of ``content/`` and ``templates/``: no clock, no network,
stable ordering everywhere, so the same inputs give byte-identical output.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import jinja2

from digest import sender
from digest.build import parallel as parallel_mod
from digest.build.cache import BuildCache, JobRecord
from digest.build.catalog import load_catalog
from digest.build.parallel import Progress
from digest.config import SiteConfig, load_config
from digest.content import load_content
from digest.content.inbox import load_inbox, remove_entries
from digest.errors import DigestError
from digest.model import CachedPage, Candidate, Content, Issue, Output
from digest.renderer import search as search_mod
from digest.renderer.draft import render_draft
from digest.renderer.email import address_of, build_eml, from_header
from digest.renderer.env import template_dirs
from digest.renderer.site import (
    PAGE,
    Job,
    prepare_email,
    render_issue_email,
    render_issue_wechat,
    site_jobs,
    templates_digest,
)
from digest.scraper.cache import Cache
from digest.summarizer.draft import DraftDates, plan_draft
from digest.summarizer.fill import dead_links, fill_items
from digest.writer import SiteWriter, write_files


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
    root: Path,
    target: Path | None = None,
    *,
    drafts: bool = False,
    search: bool = True,
    stale_search: bool = False,
    parallel: bool = False,
    min_jobs: int = parallel_mod.MIN_JOBS,
    check_unchanged: bool = True,
    trusted: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the site of the project at ``root`` into ``target`` (default ``root/site``).

    Incremental: a job (a page, a tag's page and feeds, an issue's email…) whose key is the
    same as last time and whose files are untouched is not rendered again, and only files
    whose bytes changed are written; the result is byte-identical to a clean build.
    ``search`` false leaves the search index out; ``stale_search`` keeps the index of the
    last build as it is when there is one (the preview: patching it after every save
    costs more than the rest of the rebuild, and a preview's search may lag behind its
    pages). ``parallel`` parses new content files in worker processes when there are at
    least ``4 * min_jobs`` of them, and renders there when at least ``min_jobs`` jobs need
    it (the command line does; a process with threads, like the preview server, must not
    fork). ``check_unchanged``
    first compares a digest of every input with the last build's and stops there when
    nothing changed (the preview knows something did: it skips that). ``trusted`` means
    this process alone wrote ``target`` and content files with unchanged stats are
    unchanged (the preview's private folder): its files are not checked one by one.
    ``progress`` is told, in this process, how far the long stages are: ``(stage, done,
    total)`` as content files are parsed in worker processes ("reading") and as jobs are
    rendered ("rendering"); a build with nothing to do tells it nothing.
    """
    started = time.perf_counter()
    templates = root / "templates"
    target = target or root / "site"
    with BuildCache(root / ".cache" / "build.sqlite") as cache:
        site = load_config(root / "content" / "site.toml")
        inputs = (
            _inputs(root, site, templates, f"{drafts} {search} {stale_search}")
            if (check_unchanged)
            else ""
        )
        previous = cache.jobs(target) if target.exists() else {}
        if not target.exists():
            cache.forget(target)
        last = cache.last_build(target) if inputs else None
        same = last is not None and last["inputs"] == inputs and previous
        if same and all(r.intact(target) for r in previous.values()):  # nothing to do
            assert last is not None
            count = sum(len(r.files) for r in previous.values())
            return BuildResult(
                last["issues"],
                last["posts"],
                count,
                count,
                time.perf_counter() - started,
                target,
                site.base_path,
                tuple(last["warnings"]),
            )
        pages = cached_pages(root / site.fetch.cache)
        catalog, notes = load_catalog(
            root,
            site,
            cache,
            pages,
            drafts=drafts,
            code=_code_version(),
            quick=trusted,
            fork=parallel,
            min_files=min_jobs * 4,
            progress=progress,
        )
        issues = [card for card in catalog.cards if card.kind == "issue"]
        newest = max(issues, key=lambda card: card.number) if issues else None
        latest = catalog.load(newest) if newest else None
        warnings = tuple(dead_links(latest, pages) if isinstance(latest, Issue) else []) + notes
        jobs = site_jobs(site, catalog, templates, cache.markdown, job_salt(site))
        kept: dict[str, JobRecord] = {}
        rendered: dict[str, tuple[str, list[str]]] = {}
        with SiteWriter(target) as writer:
            todo = []
            for job in jobs:
                old = previous.get(job.name)
                if old is not None and old.key == job.key and (trusted or old.intact(target)):
                    for path, _, _ in old.files:
                        writer.keep(path)
                    kept[job.name] = old
                else:
                    todo.append(job)
            indexing = (
                _search_index(jobs, previous, kept, writer, root, target, stale_search)
                if search
                else None
            )
            try:
                _render_jobs(
                    todo,
                    writer,
                    rendered,
                    cache,
                    parallel=parallel,
                    min_jobs=min_jobs,
                    search=indexing,
                    progress=progress,
                )
                if indexing is not None:
                    indexing.finish(kept, rendered)
            except jinja2.TemplateError as exc:
                raise template_error(exc, templates) from exc
            finally:
                if indexing is not None:
                    indexing.close()
            known = {p for r in previous.values() for p, _, _ in r.files} if previous else None
            written = writer.commit(known)
        for name, (key, paths) in rendered.items():
            files = []
            for path in paths:
                st = (target / path).stat()
                files.append((path, st.st_size, st.st_mtime_ns))
            kept[name] = JobRecord(key, tuple(files))
        cache.save(target, kept, previous)
        report = {"issues": len(issues), "posts": len(catalog.cards) - len(issues)}
        cache.save_build(target, {"inputs": inputs, **report, "warnings": list(warnings)})
    return BuildResult(
        report["issues"],
        report["posts"],
        written.files,
        written.unchanged,
        time.perf_counter() - started,
        target,
        site.base_path,
        warnings,
    )


def _render_jobs(
    todo: list[Job],
    writer: SiteWriter,
    rendered: dict[str, tuple[str, list[str]]],
    cache: BuildCache,
    *,
    parallel: bool,
    min_jobs: int,
    search: _Indexing | None = None,
    progress: Progress | None = None,
) -> None:
    """Render ``todo`` (in worker processes with ``parallel``), stage their files with
    ``writer`` and note each job's key and paths in ``rendered``. With ``search``, each
    issue and post page is indexed where it was rendered, and the bundle is made here
    once they all are (while the workers go on with the rest).

    A big render keeps the garbage collector out of the way: what exists before it
    (documents, jobs, caches) lives until it ends, so it is frozen out of every
    collection, and collections come ten times less often (a render allocates much and
    makes little cyclic garbage). Without that, collecting took a tenth of a cold build.
    The workers inherit both."""
    pages = sum(job.name.startswith(PAGE) for job in todo)
    if search is not None and not pages:
        search.start()
    big = len(todo) >= min_jobs
    done = 0
    thresholds = gc.get_threshold()
    if big:
        gc.freeze()
        gc.set_threshold(10_000, 50, 100)
    try:
        for job, paths, made in parallel_mod.render_jobs(
            todo,
            cache,
            writer,
            min_jobs,
            fork=parallel,
            after=search.read if search else None,
            pages_first=search is not None,
        ):
            rendered[job.name] = (job.key, paths)
            done += 1
            if progress is not None:
                progress("rendering", done, len(todo))
            if job.name.startswith(PAGE):
                pages -= 1
                if search is not None:
                    search.add(job, made)
                    if pages == 0:
                        search.start()
    finally:
        if big:
            gc.set_threshold(*thresholds)
            gc.unfreeze()


def preview_build(
    root: Path,
    target: Path,
    *,
    fork: bool = False,
    progress: Progress | None = None,
    min_jobs: int = parallel_mod.MIN_JOBS,
) -> BuildResult:
    """What ``digest serve`` does on start and after every save: an incremental build with
    drafts, keeping the search index made at start. It runs in this process: the server
    has threads, and a process with threads must not fork. Only ``fork`` (the build at
    start, before the server's threads exist) renders on every core as ``digest build``
    does (``min_jobs`` as there), and tells ``progress``. Between builds, the long-lived
    caches (parsed files, listings) are frozen out of the garbage collector's way, so a
    big archive does not make every rebuild pay for a full collection."""
    trusted = str(target.resolve()) in _PREVIEWED
    result = build(
        root,
        target,
        drafts=True,
        stale_search=True,
        check_unchanged=False,
        trusted=trusted,
        parallel=fork,
        progress=progress,
        min_jobs=min_jobs,
    )
    _PREVIEWED.add(str(target.resolve()))
    gc.collect()
    gc.freeze()
    return result


_PREVIEWED: set[str] = set()  # folders preview_build has written in this process


class _Indexing:
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
                return key, search_mod.index_html(output.data, url, self.index.buckets)
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

    def finish(
        self, kept: dict[str, JobRecord], rendered: dict[str, tuple[str, list[str]]]
    ) -> None:
        """Note the bundle in ``rendered``, or in ``kept`` when unchanged."""
        self.start()  # when no page was rendered
        if self.paths:
            rendered[self.NAME] = (self.key, self.paths)
        else:
            assert self.old is not None
            kept[self.NAME] = self.old

    def close(self) -> None:
        self.index.close()


def _search_index(
    jobs: list[Job],
    previous: dict[str, JobRecord],
    kept: dict[str, JobRecord],
    writer: SiteWriter,
    root: Path,
    target: Path,
    stale_ok: bool,
) -> _Indexing | None:
    """What makes the search bundle; None when the preview (``stale_ok``) keeps the last
    one as it is."""
    old = previous.get(_Indexing.NAME)
    if old is not None and stale_ok and old.intact(target):
        for path, _, _ in old.files:
            writer.keep(path)
        # Kept as it is while the pages may change: under a key no set of pages has, so
        # that a later build here makes it again rather than patch it as if current.
        kept[_Indexing.NAME] = JobRecord(f"stale {old.key.removeprefix('stale ')}", old.files)
        return None
    pages = [j.name.removeprefix(PAGE) for j in jobs if j.name.startswith(PAGE)]
    return _Indexing(pages, old, target, writer, root / ".cache" / "search")


def _inputs(root: Path, site: SiteConfig, templates: Path, options: str) -> str:
    """A digest of everything a build reads: content/ (every file's bytes), the scrape
    cache, the templates, the code and site.toml, and the options. When it matches the
    last build's and the site is as that build left it, there is nothing to do."""
    digest = hashlib.sha256(f"{build_salt(site, templates)}\0{options}".encode())
    content = root / "content"
    for file in sorted(content.rglob("*")):
        if file.is_file():
            digest.update(f"\0{file.relative_to(content).as_posix()}\0".encode())
            digest.update(file.read_bytes())
    scrape = root / site.fetch.cache
    for part in (scrape, Path(f"{scrape}-wal")):
        with contextlib.suppress(OSError):
            st = part.stat()
            digest.update(f"\0{part.name} {st.st_size} {st.st_mtime_ns}".encode())
    return digest.hexdigest()


def build_salt(site: SiteConfig, templates: Path) -> str:
    """What a build depends on besides content: the code and libraries, site.toml, the
    templates."""
    return hashlib.sha256(f"{job_salt(site)}\0{templates_digest(templates)}".encode()).hexdigest()


def job_salt(site: SiteConfig) -> str:
    """What every output depends on: the code and libraries, and site.toml (each job adds
    the templates it uses)."""
    return hashlib.sha256(_code_version().encode() + repr(site).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def _code_version() -> str:
    """A digest of this package's source and the versions of the libraries that render."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for file in sorted(package.rglob("*.py")):
        digest.update(file.read_bytes())
    for name in (
        "Jinja2",
        "Markdown",
        "Pygments",
        "css-inline",
        "nh3",
        "pypinyin",
        "PyYAML",
        "lxml",
    ):
        digest.update(version(name).encode())
    return digest.hexdigest()


def load(root: Path, *, drafts: bool) -> tuple[SiteConfig, Content, dict[str, CachedPage]]:
    """The first stage the commands other than ``build`` share: config, content, and what
    the scraper knows, with empty titles and summaries filled from it."""
    site = load_config(root / "content" / "site.toml")
    content = load_content(root / "content", site, drafts=drafts)
    pages = cached_pages(root / site.fetch.cache)
    return site, fill_items(content, pages), pages


def cached_pages(path: Path) -> dict[str, CachedPage]:
    """What the scraper knows, read-only; an absent cache is simply empty."""
    if not path.exists():
        return {}
    with Cache(path, readonly=True) as cache:
        return cache.records()


def template_error(exc: jinja2.TemplateError, templates: Path) -> DigestError:
    """A template problem as ``templates/issue.html:12: message``."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or templates / (exc.name or '?')}:{exc.lineno}"
    elif isinstance(exc, jinja2.TemplateNotFound):
        return DigestError(f"{templates / str(exc.name)}: template not found")
    else:  # the failing template line is the innermost frame inside a template folder
        dirs = tuple(str(d) for d in template_dirs(templates))
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(dirs)]
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else str(templates)
    return DigestError(f"{where}: {exc.message or exc}")


@dataclass(frozen=True)
class NewDraft:
    """What ``digest new`` wrote (or would write, on a dry run)."""

    path: Path
    text: str
    items: int
    from_inbox: int
    flags: tuple[str, ...]


def new(
    root: Path,
    *,
    today: date,
    since: datetime | None = None,
    day: date | None = None,
    dry_run: bool = False,
) -> NewDraft:
    """``digest new``: draft the next issue into ``content/issues/``; never overwrite a file.

    The inbox loses the entries the draft used only once the draft is on disk.
    """
    site = load_config(root / "content" / "site.toml")
    content = load_content(root / "content", site, drafts=True)
    inbox_path = root / "content" / "inbox.md"
    inbox = load_inbox(inbox_path, site)
    cache_path = root / site.fetch.cache
    candidates: list[Candidate] = []
    pages: dict[str, CachedPage] = {}
    if cache_path.exists():  # one read of the scrape cache for both
        with Cache(cache_path, readonly=True) as cache:
            candidates, pages = cache.candidates(), cache.records()
    draft = plan_draft(site, content, inbox, candidates, pages, DraftDates(today, since, day))
    templates = root / "templates"
    try:
        text = render_draft(draft, site, templates)
    except jinja2.TemplateError as exc:
        raise template_error(exc, templates) from exc
    path = root / "content" / "issues" / f"{draft.number:04d}.md"
    items = sum(len(s.items) for s in draft.sections)
    result = NewDraft(path, text, items, len(draft.used), draft.flags)
    if dry_run:
        return result
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        why = "already exists; digest new never overwrites a file (move it away first)"
        raise DigestError(f"{path}: {why}") from None
    except OSError as exc:
        raise DigestError(f"{path}: cannot write the draft ({exc.strerror})") from exc
    if draft.used:
        remove_entries(inbox_path, draft.used)
    return result


def wechat(root: Path, number: int, target: Path | None = None) -> list[Path]:
    """Write ``wechat/<number>.html`` and its copy page into the site folder only."""
    return _issue_files(root, number, render_issue_wechat, target)


def email(root: Path, number: int, target: Path | None = None) -> list[Path]:
    """Write ``email/<number>.html``, ``.txt`` and ``.eml`` into the site folder only."""
    return _issue_files(root, number, render_issue_email, target)


def _issue_files(
    root: Path,
    number: int,
    render: Callable[[SiteConfig, Content, Path, int], list[Output]],
    target: Path | None,
) -> list[Path]:
    """Render one issue's extra files with ``render`` and write just those."""
    site, content, _ = load(root, drafts=True)
    templates = root / "templates"
    try:
        outputs = render(site, content, templates, number)
    except jinja2.TemplateError as exc:
        raise template_error(exc, templates) from exc
    return write_files(outputs, target or root / "site")


def send(
    root: Path,
    number: int,
    *,
    yes: bool,
    to: str | None,
    resend_unknown: bool,
    echo: Callable[[str], None],
    retry_wait: float = 2.0,
) -> bool:
    """``digest send``: a dry run unless ``yes`` (or a single test copy ``to``); True when
    nothing is left to do (every recipient sent or permanently failed)."""
    site, content, _ = load(root, drafts=True)
    try:
        mail, issue = prepare_email(site, content, root / "templates", number)
    except jinja2.TemplateError as exc:
        raise template_error(exc, root / "templates") from exc
    settings = site.email
    if to is not None:
        recipients, problems = [to], ([] if sender.valid_address(to) else [to])
        if problems:
            raise DigestError(f"--to: invalid address '{to}'")
    else:
        recipients, invalid = sender.read_recipients(root / settings.recipients)
        for problem in invalid:
            echo(f"skipped: {problem}")
    envelope_from = address_of(from_header(site))
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    if not yes and to is None:
        log = sender.SendLog(root / settings.send_log)
        done = sum(log.state(number, a) in ("sent", "failed") for a in recipients)
        log.close()
        echo(
            f"dry run: would send issue {number} “{mail.subject}” to "
            f"{len(recipients) - done} of {len(recipients)} recipients via {where} "
            f"({len(mail.html.encode()) / 1024:.1f} KB HTML); add --yes to send"
        )
        return True
    if not settings.smtp_host:
        raise DigestError(f"{site.path}: set [email] smtp_host to send")
    connect = sender.connector(settings, sender.password_for(settings))
    log = sender.SendLog(root / settings.send_log)
    try:
        result = sender.send_all(
            sender.Mailing(
                -number if to is not None else number,  # test copies never count as sent
                envelope_from,
                lambda address: build_eml(mail, site, issue, to=address),
            ),
            recipients,
            connect,
            log,
            sender.SendPolicy(
                settings.rate_per_minute, settings.retries, retry_wait, resend_unknown
            ),
        )
    finally:
        log.close()
    echo(
        f"issue {number}: {result.sent} sent, {result.skipped} already done, "
        f"{len(result.failed)} failed, {len(result.deferred)} deferred, "
        f"{len(result.unknown)} unknown"
    )
    for address, reason in result.failed:
        echo(f"failed (permanent): {address}: {reason}")
    for address, reason in result.deferred:
        echo(f"deferred (run again to retry): {address}: {reason}")
    for address in result.unknown:
        echo(
            f"unknown (a previous run stopped while sending; check the server log, then "
            f"use --resend-unknown): {address}"
        )
    return not (result.deferred or result.unknown)
