"""``digest fetch``: every curated link and every watched feed, into the cache.

Which links are requested: links never fetched, links whose last fetch failed, and links
not checked for ``recheck_days``; with ``refresh`` all of them (conditionally, when the
cache holds validators); with ``offline`` none. Feeds are always asked, conditionally.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace

from digest import __version__
from digest.config import SiteConfig
from digest.errors import Location
from digest.model import CachedFeed, CachedPage, Content, InboxEntry, Source, Summarizer
from digest.scraper.cache import Cache
from digest.scraper.extract import extract
from digest.scraper.feeds import ParsedFeed, parse_feed
from digest.scraper.fetch import Fetcher, FetchPolicy, FetchResult
from digest.text.urls import normalize_url

PROBLEM_OUTCOMES = frozenset({"redirect", "gone", "error", "broken"})


@dataclass(frozen=True)
class LinkOutcome:
    """One curated link after the run: its state and where the editor wrote it."""

    url: str
    outcome: str
    detail: str
    where: Location
    requested: bool


@dataclass(frozen=True)
class FeedOutcome:
    """One watched feed after the run."""

    url: str
    outcome: str
    detail: str
    new_entries: int
    where: Location  # its url's line in sources.toml


@dataclass(frozen=True)
class FetchReport:
    """What ``digest fetch`` did, for its summary table."""

    links: tuple[LinkOutcome, ...]
    feeds: tuple[FeedOutcome, ...]
    requests: int
    writes: int
    seconds: float  # wall time of the network phase
    summary_failures: tuple[tuple[str, str], ...] = ()  # (url, why) from [summary] command
    # Pages with a new text that the external summariser should be asked about.
    pending: tuple[CachedPage, ...] = ()

    @property
    def problems(self) -> list[LinkOutcome | FeedOutcome]:
        """Links and feeds that are not plainly fine."""
        every: list[LinkOutcome | FeedOutcome] = [*self.links, *self.feeds]
        return [x for x in every if x.outcome in PROBLEM_OUTCOMES]


def policy_for(site: SiteConfig, *, public_only: bool = False) -> FetchPolicy:
    """The fetch limits from ``[fetch]``, with an honest User-Agent."""
    f = site.fetch
    return FetchPolicy(
        concurrency=f.concurrency,
        per_host=f.per_host,
        host_delay=f.host_delay,
        total_timeout=f.timeout,
        retries=f.retries,
        max_redirects=f.max_redirects,
        max_bytes=f.max_bytes,
        deadline=f.deadline,
        public_only=public_only,
        user_agent=f"digest/{__version__} (+{site.base_url}; weekly digest link checker)",
    )


def curated_links(content: Content) -> dict[str, tuple[str, Location]]:
    """Every item link by normalised URL, with the first place it is written."""
    links: dict[str, tuple[str, Location]] = {}
    for issue in content.issues:
        for section in issue.sections:
            for item in section.items:
                where = Location(issue.source, item.line)
                links.setdefault(normalize_url(item.url), (item.url, where))
    return links


def describe(page: CachedPage | None) -> str:
    """A short human description of a cached outcome."""
    if page is None:
        return "not fetched yet"
    if page.outcome == "redirect":
        return f"moved permanently to {page.moved_to}"
    if page.outcome == "gone":
        return f"HTTP {page.status}: gone"
    if page.outcome == "error":  # the stored error starts with the URL, shown beside it anyway
        return (page.error or "error").removeprefix(f"{page.url}: ")
    return f"HTTP {page.status}" if page.status else "ok"


@dataclass(frozen=True)
class FetchOptions:
    """How a run goes: ``offline`` sends no request (the report comes from the cache);
    ``refresh`` revalidates every link, not only new, failed and stale ones;
    ``public_only`` refuses private and loopback addresses."""

    offline: bool = False
    refresh: bool = False
    public_only: bool = False


@dataclass(frozen=True)
class FetchTargets:
    """What a run looks at: the curated links by normalised URL with where each is first
    written (issues, then the inbox), which of them issues already carry, and the feeds."""

    links: Mapping[str, tuple[str, Location]]
    published: frozenset[str]
    feeds: tuple[Source, ...]


def fetch_targets(
    content: Content, sources: Iterable[Source], inbox: Iterable[InboxEntry] = ()
) -> FetchTargets:
    """The links of ``content`` and of the editor's ``inbox``, and the watched ``sources``."""
    published = curated_links(content)
    links = dict(published)
    for entry in inbox:
        links.setdefault(normalize_url(entry.url), (entry.url, entry.where))
    return FetchTargets(links, frozenset(published), tuple(sources))


def run_fetch(
    site: SiteConfig,
    targets: FetchTargets,
    cache: Cache,
    summarizer: Summarizer,
    options: FetchOptions,
    on_progress: Callable[[int, int], None] | None = None,
) -> FetchReport:
    """Fetch what needs fetching (see the module docstring) and record every outcome.

    ``summarizer`` gives each newly extracted page its summary; the pages it wants the
    external summariser for are in the report's ``pending``. ``on_progress`` hears
    ``(done, total)`` after each request.
    """
    wanted = [] if options.offline else _due(site, targets.links, cache, refresh=options.refresh)
    feeds = () if options.offline else targets.feeds
    run = _Run(cache, summarizer, targets.published, len(wanted) + len(feeds), on_progress)
    started = time.perf_counter()
    if run.total:
        asyncio.run(run.all(policy_for(site, public_only=options.public_only), wanted, feeds))
    seconds = time.perf_counter() - started
    requested = {normalize_url(url) for url, _ in wanted}
    return FetchReport(
        _link_outcomes(targets.links, cache, requested),
        tuple(sorted(run.feeds, key=lambda f: f.url)),
        run.total,
        run.writes,
        seconds,
        pending=tuple(run.changed),
    )


def _due(
    site: SiteConfig, links: Mapping[str, tuple[str, Location]], cache: Cache, *, refresh: bool
) -> list[tuple[str, CachedPage | None]]:
    """The links to request, each with its cached state: all of them with ``refresh``, else
    those never fetched, those whose last fetch failed and those not checked for
    ``recheck_days``."""
    stale = time.time() - site.fetch.recheck_days * 86400
    wanted = []
    for url, _ in links.values():
        page = cache.page(url, with_record=False)
        if refresh or page is None or page.outcome == "error" or page.checked_at < stale:
            wanted.append((url, page))
    return wanted


def _link_outcomes(
    links: Mapping[str, tuple[str, Location]], cache: Cache, requested: set[str]
) -> tuple[LinkOutcome, ...]:
    """Every curated link as the cache now knows it, in the order the editor wrote them."""
    outcomes = []
    for key, (url, where) in sorted(links.items(), key=lambda kv: kv[1][1]):
        page = cache.page(url, with_record=False)
        outcome = page.outcome if page else "unknown"
        outcomes.append(LinkOutcome(url, outcome, describe(page), where, key in requested))
    return tuple(outcomes)


class _Run:
    """The network phase of one run: a task for each link and feed on one event loop, all
    writing to the cache from the loop's thread and counting what they did."""

    def __init__(
        self,
        cache: Cache,
        summarizer: Summarizer,
        published: frozenset[str],
        total: int,
        on_progress: Callable[[int, int], None] | None,
    ) -> None:
        self.cache = cache
        self.summarizer = summarizer
        self.published = published  # feed entries already in an issue are not candidates
        self.total = total
        self.on_progress = on_progress
        self.done = 0
        self.writes = 0
        self.feeds: list[FeedOutcome] = []
        self.changed: list[CachedPage] = []  # pages whose record is new: the summariser's work

    async def all(
        self,
        policy: FetchPolicy,
        links: Iterable[tuple[str, CachedPage | None]],
        feeds: Iterable[Source],
    ) -> None:
        """Every link and feed at once, within ``policy``'s limits."""
        # Pages are parsed in worker processes, so parsing runs beside the network loop
        # instead of taking turns with it for the interpreter.
        with ProcessPoolExecutor(max_workers=max(1, (os.cpu_count() or 2) - 1)) as parsers:
            async with Fetcher(policy) as fetcher:
                await asyncio.gather(
                    *(self.link(fetcher, parsers, url, old) for url, old in links),
                    *(self.feed(fetcher, source) for source in feeds),
                )

    async def link(
        self, fetcher: Fetcher, parsers: Executor, url: str, old: CachedPage | None
    ) -> None:
        """Request one curated link (conditionally, as ``old`` allows) and keep the result."""
        result = await fetcher.fetch(
            url, etag=old.etag if old else None, last_modified=old.last_modified if old else None
        )
        if result.outcome in ("ok", "redirect"):  # parsing is CPU work: another core
            loop = asyncio.get_running_loop()
            page = await loop.run_in_executor(parsers, _page_from, result, None, self.summarizer)
            if page and page.record and self.summarizer.wants_command(page.record):
                page = _keep_summary(page, self.cache.page(url), self.changed)
        else:  # a failure keeps the last good record, so read it whole
            page = _page_from(result, self.cache.page(url), self.summarizer)
        if page is not None and self.cache.save_page(page):
            self.writes += 1
        self._tick()

    async def feed(self, fetcher: Fetcher, source: Source) -> None:
        """Request one watched feed (conditionally) and keep its new entries."""
        old = self.cache.feed(source.url)
        result = await fetcher.fetch(
            source.url,
            etag=old.etag if old else None,
            last_modified=old.last_modified if old else None,
        )
        parsed = None
        if result.outcome in ("ok", "redirect"):
            parsed = await asyncio.to_thread(
                parse_feed,
                result.body,
                url=result.final_url,
                content_type=result.content_type,
                section=source.section,
                tags=source.tags,
            )
        self.feeds.append(_store_feed(self.cache, source, result, parsed, old, self.published))
        self._tick()

    def _tick(self) -> None:
        self.done += 1
        if self.on_progress:
            self.on_progress(self.done, self.total)


def _keep_summary(
    page: CachedPage, before: CachedPage | None, changed: list[CachedPage]
) -> CachedPage:
    """``page`` with the summary it had when its text is unchanged; else queue it."""
    if page.record and before and before.record and before.record.text == page.record.text:
        return replace(page, record=replace(page.record, summary=before.record.summary))
    changed.append(page)
    return page


def _page_from(
    result: FetchResult, old: CachedPage | None, summarizer: Summarizer
) -> CachedPage | None:
    """The new cached state of a link, or None when nothing changed (a 304). A page our
    reading of it fails on (a fault of ours no page should find) is that link's error, with
    the reason, and the run goes on to the other links; the record it had stays."""
    if result.outcome == "not_modified":
        return None
    record = old.record if old else None
    outcome, error = result.outcome, result.error
    if result.outcome in ("ok", "redirect"):
        try:
            record = summarizer.summarized(
                extract(
                    result.body,
                    url=result.url,
                    final_url=result.final_url,
                    status=result.status,
                    content_type=result.content_type,
                )
            )
        except Exception as exc:  # one page must not end the run
            outcome = "error"
            error = f"{result.final_url}: internal error reading the page: {type(exc).__name__}"
            error += f": {exc} (please report it)"
    return CachedPage(
        url=result.url,
        outcome=outcome,
        status=result.status,
        error=error,
        moved_to=result.moved_to,
        etag=result.etag,
        last_modified=result.last_modified,
        record=record,
        checked_at=time.time(),
    )


def _store_feed(
    cache: Cache,
    source: Source,
    result: FetchResult,
    parsed: ParsedFeed | None,
    old: CachedFeed | None,
    published: frozenset[str],
) -> FeedOutcome:
    """Keep a parsed feed's new entries and remember its validators (loop thread only)."""
    if result.outcome == "not_modified":
        return FeedOutcome(source.url, "ok", "not modified", 0, source.where)
    if parsed is None:
        detail = result.error or f"HTTP {result.status}"
        cache.save_feed(
            CachedFeed(
                source.url,
                result.outcome,
                result.status,
                detail,
                old.etag if old else None,
                old.last_modified if old else None,
                old.title if old else None,
            )
        )
        return FeedOutcome(source.url, result.outcome, detail, 0, source.where)
    fresh = [c for c in parsed.entries if normalize_url(c.link) not in published]
    new = cache.add_candidates(fresh)
    # A feed read despite problems is "broken", not silently "ok".
    outcome = ("broken" if parsed.entries else "error") if parsed.problem else "ok"
    cache.save_feed(
        CachedFeed(
            source.url,
            outcome,
            result.status,
            parsed.problem,
            result.etag,
            result.last_modified,
            parsed.title,
        )
    )
    detail = parsed.problem or f"{len(parsed.entries)} entries"
    if result.moved_to:
        detail += f"; moved permanently to {result.moved_to}"
    return FeedOutcome(source.url, outcome, detail, new, source.where)
