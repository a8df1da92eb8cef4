"""The fetcher against a real server on 127.0.0.1: every hostile case ends in an outcome."""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace

import pytest

from digest.scraper.extract import extract
from digest.scraper.fetch import Fetcher, FetchPolicy, FetchResult
from tests.httpd import Handler, Route, Server, drip, serve
from tests.test_inflate import bomb

FAST = FetchPolicy(
    connect_timeout=1, read_timeout=0.5, total_timeout=1, retries=2, backoff=0.05,
    max_retry_after=2, host_delay=0, max_bytes=1_000_000, max_redirects=3,
)  # fmt: skip
GBK_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    "<title>朱镕基与张喆的容器笔记_科技频道</title></head><body><h1>朱镕基与张喆的容器笔记</h1>"
    "<p>堃和珺都在用容器镜像部署服务，这篇笔记记录了分层存储的细节。</p></body></html>"
)


# 5 KB on the wire, 5 MB unpacked: five times the cap of FAST (compressed once, here)
BOMB = gzip.compress(b"\0" * 5_000_000)
BIG_BOMB = bomb(100_000_000)  # 100 KB on the wire, 100 MB unpacked


def slow(h: Handler) -> None:
    time.sleep(3)
    h.reply(200, b"<p>too late</p>")


def flaky(h: Handler) -> None:
    first = len(h.server_state.hits("/flaky")) == 1
    h.reply(500, b"oops") if first else h.reply(200, b"<title>Back</title>")


def limited(h: Handler) -> None:
    first = len(h.server_state.hits("/limited")) == 1
    if first:
        h.reply(429, b"slow down", headers={"Retry-After": "1"})
    else:
        h.reply(200, b"<title>Patient</title>")


def huge(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()  # no length: the client has to count
    chunk = b"x" * 65536
    for _ in range(400):  # 26 MB if nobody stops us
        h.wfile.write(chunk)


def huge_declared(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "99999999999")
    h.end_headers()
    h.wfile.write(b"x" * 1000)


def slow_503(h: Handler) -> None:
    time.sleep(0.4)
    h.reply(503, b"busy")


def etag(h: Handler) -> None:
    if h.headers.get("If-None-Match") == '"v1"':
        h.not_modified({"ETag": '"v1"'})
    else:
        h.reply(200, b"<title>Tagged</title>", headers={"ETag": '"v1"'})


ROUTES: dict[str, Route] = {
    "/ok": lambda h: h.reply(200, b"<title>Fine</title><p>body</p>"),
    "/slow": slow,
    "/flaky": flaky,
    "/always-500": lambda h: h.reply(503, b"down"),
    "/limited": limited,
    "/limited-long": lambda h: h.reply(429, b"no", headers={"Retry-After": "3600"}),
    "/loop-a": lambda h: h.reply(302, b"", headers={"Location": "/loop-b"}),
    "/loop-b": lambda h: h.reply(302, b"", headers={"Location": "/loop-a"}),
    "/hop": lambda h: h.reply(302, b"", headers={"Location": "/hop"}),
    "/moved": lambda h: h.reply(301, b"", headers={"Location": "/ok"}),
    "/temporary": lambda h: h.reply(302, b"", headers={"Location": "/ok"}),
    "/gone": lambda h: h.reply(410, b"gone"),
    "/huge": huge,
    "/huge-declared": huge_declared,
    "/binary": lambda h: h.reply(200, bytes(range(256)) * 40, "application/octet-stream"),
    "/gbk": lambda h: h.reply(200, GBK_PAGE.encode("gbk"), "text/html"),
    "/wrong-header": lambda h: h.reply(
        200, '<meta charset="utf-8"><title>容器镜像的分层</title><p>正文。</p>'.encode(),
        "text/html; charset=iso-8859-1",
    ),
    "/malformed": lambda h: h.reply(200, b"<html><title>Half</title><body><div><p>open <b>bold"
                                         b"<table><td>cell</div></p>&amp &#xZZ; <<>>"),
    "/etag": etag,
    "/drip": drip,
    "/slow-503": slow_503,
    "/retry-later": lambda h: h.reply(503, b"later", headers={"Retry-After": "5"}),
    "/bad-gzip": lambda h: h.reply(200, b"\x1f\x8b\x08\x00not gzip at all",
                                   headers={"Content-Encoding": "gzip"}),
    "/bomb": lambda h: h.reply(200, BOMB, headers={"Content-Encoding": "gzip"}),
    "/big-bomb": lambda h: h.reply(200, BIG_BOMB, headers={"Content-Encoding": "gzip"}),
    "/nowhere-to-go": lambda h: h.reply(301, b""),
    "/to-script": lambda h: h.reply(302, b"", headers={"Location": "javascript:alert(1)"}),
    "/to-data": lambda h: h.reply(301, b"", headers={"Location": "data:text/html,<title>x"}),
    "/to-mail": lambda h: h.reply(302, b"", headers={"Location": "mailto:a@example.com"}),
    "/to-file": lambda h: h.reply(302, b"", headers={"Location": "file:///etc/passwd"}),
    "/to-http-ok": lambda h: h.reply(302, b"", headers={"Location": "http:ok"}),
}  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve(ROUTES) as s:
        yield s


def fetch(server: Server, path: str, policy: FetchPolicy = FAST, **kw: str) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(policy) as f:
            return await f.fetch(server.url(path), **kw)

    return asyncio.run(go())


def test_plain_page(server: Server) -> None:
    result = fetch(server, "/ok")
    assert (result.outcome, result.status) == ("ok", 200)
    assert b"Fine" in result.body
    assert server.hits("/ok")[-1].headers["user-agent"] == FAST.user_agent


def test_slow_response_times_out_and_is_retried(server: Server) -> None:
    result = fetch(server, "/slow")
    assert result.outcome == "error"
    assert "timed out" in (result.error or "") or "within" in (result.error or "")
    assert server.url("/slow") in (result.error or "")
    assert len(server.hits("/slow")) == FAST.retries + 1


def test_500_then_200_is_retried(server: Server) -> None:
    result = fetch(server, "/flaky")
    assert (result.outcome, result.attempts) == ("ok", 2)


def test_5xx_that_never_recovers_is_an_error(server: Server) -> None:
    result = fetch(server, "/always-500")
    assert result.outcome == "error" and "HTTP 503" in (result.error or "")
    assert result.attempts == FAST.retries + 1


def test_429_waits_for_retry_after(server: Server) -> None:
    start = time.monotonic()
    result = fetch(server, "/limited")
    waited = time.monotonic() - start
    assert (result.outcome, result.attempts) == ("ok", 2)
    assert waited >= 0.9  # Retry-After: 1 was honoured


def test_retry_after_beyond_the_cap_gives_up(server: Server) -> None:
    result = fetch(server, "/limited-long")
    assert result.outcome == "error"
    assert "Retry-After 3600 s" in (result.error or "")
    assert len(server.hits("/limited-long")) == 1


def test_redirect_loop_is_detected(server: Server) -> None:
    result = fetch(server, "/loop-a")
    assert result.outcome == "error"
    assert "redirect loop" in (result.error or "")
    result = fetch(server, "/hop")
    assert "redirect loop" in (result.error or "")


def test_permanent_redirect_suggests_new_url(server: Server) -> None:
    result = fetch(server, "/moved")
    assert (result.outcome, result.moved_to) == ("redirect", server.url("/ok"))
    assert fetch(server, "/temporary").outcome == "ok"


def test_gone(server: Server) -> None:
    result = fetch(server, "/gone")
    assert (result.outcome, result.status) == ("gone", 410)
    assert fetch(server, "/nowhere").outcome == "gone"


def test_body_over_the_cap_is_abandoned(server: Server) -> None:
    result = fetch(server, "/huge")
    assert result.outcome == "error" and "cap" in (result.error or "")
    assert result.body == b""
    declared = fetch(server, "/huge-declared")
    assert declared.outcome == "error" and "99,999,999,999 bytes" in (declared.error or "")


def test_a_body_its_encoding_does_not_describe_is_that_urls_error(server: Server) -> None:
    # A body that is not the gzip its header says (the decoder's error ended the whole
    # run), one that unpacks past the cap (a "zip bomb": 5 KB to 5 MB), and a redirect
    # with nowhere to go each end as the URL's error, saying why.
    bad = fetch(server, "/bad-gzip")
    assert bad.outcome == "error"
    assert (bad.error or "").startswith(f"{server.url('/bad-gzip')}: the body could not be decoded")
    bomb = fetch(server, "/bomb")
    assert bomb.outcome == "error" and "over the 1,000,000-byte cap" in (bomb.error or "")
    lost = fetch(server, "/nowhere-to-go")
    assert (lost.outcome, lost.error) == (
        "error",
        f"{server.url('/nowhere-to-go')}: HTTP 301 without a Location to go to",
    )


def test_a_zip_bomb_is_abandoned_at_the_cap_without_unpacking_past_it(server: Server) -> None:
    # httpx unpacked each 64 KB read whole (some 64 MB of this one) before the cap was
    # checked: 32 URLs in flight could hold 2 GB. The fetch's peak now stays near the cap.
    tracemalloc.start()
    try:
        result = fetch(server, "/big-bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.outcome == "error" and "over the 1,000,000-byte cap" in (result.error or "")
    assert peak < 8_000_000, f"{peak:,} bytes at the peak"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/to-script", "javascript:alert(1)"),
        ("/to-data", "data:text/html,<title>x"),
        ("/to-mail", "mailto:a@example.com"),
        ("/to-file", "file:///etc/passwd"),
    ],
)
def test_a_redirect_to_another_scheme_is_that_urls_error(
    server: Server, path: str, location: str
) -> None:
    # httpx reads a Location before it is asked to follow it, and one it cannot make a
    # request of (javascript:, data:, mailto:) raised InvalidURL out of the whole run.
    result = fetch(server, path)
    assert (result.outcome, result.error) == (
        "error",
        f"{server.url(path)}: redirected to {location!r}, where only http:// and https://"
        " links are allowed",
    )
    assert len(server.hits(path)) == 1  # not retried


def test_a_location_httpx_cannot_read_is_followed_as_a_browser_would(server: Server) -> None:
    # ``http:ok`` from an http page is the page ``ok`` beside it (httpx raised InvalidURL)
    result = fetch(server, "/to-http-ok")
    assert (result.outcome, result.final_url) == ("ok", server.url("/ok"))


def test_binary_body_is_described_not_parsed(server: Server) -> None:
    result = fetch(server, "/binary")
    record = extract(result.body, url=result.url, content_type=result.content_type)
    assert (result.outcome, record.kind, record.title) == ("ok", "other", "binary")


def test_gbk_page_without_charset_header(server: Server) -> None:
    result = fetch(server, "/gbk")
    record = extract(result.body, url=result.url, content_type=result.content_type)
    assert record.encoding == "gb18030"
    assert record.title == "朱镕基与张喆的容器笔记"
    assert "堃和珺都在用容器镜像部署服务" in record.text


def test_wrong_header_charset_loses_to_a_clean_meta(server: Server) -> None:
    result = fetch(server, "/wrong-header")
    record = extract(result.body, url=result.url, content_type=result.content_type)
    assert (record.title, record.encoding) == ("容器镜像的分层", "utf-8")


def test_malformed_html_is_still_read(server: Server) -> None:
    result = fetch(server, "/malformed")
    record = extract(result.body, url=result.url, content_type=result.content_type)
    assert record.title == "Half"
    assert "open bold" in record.text


def test_etag_revalidation(server: Server) -> None:
    first = fetch(server, "/etag")
    assert (first.outcome, first.etag) == ("ok", '"v1"')
    second = fetch(server, "/etag", etag='"v1"')
    assert (second.outcome, second.status, second.body) == ("not_modified", 304, b"")
    assert server.hits("/etag")[-1].headers["if-none-match"] == '"v1"'


def test_only_http_and_https(server: Server) -> None:
    async def go() -> FetchResult:
        async with Fetcher(FAST) as f:
            return await f.fetch("ftp://127.0.0.1/file")

    result = asyncio.run(go())
    assert result.outcome == "error" and "only http:// and https://" in (result.error or "")


def test_public_only_refuses_loopback(server: Server) -> None:
    result = fetch(server, "/ok", FetchPolicy(public_only=True))
    assert result.outcome == "error" and "private address" in (result.error or "")


def test_per_host_delay_spaces_requests(server: Server) -> None:
    policy = FetchPolicy(host_delay=0.2, per_host=4, retries=0)

    async def go() -> list[FetchResult]:
        async with Fetcher(policy) as f:
            return await asyncio.gather(*(f.fetch(server.url("/ok")) for _ in range(4)))

    start = time.monotonic()
    results = asyncio.run(go())
    assert all(r.outcome == "ok" for r in results)
    assert time.monotonic() - start >= 0.6  # starts at 0, 0.2, 0.4, 0.6 s


def test_a_body_that_drips_forever_ends_at_the_deadline(server: Server) -> None:
    # Each attempt alone may take 30 s and there are two retries: only the deadline ends it.
    policy = replace(FAST, read_timeout=5, total_timeout=30, deadline=1.5)
    start = time.monotonic()
    result = fetch(server, "/drip", policy)
    took = time.monotonic() - start
    assert result.outcome == "error"
    assert 1.4 <= took < 3
    reason = result.error or ""
    assert reason.startswith(server.url("/drip") + ": ")
    assert "1.5-second deadline" in reason and "bytes of the body so far" in reason


def test_slow_answers_on_every_retry_end_at_the_deadline(server: Server) -> None:
    # 0.4 s for each 503 and ten retries: about 5 s without a deadline.
    policy = replace(FAST, retries=10, backoff=0.05, deadline=1.5)
    start = time.monotonic()
    result = fetch(server, "/slow-503", policy)
    took = time.monotonic() - start
    assert result.outcome == "error" and took < 2.5
    assert "HTTP 503" in (result.error or "") or "deadline" in (result.error or "")
    assert 2 <= len(server.hits("/slow-503")) <= 4


def test_retry_after_past_the_deadline_is_not_waited_for(server: Server) -> None:
    policy = replace(FAST, max_retry_after=60, deadline=2)
    start = time.monotonic()
    result = fetch(server, "/retry-later", policy)
    assert time.monotonic() - start < 1
    assert result.outcome == "error"
    assert "Retry-After 5 s is past the 2-second deadline" in (result.error or "")
    assert len(server.hits("/retry-later")) == 1


def test_the_deadline_clock_starts_with_the_first_request(server: Server) -> None:
    # Three requests to one host, one at a time, 0.4 s apart: the third starts after 0.8 s,
    # past a 0.6 s deadline that would have run while it waited for its turn.
    policy = replace(FAST, per_host=1, host_delay=0.4, retries=0, deadline=0.6)

    async def go() -> list[FetchResult]:
        async with Fetcher(policy) as f:
            return await asyncio.gather(*(f.fetch(server.url("/ok")) for _ in range(3)))

    assert [r.outcome for r in asyncio.run(go())] == ["ok", "ok", "ok"]
