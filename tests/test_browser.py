"""The sample site in a real browser: Playwright driving Debian's headless Chromium.

Skipped, with the reason, when Chromium or Playwright is missing (.ci/run installs both).
Screenshots land in tests/artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digest import pipeline
from digest.serve import make_server
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    target = tmp_path_factory.mktemp("browser") / "site"
    pipeline.build(ROOT, target)
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
        if p.relative_to(site_root).parts[0] not in ("email", "pagefind")
    )


def test_home_issue_tag_and_back(site: str, page: Any) -> None:
    page.goto(site)
    page.click(".entry-title a >> nth=0")
    assert page.url == site + "issues/4/"
    assert page.locator("h1").inner_text() == "TB一周萃选[第4期]"
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
        ("容器镜像", "TB一周萃选[第2期]"),
        ("goroutine", "也谈 goroutine 调度器"),
        ("Docker", "镜像"),
    ],
)
def test_search_finds_the_right_page_first(site: str, page: Any, query: str, expected: str) -> None:
    page.goto(site + "search/?q=" + query)
    first = page.locator(".pagefind-ui__result-link >> nth=0")  # not the loading placeholders
    first.wait_for(timeout=10000)
    assert expected in first.inner_text()
    assert re.search(r" · 20\d\d年\d+月\d+日$", first.inner_text())  # and its date
    assert page.locator(".pagefind-ui__result-excerpt mark >> nth=0").count() == 1


def test_header_search_box_leads_to_results(site: str, page: Any) -> None:
    page.goto(site)
    page.fill("#site-search-q", "goroutine")
    page.press("#site-search-q", "Enter")
    page.locator(".pagefind-ui__result-link >> nth=0").wait_for(timeout=10000)
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
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [
            (v["id"], v["impact"], len(v["nodes"]))
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (path, json.dumps(serious))
