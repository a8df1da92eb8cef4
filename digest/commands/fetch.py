"""What ``digest fetch`` and ``digest inspect`` do, minus the argument parsing."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from digest.config import SummarySettings, load_config
from digest.content import load_content
from digest.content.inbox import load_inbox
from digest.content.sources import load_sources
from digest.errors import DigestError
from digest.model import CachedPage, PageRecord
from digest.scraper.cache import Cache
from digest.scraper.extract import extract
from digest.scraper.fetch import Fetcher, FetchPolicy
from digest.scraper.run import FetchReport, run_fetch
from digest.summarizer.summaries import (
    PageSummaries,
    SummarizerFailed,
    page_summary,
    run_command,
    run_many,
    wants_command,
)
from digest.text.urls import normalize_url


def fetch(
    root: Path,
    *,
    offline: bool,
    refresh: bool,
    public_only: bool,
    out: Console,
    err: Console,
    quiet: bool = False,
) -> FetchReport:
    """Fetch sources and curated links into the cache; print progress and a summary."""
    site = load_config(root / "content" / "site.toml")
    content = load_content(root / "content", site, drafts=True)
    sources = load_sources(root / "content" / "sources.toml", site)
    inbox = load_inbox(root / "content" / "inbox.md", site)
    with (
        Cache(root / site.fetch.cache) as cache,
        Progress(
            TextColumn("fetching"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=True,
            disable=quiet,
        ) as progress,
    ):
        task = progress.add_task("fetch", total=None)
        report = run_fetch(
            site,
            content,
            sources,
            cache,
            PageSummaries(site.summary),
            offline=offline,
            refresh=refresh,
            public_only=public_only,
            inbox=[(entry.url, entry.where) for entry in inbox],
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
        failures = _external_summaries(report.pending, settings=site.summary, cache=cache)
        report = replace(report, summary_failures=failures)
    print_report(report, out, quiet=quiet)
    return report


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


def print_report(report: FetchReport, out: Console, *, quiet: bool = False) -> None:
    """A table of every link or feed with a problem, then one summary line."""
    problems = report.problems
    rows = [
        (str(getattr(p, "where", "content/sources.toml")), p.url, p.outcome, p.detail)
        for p in problems
    ]
    if rows and out.is_terminal:
        table = Table(title="links and feeds that need a look")
        for column in ("where", "url", "outcome", "detail"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        out.print(table)
    else:  # logs (CI) get one greppable line per problem, like a compiler's
        for where, url, outcome, detail in rows:
            out.print(
                f"{where}: {outcome}: {url} ({detail})",
                soft_wrap=True,
                markup=False,
                highlight=False,
            )
    new = sum(f.new_entries for f in report.feeds)
    summary = (
        f"{len(report.links)} links, {len(report.feeds)} feeds: {report.requests} requests "
        f"in {report.seconds:.2f} s, {report.writes} cache updates, {new} new feed entries, "
        f"{len(problems)} problems"
    )
    for url, why in report.summary_failures:
        out.print(
            f"summariser failed for {url}: {why}", soft_wrap=True, markup=False, highlight=False
        )
    if not quiet:
        out.print(summary, soft_wrap=True, markup=False, highlight=False)


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
    if source.startswith(("http://", "https://")):

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
        path = Path(source)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise DigestError(f"{source}: cannot read ({exc.strerror})") from exc
        url = base_url or path.resolve().as_uri()
    return extract(body, url=url, final_url=url)
