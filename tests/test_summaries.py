"""Which summary a link gets: prose description, the external summariser, or ours."""

from __future__ import annotations

import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.config import SummarySettings
from digest.scraper.cache import Cache
from digest.scraper.extract import extract
from digest.summarizer.summaries import PageSummaries, SummarizerFailed, run_command
from tests.conftest import snapshot
from tests.httpd import Server, serve

# No usable description (it is the site's slogan), so the summary comes from the text.
ARTICLE = """<html lang="zh-CN"><head><meta charset="utf-8"><title>缓存失效的三种策略</title>
<meta property="og:site_name" content="某技术博客"><meta name="description" content="某技术博客">
</head><body><article><h1>缓存失效的三种策略</h1>
<p>缓存最难的部分从来不是写入，而是失效。</p>
<p>第一种策略是按时间过期，简单可靠，但数据会有一段时间是旧的。</p>
<p>第二种是写入时主动删除缓存，数据更新及时，可是并发写入时容易留下脏数据。</p>
<p>第三种是订阅数据库的变更日志来删除缓存，实现复杂一些，却最不容易出错。</p>
<p>点击阅读原文，关注公众号获取更多内容。</p>
</article></body></html>"""
PY = shlex.quote(sys.executable)


def command(code: str) -> str:
    return f"{PY} -c {shlex.quote(code)}"


@pytest.fixture
def server() -> Iterator[Server]:
    with serve({"/a": lambda h: h.reply(200, ARTICLE.encode(), "text/html; charset=utf-8")}) as s:
        yield s


def project(minimal: Path, server: Server, summary: str) -> Path:
    (minimal / "content" / "issues" / "002.md").write_text(
        f"---\nnumber: 2\ntitle: 摘要\ndate: 2026-11-20\n---\n\n## articles\n\n"
        f"### {server.url('/a')}\n",
        encoding="utf-8",
    )
    site = minimal / "content" / "site.toml"
    settings = "\n[fetch]\nhost_delay = 0\nretries = 0\n" + summary
    site.write_text(site.read_text(encoding="utf-8") + settings, encoding="utf-8")
    return minimal


def cached_summary(root: Path, url: str) -> str:
    with Cache(root / ".cache" / "digest.sqlite") as cache:
        page = cache.page(url)
    assert page is not None and page.record is not None
    return page.record.summary


def test_extractive_summary_is_stored_and_shown(minimal: Path, server: Server) -> None:
    root = project(minimal, server, "")
    runner = CliRunner()
    assert runner.invoke(main, ["fetch", "--root", str(root)]).exit_code == 0
    summary = cached_summary(root, server.url("/a"))
    assert summary.startswith("缓存最难的部分从来不是写入，而是失效。")
    assert "点击阅读原文" not in summary and "某技术博客" not in summary
    assert runner.invoke(main, ["build", "--root", str(root)]).exit_code == 0
    page = (root / "site" / "issues" / "2" / "index.html").read_text(encoding="utf-8")
    assert f'<p class="item-summary">{summary}</p>' in page


def test_a_fetch_after_a_build_fills_the_next_build_as_a_clean_build(
    minimal: Path, server: Server, tmp_path: Path
) -> None:
    """The issue file is unchanged, what the cache knows of its link is not: the rebuild
    shows the fetched title and summary, byte for byte as a build from scratch does."""
    root = project(minimal, server, "")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--root", str(root)]).exit_code == 0
    page = root / "site" / "issues" / "2" / "index.html"
    assert "缓存失效的三种策略" not in page.read_text(encoding="utf-8")
    assert runner.invoke(main, ["fetch", "--root", str(root)]).exit_code == 0
    assert runner.invoke(main, ["build", "--root", str(root)]).exit_code == 0
    assert "缓存失效的三种策略" in page.read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    shutil.copytree(root / "content", clean / "content")
    (clean / ".cache").mkdir()
    shutil.copy(root / ".cache" / "digest.sqlite", clean / ".cache")
    assert runner.invoke(main, ["build", "--root", str(clean)]).exit_code == 0
    assert snapshot(root / "site") == snapshot(clean / "site")


def test_external_summariser_replaces_the_extractive_one(minimal: Path, server: Server) -> None:
    script = "import sys; t = sys.stdin.read(); print('外部摘要：共', len(t), '字。')"
    root = project(minimal, server, f"[summary]\ncommand = '''{command(script)}'''\n")
    result = CliRunner().invoke(main, ["fetch", "--root", str(root)])
    assert result.exit_code == 0, result.output
    text_length = len(extract(ARTICLE.encode(), url="x").text)
    assert cached_summary(root, server.url("/a")) == f"外部摘要：共 {text_length} 字。"


def test_external_summariser_timeout_keeps_ours_and_is_reported(
    minimal: Path, server: Server
) -> None:
    slow = command("import time; time.sleep(30)")
    root = project(minimal, server, f"[summary]\ncommand = '''{slow}'''\ntimeout = 0.5\n")
    result = CliRunner().invoke(main, ["fetch", "--root", str(root)])
    assert result.exit_code == 0, result.output  # a summariser problem is not ours to fail on
    assert (
        f"summariser failed for {server.url('/a')}: timed out after 0.5 s; "
        "kept the extractive summary"
    ) in result.stdout
    assert cached_summary(root, server.url("/a")).startswith("缓存最难的部分从来不是写入")


@pytest.mark.parametrize(
    ("cmd", "why"),
    [
        (command("import sys; sys.exit('model not found')"), "exit status 1: model not found"),
        (command("pass"), "it printed nothing"),
        (command("import sys; sys.stdout.buffer.write(b'\\xff\\xfe')"), "its output is not UTF-8"),
        ("/no/such/summariser", "cannot run it: No such file or directory"),
        ("llm 'unbalanced", "cannot read the command: No closing quotation"),
    ],
)
def test_external_summariser_failures_say_why(cmd: str, why: str) -> None:
    with pytest.raises(SummarizerFailed) as caught:
        run_command(cmd, "正文", timeout=10)
    assert str(caught.value) == why


def test_prose_description_wins_over_any_summariser() -> None:
    page = ARTICLE.replace('content="某技术博客">\n', 'content="某技术博客">', 1).replace(
        '<meta name="description" content="某技术博客">',
        '<meta name="description" content="比较三种缓存失效策略的利弊，以及各自适合的场景。">',
    )
    record = PageSummaries(SummarySettings()).summarized(
        extract(page.encode(), url="https://e.org/a")
    )
    assert record.summary == "比较三种缓存失效策略的利弊，以及各自适合的场景。"
    short = PageSummaries(SummarySettings(budget_cjk=30)).summarized(
        extract(ARTICLE.encode(), url="https://e.org/a")
    )
    assert short.summary == "缓存最难的部分从来不是写入，而是失效。"


def test_a_description_longer_than_the_budget_is_summarised_within_it() -> None:
    # Some sites put a whole article in the description. One within the budget is shown as
    # written; a longer one is summarised within the budget, its lead sentences first; one
    # whose every sentence is over the budget gives way to the text's summary.
    lead = "The limpets on the north rocks held on through the storm."
    rest = " The wardens counted them at dawn, rock by rock, and found the colony whole."
    cases = [  # (description, budget in words, the summary)
        (lead, 50, lead),
        (lead + rest * 6, 20, lead),
        ("word " * 60 + "end.", 20, "The first paragraph of the text is short."),
    ]
    found = []
    for description, budget, _ in cases:
        html = (
            f'<html lang="en"><head><title>Limpets</title><meta name="description"'
            f' content="{description}"></head><body><article><p>The first paragraph of the'
            " text is short.</p></article></body></html>"
        )
        settings = SummarySettings(budget_words=budget)
        record = extract(html.encode(), url="https://e.org/a")
        found.append(PageSummaries(settings).summarized(record).summary)
    assert found == [want for *_, want in cases]
