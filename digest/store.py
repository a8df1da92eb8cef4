"""Every SQLite file the project keeps, opened one way: :class:`Store`.

    .cache/build.sqlite          what a build remembers (digest.build.cache)       a cache
    .cache/search/pages.sqlite   pages indexed for search (digest.renderer.search)  a cache
    [fetch] cache                what the scraper found (digest.scraper.cache)      a cache
    [email] send_log             who was sent which issue (digest.sender)           kept

A store is described by a :class:`Schema`: its tables, their version, what to call it in
a message, and whether it is a cache. Opening one:

- creates its folder and the file, with the schema, when they are missing;
- a cache that cannot be read (not a database, damaged) or that another version of the
  code made is deleted, with its ``-wal``, ``-shm`` and ``-journal`` files, and made anew:
  it only ever saves work, and a reset only costs that work again;
- a kept store (the send log) is never reset: a file that cannot be read is a
  :class:`DigestError` naming it, and so is one of another schema version, the file left
  as it is. Before stores had versions the send log had none (``user_version`` 0); its
  one table has not changed since, so such a file is taken as it is and given the
  version. A future change to a kept store's tables must come with code that carries
  the rows over: until then the editor sees an error, never an empty log;
- a file this user may not write is an error naming it, before any work (SQLite would
  open it read-only, and the first write fail);
- read-only: a file that is missing, unreadable or of another version reads as empty
  (nothing is written, nothing deleted: the next writer resets it);
- the version is SQLite's ``user_version``: a change to a schema's tables must change its
  version.

A connection must not cross a fork (SQLite's rule: the child would share the parent's
file locks and cache). :attr:`Store.db` notices a new process and opens the file again
there, so worker processes forked by a build never need to remember to.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from digest.errors import DigestError

# How long a statement waits for another process's write lock before it fails. Writers
# hold it for one short transaction (a build's workers write a batch each), so a long
# wait only ever happens on a very busy machine, where waiting beats failing.
BUSY_TIMEOUT = 60.0


@dataclass(frozen=True)
class Schema:
    """What a store holds: its tables' SQL, their version (never 0), what a message calls
    it, and whether it is a cache (reset when unreadable) or kept (the editor's data)."""

    sql: str
    version: int
    name: str
    cache: bool = True

    def __post_init__(self) -> None:
        if self.version < 1:  # 0 is what SQLite gives a new file
            raise ValueError(f"{self.name}: schema versions start at 1")


class Store:
    """The SQLite file at ``path`` holding ``schema``, opened as the module docstring says;
    a context manager. Subclasses add the store's reads and writes on :attr:`db`."""

    def __init__(self, path: Path, schema: Schema, *, readonly: bool = False) -> None:
        self.path, self.schema, self.readonly = path, schema, readonly
        self._db, self._memory = _open(path, schema, readonly)
        self._pid = os.getpid()
        self._inherited: list[sqlite3.Connection] = []  # a forked worker's parent's

    @property
    def db(self) -> sqlite3.Connection:
        """This process's connection: opened again in a forked worker, before its first
        use there (with no schema work: the parent did that)."""
        if self._pid != os.getpid():
            # The parent's connection is left open, never used here: closing it would
            # release file locks the parent relies on. A worker ends with os._exit.
            self._inherited.append(self._db)
            self._db = _connect(self.path, self.schema, self.readonly, memory=self._memory)
            self._pid = os.getpid()
        return self._db

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """:attr:`db` in one transaction; SQLite's failure to write (another process holds
        the file locked past the busy timeout, a full disk) an error naming the file."""
        try:
            with self.db as db:
                yield db
        except sqlite3.OperationalError as exc:
            raise DigestError(f"{self.path}: cannot write {self.schema.name} ({exc})") from exc

    def close(self) -> None:
        """Close this process's connection (a forked worker that never used one has none)."""
        if self._pid == os.getpid():
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Unusable(Exception):
    """The file is not a database, is damaged, or holds another schema version."""


def _open(path: Path, schema: Schema, readonly: bool) -> tuple[sqlite3.Connection, bool]:
    """The connection to ``path``, and whether it is an empty one in memory instead."""
    if readonly:
        try:
            return _open_readonly(path, schema), False
        except _Unusable:  # (a cache's: a kept store's is an error)
            return _connect(path, schema, readonly=True, memory=True), True
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and not os.access(path, os.W_OK):
        # SQLite would open it read-only without a word, and its first write fail, deep
        # in a fetch or a build; it is not deleted: it is not ours to take.
        raise DigestError(
            f"{path}: cannot write {schema.name}: the file is read-only to this user "
            "(make it writable, or move it away)"
        )
    try:
        return _prepare(path, schema), False
    except _Unusable:  # (a cache's: a kept store's is an error)
        reset(path)
    try:
        return _prepare(path, schema), False
    except _Unusable as exc:  # a new file: only another process can have made it so
        raise DigestError(f"{path}: cannot make {schema.name} anew") from exc


def _open_readonly(path: Path, schema: Schema) -> sqlite3.Connection:
    if not path.exists():
        raise _Unusable(path)
    with _classified(path, schema):
        db = _connect(path, schema, readonly=True)
        version = _version(db)
        if version == schema.version or (version == 0 and not schema.cache and _tables(db)):
            return db  # (a kept store of before versions: see the module docstring)
        db.close()
        if schema.cache or version == 0:
            raise _Unusable(path)
        raise _other_version(path, schema, version)


def _prepare(path: Path, schema: Schema) -> sqlite3.Connection:
    """A connection to ``path`` with ``schema`` in place; _Unusable when the file is not a
    database, is damaged, or (a cache) was made by another version."""
    with _classified(path, schema):
        db = _connect(path, schema, readonly=False)
        try:
            # WAL: a build reads while a fetch writes, readers never block the writer, and
            # a crash mid-transaction leaves the last commit intact (the next open ignores
            # the uncommitted end of the log). Persistent: set once, kept in the file.
            db.execute("PRAGMA journal_mode=WAL")
            version = _version(db)
            if version == 0:
                _create(db, schema)
            elif version != schema.version:
                if not schema.cache:
                    raise _other_version(path, schema, version)
                raise _Unusable(path)
        except BaseException:
            db.close()
            raise
        return db


@contextlib.contextmanager
def _classified(path: Path, schema: Schema) -> Iterator[None]:
    """SQLite's errors while opening, sorted: a file that is not a database or is damaged
    is _Unusable for a cache and an error naming the file for a kept store; any other
    (locked past the busy timeout, a folder that is not writable) is an error naming the
    file, and the file is never deleted for it."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF  # extended codes: the primary's
        if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            if schema.cache:
                raise _Unusable(path) from exc
            raise DigestError(
                f"{path}: {schema.name} cannot be read ({exc}); it is left as it is: restore "
                "it from a backup, or move it away to start a new one"
            ) from exc
        raise DigestError(f"{path}: cannot open {schema.name} ({exc})") from exc


def _create(db: sqlite3.Connection, schema: Schema) -> None:
    """Make the tables and set the version, in one transaction (a crash leaves a file of
    version 0, made again next time). Another process may be doing the same: the
    transaction waits for its lock, then finds the tables there (an error unless the SQL
    says IF NOT EXISTS), and the version it set is what counts."""
    try:
        db.executescript(
            f"BEGIN IMMEDIATE; {schema.sql}; PRAGMA user_version = {schema.version}; COMMIT;"
        )
    except sqlite3.OperationalError:
        if db.in_transaction:
            db.rollback()
        if _version(db) != schema.version:
            raise


def _connect(
    path: Path, schema: Schema, readonly: bool, *, memory: bool = False
) -> sqlite3.Connection:
    """A connection with this project's settings (no schema work, except in memory)."""
    if memory:  # an empty store to read: the file is missing or unreadable
        db = sqlite3.connect(":memory:")
        db.executescript(schema.sql)
        return db
    if readonly:
        # By URI: a plain path would create the file; as_uri escapes ? and # in the path.
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
    else:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
    # A cache: WAL with synchronous=NORMAL syncs at checkpoints, not at every commit. A
    # crash of the program loses nothing committed; a power cut may lose the last few
    # commits but never corrupts the file, and a cache's lost commits are only redone.
    # A kept store (the send log) syncs every commit (FULL): a recipient marked "sending"
    # must still be marked after a power cut, or the next run would send again.
    db.execute(f"PRAGMA synchronous={'NORMAL' if schema.cache else 'FULL'}")
    return db


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _tables(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def _other_version(path: Path, schema: Schema, version: int) -> DigestError:
    return DigestError(
        f"{path}: {schema.name} was written by another version of digest (schema "
        f"{version}; this one reads {schema.version}); it is left as it is"
    )


def reset(path: Path) -> None:
    """Delete the store at ``path`` and the files SQLite keeps beside it. A stale
    ``-journal`` too: left beside a new file it would be played back into it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
