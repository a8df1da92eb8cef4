"""The WeChat article, the feeds of links and JSON Feed."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from digest.cli import main

BASE = "https://example.github.io/digest/"
ISSUES = [1, 2, 3, 4]


def wechat(site: Path, n: int) -> BeautifulSoup:
    return BeautifulSoup((site / "wechat" / f"{n}.html").read_bytes(), "lxml")


@pytest.mark.parametrize("n", ISSUES)
def test_wechat_article_keeps_only_inline_styles_and_no_outside_links(
    sample_site: Path, n: int
) -> None:
    soup = wechat(sample_site, n)
    assert soup.find("style") is None and soup.find("script") is None
    assert soup.select("[class]") == []  # nothing relies on a stylesheet
    for tag in ("h1", "h2", "h3", "p", "blockquote", "pre"):
        for el in soup.find_all(tag):
            assert el.get("style"), (tag, str(el)[:80])
    for a in soup.find_all("a", href=True):
        assert "mp.weixin.qq.com" in str(a["href"]), a
    for img in soup.find_all("img"):
        assert str(img["src"]).startswith("https://")
    for pre in soup.find_all("pre"):  # code wraps at spaces, not inside words
        style = str(pre["style"]).replace(" ", "")
        assert "white-space:pre-wrap" in style and "break-all" not in style
    for word in soup.select("code span[style*='nowrap']"):  # `-race` stays whole
        assert "-" in word.get_text()


@pytest.mark.parametrize("n", ISSUES)
def test_each_footnote_resolves_to_exactly_one_url(sample_site: Path, n: int) -> None:
    soup = wechat(sample_site, n)
    markers = [int(m) for m in re.findall(r"^\[(\d+)\]$", "\n".join(
        s.get_text() for s in soup.find_all("sup")), re.M)]  # fmt: skip
    listed = re.findall(r"^\[(\d+)\] (https?://\S+)$", soup.get_text("\n"), re.M)
    numbers = [int(number) for number, _ in listed]
    assert numbers == list(range(1, len(numbers) + 1))
    assert set(markers) == set(numbers)
    urls = [url for _, url in listed]
    assert len(urls) == len(set(urls))  # one number per URL, however often it is cited
    web = BeautifulSoup((sample_site / "issues" / str(n) / "index.html").read_bytes(), "lxml")
    body = web.select_one("main article")
    assert body is not None
    for skip in body.select(".anchor, .doc-header, .item-tags"):
        skip.decompose()
    cited = {str(a["href"]).replace("/digest/", BASE, 1) if str(a["href"]).startswith("/")
             else str(a["href"]) for a in body.find_all("a", href=True)
             if not str(a["href"]).startswith("#")}  # fmt: skip
    assert set(urls) == cited


@pytest.mark.parametrize("n", ISSUES)
def test_every_item_survives(sample_site: Path, n: int) -> None:
    text = "".join(wechat(sample_site, n).get_text().split())  # spacing aside
    web = BeautifulSoup((sample_site / "issues" / str(n) / "index.html").read_bytes(), "lxml")
    for item in web.select("article.item"):
        for anchor in item.select(".anchor"):
            anchor.decompose()
        heading = item.h3
        assert heading is not None
        assert "".join(heading.get_text().split()) in text
        for p in item.find_all("p", recursive=False):
            words = "".join(p.get_text().split())[:30]
            assert words in text, words


def test_code_keeps_colours_and_whitespace(sample_site: Path) -> None:
    pre = wechat(sample_site, 1).find("pre")
    assert pre is not None and "white-space: pre-wrap" in str(pre["style"])
    assert any("color" in str(s.get("style", "")) for s in pre.find_all("span"))
    assert "\n    " in pre.get_text()  # indentation kept


def test_wechat_command(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    result = CliRunner().invoke(main, ["wechat", "1"])
    assert result.exit_code == 0, result.output
    assert (minimal / "site" / "wechat" / "1.html").is_file()
    preview = (minimal / "site" / "wechat" / "1" / "index.html").read_text(encoding="utf-8")
    assert 'contenteditable="true"' in preview and "Ctrl+A" in preview
    assert CliRunner().invoke(main, ["wechat", "7"]).exit_code == 1


def test_urls_are_listed_as_the_issue_has_them(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue = minimal / "content" / "issues" / "001.md"
    url = "https://zh.wikipedia.org/wiki/并发计算"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("https://go.dev/blog/pipelines", url),
        encoding="utf-8",
    )
    monkeypatch.chdir(minimal)
    for command in ("wechat", "email"):
        result = CliRunner().invoke(main, [command, "1"])
        assert result.exit_code == 0, result.output
    # lxml writes an href's non-ASCII characters percent-encoded; the text a reader sees
    # (WeChat's reference list, the email's text part) keeps the URL as written.
    fragment = (minimal / "site" / "wechat" / "1.html").read_text(encoding="utf-8")
    assert f"[1] {url}</p>" in fragment
    text = (minimal / "site" / "email" / "1.txt").read_text(encoding="utf-8")
    assert f"\n[1] {url}\n" in text


def test_link_feed_has_one_entry_per_item(sample_site: Path) -> None:
    parsed = feedparser.parse((sample_site / "links.xml").read_bytes())
    assert not parsed.bozo
    items = sum(len(BeautifulSoup((sample_site / "issues" / str(n) / "index.html")
                                  .read_bytes(), "lxml").select("article.item"))
                for n in ISSUES)  # fmt: skip
    assert len(parsed.entries) == items
    ids = [e.id for e in parsed.entries]
    assert len(ids) == len(set(ids))
    for entry in parsed.entries:
        links = {link.rel: link.href for link in entry.links}
        assert entry.link == links["alternate"] and not entry.link.startswith(BASE)
        assert re.fullmatch(rf"{BASE}issues/\d+/#item-\d+", links["related"])
        assert links["related"] == entry.id
        assert entry.updated_parsed is not None


def test_per_tag_link_feeds_hold_only_that_tag(sample_site: Path) -> None:
    feeds = sorted((sample_site / "tags").glob("*/links.xml"))
    assert len(feeds) >= 5
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo and parsed.entries, path
        slug = path.parent.name
        for entry in parsed.entries:
            assert slug in {t.term for t in entry.get("tags", [])}, (path, entry.id)


def test_json_feed_follows_the_spec(sample_site: Path) -> None:
    feed = json.loads((sample_site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["feed_url"] == BASE + "feed.json"
    assert feed["home_page_url"] == BASE
    assert [i["id"] for i in feed["items"]] == [f"{BASE}issues/{n}/" for n in (4, 3, 2, 1)]
    for item in feed["items"]:
        assert item["content_html"] and item["url"] == item["id"]
        datetime.fromisoformat(item["date_published"])
        assert 'src="/' not in item["content_html"] and 'href="/' not in item["content_html"]
