"""What a build remembers between runs: one SQLite file under ``.cache/``.

Four tables. ``builds`` holds, per target folder, a digest of everything the last build
read and what it reported, so an unchanged project is recognised without loading it.
``parsed`` holds each content file as the loader read it (the entry, and apart from it
the card a build holds; see :mod:`digest.build.catalog`), by its path and bytes and the code
and site.toml that read it. ``markdown`` holds rendered Markdown by a hash of its
text, options and the renderer's version, so a template change re-renders pages without
re-parsing Markdown. ``jobs`` holds, per target folder, each job of the last build: its
key and its files with their size and mtime. A job whose key is unchanged and whose
files are still there as they were is not rendered again. The cache is only ever an
optimisation: when it is missing, unreadable or from another version, it is made anew
(:mod:`digest.store`) and the build renders everything. This module alone reads and
writes the file: the catalog and the worker processes go through :class:`BuildCache`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digest.store import Schema, Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS markdown (key TEXT PRIMARY KEY, html TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, blob BLOB NOT NULL, card BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS builds (target TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    target TEXT NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    files TEXT NOT NULL,            -- JSON [[path, size, mtime_ns], ...]
    PRIMARY KEY (target, name)
);
"""
VERSION = 4
_SCHEMA = Schema(SCHEMA, VERSION, "the build cache")
_INSERT_PARSED = "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)"
_INSERT_MARKDOWN = "INSERT OR REPLACE INTO markdown VALUES (?, ?)"

ParsedRow = tuple[str, bytes, bytes]  # a ``parsed`` row: key, entry and card (pickled)


@dataclass(frozen=True)
class JobRecord:
    """A job as the last build left it."""

    key: str
    files: tuple[tuple[str, int, int], ...]  # path, size, mtime_ns

    def intact(self, target: Path) -> bool:
        """Whether every file of the job is still in ``target`` as it was written."""
        folder = str(target)
        for path, size, mtime in self.files:
            try:
                st = os.stat(os.path.join(folder, path))
            except OSError:
                return False
            if st.st_size != size or st.st_mtime_ns != mtime:
                return False
        return True


class BuildCache(Store):
    """Open the cache at ``path`` (created when missing, made anew when unreadable or of
    another version); use as a context manager. The only code that reads or writes it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA)
        self.pending: dict[str, str] = {}
        self.parsed_new: set[str] = set()  # written already, committed by save()
        self.parsed_used: set[str] = set()

    @property
    def markdown(self) -> MutableMapping[str, str]:
        """Rendered Markdown by key; new entries are written by :meth:`save`."""
        return _MarkdownStore(self)

    @property
    def parsed(self) -> MutableMapping[str, bytes]:
        """Parsed content files by key; :meth:`save` keeps only those this build used."""
        return _ParsedStore(self)

    def jobs(self, target: Path) -> dict[str, JobRecord]:
        """The jobs of the last build into ``target``."""
        rows = self.db.execute(
            "SELECT name, key, files FROM jobs WHERE target = ?", (str(target.resolve()),)
        )
        return {
            name: JobRecord(key, tuple((p, s, m) for p, s, m in json.loads(files)))
            for name, key, files in rows
        }

    def save(
        self, target: Path, jobs: dict[str, JobRecord], previous: dict[str, JobRecord]
    ) -> None:
        """Record this build's jobs for ``target`` (only the rows that changed since
        ``previous``) and the new Markdown renders and parsed files, in one transaction."""
        where = str(target.resolve())
        with self.db:
            self.db.executemany(_INSERT_MARKDOWN, self.pending.items())
            if self.parsed_used or self.parsed_new:
                used = self.parsed_used | self.parsed_new
                stale = [
                    (k,) for (k,) in self.db.execute("SELECT key FROM parsed") if k not in used
                ]
                self.db.executemany("DELETE FROM parsed WHERE key = ?", stale)
            for (other,) in self.db.execute("SELECT DISTINCT target FROM builds").fetchall():
                if other != where and not Path(other).exists():  # digest check's, serve's
                    self.db.execute("DELETE FROM jobs WHERE target = ?", (other,))
                    self.db.execute("DELETE FROM builds WHERE target = ?", (other,))
            gone = [(where, name) for name in previous if name not in jobs]
            self.db.executemany("DELETE FROM jobs WHERE target = ? AND name = ?", gone)
            self.db.executemany(
                "INSERT OR REPLACE INTO jobs VALUES (?, ?, ?, ?)",
                [
                    (where, name, r.key, json.dumps(r.files))
                    for name, r in jobs.items()
                    if previous.get(name) != r
                ],
            )
        self.pending.clear()
        self.parsed_new.clear()

    def last_build(self, target: Path) -> dict[str, Any] | None:
        """What the last build into ``target`` read (its inputs digest) and reported."""
        row = self.db.execute(
            "SELECT data FROM builds WHERE target = ?", (str(target.resolve()),)
        ).fetchone()
        return dict(json.loads(row[0])) if row else None

    def save_build(self, target: Path, data: dict[str, Any]) -> None:
        """Remember this build's inputs digest and report for ``target``."""
        with self.db:
            row = (str(target.resolve()), json.dumps(data, ensure_ascii=False))
            self.db.execute("INSERT OR REPLACE INTO builds VALUES (?, ?)", row)

    def parsed_present(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` the ``parsed`` table has a row for."""
        return {key for (key,) in self._parsed_rows("key", keys)}

    def parsed_cards(self, keys: Sequence[str]) -> Iterator[tuple[str, bytes]]:
        """The card (pickled) of each of ``keys`` the ``parsed`` table has, with its key."""
        for key, card in self._parsed_rows("key, card", keys):
            yield key, bytes(card)

    def _parsed_rows(self, columns: str, keys: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        # A few hundred keys a query: SQLite limits a statement's parameters.
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            marks = ",".join("?" * len(batch))
            yield from self.db.execute(
                f"SELECT {columns} FROM parsed WHERE key IN ({marks})", batch
            )

    def add_parsed(self, row: ParsedRow) -> None:
        """Write a file this process read; it is committed by :meth:`save` (which keeps it
        whether or not this build shows it)."""
        self.db.execute(_INSERT_PARSED, row)
        self.parsed_new.add(row[0])

    def write_parsed(self, rows: Iterable[ParsedRow], markdown: Iterable[tuple[str, str]]) -> None:
        """Write what a worker process read (the files, the Markdown it rendered for them)
        and commit it at once: one short transaction, as SQLite has one writer at a time.
        The parent notes the keys as used when it loads them."""
        with self.db:
            self.db.executemany(_INSERT_PARSED, rows)
            self.db.executemany(_INSERT_MARKDOWN, markdown)

    def forget(self, target: Path) -> None:
        """Drop what is known about ``target`` (its files are no longer trusted)."""
        with contextlib.suppress(sqlite3.Error), self.db:
            self.db.execute("DELETE FROM jobs WHERE target = ?", (str(target.resolve()),))
            self.db.execute("DELETE FROM builds WHERE target = ?", (str(target.resolve()),))


class _MarkdownStore(MutableMapping[str, str]):
    """The ``markdown`` table as a mapping: reads go to SQLite, writes wait for ``save``."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache

    def __getitem__(self, key: str) -> str:
        found = self.cache.pending.get(key)
        if found is not None:
            return found
        row = self.cache.db.execute("SELECT html FROM markdown WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0])

    def __setitem__(self, key: str, html: str) -> None:
        self.cache.pending[key] = html

    def __delitem__(self, key: str) -> None:
        raise TypeError("the Markdown cache only grows")

    def __iter__(self) -> Iterator[str]:
        return iter(self.cache.pending)

    def __len__(self) -> int:
        return len(self.cache.pending)


class _ParsedStore(MutableMapping[str, bytes]):
    """The entries of the ``parsed`` table as a mapping, read-only: rows are written whole
    (entry and card) by :meth:`BuildCache.add_parsed` and :meth:`BuildCache.write_parsed`."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache

    def __getitem__(self, key: str) -> bytes:
        row = self.cache.db.execute("SELECT blob FROM parsed WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        self.cache.parsed_used.add(key)
        return bytes(row[0])

    def __setitem__(self, key: str, blob: bytes) -> None:
        raise TypeError("rows are written whole by BuildCache.add_parsed")

    def __delitem__(self, key: str) -> None:
        raise TypeError("stale entries are dropped by BuildCache.save")

    def __iter__(self) -> Iterator[str]:
        return iter(self.cache.parsed_new)

    def __len__(self) -> int:
        return len(self.cache.parsed_new)
