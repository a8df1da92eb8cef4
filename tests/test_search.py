"""The search index: terms, what a page gives, the bundle, and rebuilding it from its cache.

The reader's side (assets/search.js) is tested in a real browser in tests/test_browser.py,
including that it cuts text into the same terms and buckets as this module.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from digest.build.pipeline import BuildOptions, build
from digest.build.preview import Preview
from digest.renderer import search
from tests.conftest import ROOT, THEME, copy_project, snapshot

PAGE = """<!doctype html><html><head><title>x</title><script>var q = "脚本";</script></head>
<body><nav>导航不算</nav>
<article data-search data-search-date="2026年1月2日" class="doc issue">
<header data-search-ignore><h1>TB一周萃选[第9期]</h1><p class="meta">日期与标签</p></header>
<div class="intro"><p>开头的话：Go 的调度器。</p><p>第二段</p></div>
<section><h2 id="articles">一、一周文章精粹</h2>
<article class="item">
<h3 id="item-1"><span class="item-number">1.</span> 容器镜像<a class="anchor"
  href="#item-1">#</a></h3>
<p>Docker 镜像由层组成，<code>docker images</code> 列出它们。</p>
<script>var skipped = "不该出现";</script>
</article>
<article class="item"><h3 id="item-2"><span class="item-number">2.</span> Goroutine</h3>
<p>调度</p><pre><code>go func() {}</code></pre></article>
</section>
<h4>没有 id 的小标题</h4><p>归入上一个部分。</p>
</article>
<footer>页脚不算</footer></body></html>"""


def test_terms_are_words_and_cjk_pairs() -> None:
    assert search.terms("Go 1.22 的 goroutine 调度器") == [
        "go", "1", "22", "的", "goroutine", "调度", "度器",
    ]  # fmt: skip
    assert search.terms("ＧＯ，Docker_Compose") == ["go", "docker", "compose"]  # NFKC, folded
    assert search.terms("x" * 40 + " " + "y" * 41) == ["x" * 40]  # no hashes
    assert search.terms("カタカナ 한국어") == ["カタ", "タカ", "カナ", "한국", "국어"]
    assert search.terms("—…！") == []


def test_buckets_key_on_a_terms_first_characters() -> None:
    assert search.bucket_of("goroutine", 1024) == search.bucket_of("gor", 1024)
    assert search.bucket_of("调度", 1024) == search.bucket_of("调", 1024)
    assert {search.bucket_of(t, 16) for t in ("go", "docker", "调度", "容器")} <= set(range(16))
    assert [search.bucket_count(n) for n in (0, 6, 40, 1500, 7500, 100_000)] == [
        16, 16, 32, 1024, 4096, 4096,
    ]  # fmt: skip


def test_a_page_is_cut_into_parts_at_its_headings() -> None:
    page = search.read_page(PAGE.encode(), "issues/9/")
    assert page is not None
    assert (page.url, page.title, page.date, page.key) == (
        "issues/9/", "TB一周萃选[第9期]", "2026年1月2日", "issues/9",
    )  # fmt: skip
    assert [(p.anchor, p.title, p.text) for p in page.parts] == [
        ("", "TB一周萃选[第9期]", "开头的话：Go 的调度器。 第二段"),
        ("articles", "一、一周文章精粹", ""),
        ("item-1", "容器镜像", "Docker 镜像由层组成，docker images 列出它们。"),
        ("item-2", "Goroutine", "调度 go func() {} 没有 id 的小标题 归入上一个部分。"),
    ]
    assert search.read_page(b"<html><body><p>no search part</p></body></html>", "x/") is None


def test_postings_weigh_titles_and_name_the_parts() -> None:
    page = search.read_page(PAGE.encode(), "issues/9/")
    assert page is not None
    postings: dict[str, list[int]] = {}
    for number, entry in page.postings(search.Buckets(16)).items():
        found = json.loads("{" + entry + "}")["issues/9"]
        for term, values in found.items():
            assert search.bucket_of(term, 16) == number
            postings[term] = values
    assert postings["调度"][::2] == [0, 3]  # the intro and item 2
    assert postings["镜像"][::2] == [2]
    weights = dict(zip(postings["镜像"][::2], postings["镜像"][1::2], strict=True))
    in_text = dict(zip(postings["docker"][::2], postings["docker"][1::2], strict=True))
    assert weights[2] > in_text[2]  # 镜像 is in item 1's title too
    assert "脚本" not in postings and "不该" not in postings and "导航" not in postings
    assert "日期" not in postings  # data-search-ignore


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs of the pages the search index reads (parses) from now on, as they come."""
    read: list[str] = []
    real = search.read_page

    def counting(html: bytes, url: str) -> search.Page | None:
        read.append(url)
        return real(html, url)

    monkeypatch.setattr(search, "read_page", counting)
    return read


def _bundle(site: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    folder = site / "search" / "data"
    index = json.loads((folder / "index.json").read_text())
    buckets = {p.stem: json.loads(p.read_text()) for p in (folder / "b").iterdir()}
    pages = {
        p.relative_to(folder / "pages").with_suffix("").as_posix(): json.loads(p.read_text())
        for p in (folder / "pages").rglob("*.json")
    }
    return index, buckets, pages


def test_the_bundle_holds_every_term_of_every_page(sample_site: Path) -> None:
    index, buckets, pages = _bundle(sample_site)
    assert sorted(pages) == [
        "issues/1", "issues/2", "issues/3", "issues/4",
        "posts/docker-image-layers", "posts/goroutine-scheduler",
    ]  # fmt: skip
    assert index["buckets"] == len(buckets) == 16
    assert index["parts"] == sum(len(p["parts"]) for p in pages.values())
    for key, meta in pages.items():
        assert meta["url"] == key + "/"
        assert meta["date"].startswith("20")
        for number, (_, title, text) in enumerate(meta["parts"]):
            for term in search.terms(title) + search.terms(text):
                entry = buckets[str(search.bucket_of(term, 16))][key]
                assert number in entry[term][::2], (key, number, term)


def test_spilling_to_disk_changes_nothing(
    tmp_path: Path, sample_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Buckets are gathered in spill files once the buffer passes SPILL characters; with a
    buffer of one character every page goes to disk at once, and the bundle is the same."""
    monkeypatch.setattr(search, "SPILL", 1)
    project = copy_project(ROOT, tmp_path / "project")
    build(project)
    mine = {p: b for p, b in snapshot(project / "site").items() if p.startswith("search/")}
    theirs = {p: b for p, b in snapshot(sample_site).items() if p.startswith("search/")}
    assert mine == theirs
    assert [p.name for p in (project / ".cache" / "search").iterdir()] == ["pages.sqlite"]


def test_a_rebuild_reads_only_the_pages_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    build(project)
    read = _count_reads(monkeypatch)
    issue = project / "content" / "issues" / "0003.md"
    issue.write_text(issue.read_text(encoding="utf-8") + "\n新加的一句：独一无二的词。\n")
    build(project)
    # Its neighbours are rendered again (their page jobs are keyed by it, for previous
    # and next), but their bytes are the same: the cache knows them.
    assert read == ["issues/3/"]
    _, buckets, pages = _bundle(project / "site")
    assert "独一无二的词。" in pages["issues/3"]["parts"][-1][2]
    entry = buckets[str(search.bucket_of("无二", 16))]["issues/3"]
    assert entry["无二"][0] == len(pages["issues/3"]["parts"]) - 1

    read.clear()  # the site folder gone: the bundle comes back from the cache, unread
    clean = snapshot(project / "site")
    shutil.rmtree(project / "site")
    build(project)
    assert read == []
    assert snapshot(project / "site") == clean


def test_a_broken_cache_is_made_again(tmp_path: Path, sample_site: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    store = project / ".cache" / "search" / "pages.sqlite"
    store.parent.mkdir(parents=True)
    store.write_bytes(b"this is not a database" * 100)
    build(project)
    assert snapshot(project / "site") == snapshot(sample_site)
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 6


def test_an_edit_rewrites_only_the_buckets_it_touches(tmp_path: Path) -> None:
    """After one issue is edited the bundle is patched, not made again: the buckets where
    the issue's entries did not change keep their files (and mtimes), and the result is
    what a clean build of the new content gives."""
    project = copy_project(ROOT, tmp_path / "project")
    build(project)
    buckets = project / "site" / "search" / "data" / "b"
    before = {p.name: p.stat().st_mtime_ns for p in buckets.iterdir()}
    issue = project / "content" / "issues" / "0004.md"
    issue.write_text(issue.read_text(encoding="utf-8") + "\n再加一段：quokka 的照片。\n")
    build(project)
    after = {p.name: p.stat().st_mtime_ns for p in buckets.iterdir()}
    assert after.keys() == before.keys()
    rewritten = {n for n in after if after[n] != before[n]}
    assert 0 < len(rewritten) < len(after)
    clean = copy_project(project, tmp_path / "clean")
    build(clean)
    assert snapshot(project / "site") == snapshot(clean / "site")
    _, found, _ = _bundle(project / "site")
    assert "quokka" in found[str(search.bucket_of("quokka", 16))]["issues/4"]


def test_the_cache_keeps_the_pages_of_each_folders_last_build(tmp_path: Path) -> None:
    """A preview's saves do not push the site's pages out of the cache (the next
    `digest build` would index them all again); a folder that is gone frees its own."""
    project = copy_project(ROOT, tmp_path / "project")
    store = project / ".cache" / "search" / "pages.sqlite"

    def rows() -> int:
        with sqlite3.connect(store) as db:
            return int(db.execute("SELECT count(*) FROM pages").fetchone()[0])

    build(project)
    assert rows() == 6
    issue = project / "content" / "issues" / "0003.md"
    for n in range(8):  # eight saves in another folder, like the preview's
        issue.write_text(issue.read_text(encoding="utf-8") + f"\n第 {n} 次保存。\n")
        build(project, BuildOptions(target=tmp_path / "preview"))
    assert rows() == 6 + 1  # the site's last pages, and the preview's changed one
    shutil.rmtree(tmp_path / "preview")
    with pytest.MonkeyPatch.context() as patch:
        read = _count_reads(patch)
        build(project)
    assert read == []  # the preview had indexed these pages already
    assert rows() == 6


def test_a_template_edit_that_changes_no_page_indexes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A comment in the issue template re-renders every issue page (their jobs are keyed
    by it) to the same bytes: nothing is indexed again and the bundle is kept as it is."""
    project = copy_project(ROOT, tmp_path / "project")
    build(project)
    bundle = project / "site" / "search" / "data"
    before = {p: p.stat().st_mtime_ns for p in bundle.rglob("*") if p.is_file()}
    read = _count_reads(monkeypatch)
    with (project / "templates" / "issue.html").open("a", encoding="utf-8") as f:
        f.write("{# 只是一条注释 #}\n")
    result = build(project)
    assert result.files - result.unchanged == 0
    assert read == []
    assert {p: p.stat().st_mtime_ns for p in bundle.rglob("*") if p.is_file()} == before


def test_the_script_reads_the_format_the_indexer_writes() -> None:
    script = (THEME / "static" / "search.js").read_text(encoding="utf-8")
    found = re.search(r"var VERSION = (\d+);", script)
    assert found is not None and int(found[1]) == search.VERSION
    assert f"var PREFIX = {search.PREFIX}," in script
    assert f"LONGEST = {search.LONGEST}," in script


def test_a_bundle_left_stale_by_the_preview_is_not_patched_as_if_current(
    tmp_path: Path,
) -> None:
    """The preview keeps the index it made at start while pages change under it; a full
    build into the same folder later must not trust that index's list of pages."""
    project = copy_project(ROOT, tmp_path / "project")
    target = tmp_path / "preview"
    preview = Preview(project, target)
    preview.build()
    issue = project / "content" / "issues" / "0002.md"
    issue.write_text(issue.read_text(encoding="utf-8") + "\n预览里加的：quokka。\n")
    preview.build()  # the page changes, its index entry does not
    build(project, BuildOptions(target=target, drafts=True))  # issue 2's page is unchanged now
    clean = copy_project(project, tmp_path / "clean")
    build(clean, BuildOptions(drafts=True))
    assert snapshot(target) == snapshot(clean / "site")
