"""``digest fetch`` end to end: a project whose links and feeds live on a loopback server."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.model import PageRecord
from digest.scraper.article import feed_entries
from digest.scraper.cache import Cache
from digest.scraper.feeds import parse_feed
from digest.scraper.fetch import FetchResult
from digest.scraper.run import _page_from
from tests.httpd import Handler, Server, drip, serve

ARTICLE = """<html lang="zh-CN"><head><title>抓取到的标题 - 某技术博客</title>
<meta property="og:site_name" content="某技术博客">
<meta name="description" content="这是页面自己的摘要，会在编者没写点评时显示。">
</head><body><article><h1>抓取到的标题</h1><p>正文第一段，足够长，讲的是容器的分层存储。</p></article>
</body></html>"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>测试订阅</title><id>urn:x</id>
<updated>2026-11-20T00:00:00Z</updated>
<entry><title>相对链接的文章</title><id>urn:1</id><link href="/posts/relative"/>
<updated>2026-11-19T00:00:00Z</updated>
<content type="html">&lt;p&gt;好文&lt;script&gt;alert(1)&lt;/script&gt;
&lt;a href="/x" onclick="steal()"&gt;link&lt;/a&gt;&lt;/p&gt;</content></entry>
<entry><title>已经发表过的</title><id>urn:2</id><link href="/article"/>
<updated>2026-11-18T00:00:00Z</updated></entry>
</feed>"""

BROKEN_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>
<item><title>Still readable</title><link>http://example.com/readable</link></item>
<item><title>Unclosed & bad</title><link>http://example.com/bad</link>
</channel>"""


def feed(h: Handler) -> None:
    if h.headers.get("If-None-Match") == '"f1"':
        h.not_modified()
    else:
        h.reply(200, FEED.encode(), "application/atom+xml", headers={"ETag": '"f1"'})


def article(h: Handler) -> None:
    if h.headers.get("If-Modified-Since") == "Fri, 20 Nov 2026 00:00:00 GMT":
        h.not_modified()
    else:
        h.reply(200, ARTICLE.encode(), "text/html; charset=utf-8",
                headers={"Last-Modified": "Fri, 20 Nov 2026 00:00:00 GMT"})  # fmt: skip


@pytest.fixture
def server() -> Iterator[Server]:
    with serve({"/article": article, "/feed": feed,
                "/broken": lambda h: h.reply(200, BROKEN_FEED, "application/rss+xml"),
                "/dead": lambda h: h.reply(404, b"no")}) as s:  # fmt: skip
        yield s


def project(minimal: Path, server: Server) -> Path:
    # The fixture's first issue links a real site: here it points at the loopback server,
    # so that no test of fetch reaches for the internet.
    first = minimal / "content" / "issues" / "001.md"
    first.write_text(
        first.read_text(encoding="utf-8").replace(
            "https://go.dev/blog/pipelines", server.url("/article")
        ),
        encoding="utf-8",
    )
    (minimal / "content" / "issues" / "002.md").write_text(
        f"""---
number: 2
title: 抓取测试
date: 2026-11-20
---

## articles

### {server.url("/article")}

### [会失效的链接]({server.url("/dead")})

编者的点评。

### [连不上的链接](http://127.0.0.1:1/unreachable)
""",
        encoding="utf-8",
    )
    (minimal / "content" / "sources.toml").write_text(
        f'[[feeds]]\nurl = "{server.url("/feed")}"\nsection = "articles"\ntags = ["Go"]\n\n'
        f'[[feeds]]\nurl = "{server.url("/broken")}"\n',
        encoding="utf-8",
    )
    (minimal / "content" / "site.toml").write_text(
        (minimal / "content" / "site.toml").read_text(encoding="utf-8")
        + "\n[fetch]\nhost_delay = 0\nretries = 0\n",
        encoding="utf-8",
    )
    return minimal


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


def test_fetch_then_build(minimal: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(minimal, server)
    monkeypatch.chdir(root)
    runner = CliRunner()

    first = runner.invoke(main, ["fetch"])
    assert first.exit_code == 0, first.output
    assert "gone" in first.stdout and "/dead" in first.stdout
    # One line per problem, naming where the editor wrote the link.
    assert f"content/issues/002.md:11: gone: {server.url('/dead')} (HTTP 404: gone)" in (
        first.stdout
    )
    unreachable = next(line for line in first.stdout.splitlines() if "127.0.0.1:1/" in line)
    assert unreachable.startswith(
        "content/issues/002.md:15: error: http://127.0.0.1:1/unreachable ("
    )
    assert unreachable.count("127.0.0.1:1/") == 1  # the URL once, not repeated in the reason
    assert "broken" in first.stdout  # the bozo feed is reported …
    with Cache(root / ".cache" / "digest.sqlite") as cache:
        candidates = {c.title: c for c in cache.candidates()}
    assert "Still readable" in candidates  # … and still read
    relative = candidates["相对链接的文章"]
    assert relative.link == server.url("/posts/relative")
    assert "<script" not in relative.summary and "onclick" not in relative.summary
    assert f'href="{server.url("/x")}"' in relative.summary
    assert "已经发表过的" not in candidates  # already an item of an issue

    before = dump(root / ".cache" / "digest.sqlite")
    server.requests.clear()
    second = runner.invoke(main, ["fetch", "--refresh"])
    assert second.exit_code == 0, second.output
    article_hits = server.hits("/article")
    assert article_hits and all("if-modified-since" in r.headers for r in article_hits)
    assert all("if-none-match" in r.headers for r in server.hits("/feed"))
    assert "0 cache updates" in second.stdout
    assert dump(root / ".cache" / "digest.sqlite") == before

    count = len(server.requests)
    strict = runner.invoke(main, ["fetch", "--offline", "--strict"])
    assert strict.exit_code == 1  # problems are known from the cache
    assert len(server.requests) == count  # and offline sent nothing

    built = runner.invoke(main, ["build"])
    assert built.exit_code == 0, built.output
    assert f"content/issues/002.md:11: link {server.url('/dead')} is dead (HTTP 404)" in (
        built.stderr
    )
    assert "127.0.0.1:1/" not in built.stderr  # unreachable is not "dead": maybe our network
    page = (root / "site" / "issues" / "2" / "index.html").read_text(encoding="utf-8")
    assert "抓取到的标题" in page  # the bare URL got its scraped title
    assert "这是页面自己的摘要" in page  # and, with no commentary, the page's description
    assert "编者的点评。" in page


def test_feed_with_script_is_sanitised_before_storage() -> None:
    parsed = parse_feed(FEED.encode(), url="https://example.org/feed", content_type=None,
                        section=None, tags=())  # fmt: skip
    summary = parsed.entries[0].summary
    assert "<script" not in summary and "alert(1)" not in summary
    assert 'rel="noopener noreferrer nofollow"' in summary
    assert parsed.entries[0].link == "https://example.org/posts/relative"


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
        b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'"
        b" xmlns='http://purl.org/rss/1.0/'><channel/></rdf:RDF>",
    ],
)
def test_a_feed_with_nothing_in_it_yet_is_a_feed(body: bytes) -> None:
    # A new blog's feed, or one emptied: it was "not a feed", an error, every fetch.
    parsed = parse_feed(body, url="https://example.org/feed", content_type=None,
                        section=None, tags=())  # fmt: skip
    assert (parsed.entries, parsed.problem) == ((), None)
    for junk in (b"", b"<html><title>Moved</title></html>"):
        kept = parse_feed(junk, url="https://example.org/feed", content_type=None,
                          section=None, tags=())  # fmt: skip
        assert kept.problem == "https://example.org/feed: not a feed"


CHINESE_FEED = (
    '<?xml version="1.0" encoding="{charset}"?><rss version="2.0"><channel><title>中文订阅</title>'
    "<item><title>第一篇文章</title><link>https://example.org/a</link>"
    "<pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item></channel></rss>"
)


@pytest.mark.parametrize(
    ("charset", "content_type"),
    [
        ("gbk", "application/rss+xml"),  # GBK, and it says so: in the document
        ("gbk", "application/rss+xml; charset=gbk"),  # and from the server too
        ("utf-8", "text/xml"),  # RFC 3023 makes text/xml without a charset US-ASCII
        ("utf-8", "text/html; charset=utf-8"),  # a server that serves everything as pages
    ],
)
def test_a_sound_feed_in_chinese_is_not_reported_broken(charset: str, content_type: str) -> None:
    # feedparser was handed text we had decoded along with the charset the bytes had
    # declared: "broken feed (document declared as gbk, but parsed as utf-8)", on every
    # fetch, and an import of it ended in exit 1 for a mismatch of its own making.
    body = CHINESE_FEED.format(charset=charset).encode(charset)
    parsed = parse_feed(body, url="https://example.org/feed", content_type=content_type,
                        section=None, tags=())  # fmt: skip
    assert (parsed.problem, parsed.title) == (None, "中文订阅")
    assert [c.title for c in parsed.entries] == ["第一篇文章"]
    entries, problem = feed_entries(body, url="https://example.org/feed", content_type=content_type)
    assert (problem, [e.title for e in entries]) == (None, ["第一篇文章"])


# Markup a console would read ("[/x]" closes nothing, "[bold]" opens) and an emoji code.
ODD = "[/x]:100:[bold]"


@pytest.mark.parametrize("terminal", [False, True], ids=["log", "terminal"])
def test_fetch_prints_urls_and_server_text_as_they_are(
    minimal: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    routes = {
        "/moved": lambda h: h.reply(301, b"", headers={"Location": "/new" + ODD}),
        "/new" + ODD: lambda h: h.reply(200, ARTICLE.encode()),
    }
    with serve(routes) as server:
        issue = minimal / "content" / "issues" / "001.md"  # its link: the redirect, not go.dev
        text = issue.read_text(encoding="utf-8")
        issue.write_text(text.replace("https://go.dev/blog/pipelines", server.url("/moved")))
        (minimal / "content" / "issues" / "002.md").write_text(
            f"---\nnumber: 2\ntitle: 怪链接\ndate: 2026-11-20\n---\n\n## articles\n\n"
            f"### [没有了]({server.url('/gone' + ODD)})\n",
            encoding="utf-8",
        )
        (minimal / "content" / "sources.toml").write_text(
            f'[[feeds]]\nurl = "{server.url("/feed" + ODD)}"\n', encoding="utf-8"
        )
        monkeypatch.chdir(minimal)
        # FORCE_COLOR makes rich take stdout for a terminal: the table instead of lines.
        env = {"COLUMNS": "300", "FORCE_COLOR": "1" if terminal else None}
        result = CliRunner().invoke(main, ["fetch"], env=env)
        assert sorted(r.path for r in server.requests) == sorted(
            ["/moved", "/new" + ODD, "/gone" + ODD, "/feed" + ODD]
        )
    assert result.exit_code == 0, result.output
    assert "💯" not in result.stdout
    moved_to = f"moved permanently to {server.url('/new' + ODD)}"  # the server's Location
    if terminal:
        assert "links and feeds that need a look" in result.stdout
        for shown in (moved_to, server.url("/gone" + ODD), server.url("/feed" + ODD)):
            assert shown in result.stdout
    else:
        lines = result.stdout.splitlines()
        assert f"content/issues/001.md:13: redirect: {server.url('/moved')} ({moved_to})" in lines
        assert (
            f"content/issues/002.md:9: gone: {server.url('/gone' + ODD)} (HTTP 404: gone)" in lines
        )
        assert f"content/sources.toml:2: gone: {server.url('/feed' + ODD)} (HTTP 404)" in lines


def test_a_link_that_drips_forever_ends_at_the_deadline(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    routes = {"/drip": drip, "/article": lambda h: h.reply(200, ARTICLE.encode())}
    with serve(routes) as server:
        issue = minimal / "content" / "issues" / "001.md"
        text = issue.read_text(encoding="utf-8")
        issue.write_text(text.replace("https://go.dev/blog/pipelines", server.url("/drip")))
        (minimal / "content" / "issues" / "002.md").write_text(
            f"---\nnumber: 2\ntitle: 同一轮\ndate: 2026-11-20\n---\n\n## articles\n\n"
            f"### {server.url('/article')}\n",
            encoding="utf-8",
        )
        site = minimal / "content" / "site.toml"
        # An attempt alone may take 30 s, twice retried: only the deadline can end it soon.
        site.write_text(
            site.read_text(encoding="utf-8")
            + "\n[fetch]\nhost_delay = 0\ntimeout = 30\nretries = 2\ndeadline = 2\n",
            encoding="utf-8",
        )
        monkeypatch.chdir(minimal)
        start = time.monotonic()
        result = CliRunner().invoke(main, ["fetch"], env={"COLUMNS": "300"})
        took = time.monotonic() - start
    assert result.exit_code == 0, result.output
    assert took < 2 + 3  # the deadline, and the command's own start and parsing
    drip_line = next(line for line in result.stdout.splitlines() if "/drip" in line)
    assert drip_line.startswith(f"content/issues/001.md:13: error: {server.url('/drip')} (")
    assert "no complete answer within the 2-second deadline" in drip_line
    with Cache(minimal / ".cache" / "digest.sqlite") as cache:
        dripped, article = cache.page(server.url("/drip")), cache.page(server.url("/article"))
    assert dripped is not None and dripped.outcome == "error"
    assert article is not None and article.outcome == "ok"
    assert article.record is not None and article.record.title == "抓取到的标题"


class _FailingSummarizer:
    """A summariser with a fault: reading the page fails after its fetch succeeded."""

    def summarized(self, record: PageRecord) -> PageRecord:
        raise ValueError("no sentence end in sight")

    def wants_command(self, record: PageRecord) -> bool:
        return False


def test_a_page_whose_reading_fails_is_that_links_error_not_the_runs() -> None:
    # A fault of ours on one page (no known page finds one) must not end `digest fetch`:
    # the link's outcome is an error naming the URL and the fault, and the record it had
    # before stays for the build.
    url = "https://example.com/a"
    before = _page_from(
        FetchResult(url, url, "ok", 200, ARTICLE.encode(), "text/html; charset=utf-8"),
        None,
        _Plain(),
    )
    assert before is not None and before.record is not None
    result = FetchResult(url, url, "ok", 200, ARTICLE.encode(), "text/html; charset=utf-8")
    after = _page_from(result, before, _FailingSummarizer())
    assert after is not None and after.outcome == "error"
    assert after.error == (
        f"{url}: internal error reading the page: ValueError: no sentence end in sight"
        " (please report it)"
    )
    assert after.record == before.record


class _Plain(_FailingSummarizer):
    def summarized(self, record: PageRecord) -> PageRecord:
        return record


def test_feed_entries_with_links_urllib_refuses_are_left_out_and_the_run_goes_on(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link with a port past 65535 ended the whole 'digest fetch' with ValueError when it
    was normalised, and one with an IPv6 bracket never closed when it was made absolute."""
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link></item>"
        for title, link in (
            ("端口", "https://example.org:99999/a"),
            ("括号", "http://[::1/b"),
            ("好的", "https://example.org/good"),
        )
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}'
    body += "</channel></rss>"
    with serve({"/feed": lambda h: h.reply(200, body.encode(), "application/rss+xml")}) as srv:
        issue = minimal / "content" / "issues" / "001.md"  # no link outside the loopback
        text = issue.read_text(encoding="utf-8")
        issue.write_text(text.replace("https://go.dev/blog/pipelines", srv.url("/feed")))
        (minimal / "content" / "sources.toml").write_text(
            f'[[feeds]]\nurl = "{srv.url("/feed")}"\n', encoding="utf-8"
        )
        monkeypatch.chdir(minimal)
        result = CliRunner().invoke(main, ["fetch"])
    assert result.exit_code == 0, result.output
    assert "1 new feed entries" in result.stdout
    draft = CliRunner().invoke(main, ["new", "--dry-run", "--since", "2000-01-01"])
    assert "https://example.org/good" in draft.stdout
    assert "99999" not in draft.stdout and "[::1" not in draft.stdout


def test_a_redirect_to_a_port_past_65535_is_that_links_error(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The socket's OverflowError escaped the fetcher and ended the whole run."""
    routes = {
        "/far": lambda h: h.reply(302, b"", headers={"Location": "http://127.0.0.1:99999/x"}),
        "/page": lambda h: h.reply(200, ARTICLE.encode()),
    }
    with serve(routes) as server:
        issue = minimal / "content" / "issues" / "001.md"
        text = issue.read_text(encoding="utf-8")
        issue.write_text(text.replace("https://go.dev/blog/pipelines", server.url("/far")))
        (minimal / "content" / "inbox.md").write_text(f"- {server.url('/page')}\n")
        monkeypatch.chdir(minimal)
        result = CliRunner().invoke(main, ["fetch"], env={"COLUMNS": "300"})
        inspected = CliRunner().invoke(main, ["inspect", "http://127.0.0.1:99999/x"])
    assert result.exit_code == 0, result.output
    assert (
        f"{server.url('/far')} (redirected to 'http://127.0.0.1:99999/x', where its host or"
        " port cannot be read)"
    ) in result.stdout
    assert "2 links, 0 feeds: 2 requests" in result.stdout
    assert inspected.exit_code == 1
    assert "malformed URL 'http://127.0.0.1:99999/x': its host or port cannot be read" in (
        inspected.stderr
    )


def test_a_cache_another_process_holds_locked_is_an_error_naming_it(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process writing the cache past the busy timeout (a second fetch, a stuck
    one): the first write ended the run as "internal error: OperationalError: database
    is locked"."""
    monkeypatch.setattr("digest.store.BUSY_TIMEOUT", 0.3)  # 60 s in real runs
    with serve({"/page": lambda h: h.reply(200, ARTICLE.encode())}) as server:
        issue = minimal / "content" / "issues" / "001.md"
        text = issue.read_text(encoding="utf-8")
        issue.write_text(text.replace("https://go.dev/blog/pipelines", server.url("/page")))
        path = minimal / ".cache" / "digest.sqlite"
        with Cache(path):
            pass
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            monkeypatch.chdir(minimal)
            result = CliRunner().invoke(main, ["fetch"])
        finally:
            other.rollback()
            other.close()
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(
        ".cache/digest.sqlite: cannot write the scrape cache (database is locked)"
    ), result.stderr


def test_an_offline_fetch_only_reads_the_cache(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It opened the cache to write: a cache the editor may not write (shared, restored
    # read-only by CI) stopped a run that writes nothing, and a missing one was made.
    monkeypatch.chdir(minimal)
    result = CliRunner().invoke(main, ["fetch", "--offline"])
    assert result.exit_code == 0, result.output
    assert "1 links, 0 feeds: 0 requests" in result.output
    assert not (minimal / ".cache").exists()
