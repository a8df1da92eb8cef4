"""Extraction on the realistic pages in tests/pages/ (see its README)."""

from __future__ import annotations

import json
import warnings
from datetime import datetime
from pathlib import Path

import pytest

from digest.scraper.article import page_entry
from digest.scraper.extract import (
    count_words,
    extract,
    reading_minutes,
    sniff_kind,
    title_from_url,
)

PAGES = Path(__file__).resolve().parent / "pages"
CASES = sorted(p.stem for p in PAGES.glob("*.json"))


def load(name: str) -> tuple[dict[str, object], bytes]:
    expected = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    return expected, (PAGES / f"{name}.html").read_bytes()


def test_the_corpus_is_there() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("name", CASES)
def test_metadata(name: str) -> None:
    expected, body = load(name)
    record = extract(body, url=str(expected["url"]), content_type=str(expected["content_type"]))
    assert record.title == expected["title"]
    assert record.author == expected["author"]
    assert record.site_name == expected["site_name"]
    published = expected["published"]
    if published is None or len(str(published)) == 10:
        # A page that shows only a date may be matched by a full timestamp on that date.
        assert (record.published or "")[:10] == (published or "")
    else:  # the same instant, however the offset is written
        assert record.published is not None and len(record.published) > 10
        assert datetime.fromisoformat(record.published) == datetime.fromisoformat(str(published))
    assert str(record.lang).lower().startswith(str(expected["lang"]).lower()[:2])


@pytest.mark.parametrize("name", CASES)
def test_main_text_is_the_article_and_not_the_page_around_it(name: str) -> None:
    expected, body = load(name)
    record = extract(body, url=str(expected["url"]), content_type=str(expected["content_type"]))
    for sentence in expected["must_contain"]:  # type: ignore[attr-defined]
        assert sentence in record.text, sentence
    for boilerplate in expected["must_not_contain"]:  # type: ignore[attr-defined]
        assert boilerplate not in record.text, boilerplate
    assert record.word_count > 100
    assert record.reading_minutes >= 1


def test_counting_words_and_reading_time() -> None:
    assert count_words("容器镜像 uses layers") == 4 + 2
    assert count_words("コンテナ・イメージ，layers。") == 9 + 1  # kana too, not punctuation
    assert reading_minutes("字" * 800) == 2
    assert reading_minutes("word " * 460) == 2
    assert reading_minutes("") == 0


def test_line_breaks_between_cjk_characters_are_dropped() -> None:
    # The page's source wraps lines; Chinese and Japanese have no spaces between words.
    html = (
        "<html><body><article><p>容器镜像\n由多层组成，\n每层是「只读」\n的。"
        "コンテナ\nイメージ 【注意】\n以上 Docker\n镜像</p></article></body></html>"
    )
    record = extract(html.encode(), url="https://example.org/a", content_type="text/html")
    assert (
        record.text
        == "容器镜像由多层组成，每层是「只读」的。コンテナイメージ【注意】以上 Docker 镜像"
    )


def test_non_html_bodies_are_described() -> None:
    pdf = extract(b"%PDF-1.7 ...", url="https://example.org/papers/go-memory-model_2022.pdf")
    assert (pdf.kind, pdf.title) == ("pdf", "go memory model 2022")
    png = extract(b"\x89PNG\r\n\x1a\n....", url="https://example.org/img/flame-graph.png")
    assert (png.kind, png.title) == ("image", "flame graph")
    feed = extract(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Go Blog</title>'
                   b"</channel></rss>", url="https://go.dev/blog/feed.atom")  # fmt: skip
    assert (feed.kind, feed.title) == ("feed", "Go Blog")
    assert title_from_url("https://example.org/") == "example.org"


def test_a_stray_nul_or_utf_16_is_still_a_page_a_binary_file_is_not() -> None:
    # Old pages carry stray NUL bytes in their text, and a UTF-16 page has one in every
    # other byte: browsers show both as pages. A file of bytes with no markup is not one.
    page = "<html><head><title>Flaky tests</title></head><body><p>The port\x00 was taken.</p>"
    stray = extract(page.encode(), url="https://example.org/a", content_type="text/html")
    assert (stray.kind, stray.title, stray.text) == ("html", "Flaky tests", "The port was taken.")
    wide = extract(page.encode("utf-16"), url="https://example.org/a", content_type="text/html")
    assert (wide.kind, wide.title) == ("html", "Flaky tests")
    assert "was taken" in wide.text
    blob = bytes(range(256)) * 8
    assert sniff_kind(blob, "text/html") == "other"


ARTICLE = (
    "<p>Go 1.22 改变了 for 循环变量的语义：每一次迭代都有自己的变量，闭包不再意外共享同一个值。"
    "这个改动修掉了 Go 程序里最常见的一类并发错误。</p>"
    "<p>升级之前，先用 go vet 检查 loopclosure 报告的位置，再在 go.mod 里把 go 指令改成 1.22，"
    "新语义只对声明了 1.22 及以上版本的模块生效。</p>"
    "<p>对大多数项目来说，升级后什么也不用改；少数依赖旧语义的测试会失败，"
    "这正好说明它们原本就有隐藏的错误。</p>"
)
MENU = "<ul>" + "".join(f"<li><a href='/c/{i}'>栏目{i}：云原生</a></li>" for i in range(60))


def test_a_page_wrapped_in_a_form_or_a_menu_class_keeps_its_article() -> None:
    # An ASP.NET page is one <form>; some themes name the wrapper after the ad or menu it
    # makes room for. Removed as furniture, they took the whole article with them.
    form_page = (
        "<html><body><form id='aspnetForm'><nav>" + MENU + "</ul></nav>"
        "<div id='story'>" + ARTICLE + "</div><aside class='sidebar'>扫码关注我们的公众号</aside>"
        "</form></body></html>"
    )
    wrapped = (
        "<html><body><div class='m-advertisement-off-canvas--pusher'>"
        "<div class='story'>" + ARTICLE + "</div></div></body></html>"
    )
    themed = (
        "<html><body><header class='page-header'><nav>" + MENU + "</ul></nav></header>"
        "<div class='page-content and-w-sidebar'>" + ARTICLE + "</div></body></html>"
    )
    for html in (form_page, wrapped, themed):
        record = extract(html.encode(), url="https://example.org/go122", content_type="text/html")
        assert "每一次迭代都有自己的变量" in record.text
        assert "这正好说明它们原本就有隐藏的错误" in record.text
        assert "栏目3" not in record.text and "扫码关注" not in record.text


def test_xml_declarations_are_read_without_a_warning() -> None:
    xhtml = (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><title>Layers</title>'
        b'<meta name="author" content="Jane Doe"/></head>'
        b"<body><h1>Layers</h1><p>How image layers are stored.</p></body></html>"
    )
    # XML that is not XHTML, served as a web page: `digest fetch` must not print bs4's warning.
    xml = b'<?xml version="1.0"?><note><title>Layers</title><body>Stored in order.</body></note>'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        record = extract(xhtml, url="https://example.com/a", content_type="application/xhtml+xml")
        other = extract(xml, url="https://example.com/b", content_type="text/html")
    assert (record.title, record.author, record.lang) == ("Layers", "Jane Doe", "en")
    assert other.title == "Layers"


def test_a_title_repeated_after_a_comment_or_an_instruction_is_read_without_a_crash() -> None:
    for mark in ("<!-- c -->", "<?pi x?>"):
        body = (
            "<html><head><title>Layers and caches</title></head><body><div>"
            f"{mark}Layers and caches<p>By Jane Doe</p></div></body></html>"
        ).encode()
        record = extract(body, url="https://example.com/a", content_type="text/html")
        assert record.title == "Layers and caches"


def test_a_web_page_with_rdf_in_its_head_is_a_page_and_not_a_feed() -> None:
    # Blog engines put trackback RDF in a comment near the top of each post's page.
    html = (
        "<html><head><title>Notes</title></head><body><div class='blog'>\n<!--\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        "<rdf:Description rdf:about='https://notes.example.net/1'/></rdf:RDF>\n-->\n"
        f"<article>{ARTICLE}</article></div></body></html>"
    )
    record = extract(html.encode(), url="https://notes.example.net/1", content_type="text/html")
    assert record.kind == "html"
    assert "每一次迭代都有自己的变量" in record.text
    # A fragment saved without its <html> and <head> (an archive's copy): still a page.
    fragment = html.replace("<html><head><title>Notes</title></head><body>", "<text>")
    assert sniff_kind(fragment.encode(), "") == "html"
    rdf = b'<?xml version="1.0"?><rdf:RDF xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>'
    assert sniff_kind(rdf, "") == "feed"
    prolog = b'<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl"?>\n<!-- made by a blog -->\n'
    for root in (b"<rss version='2.0'><channel/></rss>", b"<feed xmlns='x'/>"):
        assert sniff_kind(prolog + root, "") == "feed", root
        assert sniff_kind(b"\xef\xbb\xbf" + root, "") == "feed", root  # after a BOM
    assert sniff_kind(b"<!-- a comment longer than the bytes read " + b"x" * 2000, "") == "html"


def test_a_lead_image_or_canonical_link_urllib_refuses_is_left_out() -> None:
    # An IPv6 bracket never closed: urljoin's ValueError ended `digest inspect` and
    # `digest import url` as an internal error, and made the page an error in a fetch.
    page = (
        '<html><head><title>Flaky tests</title><meta property="og:image" content="http://[::1">'
        '<link rel="canonical" href="http://[::1/flaky"></head><body><p>The port was taken.</p>'
    )
    record = extract(page.encode(), url="https://example.org/a", content_type="text/html")
    assert (record.title, record.image, record.canonical_url) == ("Flaky tests", None, None)


def test_control_characters_in_a_page_are_left_out_as_a_nul_is() -> None:
    # A control character XML does not allow (\x01, \x08 from a CMS's paste) in text that
    # the cleaning joins to its neighbour: lxml refused the joined text with a ValueError,
    # which ended `digest inspect` and `digest import url` as an internal error.
    page = (
        "<html><head><title>Flaky\x08 tests</title></head><body><div>Intro<nav>menu</nav>"
        "\x01 after the menu<p>The port was taken, and every test after it failed.</p>"
        "</div></body></html>"
    )
    record = extract(page.encode(), url="https://example.org/a", content_type="text/html")
    assert record.title == "Flaky tests"
    assert "The port was taken" in record.text
    assert not any(c < " " and c not in "\t\n\r" for c in record.text)
    entry = page_entry(page.encode(), url="https://example.org/a", content_type="text/html")
    assert "The port was taken" in entry.html
