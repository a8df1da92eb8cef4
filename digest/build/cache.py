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
optimisation: when it is missing, unreadable or from another version, the build renders
everything.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


class BuildCache:
    """Open the cache at ``path`` (created when missing); use as a context manager."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = self._open(path)
        self.pending: dict[str, str] = {}
        self.parsed_new: set[str] = set()  # written already, committed by save()
        self.parsed_used: set[str] = set()

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        for _ in range(2):
            db = sqlite3.connect(path, timeout=30)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                if db.execute("PRAGMA user_version").fetchone()[0] != VERSION:
                    db.executescript(
                        "DROP TABLE IF EXISTS markdown; DROP TABLE IF EXISTS jobs;"
                        "DROP TABLE IF EXISTS parsed; DROP TABLE IF EXISTS builds;"
                    )
                    db.execute(f"PRAGMA user_version = {VERSION}")
                db.executescript(SCHEMA)
                return db
            except sqlite3.DatabaseError:  # not a database, or damaged: start again
                db.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise sqlite3.DatabaseError(f"{path}: cannot create the build cache")

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

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
            self.db.executemany(
                "INSERT OR REPLACE INTO markdown VALUES (?, ?)", self.pending.items()
            )
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
    """The entries of the ``parsed`` table as a mapping, read-only: the catalog writes
    whole rows (entry and card) itself, and notes in ``parsed_new`` those it wrote."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache

    def __getitem__(self, key: str) -> bytes:
        row = self.cache.db.execute("SELECT blob FROM parsed WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        self.cache.parsed_used.add(key)
        return bytes(row[0])

    def __setitem__(self, key: str, blob: bytes) -> None:
        raise TypeError("rows are written whole by digest.build.catalog")

    def __delitem__(self, key: str) -> None:
        raise TypeError("stale entries are dropped by BuildCache.save")

    def __iter__(self) -> Iterator[str]:
        return iter(self.cache.parsed_new)

    def __len__(self) -> int:
        return len(self.cache.parsed_new)
