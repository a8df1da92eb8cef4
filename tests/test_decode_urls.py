"""Charset decoding order and URL normalisation."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.scraper.decode import decode_body
from digest.text.urls import normalize_url, url_problem, web_address
from tests.httpd import Server, serve

GBK_ONLY = "朱镕基、张喆、王堃、李珺"  # characters GB2312 lacks


def test_bom_wins_over_everything() -> None:
    body = codecs.BOM_UTF8 + '<meta charset="gbk">容器'.encode()
    assert decode_body(body, "iso-8859-1").source == "bom"
    assert decode_body(body, "iso-8859-1").text.endswith("容器")


def test_gbk_and_gb2312_are_read_as_gb18030() -> None:
    body = f'<meta charset="gb2312"><p>{GBK_ONLY}</p>'.encode("gbk")
    decoded = decode_body(body, None)
    assert (decoded.encoding, decoded.source) == ("gb18030", "meta")
    assert GBK_ONLY in decoded.text
    assert GBK_ONLY in decode_body(body, "GBK").text


def test_header_and_document_disagree_the_clean_one_wins() -> None:
    utf8 = '<meta charset="utf-8"><p>容器镜像</p>'.encode()
    assert decode_body(utf8, "iso-8859-1").text.endswith("容器镜像</p>")
    gbk = f'<meta charset="utf-8"><p>{GBK_ONLY}</p>'.encode("gbk")  # the meta lies
    decoded = decode_body(gbk, "gbk")
    assert (decoded.encoding, decoded.source) == ("gb18030", "http")
    assert GBK_ONLY in decoded.text


def test_undeclared_bytes_are_detected_not_mangled() -> None:
    text = "没有声明编码的中文页面，检测器要能认出它来。这里再多写几句话，让样本足够长。" * 3
    decoded = decode_body(text.encode("gbk"), None)
    assert decoded.text == text and decoded.source == "detected"
    assert "?" not in decoded.text


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("HTTPS://Go.Dev:443/blog/pgo#top", "https://go.dev/blog/pgo"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://a.com/p?utm_source=x&id=7&fbclid=y&utm_medium=z", "https://a.com/p?id=7"),
        ("https://a.com/%7Euser/%E4%B8%AD", "https://a.com/~user/%E4%B8%AD"),
        ("https://a.com/~user/中", "https://a.com/~user/%E4%B8%AD"),
        ("https://例子.cn/", "https://xn--fsqu00a.cn/"),
    ],
)
def test_normalize_url(url: str, key: str) -> None:
    assert normalize_url(url) == key


@pytest.mark.parametrize(
    ("url", "why"),
    [
        (
            "https://exa_mple..com/x",
            "its host 'exa_mple..com' has an empty label between dots"
            " and an underscore; a host name is letters, digits and '-' between dots",
        ),
        (
            "https://a..b.com/",
            "its host 'a..b.com' has an empty label between dots; a host"
            " name is letters, digits and '-' between dots",
        ),
        (
            "https://my_blog.example.com/",
            "its host 'my_blog.example.com' has an underscore; a"
            " host name is letters, digits and '-' between dots",
        ),
        (
            "https://-go.dev/",
            "its host '-go.dev' has a label that begins or ends with '-', or"
            " has other characters; a host name is letters, digits and '-' between dots",
        ),
        (
            "https://intranet/",
            "it has no valid host ('intranet' is not a full name like example.com)",
        ),
        ("ftp://example.com/", "only http:// and https:// links are allowed"),
        ("https://example.com:99999/", "its host or port cannot be read"),
        # a space, wherever it is, was "it has no valid host": the host here is fine
        ("https://go.dev/blog/a b", "it has a space in it"),
        ("https://go.dev/blog/a\tb", "it has a space in it"),
    ],
)
def test_urls_with_a_broken_host_are_malformed(url: str, why: str) -> None:
    assert url_problem(url) == f"malformed URL '{url}': {why}"


@pytest.mark.parametrize(
    "url",
    [
        "https://go.dev/blog/",
        "https://例子.cn/路径",
        "http://localhost:8000/",
        "https://go.dev./",
        "http://127.0.0.1/x",
        "http://[::1]:8080/",
        "https://xn--fsqu00a.cn/",
        "https://a-b.io/",
    ],
)
def test_valid_urls_have_no_problem(url: str) -> None:
    assert url_problem(url) is None


KEYS = {"url", "final_url", "canonical_url", "status", "content_type", "encoding", "title",
        "site_name", "author", "published", "lang", "description", "image", "text",
        "word_count", "reading_minutes", "summary"}  # fmt: skip
PAGE = """<html lang="en"><head><title>Inspecting pages | Example</title>
<meta property="og:site_name" content="Example"><meta name="author" content="Ada">
<meta property="article:published_time" content="2026-11-20T08:00:00+00:00"></head>
<body><article><p>The body of the article, long enough to count as one.</p></article>
</body></html>"""


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve({"/page": lambda h: h.reply(200, PAGE.encode(), "text/html; charset=utf-8")}) as s:
        yield s


def test_inspect_json_has_the_stable_keys(server: Server, tmp_path: object) -> None:
    result = CliRunner().invoke(main, ["inspect", server.url("/page"), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record) >= KEYS
    assert (record["title"], record["author"], record["site_name"]) == (
        "Inspecting pages", "Ada", "Example"
    )  # fmt: skip
    assert (record["status"], record["published"]) == (200, "2026-11-20T08:00:00+00:00")
    assert record["summary"] == "The body of the article, long enough to count as one."


def test_an_address_in_capitals_is_fetched_not_read_as_a_file(server: Server) -> None:
    shouting = server.url("/page").replace("http://", "HTTP://")
    result = CliRunner().invoke(main, ["inspect", shouting, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "Inspecting pages"
    assert [web_address(t) for t in ("Https://a.org", "http:/a", "./http://a", "ftp://a")] == [
        True, False, False, False
    ]  # fmt: skip


def test_inspect_reads_stdin_and_files(tmp_path: pytest.TempPathFactory) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["inspect", "-", "--json", "--base-url", "https://e.org/a"],
                           input=PAGE.encode())  # fmt: skip
    record = json.loads(result.stdout)
    assert (record["url"], record["title"]) == ("https://e.org/a", "Inspecting pages")
    missing = runner.invoke(main, ["inspect", "no/such/file.html"])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("no/such/file.html: cannot read")


def test_inspect_reports_a_dead_url(server: Server) -> None:
    result = CliRunner().invoke(main, ["inspect", server.url("/missing")])
    assert result.exit_code == 1
    assert server.url("/missing") in result.stderr
