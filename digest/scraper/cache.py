"""The scrape cache: one SQLite file, keyed by normalised URL.

Every write is its own transaction, so a crash mid-fetch leaves the previous state
intact; WAL mode lets a build read while a fetch writes (:mod:`digest.store`). A 304
writes nothing, and a 200 whose record is unchanged writes nothing either, so an
unchanged second fetch leaves the file as it was.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from digest.model import CachedFeed, CachedPage, Candidate, PageRecord
from digest.store import Schema, Store
from digest.text.urls import normalize_url

SCHEMA_VERSION = 1
_TABLES = """
CREATE TABLE IF NOT EXISTS pages (
    key TEXT PRIMARY KEY,           -- normalize_url(url)
    url TEXT NOT NULL,
    outcome TEXT NOT NULL,          -- ok, redirect, gone, error
    status INTEGER,
    error TEXT,
    moved_to TEXT,
    etag TEXT,
    last_modified TEXT,
    record TEXT,                    -- PageRecord as JSON, kept from the last good fetch
    checked_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
    key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    etag TEXT,
    last_modified TEXT,
    title TEXT,
    checked_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,           -- normalize_url(link): one candidate per page
    link TEXT NOT NULL,
    feed TEXT NOT NULL,
    title TEXT,
    summary TEXT,                   -- sanitised HTML
    published TEXT,
    section TEXT,
    tags TEXT NOT NULL,             -- JSON list
    first_seen REAL NOT NULL
);
"""
_SCHEMA = Schema(_TABLES, SCHEMA_VERSION, "the scrape cache")


class Cache(Store):
    """Open (or create) the cache at ``path``; use as a context manager. Read-only, a
    missing or unreadable cache reads as empty; to write, an unreadable one (or one of
    another schema version) is made anew (see :mod:`digest.store`)."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        super().__init__(path, _SCHEMA, readonly=readonly)

    # pages -------------------------------------------------------------------------------

    def page(self, url: str, *, with_record: bool = True) -> CachedPage | None:
        """The cached state of ``url`` (any spelling of it), or None.

        ``with_record=False`` skips decoding the stored record (state and validators only).
        """
        row = self.db.execute(
            "SELECT url, outcome, status, error, moved_to, etag, last_modified, "
            f"{'record' if with_record else 'NULL'}, checked_at FROM pages WHERE key = ?",
            (normalize_url(url),),
        ).fetchone()
        if row is None:
            return None
        url, outcome, status, error, moved_to, etag, last_modified, stored, checked_at = row
        record = _record(stored) if stored else None
        if stored and record is None:
            return None  # a row damaged outside digest: not cached, fetched again
        return CachedPage(
            url, outcome, status, error, moved_to, etag, last_modified, record, checked_at
        )

    def save_page(self, page: CachedPage) -> bool:
        """Store ``page`` unless nothing but the time changed; True if a row was written."""
        old = self.page(page.url)
        if old is not None and _same(old, page):
            return False
        record = json.dumps(page.record.to_json(), ensure_ascii=False) if page.record else None
        with self.writing() as db:
            db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    normalize_url(page.url),
                    page.url,
                    page.outcome,
                    page.status,
                    page.error,
                    page.moved_to,
                    page.etag,
                    page.last_modified,
                    record,
                    page.checked_at,
                ),
            )
        return True

    def records(self) -> dict[str, CachedPage]:
        """Every cached page by normalised URL (what a build reads)."""
        keys = [r[0] for r in self.db.execute("SELECT key FROM pages ORDER BY key")]
        return {key: page for key in keys if (page := self.page(key)) is not None}

    # feeds -------------------------------------------------------------------------------

    def feed(self, url: str) -> CachedFeed | None:
        """The validators and last outcome of a watched feed."""
        row = self.db.execute(
            "SELECT url, outcome, status, error, etag, last_modified, title FROM feeds "
            "WHERE key = ?",
            (normalize_url(url),),
        ).fetchone()
        return CachedFeed(*row) if row else None

    def save_feed(self, feed: CachedFeed) -> bool:
        """Store a feed's new validators and outcome unless they are unchanged."""
        if self.feed(feed.url) == feed:
            return False
        with self.writing() as db:
            db.execute(
                "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    normalize_url(feed.url),
                    feed.url,
                    feed.outcome,
                    feed.status,
                    feed.error,
                    feed.etag,
                    feed.last_modified,
                    feed.title,
                    time.time(),
                ),
            )
        return True

    def add_candidates(self, candidates: Iterable[Candidate]) -> int:
        """Add new feed entries, each page once; return how many were new."""
        with self.writing() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        normalize_url(c.link),
                        c.link,
                        c.feed,
                        c.title,
                        c.summary,
                        c.published,
                        c.section,
                        json.dumps(list(c.tags), ensure_ascii=False),
                        c.first_seen,
                    )
                    for c in candidates
                ],
            )
            return db.total_changes - before

    def candidates(self) -> list[Candidate]:
        """Every feed entry collected so far, newest first."""
        rows = self.db.execute(
            "SELECT link, feed, title, summary, published, section, tags, first_seen "
            "FROM entries ORDER BY first_seen DESC, key"
        ).fetchall()
        return [
            Candidate(link, feed, title, summary, published, section, tuple(json.loads(tags)), seen)
            for link, feed, title, summary, published, section, tags, seen in rows
        ]


def _record(stored: str) -> PageRecord | None:
    """The record a row stores, or None when it cannot be read back (the file edited or
    damaged by hand): a cache's row is worth a fetch, never a command's crash."""
    try:
        data = json.loads(stored)
        return PageRecord.from_json(data) if isinstance(data, dict) else None
    except (ValueError, TypeError):  # bad JSON; a key of the wrong type in the record
        return None


def _same(old: CachedPage, new: CachedPage) -> bool:
    """Equal but for the URL's spelling (same key) and the time of the check."""
    return replace(old, url=new.url, checked_at=new.checked_at) == new
