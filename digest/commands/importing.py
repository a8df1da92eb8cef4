"""``digest import``: an archive (a WordPress export, a feed, single pages) into content/.

Thin: the scraper reads feeds and pages and downloads images, the importer plans and
writes the files (never over the editor's work, see ``digest/importer/store.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from digest.commands.local import read_local
from digest.commands.saved_pages import NOT_PAGES, image_file, saved_page, saved_pages_in
from digest.config import SiteConfig, load_config
from digest.content import load_content
from digest.errors import DigestError
from digest.importer.documents import ImportOptions, Known, plan
from digest.importer.store import ImportStore
from digest.importer.wxr import read_export
from digest.model.imports import ImportOutcome, SkippedEntry, SourceEntry
from digest.scraper.article import feed_entries, page_entry
from digest.scraper.decode import decode_body
from digest.scraper.extract import media_type, sniff_kind
from digest.scraper.fetch import FetchResult, fetch_all
from digest.scraper.run import policy_for
from digest.text.urls import web_address


@dataclass(frozen=True)
class ImportReport:
    """What an import did: a file per entry, what was skipped, and problems of the
    sources themselves (a broken feed, a page that could not be fetched)."""

    outcomes: tuple[ImportOutcome, ...]
    skipped: tuple[SkippedEntry, ...]
    problems: tuple[str, ...] = ()
    comments: int = 0  # dropped


def import_wordpress(
    root: Path, export: Path, options: ImportOptions, *, pages: bool = False
) -> ImportReport:
    """``digest import wordpress EXPORT.xml``."""
    site = load_config(root / "content" / "site.toml")
    read = read_export(export, lambda data: decode_body(data).text, pages=pages)
    report = _import(root, site, read.entries, options)
    return ImportReport(
        report.outcomes, read.skipped + report.skipped, report.problems, read.comments
    )


def import_feed(root: Path, source: str, options: ImportOptions) -> ImportReport:
    """``digest import feed URL|FILE``."""
    site = load_config(root / "content" / "site.toml")
    if web_address(source):
        result = fetch_all([source], policy_for(site))[source]
        body, url, content_type = _body(result), result.final_url, result.content_type
    else:
        (body, url), content_type = read_local(source), None
    entries, problem = feed_entries(body, url=url, content_type=content_type)
    if not entries and problem:
        raise DigestError(problem)
    report = _import(root, site, entries, options)
    extra = (problem,) if problem else ()
    return ImportReport(report.outcomes, report.skipped, extra + report.problems)


def import_urls(root: Path, sources: list[str], options: ImportOptions) -> ImportReport:
    """``digest import url URL|FILE|FOLDER…``: each page's article as a post, fetched, or
    read from the file a browser saved it to (:func:`saved_page`); a folder gives the saved
    pages in it (:func:`saved_pages_in`)."""
    site = load_config(root / "content" / "site.toml")
    sources = [page for source in sources for page in saved_pages_in(source)]
    urls = [s for s in sources if web_address(s)]
    results = fetch_all(urls, policy_for(site)) if urls else {}
    entries, problems = [], []
    carried: dict[str, bytes] = {}  # the images saved pages hold: URL -> bytes
    for source in dict.fromkeys(sources):  # each once, in the order given
        if source in results:
            found = _fetched_page(source, results[source])
        else:
            found = saved_page(source, carried)
        if isinstance(found, str):
            problems.append(found)
        else:
            entries.append(found)
    options = replace(options, carried=frozenset(carried))
    report = _import(root, site, entries, options, carried)
    return ImportReport(report.outcomes, report.skipped, tuple(problems) + report.problems)


def _fetched_page(url: str, result: FetchResult) -> SourceEntry | str:
    """The article of a fetched page, or why there is none."""
    if result.outcome not in ("ok", "redirect"):
        return result.error or f"{url}: {result.outcome} ({result.status})"
    if (kind := _kind(result)) != "html":
        why = f"{url}: {NOT_PAGES.get(kind, 'a file')}, not a web page"
        return why + (f" (digest import feed {url} imports its entries)" if kind == "feed" else "")
    return page_entry(
        result.body, url=url, final_url=result.final_url, content_type=result.content_type
    )


def _body(result: FetchResult) -> bytes:
    if result.outcome not in ("ok", "redirect"):
        raise DigestError(result.error or f"{result.url}: {result.outcome} ({result.status})")
    return result.body


def _import(
    root: Path,
    site: SiteConfig,
    entries: tuple[SourceEntry, ...] | list[SourceEntry],
    options: ImportOptions,
    carried: dict[str, bytes] | None = None,
) -> ImportReport:
    """Plan the files against what content/ holds, fetch the images (but those saved
    pages carry, ``carried``: URL -> bytes), write."""
    content = load_content(root / "content", site, drafts=True)
    known = Known(
        issues={i.number: _relative(i.source, root) for i in content.issues},
        posts={p.slug: _relative(p.source, root) for p in content.posts},
        tags=tuple(t.name for e in content.entries() for t in e.tags),
    )
    planned, skipped = plan(entries, site, options, known)
    store = ImportStore(root)
    wanted = [i.url for i in store.missing_images(planned)]
    carried = carried or {}
    kept = [url for url in wanted if url in carried or url.startswith("file:")]
    web = [url for url in wanted if url not in kept]
    fetched = fetch_all(web, policy_for(site)) if web else {}
    images = {url: _image(result) for url, result in fetched.items()}
    images |= {url: image_file(url, carried) for url in kept}
    outcomes = store.apply(planned, images)
    return ImportReport(tuple(outcomes), tuple(skipped))


def _kind(result: FetchResult) -> str:
    """What a fetched body is: html, feed, pdf, image or other (``sniff_kind``)."""
    return sniff_kind(result.body, media_type(result.content_type)[0])


def _image(result: FetchResult) -> bytes | str:
    """A downloaded image's bytes, or why there are none: the fetch failed, or the answer
    is a page (a soft 404, a hotlink guard's notice) or nothing, which saved as the image
    would take the place of its URL in the post."""
    if result.outcome not in ("ok", "redirect"):
        return result.error or result.outcome
    if not result.body or _kind(result) in ("html", "feed", "pdf"):
        mime = (result.content_type or "no type").partition(";")[0].strip()
        return f"not an image: {mime}, {len(result.body):,} bytes"
    return result.body


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
