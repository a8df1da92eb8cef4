"""What ``digest fetch`` and ``digest inspect`` do, minus the argument parsing and the printing."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from digest.commands.local import read_local
from digest.config import SummarySettings, load_config
from digest.content import load_content
from digest.content.inbox import load_inbox
from digest.content.sources import load_sources
from digest.errors import DigestError
from digest.importer.mhtml import BadMhtml, is_mhtml, read_mhtml
from digest.model import CachedPage, PageRecord
from digest.scraper.cache import Cache
from digest.scraper.extract import extract
from digest.scraper.fetch import Fetcher, FetchPolicy
from digest.scraper.run import FetchOptions, FetchReport, fetch_targets, run_fetch
from digest.summarizer.summaries import (
    PageSummaries,
    SummarizerFailed,
    page_summary,
    run_command,
    run_many,
    wants_command,
)
from digest.text.urls import normalize_url, url_problem, web_address


def fetch(
    root: Path, options: FetchOptions, on_progress: Callable[[int, int], None] | None = None
) -> FetchReport:
    """Fetch sources and curated links into the cache, then ask ``[summary] command`` about
    the new pages; ``on_progress`` hears ``(done, total)`` after each request."""
    site = load_config(root / "content" / "site.toml")
    content = load_content(root / "content", site, drafts=True)
    sources = load_sources(root / "content" / "sources.toml", site)
    inbox = load_inbox(root / "content" / "inbox.md", site)
    targets = fetch_targets(content, sources, inbox)
    with Cache(root / site.fetch.cache, readonly=options.offline) as cache:  # (offline: no writes)
        summarizer = PageSummaries(site.summary)
        report = run_fetch(site, targets, cache, summarizer, options, on_progress)
        failures = _external_summaries(report.pending, settings=site.summary, cache=cache)
    return replace(report, summary_failures=failures)


def _external_summaries(
    pages: tuple[CachedPage, ...], *, settings: SummarySettings, cache: Cache
) -> tuple[tuple[str, str], ...]:
    """Ask ``[summary] command`` about new pages; a failure keeps the extractive summary."""
    by_key = {normalize_url(p.url): p for p in pages if p.record}
    texts = [(key, p.record.text) for key, p in by_key.items() if p.record]
    failures = []
    for outcome in run_many(texts, settings):
        page = by_key[outcome.key]
        if outcome.summary is not None and page.record:
            cache.save_page(replace(page, record=replace(page.record, summary=outcome.summary)))
        else:
            failures.append((page.url, f"{outcome.error}; kept the extractive summary"))
    return tuple(failures)


def inspect(
    source: str, base_url: str | None, settings: SummarySettings, warn: Callable[[str], None]
) -> PageRecord:
    """Describe a URL, a local file or ``-`` (standard input) as a PageRecord.

    The summary follows ``settings``; when the external summariser fails, ``warn`` is told
    and the extractive summary stays.
    """
    record = _inspect(source, base_url)
    record = replace(record, summary=page_summary(record, settings))
    if wants_command(record, settings):
        try:
            record = replace(
                record, summary=run_command(settings.command, record.text, settings.timeout)
            )
        except SummarizerFailed as exc:
            warn(f"summariser failed: {exc}; kept the extractive summary")
    return record


def _inspect(source: str, base_url: str | None) -> PageRecord:
    for url in (source, base_url or ""):
        if web_address(url) and (problem := url_problem(url)):
            raise DigestError(problem)  # a port past 65535 raised from inside the fetcher
    if web_address(source):

        async def get() -> PageRecord:
            async with Fetcher(FetchPolicy(user_agent="digest-inspect/0.1")) as fetcher:
                result = await fetcher.fetch(source)
            if result.outcome not in ("ok", "redirect"):
                raise DigestError(result.error or f"{source}: {result.outcome} ({result.status})")
            return extract(
                result.body,
                url=source,
                final_url=result.final_url,
                status=result.status,
                content_type=result.content_type,
            )

        return asyncio.run(get())
    if source == "-":
        body, url = sys.stdin.buffer.read(), base_url or "stdin:"
    else:
        body, url = read_local(source)
    if is_mhtml(body):  # a page saved as one file: the page in it, from where it was saved
        try:
            page = read_mhtml(body)
        except BadMhtml as exc:
            raise DigestError(f"{source}: a page saved as one file, but {exc}") from None
        url = base_url or (page.address if web_address(page.address) else url)
        return extract(page.html, url=url, final_url=url, content_type=page.content_type)
    url = base_url or url
    return extract(body, url=url, final_url=url)
