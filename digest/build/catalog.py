"""The build's view of ``content/``: a card per issue and post, the entries left in the cache.

A big archive's parsed content is several times the size of its files, and every worker
process of a build would inherit it. So a build holds cards (:class:`Card`: what
listings, links and job keys need) and loads an entry only for the outputs that show it.
Each content file is parsed once per version: the parse and its card are kept in the
build cache under the file's key (the reading code, site.toml, the path, the bytes). When
many files are new (a cold build), worker processes parse them, render their Markdown and
write all of it to the cache themselves; the parent only gets the cards back.

Problems are found and reported as :func:`digest.content.load_content` reports them: a
file a worker found a problem in is read again here, in order, so every message is the
same as in a one-process load.
"""

from __future__ import annotations

import json
import multiprocessing
import pickle
import sys
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from digest.build import parallel
from digest.build.cache import BuildCache, ParsedRow
from digest.build.inputs import code_version
from digest.build.session import Session
from digest.config import SiteConfig
from digest.content.loader import (
    ContentFile,
    Parsed,
    Registry,
    content_files,
    file_key,
    parse_file,
    reading_salt,
    signature,
)
from digest.content.tags import TagIndex
from digest.errors import Problems
from digest.model import CachedPage, Entry, Issue, Post, Tag
from digest.renderer.documents import Card, Catalog, card_of, markdown_fragments
from digest.renderer.markdown import markdown_key, render_markdown
from digest.summarizer.fill import fill_issue, fill_print

parsed_elsewhere = 0  # files the last load had workers parse (for tests)


@dataclass(frozen=True)
class Known:
    """What the cache holds of one version of a content file, besides the entry.

    The card's tags, and the tags the file asked for, are kept packed in one string each:
    a cold archive's cards are read all at once, and thousands of small objects per
    file, most of them dropped at once, would leave the build's memory fragmented (and
    every worker would inherit that)."""

    card: Card  # with no tags: see :meth:`with_tags`
    tags: str  # the card's tags, packed
    uses: str  # the tags the file asked for (name, line, slug), packed
    assets: tuple[tuple[Path, tuple[int, ...]], ...]  # its images and their stats
    line: int | None  # the line of its number (an issue) or slug (a post)
    slug: str  # a post's ("" for an issue)

    def current(self) -> bool:
        """Whether its images are as they were when it was read."""
        return all(signature(path) == stat for path, stat in self.assets)

    def with_tags(self, shared: dict[tuple[str, str], Tag]) -> Card:
        """The card with its tags, the same objects as other cards' (by ``shared``)."""
        tags = []
        for name, slug in _unpack(self.tags):
            tag = shared.get((name, slug))
            if tag is None:
                tag = shared[(name, slug)] = Tag(name, slug)
            tags.append(tag)
        return replace(self.card, tags=tuple(tags), kind=sys.intern(self.card.kind))

    def replay(self) -> list[tuple[str, int | None, str]]:
        """The tags the file asked for: name, line, slug."""
        return [(name, line, slug) for name, line, slug in _unpack(self.uses)]


def _pack(rows: Iterable[tuple[object, ...]]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, separators=(",", ":"))


def _unpack(packed: str) -> list[list[Any]]:
    return list(json.loads(packed))


@dataclass(frozen=True)
class Reading:
    """How a build reads ``content/``."""

    drafts: bool = False  # draft issues and posts are shown too
    quick: bool = False  # an unchanged stat means unchanged bytes (the preview's own folder)
    fork: bool = False  # new files may be parsed in worker processes…
    min_jobs: int = parallel.MIN_JOBS  # …when there are at least four times this many
    progress: parallel.Progress | None = None  # told how many are done ("reading")


def load_catalog(
    root: Path,
    site: SiteConfig,
    cache: BuildCache,
    pages: Mapping[str, CachedPage],
    reading: Reading,
    session: Session,
) -> tuple[Catalog, tuple[str, ...]]:
    """Every issue and post under ``root/content`` as a catalog, with the warnings about
    draft notes left in published issues; raise ContentError listing all problems found.

    ``pages`` (the scrape cache) fills empty item titles and summaries. A quick reading
    (the preview) remembers in ``session`` what it read for the next; a command's keeps
    nothing: every record held until the end of the load would leave memory fragmented
    once dropped, for each worker to inherit (20 MB at 7,500 files).
    """
    session.trim()
    memo = session.known if reading.quick else None
    content_dir = root / "content"
    files = content_files(content_dir)
    salt = reading_salt(site, code_version())  # once: site.toml's repr costs 28 µs
    keys = [file_key(f.path, salt, session.stats if reading.quick else None) for f in files]
    global parsed_elsewhere
    parsed_elsewhere = 0
    min_files = 4 * reading.min_jobs
    if reading.fork and len(files) >= min_files and parallel.workers() >= 2:
        there = _present(cache, keys, memo)
        todo = [(file, key) for file, key in zip(files, keys, strict=True) if key not in there]
        if len(todo) >= min_files:
            parsed_elsewhere = _parse_elsewhere(cache, site, content_dir, todo, reading.progress)
    reader = _Reader(cache, site, content_dir, session, memo)
    cards = reader.cards(files, keys, made=session.cards if reading.quick else None)
    shown = [_filled(card, pages) for card in cards if reading.drafts or not card.draft]
    shown.sort(key=lambda c: (c.date, c.url), reverse=True)
    cache.parsed_used.update(keys)
    by_source = dict(zip((f.path for f in files), keys, strict=True))

    def load(card: Card) -> Entry:
        key = by_source[card.source]
        entry = session.entries.get(key)
        if entry is None:
            entry = pickle.loads(cache.parsed[key])
        session.remember_entry(key, entry)
        return fill_issue(entry, pages) if isinstance(entry, Issue) else entry

    issues = sorted((c for c in shown if c.kind == "issue"), key=lambda c: c.number)
    notes = tuple(note for card in issues for note in card.notes)
    return Catalog(tuple(shown), load), notes


class _Reader:
    """Reads the cards of a build's content files: from the cache when it knows them, else
    by parsing them here (new files, or files with a problem to report in order)."""

    def __init__(
        self,
        cache: BuildCache,
        site: SiteConfig,
        content_dir: Path,
        session: Session,
        memo: dict[str, Known] | None,
    ) -> None:
        self.cache, self.site, self.content_dir = cache, site, content_dir
        self.session, self.memo = session, memo
        self.problems = Problems()
        self.tags = TagIndex(site.tag_slugs, self.problems)

    def cards(
        self,
        files: list[ContentFile],
        keys: list[str],
        made: dict[str, tuple[Known, Card]] | None,
    ) -> list[Card]:
        """The card of each file, in order, with tags shared between cards; ``made``
        keeps them for the next quick reading. Raise ContentError with every problem."""
        seen = Registry(self.problems)
        shared: dict[tuple[str, str], Tag] = {}  # an archive's cards hold a few hundred tags
        cards: list[Card] = []
        known: dict[str, Known] = {}
        for i, (file, key) in enumerate(zip(files, keys, strict=True)):
            if i % 500 == 0:  # read in batches: they are bigger than the cards kept
                known = _read_known(self.cache, keys[i : i + 500], self.memo)
            found = known.get(key)
            if found is not None:
                for name, line, slug in found.replay():
                    self.tags.tag(name, file.path, line, slug)
            else:
                found = self._parse(file, key)
                if found is None:
                    continue
            ready = made.get(key) if made is not None else None
            card = ready[1] if ready is not None and ready[0] is found else found.with_tags(shared)
            if made is not None:
                made[key] = (found, card)
            if card.kind == "issue":
                new = seen.add_issue(card.number, card.source, found.line)
            else:
                new = seen.add_post(found.slug, card.source, found.line, card.date)
            if new:
                cards.append(card)
        self.problems.raise_if_any()
        return cards

    def _parse(self, file: ContentFile, key: str) -> Known | None:
        """Read ``file`` here, with the build's tags, and cache it (and note it in the
        memo) unless it has a problem of its own (recorded, like a clash of its tags with
        others'); None when it has a fatal one."""
        parsed = parse_file(file, self.site, self.tags, self.content_dir, self.problems, key)
        if parsed is None:
            return None
        known = _known(parsed, self.site, self.cache.markdown)
        if parsed.clean:
            self.cache.add_parsed(_row(key, parsed, known))
            if self.memo is not None:
                self.memo[key] = known
            self.session.remember_entry(key, parsed.entry)
        return known


def _filled(card: Card, pages: Mapping[str, CachedPage]) -> Card:
    """``card`` with the fingerprint its entry has once the scrape cache filled it."""
    if not card.links:
        return card
    fingerprint = fill_print(card.fingerprint, card.links, pages)
    if fingerprint == card.fingerprint:
        return card
    return replace(card, fingerprint=fingerprint)


def _present(cache: BuildCache, keys: Sequence[str], memo: dict[str, Known] | None) -> set[str]:
    """Which of ``keys`` the cache (or ``memo``) has a row for."""
    found = {key for key in keys if key in memo} if memo else set()
    found.update(cache.parsed_present([key for key in keys if key not in found]))
    return found


def _read_known(
    cache: BuildCache, keys: Sequence[str], memo: dict[str, Known] | None
) -> dict[str, Known]:
    """What the cache (``memo`` first, noting there what it reads) knows of ``keys``,
    when still current."""
    found = {key: memo[key] for key in keys if key in memo} if memo else {}
    for key, blob in cache.parsed_cards([key for key in keys if key not in found]):
        try:
            found[key] = pickle.loads(blob)
        except Exception:  # a damaged row is only a cache miss
            continue
        if memo is not None:
            memo[key] = found[key]
    return {key: known for key, known in found.items() if known.current()}


def _known(parsed: Parsed, site: SiteConfig, markdown: MutableMapping[str, str]) -> Known:
    entry = parsed.entry
    card = card_of(entry, site, markdown)
    assets = tuple((a.source, signature(a.source)) for a in entry.assets)
    slug = entry.slug if isinstance(entry, Post) else ""
    tags = _pack((tag.name, tag.slug) for tag in card.tags)
    bare = replace(card, tags=())
    return Known(bare, tags, _pack(parsed.uses), assets, parsed.line, slug)


def _row(key: str, parsed: Parsed, known: Known) -> ParsedRow:
    return key, pickle.dumps(parsed.entry, protocol=5), pickle.dumps(known, protocol=5)


_job: tuple[BuildCache | None, SiteConfig | None, Path] = (None, None, Path())


def _parse_elsewhere(
    cache: BuildCache,
    site: SiteConfig,
    content_dir: Path,
    todo: list[tuple[ContentFile, str]],
    progress: parallel.Progress | None = None,
) -> int:
    """Parse ``todo`` in worker processes, each writing what it read (parse, card, the
    Markdown it rendered) to the cache and committing it; files with a problem are left
    out, for :meth:`_Reader._parse` to read again and report. How many files were stored."""
    global _job
    _job = (cache, site, content_dir)
    count = parallel.workers()
    context = multiprocessing.get_context("fork")
    chunks = parallel.split(todo, count * 16)
    stored = done = 0
    try:
        with ProcessPoolExecutor(count, mp_context=context) as pool:
            for chunk, kept in zip(chunks, pool.map(_parse_chunk, chunks), strict=True):
                stored, done = stored + kept, done + len(chunk)
                if progress is not None:
                    progress("reading", done, len(todo))
    except Exception:  # what the workers did not store is read here
        pass
    finally:
        _job = (None, None, Path())
    return stored


def _parse_chunk(chunk: list[tuple[ContentFile, str]]) -> int:
    cache, site, content_dir = _job
    assert cache is not None and site is not None
    rendered: dict[str, str] = {}
    rows = []
    for file, key in chunk:
        local = Problems()
        tags = TagIndex(site.tag_slugs, local)  # a clash is found again in the parent
        parsed = parse_file(file, site, tags, content_dir, local, key)
        if parsed is None or local.items:
            continue
        for text, base, prefix in markdown_fragments(parsed.entry, site.base_path):
            fragment = markdown_key(text, base, prefix)
            if fragment not in rendered:
                rendered[fragment] = render_markdown(text, base=base, id_prefix=prefix)
        rows.append(_row(key, parsed, _known(parsed, site, rendered)))
    cache.write_parsed(rows, rendered.items())  # at the end, in one transaction
    return len(rows)
