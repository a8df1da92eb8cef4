"""The sample site in a real browser: Playwright driving Debian's headless Chromium.

Skipped, with the reason, when Chromium or Playwright is missing (.ci/run installs both).
Screenshots land in tests/artifacts/.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import string
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digest.build.pipeline import BuildOptions, build
from digest.commands.serve import make_server
from digest.renderer.search import bucket_of, terms
from tests.conftest import FIXTURES, ROOT, copy_project

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    target = tmp_path_factory.mktemp("browser") / "site"
    build(ROOT, BuildOptions(target=target))
    server = make_server(target, 18700, "/digest/")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/digest/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def pages(site_root: Path) -> list[str]:
    return sorted(
        str(p.relative_to(site_root).parent) + "/" if p.name == "index.html" else p.name
        for p in site_root.rglob("*.html")
        if p.relative_to(site_root).parts[0] != "email"
    )


def test_home_issue_tag_and_back(site: str, page: Any) -> None:
    page.goto(site)
    page.click(".entry-title a >> nth=0")
    assert page.url == site + "issues/4/"
    assert page.locator("h1").inner_text() == "TB一周萃选[第4期]：慢查询与火焰图"
    page.click(".doc-header .tags a >> nth=0")
    assert "/tags/" in page.url
    assert page.locator("h1").inner_text().startswith("标签 ")
    page.go_back()
    assert page.url == site + "issues/4/"


def test_previous_and_next_issue(site: str, page: Any) -> None:
    page.goto(site + "issues/2/")
    page.click('.prev-next a[rel="prev"]')
    assert page.url == site + "issues/1/"
    page.click('.prev-next a[rel="next"]')
    assert page.url == site + "issues/2/"


def test_tag_index(site: str, page: Any) -> None:
    page.goto(site + "tags/")
    assert page.locator(".tag-index li").count() >= 12
    page.click(".tag-index a >> text=并发")
    assert page.url == site + "tags/bing-fa/"
    assert page.locator("h1").inner_text() == "标签 并发 下的文章"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("调度", "也谈 goroutine 调度器"),
        ("容器镜像", "图解容器镜像的分层"),
        ("goroutine", "也谈 goroutine 调度器"),
        ("gorout", "也谈 goroutine 调度器"),  # a prefix, as it is being typed
        ("Docker", "TB一周萃选[第2期]"),
    ],
)
def test_search_finds_the_right_page_first(site: str, page: Any, query: str, expected: str) -> None:
    page.goto(site + "search/?q=" + query)
    first = page.locator(".search-title a >> nth=0")
    first.wait_for(timeout=10000)
    assert expected in first.inner_text()
    assert re.search(r" · 20\d\d年\d+月\d+日$", first.inner_text())  # and its date
    assert page.locator(".search-excerpt mark >> nth=0").count() == 1


def test_search_lists_every_matching_page_and_its_parts(site: str, page: Any) -> None:
    """A Chinese query of two words finds the pages with both words apart as well as the
    ones with the phrase (those first); an issue's matching items are listed under it."""
    page.goto(site + "search/?q=容器镜像")
    page.locator(".search-title a >> nth=0").wait_for(timeout=10000)
    titles = page.locator(".search-title a").all_inner_texts()
    assert [t.split(" · ")[0] for t in titles] == [
        "图解容器镜像的分层",
        "TB一周萃选[第3期]：内存安全这笔账",  # an issue's own title is in its heading
        "TB一周萃选[第2期]：镜像的层与层之间",
    ]
    assert "找到 3 篇" in page.locator("#search-status").inner_text()
    issue = page.locator(".search-result >> nth=2")
    part = issue.locator(".search-parts a >> nth=0")
    assert re.search(r"/digest/issues/2/#item-\d+$", part.get_attribute("href"))
    assert set(issue.locator("mark").all_inner_texts()) <= {"容器镜像", "容器", "镜像"}
    title = part.inner_text()
    part.click()
    page.wait_for_url(re.compile(r"/issues/2/#item-\d+$"))
    target = page.url.split("#")[1]
    assert page.locator(f"h3#{target}").inner_text().endswith(title + "#")


def test_search_as_you_type_and_nothing_found(site: str, page: Any) -> None:
    page.goto(site + "search/")
    page.fill("#search-q", "sched")
    page.locator(".search-title a >> nth=0").wait_for(timeout=10000)
    assert "goroutine" in page.locator(".search-title a >> nth=0").inner_text()
    page.fill("#search-q", "没有这个词xyzzy")
    page.locator("#search-status >> text=没有找到").wait_for(timeout=10000)
    assert page.locator(".search-result").count() == 0


def test_more_results_come_ten_at_a_time(tmp_path: Path, page: Any) -> None:
    """Twelve issues about the same thing: ten results, then the button shows the other
    two; each result links to its own issue, the newer first among equals."""
    project = copy_project(FIXTURES / "minimal", tmp_path / "project")
    for n in range(2, 13):
        (project / "content" / "issues" / f"{n:03d}.md").write_text(
            f"---\nnumber: {n}\ntitle: 第{n}期\ndate: 2026-01-{n + 1:02d}\ntags: [Go]\n---\n\n"
            f"开篇的话，这期又说到通道。\n\n## 一周文章精粹\n\n"
            f"### [通道第 {n} 篇](https://go.dev/blog/p{n})\n\n点评。\n",
            encoding="utf-8",
        )
    (project / "content" / "issues" / "001.md").write_text(
        (project / "content" / "issues" / "001.md").read_text(encoding="utf-8")
        + "\n说到通道。\n", encoding="utf-8"
    )  # fmt: skip
    build(project)
    server = make_server(project / "site", 0, "/weekly/")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/weekly/search/?q=通道")
        page.locator(".search-result >> nth=0").wait_for(timeout=10000)
        assert "找到 12 篇" in page.locator("#search-status").inner_text()
        assert page.locator(".search-result").count() == 10
        page.click("#search-more")
        page.locator(".search-result >> nth=11").wait_for(timeout=10000)
        assert page.locator("#search-more").is_hidden()
        hrefs = page.locator(".search-title a").evaluate_all("els => els.map(e => e.href)")
        numbers = [int(h.rstrip("/").rsplit("/", 1)[1]) for h in hrefs]
        assert sorted(numbers) == list(range(1, 13))
        # Issues 2-12 say the same thing in the same words: the newer comes first.
        assert [n for n in numbers if n > 1] == list(range(12, 1, -1))
    finally:
        server.shutdown()
        server.server_close()


def test_the_search_script_makes_terms_as_the_indexer_does(site: str, page: Any) -> None:
    """The index and the reader's script must cut text into the same terms and put them in
    the same buckets, or a query finds nothing: both are run on the same strings."""
    rng = random.Random(7)
    alphabet = "Go语言的调度器容器镜像ＡＢｃ１２ _-.，。éßİ가나カタ𠀋\n" + string.ascii_letters
    samples = ["Go 1.22 的 goroutine 调度器", "ｇｏｒｏｕｔｉｎｅ", "锁", "x" * 41, "C++ 与 Rust"]
    samples += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(200)
    ]
    page.goto(site + "search/")
    got = page.evaluate(
        "(xs) => xs.map((x) => { const t = digestSearch.terms(x);"
        " return [t, t.map((w) => digestSearch.bucketOf(w, 1024))]; })",
        samples,
    )
    assert got == [[terms(x), [bucket_of(t, 1024) for t in terms(x)]] for x in samples]


def test_header_search_box_leads_to_results(site: str, page: Any) -> None:
    page.goto(site)
    page.fill("#site-search-q", "goroutine")
    page.press("#site-search-q", "Enter")
    page.locator(".search-title a >> nth=0").wait_for(timeout=10000)
    assert "/search/?q=goroutine" in page.url


def test_404_page(site: str, page: Any) -> None:
    response = page.goto(site + "no/such/page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"


def test_feed_link_in_head(site: str, page: Any) -> None:
    page.goto(site + "issues/1/")
    feed = page.locator('head link[rel="alternate"][type="application/rss+xml"]')
    assert feed.first.get_attribute("href") == "https://example.github.io/digest/feed.xml"


def test_phone_width_no_horizontal_scroll_and_usable_header(
    site: str, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    built = Path(tmp_path_factory.getbasetemp()) / "browser0" / "site"
    checked = 0
    for path in pages(built):
        page.goto(site + path)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (path, widths)
        for link in page.locator(".site-header nav a").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, path
            assert box["height"] >= 24, path
        checked += 1
    page.goto(site + "issues/1/")
    page.click(".site-header nav a >> text=标签")
    assert page.url == site + "tags/"
    assert checked >= 20
    context.close()


# Each inline code's hyphens followed by a letter, where the line breaks between the two.
BREAKS_AT_HYPHENS = """() => {
  const found = [];
  for (const code of document.querySelectorAll(":not(pre) > code")) {
    const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (let i = 0; i + 1 < node.length; i++) {
        if (node.data[i] !== "-" || /\\s/.test(node.data[i + 1])) continue;
        const top = (at) => {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + 1);
          return range.getBoundingClientRect().top;
        };
        if (top(i + 1) > top(i) + 1) found.push(code.textContent);
      }
    }
  }
  return found;
}"""


def test_inline_code_does_not_break_at_a_hyphen_on_phones(tmp_path: Path, browser: Any) -> None:
    """On a phone, neither the issue page nor its email breaks a line inside `-race` or
    `go-build`; the words of inline code still wrap at their spaces, and nothing is
    wider than the screen."""
    root = copy_project(FIXTURES / "minimal", tmp_path / "project")
    lines = [
        "字" * n + "，试试 `go-test-race-cover` 再跑 `go test -race -cover ./...` 看看。"
        for n in range(24)
    ]
    (root / "content" / "issues" / "002.md").write_text(
        "---\nnumber: 2\ntitle: 连字符\ndate: 2026-01-09\n---\n\n" + "\n\n".join(lines) + "\n",
        encoding="utf-8",
    )
    build(root)
    server = make_server(root / "site", 18760, "/weekly/")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/weekly/"
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    try:
        for path in ("issues/2/", "email/2.html"):
            page.goto(base + path)
            assert page.evaluate(BREAKS_AT_HYPHENS) == [], path
            wrapped = page.evaluate(
                "[...document.querySelectorAll(':not(pre) > code')]"
                ".filter(c => c.getClientRects().length > 1).length"
            )
            assert wrapped > 0, path  # long code still wraps, at its spaces
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], (path, widths)
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_dark_mode_and_visible_focus(site: str, browser: Any) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 24, 28)"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("""(() => { const s = getComputedStyle(document.activeElement);
        return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; })()""")
    assert outline[0] == "A" and outline[1] != "none" and outline[2] != "0px", outline
    context.close()


def test_screenshots(site: str, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shots: dict[str, dict[str, Any]] = {
        "desktop": {"viewport": {"width": 1280, "height": 900}},
        "mobile": {"viewport": {"width": 390, "height": 844}, "is_mobile": True},
        "dark": {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark"},
    }
    for name, options in shots.items():
        context = browser.new_context(**options)
        page = context.new_page()
        for label, path in (("home", ""), ("issue", "issues/1/"), ("wechat", "wechat/1/")):
            page.goto(site + path)
            shot = ARTIFACTS / f"{label}-{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        context.close()


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core needs `npm ci --prefix tests/node`")
def test_no_serious_accessibility_violations(site: str, page: Any) -> None:
    for path in (
        "",
        "issues/1/",
        "posts/goroutine-scheduler/",
        "tags/",
        "tags/go/",
        "archive/",
        "search/?q=goroutine",
        "no/such/page/",
    ):
        page.goto(site + path)
        if "?q=" in path:
            page.locator(".search-result >> nth=0").wait_for(timeout=10000)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [
            (v["id"], v["impact"], len(v["nodes"]))
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (path, json.dumps(serious))
