"""The SQLite stores (digest.store): caches made anew when unreadable or of another
version, the send log never; read-only opens; a crash mid-write; forked workers."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.build import pipeline
from digest.build.cache import VERSION, BuildCache
from digest.cli import main
from digest.errors import DigestError
from digest.model import CachedPage
from digest.renderer import search
from digest.scraper.cache import SCHEMA_VERSION, Cache
from digest.sender import SendLog
from digest.store import Schema, Store
from tests.conftest import ROOT, copy_project, snapshot
from tests.httpd import serve

GARBAGE = b"this is not a database, it was a disk error " * 200


def damaged(path: Path) -> None:
    """A real SQLite file whose first page (the schema) is overwritten past its header:
    the header reads, the first query does not."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
        db.executemany("INSERT INTO t VALUES (?)", [(str(i) * 50,) for i in range(500)])
    db.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xa5" * (4096 - 100)
    path.write_bytes(bytes(data))


def garbage(path: Path) -> None:
    path.write_bytes(GARBAGE)


BROKEN: list[Callable[[Path], None]] = [garbage, damaged]


def version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        found = int(db.execute("PRAGMA user_version").fetchone()[0])
    db.close()
    return found


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        found = int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    db.close()
    return found


SCHEMA = Schema("CREATE TABLE notes (text TEXT NOT NULL)", 1, "the test store")


# caches: made anew ---------------------------------------------------------------------


@pytest.mark.parametrize("breaks", BROKEN, ids=lambda f: f.__name__)
def test_unreadable_caches_are_made_anew_and_the_site_is_the_same(
    tmp_path: Path, sample_site: Path, breaks: Callable[[Path], None]
) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    cache = project / ".cache"
    stores = [cache / "build.sqlite", cache / "search" / "pages.sqlite", cache / "digest.sqlite"]
    for path in stores:
        path.parent.mkdir(parents=True, exist_ok=True)
        breaks(path)
    (cache / "build.sqlite-wal").write_bytes(GARBAGE)  # a stale log beside it goes too
    scrape = stores[2].read_bytes()
    pipeline.build(project)
    assert snapshot(project / "site") == snapshot(sample_site)
    assert version(stores[0]) == VERSION and count(stores[0], "jobs") > 0
    assert version(stores[1]) == search.VERSION and count(stores[1], "pages") == 6
    # The build only reads the scrape cache: it read as empty and is left to `digest fetch`.
    assert stores[2].read_bytes() == scrape
    again = pipeline.build(project)
    assert again.files == again.unchanged  # the new cache is used


def test_fetch_makes_an_unreadable_scrape_cache_anew(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = "<html><head><title>抓到的标题</title></head><body><p>正文。</p></body></html>".encode()
    with serve({"/a": lambda h: h.reply(200, page, "text/html; charset=utf-8")}) as server:
        (minimal / "content" / "issues" / "002.md").write_text(
            f"---\nnumber: 2\ntitle: 二\ndate: 2026-01-09\n---\n\n## 一周文章精粹\n\n"
            f"### {server.url('/a')}\n",
            encoding="utf-8",
        )
        path = minimal / ".cache" / "digest.sqlite"
        path.parent.mkdir()
        garbage(path)
        monkeypatch.chdir(minimal)
        fetched = CliRunner().invoke(main, ["fetch"])
        assert fetched.exit_code == 0, fetched.output
    assert version(path) == SCHEMA_VERSION
    with Cache(path, readonly=True) as cache:
        found = cache.page(server.url("/a"))
    assert found is not None and found.outcome == "ok"
    built = CliRunner().invoke(main, ["build"])
    assert built.exit_code == 0, built.output
    assert "抓到的标题" in (minimal / "site" / "issues" / "2" / "index.html").read_text("utf-8")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes every file")
def test_a_read_only_store_is_an_error_naming_it_before_any_work(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite opens a file it may not write read-only without a word, and the first write
    # failed deep in a fetch or a build: "internal error: OperationalError: attempt to
    # write a readonly database".
    monkeypatch.chdir(minimal)
    assert CliRunner().invoke(main, ["build", "-q"]).exit_code == 0
    scrape = minimal / ".cache" / "digest.sqlite"
    with Cache(scrape):
        pass
    with (minimal / "content" / "issues" / "001.md").open("a", encoding="utf-8") as issue:
        issue.write("\n又写了一段。\n")
    for path in (scrape, minimal / ".cache" / "build.sqlite"):
        path.chmod(0o444)
    before = snapshot(minimal)
    with pytest.raises(DigestError, match=r"digest\.sqlite: cannot write the scrape cache"):
        Cache(scrape)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(".cache/build.sqlite: cannot write the build cache: ")
    assert "read-only" in result.output
    assert snapshot(minimal) == before


def test_a_schema_version_change_resets_a_cache(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with Store(path, SCHEMA) as store, store.db:
        store.db.execute("INSERT INTO notes VALUES ('old')")
    newer = Schema("CREATE TABLE notes (text TEXT NOT NULL, more TEXT)", 2, "the test store")
    with Store(path, newer) as store:
        assert store.db.execute("SELECT count(*) FROM notes").fetchone() == (0,)
        store.db.execute("INSERT INTO notes VALUES ('new', 'column')")  # the new table
        store.db.commit()
    assert version(path) == 2


def test_the_build_cache_of_another_version_is_made_anew(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    pipeline.build(project)
    path = project / ".cache" / "build.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO markdown VALUES ('left by version 3', '')")
        db.execute("PRAGMA user_version = 3")
    db.close()
    with BuildCache(path) as cache:
        assert cache.jobs(project / "site") == {}
        assert "left by version 3" not in cache.markdown
    assert version(path) == VERSION


# read-only ------------------------------------------------------------------------------


def test_a_read_only_open_of_a_missing_cache_reads_as_empty_and_creates_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nowhere" / "digest.sqlite"
    with Cache(path, readonly=True) as cache:
        assert cache.records() == {} and cache.candidates() == []
        assert cache.page("https://example.org/") is None
    assert not path.parent.exists()


@pytest.mark.parametrize("breaks", BROKEN, ids=lambda f: f.__name__)
def test_a_read_only_open_of_an_unreadable_cache_reads_as_empty_and_leaves_it(
    tmp_path: Path, breaks: Callable[[Path], None]
) -> None:
    path = tmp_path / "digest.sqlite"
    breaks(path)
    before = path.read_bytes()
    with Cache(path, readonly=True) as cache:
        assert cache.records() == {}
    assert path.read_bytes() == before


def test_a_read_only_open_reads_what_a_writer_wrote(tmp_path: Path) -> None:
    path = tmp_path / "odd ?#% name" / "digest.sqlite"  # the URI escapes these
    page = CachedPage("https://example.org/a", "gone", 404, "gone", None, None, None, None, 1.0)
    with Cache(path) as cache:
        cache.save_page(page)
    with Cache(path, readonly=True) as cache:
        assert cache.page("https://example.org/a") == page
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            cache.db.execute("DELETE FROM pages")


def test_a_page_row_damaged_by_hand_reads_as_not_cached(tmp_path: Path) -> None:
    path = tmp_path / "digest.sqlite"
    kept = CachedPage("https://example.org/kept", "gone", 404, "gone", None, None, None, None, 1.0)
    with Cache(path) as cache:
        cache.save_page(kept)
        cache.db.execute(
            "INSERT INTO pages (key, url, outcome, checked_at, record) VALUES (?, ?, ?, ?, ?)",
            ("https://example.org/bad", "https://example.org/bad", "ok", 1.0, '{"title": '),
        )
        cache.db.commit()
    with Cache(path) as cache:
        assert cache.page("https://example.org/bad") is None
        assert list(cache.records()) == ["https://example.org/kept"]


# the send log: never reset ----------------------------------------------------------------


def email_project(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``root`` set up for ``digest send`` (a dry run needs no server); its send log."""
    site = root / "content" / "site.toml"
    site.write_text(
        site.read_text(encoding="utf-8")
        + '\n[email]\nfrom = "小周刊 <weekly@example.org>"\n'
        + 'unsubscribe_url = "https://example.org/weekly/unsubscribe/"\n',
        encoding="utf-8",
    )
    (root / "subscribers.txt").write_text("ada@example.org\nbo@example.org\n", encoding="utf-8")
    monkeypatch.chdir(root)
    log = root / ".digest" / "send-log.sqlite"
    log.parent.mkdir()
    return log


@pytest.mark.parametrize("breaks", BROKEN, ids=lambda f: f.__name__)
def test_an_unreadable_send_log_is_an_error_naming_it_and_is_left_as_it_is(
    minimal: Path, monkeypatch: pytest.MonkeyPatch, breaks: Callable[[Path], None]
) -> None:
    log = email_project(minimal, monkeypatch)
    breaks(log)
    before = log.read_bytes()
    result = CliRunner().invoke(main, ["send", "1"])
    assert result.exit_code == 1
    # The file (relative to the project, as every message names one), and why.
    assert result.output.startswith(".digest/send-log.sqlite: the send log cannot be read (")
    assert "it is left as it is" in result.output
    assert log.read_bytes() == before
    assert sorted(p.name for p in log.parent.iterdir()) == ["send-log.sqlite"]


def test_a_send_log_of_another_version_is_an_error_and_is_left_as_it_is(tmp_path: Path) -> None:
    log = tmp_path / "send-log.sqlite"
    with SendLog(log) as sends:
        sends.mark(1, "ada@example.org", "sent")
    with sqlite3.connect(log) as db:
        db.execute("PRAGMA user_version = 7")
    db.close()
    before = log.read_bytes()
    with pytest.raises(DigestError, match=r"send-log\.sqlite: the send log was written by "
                       r"another version of digest \(schema 7; this one reads 1\)"):  # fmt: skip
        SendLog(log)
    assert log.read_bytes() == before


def test_a_send_log_from_before_versions_is_kept(tmp_path: Path) -> None:
    """Logs written before stores had versions (user_version 0) keep every row."""
    log = tmp_path / "send-log.sqlite"
    with sqlite3.connect(log) as db:
        db.execute(SendLog.SCHEMA.sql)
        db.execute("INSERT INTO sends VALUES (1, 'ada@example.org', 'sent', '', 1, 0)")
    db.close()
    with SendLog(log) as sends:
        assert sends.state(1, "ada@example.org") == "sent"
    assert version(log) == SendLog.SCHEMA.version


# crashes and forks ------------------------------------------------------------------------

CRASH = """
import sys, time
from pathlib import Path
from digest.model import CachedPage
from digest.scraper.cache import Cache

cache = Cache(Path(sys.argv[1]))
cache.save_page(CachedPage("https://example.org/kept", "ok", 200, None, None, None, None,
                           None, 1.0))
cache.db.execute("PRAGMA cache_size = 8")  # a small cache: the transaction spills to the log
cache.db.execute("BEGIN")
for n in range(20_000):
    cache.db.execute("INSERT INTO pages VALUES (?, ?, 'ok', 200, NULL, NULL, NULL, NULL, ?, 1)",
                     (f"k{n}", f"https://example.org/{n}", "x" * 200))
print("mid-write", flush=True)
time.sleep(60)
"""


def test_a_crash_mid_write_leaves_the_last_commit_readable(tmp_path: Path) -> None:
    path = tmp_path / "digest.sqlite"
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CRASH), str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "mid-write\n"
        # The uncommitted rows are on disk, in the log, when the process dies.
        assert Path(f"{path}-wal").stat().st_size > 1_000_000
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    with Cache(path, readonly=True) as cache:
        assert list(cache.records()) == ["https://example.org/kept"]
    with Cache(path) as cache:  # not mistaken for a damaged file: nothing is reset
        assert list(cache.records()) == ["https://example.org/kept"]
        assert cache.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


_forked: Store | None = None  # what a forked worker inherits


def _write_in_worker() -> int:
    assert _forked is not None
    with _forked.db:
        _forked.db.execute("INSERT INTO notes VALUES ('from a worker')")
    return id(_forked.db)


def test_a_forked_worker_opens_its_own_connection(tmp_path: Path) -> None:
    global _forked
    _forked = store = Store(tmp_path / "store.sqlite", SCHEMA)
    mine = id(store.db)
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            theirs = pool.submit(_write_in_worker).result()
    finally:
        _forked = None
    assert theirs != mine and id(store.db) == mine  # the worker's own; the parent's kept
    with store.db:  # and still working, and it sees the worker's row
        store.db.execute("INSERT INTO notes VALUES ('from the parent')")
    rows = store.db.execute("SELECT text FROM notes ORDER BY text").fetchall()
    assert rows == [("from a worker",), ("from the parent",)]
    store.close()
