"""The README's examples are a working project: site.toml, an issue and a post build."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from digest.build.pipeline import build
from tests.conftest import ROOT

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'


def _example(readme: str, heading: str, lang: str) -> str:
    section = readme.split(heading, 1)[1]
    match = re.search(rf"```{lang}\n(.*?)\n```\n", section, re.S)
    assert match, heading
    return match.group(1) + "\n"


def test_readme_examples_build(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    content = tmp_path / "content"
    (content / "issues").mkdir(parents=True)
    (content / "posts").mkdir()
    (content / "site.toml").write_text(_example(readme, "### `site.toml`", "toml"), "utf-8")
    issue = _example(readme, "### An issue:", "markdown")
    post = _example(readme, "### A post:", "markdown")
    (content / "issues" / "0007.md").write_text(issue, encoding="utf-8")
    (content / "posts" / "goroutine-scheduler.md").write_text(post, encoding="utf-8")
    for name in re.findall(r"[\w-]+\.svg", issue):
        (content / "issues" / name).write_text(SVG, encoding="utf-8")

    result = build(tmp_path)

    assert (result.issues, result.posts) == (1, 1)
    page = BeautifulSoup((tmp_path / "site/issues/7/index.html").read_bytes(), "lxml")
    items = page.select("article.item")
    for anchor in page.select("h3 .anchor"):
        anchor.decompose()
    assert [i.h3.get_text(" ", strip=True) for i in items] == [
        "1. Hello, 中国!",
        "2. go.dev/blog/survey2024-h1-results",
        "1. ripgrep",
    ]
    assert "标签：Go、社区" in items[0].get_text()
    assert page.select_one(".epigraph .attribution").get_text() == "——改编自网络资料"
    assert (tmp_path / "site/issues/7/go-cn.svg").is_file()
    assert (tmp_path / "site/posts/goroutine-scheduler/index.html").is_file()


def test_readme_inbox_example_is_two_entries(tmp_path: Path) -> None:
    from digest.config import load_config
    from digest.content.inbox import load_inbox

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    inbox = tmp_path / "inbox.md"
    inbox.write_text(_example(readme, "Monday to Thursday, collect links", "markdown"), "utf-8")
    entries = load_inbox(inbox, load_config(ROOT / "content" / "site.toml"))
    assert [(e.url, e.title, e.note, e.tags) for e in entries] == [
        ("https://go.dev/blog/survey2024-h1-results", None, "", ()),
        ("https://go.dev/blog/range-functions", "Go 1.23 的迭代器",
         "讲清楚了 range-over-func 的来龙去脉。", ("Go",)),
    ]  # fmt: skip
