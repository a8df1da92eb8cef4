"""How big an issue may be: its email is warned about over ``[email] clip_kb`` and refused
over ``max_kb`` wherever it is rendered (``digest build``, ``email``, ``send``), and a feed
entry carries at most ``feed_entry_kb`` of a body. The large issues are made here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import lxml.html
import pytest
from click.testing import CliRunner

from digest.build.pipeline import BuildOptions, build
from digest.cli import main
from digest.config import load_config
from digest.errors import DigestError
from digest.renderer.feedbody import feed_body
from digest.renderer.site import site_env
from tests.conftest import sent_html_size, snapshot

SENTENCE = (
    "作者从一次线上延迟抖动讲起，用 `pprof` 和火焰图一步步缩小范围，"
    "最后发现是日志库在热路径上多做了一次内存分配。"
)
PAGE = "https://example.org/weekly/issues/2/"


def paragraph(item: int, n: int) -> str:
    """The text of paragraph ``n`` of item ``item``'s commentary, as a page shows it."""
    return f"第 {item} 条的第 {n} 段：" + SENTENCE.replace("`", "") * 4


def long_issue(root: Path, items: int, number: int = 2) -> Path:
    """Issue ``number``: ``items`` items, each with six paragraphs of commentary."""
    parts = [
        f"---\nnumber: {number}\ntitle: 很长的一期\ndate: 2026-01-09\ntags: [性能]\n---\n\n"
        "这一期特别长。\n\n## articles\n\n"
    ]
    for n in range(1, items + 1):
        commentary = "\n\n".join(f"第 {n} 条的第 {k} 段：" + SENTENCE * 4 for k in range(1, 7))
        parts.append(
            f"### [第 {n} 篇长文](https://example.com/long/{n})\n\n{commentary}\n\n标签：性能\n\n"
        )
    path = root / "content" / "issues" / f"{number:03}.md"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def settings(root: Path, email: str) -> None:
    """Add an ``[email]`` table to the project's site.toml."""
    site = root / "content" / "site.toml"
    site.write_text(site.read_text(encoding="utf-8") + f"\n[email]\n{email}\n", "utf-8")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def kb(path: Path) -> str:
    return f"{path.stat().st_size / 1024:.1f} KB"


def test_an_email_gmail_would_clip_is_built_with_a_warning(minimal: Path) -> None:
    issue = long_issue(minimal, 15)
    code, out, err = run("build", "--root", str(minimal))
    assert code == 0, err
    html = minimal / "site" / "email" / "2.html"
    assert 102 * 1024 < html.stat().st_size < 1024 * 1024
    size = f"{sent_html_size(html.with_suffix('.eml')) / 1024:.1f} KB"
    warning = (
        f"warning: {issue}: the email of issue 2 is {size} of HTML; Gmail clips emails"
        " over 102 KB ([email] clip_kb)"
    )
    assert err.splitlines() == [warning]
    assert ", 1 warning, " in out
    # Nothing changed: the build renders nothing, and says so again.
    assert run("build", "--root", str(minimal))[2].splitlines() == [warning]
    # Another document changed: the email is kept as it was, its warning too.
    post = minimal / "content" / "posts" / "hello.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n又一段。\n", encoding="utf-8")
    assert run("build", "--root", str(minimal))[2].splitlines() == [warning]
    # digest email and digest send (a dry run) say the same.
    assert warning in run("email", "2", "--root", str(minimal))[2].splitlines()
    assert warning in run("send", "2", "--root", str(minimal))[1].splitlines()
    # A smaller issue: no warning.
    long_issue(minimal, 5)
    assert run("build", "--root", str(minimal))[2] == ""


def refused(issue: Path, limit: int) -> re.Pattern[str]:
    return re.compile(
        rf"{re.escape(str(issue))}: the email of issue 2 is (\d+\.\d) KB of HTML, over the"
        rf" limit of {limit} KB \(\[email\] max_kb\); shorten the issue or raise the limit"
    )


def test_an_email_over_max_kb_is_refused_and_the_site_stays(minimal: Path) -> None:
    settings(minimal, "max_kb = 200")
    assert run("build", "--root", str(minimal))[0] == 0
    site = minimal / "site"
    before = snapshot(site)
    issue = long_issue(minimal, 30)
    code, _, err = run("build", "--root", str(minimal))
    message = refused(issue, 200)
    found = message.fullmatch(err.strip())
    assert code == 1 and found, err
    assert float(found.group(1)) > 200
    assert snapshot(site) == before
    assert [p.name for p in minimal.iterdir() if p.name.startswith(".site")] == []
    # In a worker process too (the render is spread over the cores when there is much to do).
    with pytest.raises(DigestError, match=message):
        build(minimal, BuildOptions(parallel=True, min_jobs=1))
    assert snapshot(site) == before
    # Any issue's email on demand, and sending it, are refused alike; nothing is written.
    for args in (("email", "2"), ("send", "2"), ("send", "2", "--yes")):
        code, out, err = run(*args, "--root", str(minimal))
        assert code == 1 and message.fullmatch(err.strip()), (args, out, err)
    assert not (site / "email" / "2.html").exists()
    # The build writes no email at all: it checks the newest issue's all the same.
    settings_file = minimal / "content" / "site.toml"
    text = settings_file.read_text(encoding="utf-8")
    settings_file.write_text(text.replace("[email]\n", "[email]\nnewest_issues = 0\n"), "utf-8")
    code, _, err = run("build", "--root", str(minimal))
    assert code == 1 and message.fullmatch(err.strip()), err
    assert snapshot(site) == before
    # The limit raised: built, with the clipping warning.
    settings_file.write_text(text.replace("max_kb = 200", "max_kb = 1024"), "utf-8")
    code, _, err = run("build", "--root", str(minimal))
    assert code == 0 and "Gmail clips" in err
    assert (site / "email" / "2.html").stat().st_size > 200 * 1024


def test_without_email_files_the_newest_issue_is_still_checked(minimal: Path) -> None:
    settings(minimal, "newest_issues = 0")
    issue = long_issue(minimal, 15)
    code, _, err = run("build", "--root", str(minimal))
    assert code == 0 and not (minimal / "site" / "email").exists()
    assert re.fullmatch(
        rf"warning: {re.escape(str(issue))}: the email of issue 2 is \d+\.\d KB of HTML;"
        r" Gmail clips emails over 102 KB \(\[email\] clip_kb\)",
        err.strip(),
    ), err


def entry_of(feed: Path, link: str) -> str:
    """The HTML content of the entry of ``feed`` that links to ``link``."""
    parsed = feedparser.parse(feed.read_bytes())
    assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
    entry = next(e for e in parsed.entries if e.link == link)
    content = entry.content[0].value if "content" in entry else entry.description
    assert isinstance(content, str)
    return content


def test_feed_entries_carry_at_most_feed_entry_kb_of_a_body(minimal: Path) -> None:
    long_issue(minimal, 30)
    build(minimal)
    site = minimal / "site"
    page = lxml.html.fromstring((site / "issues" / "2" / "index.html").read_bytes())
    paragraphs = {p.text_content() for p in page.iter("p")}
    assert paragraph(30, 6) in paragraphs  # the page is whole
    feeds = ["feed.xml", "atom.xml", "tags/xing-neng/feed.xml", "tags/xing-neng/atom.xml"]
    for feed in feeds:
        content = entry_of(site / feed, PAGE)
        assert 50 * 1024 < len(content.encode()) <= 100 * 1024, feed
        cut = lxml.html.fragment_fromstring(content, create_parent="div")
        more = cut[-1]
        assert more.get("class") == "feed-more", feed
        assert [a.get("href") for a in more.iter("a")] == [PAGE]
        assert "阅读全文" in more.text_content()
        kept = [p.text_content() for p in cut.iter("p") if p is not more]
        assert paragraph(1, 1) in kept and paragraph(30, 6) not in kept
        assert set(kept) <= paragraphs, feed  # whole paragraphs only
        if "/" not in feed:  # the short issue is whole
            first = entry_of(site / feed, "https://example.org/weekly/issues/1/")
            assert "点评。" in first and "feed-more" not in first
    items = json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]
    long = next(item for item in items if item["url"] == PAGE)
    assert len(long["content_html"].encode()) <= 100 * 1024
    assert long["content_html"].endswith(f'<a href="{PAGE}">到网站上阅读全文</a></p>\n')
    assert (site / "tags" / "xing-neng" / "feed.xml").stat().st_size < 120 * 1024


def test_a_cut_keeps_the_opening_in_whole_blocks(minimal: Path) -> None:
    site = load_config(minimal / "content" / "site.toml")
    env = site_env(site, minimal / "templates")
    opening = '<div class="intro">\n<p>开篇。</p>\n</div>\n<section>\n<h2>一</h2>\n'
    # A list is cut between its items.
    items = "<ul>" + "<li>一条很长的列表项。</li>" * 20_000 + "</ul>\n</section>\n<p>结尾。</p>\n"
    text = feed_body(opening + items, PAGE, site, env)
    assert 90 * 1024 < len(text.encode()) <= 100 * 1024
    cut = lxml.html.fragment_fromstring(text, create_parent="div")
    assert [el.tag for el in cut] == ["div", "section", "p"]
    assert [el.tag for el in cut[1]] == ["h2", "ul"]
    assert {li.text for li in cut.iter("li")} == {"一条很长的列表项。"}
    assert "结尾。" not in cut.text_content()
    # A code block is kept whole or not at all, and its wrapper goes with it.
    code = '<div class="highlight"><pre><code>' + "x = 1\n" * 30_000 + "</code></pre></div>\n"
    cut = lxml.html.fragment_fromstring(
        feed_body(opening + code + "</section>\n", PAGE, site, env), create_parent="div"
    )
    assert [el.tag for el in cut] == ["div", "section", "p"]
    assert [el.tag for el in cut[1]] == ["h2"]
    # A short body is left as it is.
    assert feed_body(opening + "</section>\n", PAGE, site, env) == opening + "</section>\n"
