"""The built sample site: every kind of page, its head, its links, its images."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from digest.build.pipeline import BuildOptions, build
from tests.conftest import ROOT, copy_project

BASE = "https://example.github.io/digest/"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "lxml")


def html_pages(site: Path) -> list[Path]:
    """The web pages (email/ and wechat/ have tests of their own)."""
    skip = ("email", "wechat", "pagefind")
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in skip)


def test_every_kind_of_page_is_built(sample_site: Path) -> None:
    for path in [
        "index.html", "page/2/index.html", "issues/1/index.html", "issues/4/index.html",
        "posts/goroutine-scheduler/index.html", "tags/index.html", "tags/go/index.html",
        "tags/bing-fa/index.html", "archive/index.html", "404.html", "sitemap.xml",
        "robots.txt", "feed.xml", "atom.xml", "tags/go/feed.xml", "tags/go/atom.xml",
        "assets/style.css", "assets/highlight.css",
    ]:  # fmt: skip
        assert (sample_site / path).is_file(), path


def test_every_page_has_lang_title_description_canonical_and_og(sample_site: Path) -> None:
    for path in html_pages(sample_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        rel = str(path.relative_to(sample_site))
        assert soup.html is not None and soup.html.get("lang") == "zh-CN", rel
        assert soup.title is not None and soup.title.string, rel
        description = soup.find("meta", attrs={"name": "description"})
        assert description is not None and description.get("content"), rel
        canonical = soup.find("link", rel="canonical")
        assert canonical is not None, rel
        expected = BASE + rel.removesuffix("index.html")
        assert canonical["href"] == expected, rel
        for prop in ("og:title", "og:description", "og:url", "og:type"):
            assert soup.find("meta", property=prop) is not None, (rel, prop)
        feeds = soup.find_all("link", rel="alternate")
        types = {f["type"] for f in feeds}
        assert {"application/rss+xml", "application/atom+xml", "application/feed+json"} <= types
        if rel != "search/index.html":  # search is the one page allowed JavaScript
            assert soup.find("script") is None, f"{rel} needs no JavaScript"


def test_home_is_latest_first_and_paginated(sample_site: Path) -> None:
    home = page(sample_site, "index.html")
    times = [str(t["datetime"]) for t in home.select(".entry time")]
    assert times == sorted(times, reverse=True)
    assert len(times) == 5  # per_page in the sample site.toml
    assert home.select_one('.pager a[rel="next"]')["href"] == "/digest/page/2/"
    second = page(sample_site, "page/2/index.html")
    assert second.select_one('.pager a[rel="prev"]')["href"] == "/digest/"
    older = [str(t["datetime"]) for t in second.select(".entry time")]
    assert older and max(older) <= min(times)


def test_issue_page_has_epigraph_sections_items_and_neighbours(sample_site: Path) -> None:
    issue = page(sample_site, "issues/2/index.html")
    assert issue.h1.get_text() == "TB一周萃选[第2期]：镜像的层与层之间"
    epigraph = issue.select_one("blockquote.epigraph")
    assert epigraph is not None
    assert epigraph.select_one(".attribution").get_text() == "——编者，写于一次构建失败之后"
    headings = [h.get_text() for h in issue.select("section.section > h2")]
    assert headings[0].startswith("一、")
    assert all(re.match(r"^[一二三四]、一周", h) for h in headings)
    items = issue.select("article.item")
    assert len(items) >= 10
    assert [i.h3["id"] for i in items] == [f"item-{n}" for n in range(1, len(items) + 1)]
    link_lines = [i.select_one(".item-link").get_text() for i in items]
    assert any(line.startswith("文章链接：“") for line in link_lines)
    assert issue.select_one('.prev-next a[rel="prev"]')["href"] == "/digest/issues/1/"
    assert issue.select_one('.prev-next a[rel="next"]')["href"] == "/digest/issues/3/"
    first = page(sample_site, "issues/1/index.html")
    assert first.select_one('.prev-next a[rel="prev"]') is None


def test_bare_url_item_shows_host_and_path(sample_site: Path) -> None:
    bare = []
    for issue in (ROOT / "content" / "issues").glob("*.md"):
        bare += re.findall(r"^### (https?://\S+)$", issue.read_text(encoding="utf-8"), re.M)
    assert bare, "the sample content should show a bare-URL item"
    titles = set()
    for path in (sample_site / "issues").rglob("*.html"):
        for h3 in page(sample_site, str(path.relative_to(sample_site))).select("article.item h3"):
            h3.select_one(".item-number").decompose()
            h3.select_one(".anchor").decompose()
            titles.add(h3.get_text(strip=True))
    for url in bare:
        label = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
        assert label in titles


def test_chinese_paragraphs_have_no_stray_line_breaks(sample_site: Path) -> None:
    cjk = "[\u4e00-\u9fff，。、；：！？“”]"
    for path in html_pages(sample_site):
        text = re.sub(r"<pre.*?</pre>", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(f"{cjk}\n{cjk}", text), path


def test_an_issue_is_named_by_its_own_title_on_its_page_and_in_listings(
    sample_site: Path,
) -> None:
    """Readers meet each issue as "TB一周萃选[第N期]：<its title>": as its page's heading,
    as the entry headings of the home and tag pages, in the archive."""
    named = {}
    for source in sorted((ROOT / "content" / "issues").glob("*.md")):
        text = source.read_text(encoding="utf-8")
        number = re.search(r"^number: (\d+)$", text, re.M)
        title = re.search(r"^title: (.+)$", text, re.M)
        assert number and title
        named[f"/digest/issues/{number[1]}/"] = f"TB一周萃选[第{number[1]}期]：{title[1]}"
    for url, name in named.items():
        assert page(sample_site, url.removeprefix("/digest/") + "index.html").h1.get_text() == name
    listed = {}
    for path in ("index.html", "page/2/index.html", "tags/go/index.html", "tags/rust/index.html"):
        for a in page(sample_site, path).select(".entry-issue .entry-title a"):
            listed[a["href"]] = a.get_text()
    assert listed == named
    archive = page(sample_site, "archive/index.html")
    links = archive.select(".archive a[href*='/issues/']")
    assert {a["href"]: a.get_text() for a in links} == named


def test_tag_page_lists_issues_and_posts_with_excerpts(sample_site: Path) -> None:
    tag = page(sample_site, "tags/go/index.html")
    assert tag.h1.get_text() == "标签 Go 下的文章"
    kinds = {li["class"][1] for li in tag.select("li.entry")}
    assert kinds == {"entry-issue", "entry-post"}
    for entry in tag.select("li.entry"):
        assert entry.select_one(".excerpt").get_text().strip()
        assert entry.select_one(".more a").get_text().startswith("阅读全文")
    assert tag.find("link", type="application/rss+xml", href=BASE + "tags/go/feed.xml")


def test_tag_index_counts_match_tag_pages(sample_site: Path) -> None:
    index = page(sample_site, "tags/index.html")
    entries = index.select(".tag-index li")
    assert len(entries) >= 12
    for li in entries:
        href = li.a["href"].removeprefix("/digest/")
        listed = page(sample_site, href + "index.html").select("li.entry")
        assert int(li.select_one(".count").get_text()) == len(listed), href
    names = [li.a.get_text() for li in entries]
    assert "并发" in names and "C++" in names
    assert index.find("a", string="C++")["href"] == "/digest/tags/cpp/"


def test_archive_groups_by_year_newest_first(sample_site: Path) -> None:
    archive = page(sample_site, "archive/index.html")
    years = [h.get_text() for h in archive.select("section.year h2")]
    assert years == ["2026 年", "2025 年"]
    total = len(archive.select(".archive li"))
    assert total == len(list((ROOT / "content" / "issues").glob("*.md"))) + len(
        list((ROOT / "content" / "posts").glob("*.md"))
    )


def test_images_are_copied_next_to_their_page(sample_site: Path) -> None:
    for path in html_pages(sample_site):
        for img in BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").find_all("img"):
            src = img["src"]
            assert src.startswith("/digest/"), (path, src)
            assert (sample_site / src.removeprefix("/digest/")).is_file(), (path, src)


def test_internal_links_resolve(sample_site: Path) -> None:
    for path in html_pages(sample_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for a in soup.find_all("a", href=True):
            href = a["href"].split("#")[0]
            if not href.startswith("/digest/"):
                continue
            target = sample_site / href.removeprefix("/digest/")
            assert target.is_file() or (target / "index.html").is_file(), (path, href)


def test_sitemap_and_robots(sample_site: Path) -> None:
    sitemap = BeautifulSoup((sample_site / "sitemap.xml").read_bytes(), "xml")
    locs = [loc.get_text() for loc in sitemap.find_all("loc")]
    assert BASE in locs and BASE + "issues/1/" in locs and BASE + "tags/go/" in locs
    assert all(loc.startswith(BASE) for loc in locs)
    assert len(locs) == len(set(locs))
    robots = (sample_site / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap.xml" in robots


def test_404_page(sample_site: Path) -> None:
    notfound = page(sample_site, "404.html")
    assert notfound.h1.get_text() == "页面不存在"
    assert notfound.find("a", href="/digest/")


def test_a_tag_with_more_documents_than_a_page_holds_is_paged(tmp_path: Path) -> None:
    """A tag's page shows ``per_page`` excerpts, newest first, with a pager to the older
    ones at ``tags/<slug>/page/2/``…; sitemap.xml lists every page; when the pages are
    fewer again, the rebuild removes the extra ones."""
    project = copy_project(ROOT, tmp_path / "project")
    settings = project / "content" / "site.toml"
    settings.write_text(settings.read_text("utf-8").replace("per_page = 5", "per_page = 2"))
    target = tmp_path / "site"
    build(project, BuildOptions(target=target))

    first = page(target, "tags/go/index.html")
    lead = re.search(r"共 (\d+) 篇", first.select_one(".lead").get_text())
    assert lead is not None and int(lead[1]) >= 3  # the sample's Go tag spans pages
    last = -(-int(lead[1]) // 2)
    listed = []
    for n in range(1, last + 1):
        path = "tags/go/" + (f"page/{n}/" if n > 1 else "")
        shown = page(target, path + "index.html")
        listed += [a["href"] for a in shown.select(".entry-title a")]
        older = shown.select_one('.pager a[rel="next"]')
        assert (older["href"] if older else None) == (
            f"/digest/tags/go/page/{n + 1}/" if n < last else None
        )
        assert f"{BASE}{path}" in (target / "sitemap.xml").read_text("utf-8")
    assert len(listed) == len(set(listed)) == int(lead[1])
    second = page(target, "tags/go/page/2/index.html")
    assert second.select_one('.pager a[rel="prev"]')["href"] == "/digest/tags/go/"
    assert second.h1 is not None and second.h1.get_text() == "标签 Go 下的文章 · 第 2 页"
    assert not (target / f"tags/go/page/{last + 1}").exists()

    settings.write_text(settings.read_text("utf-8").replace("per_page = 2", "per_page = 50"))
    build(project, BuildOptions(target=target))
    assert not (target / "tags/go/page").exists()
    assert len(page(target, "tags/go/index.html").select(".entries > li")) == int(lead[1])
    assert "tags/go/page/" not in (target / "sitemap.xml").read_text("utf-8")
