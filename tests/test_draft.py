"""``digest new``: the next issue drafted from the inbox and cached feed entries."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from digest.cli import main
from digest.commands.new import new as draft_new
from digest.config import load_config
from digest.content.inbox import load_inbox
from digest.errors import ContentError
from digest.model import CachedPage, Candidate
from digest.renderer.draft import md_text
from digest.scraper.cache import Cache
from digest.scraper.extract import extract
from digest.scraper.feeds import parse_feed
from digest.summarizer.draft import next_publishing_day
from digest.summarizer.summaries import PageSummaries
from tests.conftest import FIXTURES, ROOT, copy_project

DRAFT = FIXTURES / "draft"
GOLDEN = ROOT / "tests" / "golden" / "draft-0002.md"
SEEN = 1_763_600_000.0  # when the feed entries were first seen: 2025, before issue 1


def draft_project(tmp_path: Path) -> Path:
    """The fixture project, with a scrape cache holding one feed and one fetched page."""
    root = copy_project(DRAFT, tmp_path / "project")
    site = load_config(root / "content" / "site.toml")
    feed = parse_feed((DRAFT / "feed.xml").read_bytes(), url="https://blog.example.org/feed",
                      content_type="application/atom+xml", section="articles", tags=())  # fmt: skip
    url = "https://blog.example.org/posts/rust-async"
    record = extract((DRAFT / "rust-async.html").read_bytes(), url=url, status=200,
                     content_type="text/html; charset=utf-8")  # fmt: skip
    record = PageSummaries(site.summary).summarized(record)
    with Cache(root / site.fetch.cache) as cache:
        cache.add_candidates(replace(c, first_seen=SEEN) for c in feed.entries)
        cache.save_page(CachedPage(url, "ok", 200, None, None, None, None, record, SEEN))
    return root


def new(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["new", "--root", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def test_draft_matches_golden(tmp_path: Path, update_golden: bool) -> None:
    root = draft_project(tmp_path)
    code, out, err = new(root, "--date", "2026-11-20")
    assert code == 0, err
    assert out.startswith(f"wrote {root / 'content' / 'issues' / '0002.md'}: 5 items")
    draft = (root / "content" / "issues" / "0002.md").read_text(encoding="utf-8")
    if update_golden:
        GOLDEN.write_text(draft, encoding="utf-8")
    assert draft == GOLDEN.read_text(encoding="utf-8")
    # the link already in issue 1 is flagged, in the draft and on the terminal
    assert "content/inbox.md:5: https://go.dev/blog/pgo was already published (第1期)" in err


def test_draft_contents(tmp_path: Path) -> None:
    root = draft_project(tmp_path)
    code, draft, err = new(root, "--dry-run", "--date", "2026-11-20")
    assert code == 0, err
    sections = re.findall(r"^## (.+)$", draft, re.MULTILINE)
    assert sections == ["一周文章精粹", "一周工具推荐", "一周图书推荐"]  # host rules placed two
    # the inbox link and the same page from the feed (tracking query, fragment) are one item
    assert draft.count("blog.example.org/posts/rust-async") == 1
    assert "posts/old" not in draft  # the feed entry from before issue 1
    # the cached page's title and an extractive summary without its boilerplate
    assert "### [Rust 异步运行时是怎么调度任务的](https://blog.example.org/" in draft
    assert "Tokio" in draft and "点击阅读原文" not in draft
    # the editor's notes and tags come through as written; archive tags are suggested
    assert "一本讲数据密集型应用的书，第二版刚出中文版。\n\n标签：读书、数据库" in draft
    assert "<!-- digest: 这个链接已在第1期收录过" in draft
    # scraped text is neutralised: no tag, no Markdown emphasis, no heading start
    assert "<script" not in draft and "&lt;select&gt;" not in draft.split("###")[0]
    assert "### [用 <select> 写一个 *极简* [调度器]](" in draft  # titles are escaped by pages
    assert "\n\\#1" not in draft and "alert(1)" not in draft
    assert not (root / "content" / "issues" / "0002.md").exists()  # --dry-run writes nothing
    inbox = (root / "content" / "inbox.md").read_text(encoding="utf-8")
    assert inbox == (DRAFT / "content" / "inbox.md").read_text(encoding="utf-8")


def test_inbox_keeps_what_the_draft_did_not_use(tmp_path: Path) -> None:
    root = draft_project(tmp_path)
    assert new(root, "--date", "2026-11-20")[0] == 0
    inbox = (root / "content" / "inbox.md").read_text(encoding="utf-8")
    assert inbox == (
        "# 收件箱\n\n这周想推荐的东西先放这里。\n\n## 还没想好的\n\n"
        "- 下期可以聊聊火焰图（这里没有链接，会一直留着）。\n"
    )
    site = load_config(root / "content" / "site.toml")
    assert load_inbox(root / "content" / "inbox.md", site) == ()


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    root = draft_project(tmp_path)
    issues = root / "content" / "issues"
    (issues / "0001.md").rename(issues / "0002.md")  # issue 1 lives where the draft would go
    before = (issues / "0002.md").read_bytes()
    code, _, err = new(root)
    assert code == 1
    assert (
        err.strip() == f"{issues / '0002.md'}: already exists; digest new never "
        "overwrites a file (move it away first)"
    )
    assert (issues / "0002.md").read_bytes() == before
    inbox = (root / "content" / "inbox.md").read_text(encoding="utf-8")
    assert inbox == (DRAFT / "content" / "inbox.md").read_text(encoding="utf-8")


def test_filled_draft_builds_into_a_valid_issue_page(tmp_path: Path) -> None:
    root = draft_project(tmp_path)
    assert new(root, "--date", "2026-11-20")[0] == 0
    path = root / "content" / "issues" / "0002.md"
    unfilled = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert unfilled.exit_code == 0, unfilled.output
    assert (  # the build warns (the publishing check fails), naming the line
        f"warning: {path}:13: a note from digest new is still here: “在这里写本期导语，写完删掉"
        "这一行。” (do what it says and delete the comment, or mark the issue 'draft: true')\n"
    ) in unfilled.stderr
    text = path.read_text(encoding="utf-8")
    text = text.replace("# epigraph: |\n#   在这里写本期的题记。", "epigraph: 冬天适合读长文。")
    text = text.replace("# attribution: 出处", "attribution: 编者")
    text = re.sub(r"<!-- digest: 在这里写本期导语.*-->", "这一期的导语。", text)
    text = re.sub(r"<!-- digest: 这里写点评。 -->", "编者的点评。", text)
    text = re.sub(r"<!-- digest: 这个链接已在.*-->\n", "", text)
    path.write_text(text, encoding="utf-8")
    built = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert built.exit_code == 0, built.output
    assert "warning" not in built.stderr
    page = (root / "site" / "issues" / "2" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "lxml")
    assert soup.select_one("h1") is not None and "小周刊[第2期]" in soup.get_text()
    assert [h.get_text() for h in soup.select("section h2")] == [
        "一、一周文章精粹", "二、一周工具推荐", "三、一周图书推荐",
    ]  # fmt: skip
    assert len(soup.select("article.item")) == 5
    assert soup.find("script") is None  # the feed's <script> never reaches the page
    titles = [h.get_text() for h in soup.select("article.item h3")]
    assert "3. 用 <select> 写一个 *极简* [调度器]#" in titles  # shown as text, escaped
    links = [p.get_text() for p in soup.select("p.item-link")]
    assert "工具链接：“Ruff：一个很快的 Python lint 工具”" in links
    epigraph = soup.select_one("blockquote.epigraph")
    assert epigraph is not None and "冬天适合读长文。" in epigraph.get_text()


def test_draft_date_is_the_next_publishing_day() -> None:
    friday = "friday"
    assert next_publishing_day(date(2026, 11, 22), friday, date(2026, 11, 20)) == date(2026, 11, 27)
    assert next_publishing_day(date(2026, 11, 20), friday, date(2026, 11, 13)) == date(2026, 11, 20)
    # today is publishing day but that issue is out: the next week
    assert next_publishing_day(date(2026, 11, 20), friday, date(2026, 11, 20)) == date(2026, 11, 27)
    assert next_publishing_day(date(2026, 11, 23), "monday", None) == date(2026, 11, 23)


def test_since_takes_older_feed_entries(tmp_path: Path) -> None:
    root = draft_project(tmp_path)
    code, draft, _ = new(root, "--dry-run", "--since", "2026-11-01", "--date", "2026-11-20")
    assert code == 0
    assert "blog.example.org/posts/old" in draft
    code, draft, _ = new(root, "--dry-run", "--since", "2026-11-18", "--date", "2026-11-20")
    assert "posts/select-loop" not in draft and "posts/old" not in draft


def test_bad_inbox_entries_are_reported_with_their_line(tmp_path: Path) -> None:
    root = draft_project(tmp_path)
    inbox = root / "content" / "inbox.md"
    inbox.write_text("- htps://example.com/a\n- https://example.com/b\n  栏目：杂谈\n",
                     encoding="utf-8")  # fmt: skip
    with pytest.raises(ContentError) as caught:
        load_inbox(inbox, load_config(root / "content" / "site.toml"))
    assert [str(p) for p in caught.value.problems] == [
        f"{inbox}:1: malformed URL 'htps://example.com/a': only http:// and https:// links "
        "are allowed",
        f"{inbox}:3: unknown section '杂谈' (known: articles, tools, books)",
    ]
    code, _, err = new(root)
    assert code == 1 and "2 problems found" in err
    assert not (root / "content" / "issues" / "0002.md").exists()


@pytest.mark.parametrize(
    ("scraped", "shown"),
    [
        ("<script>alert(1)</script> 好文", "&lt;script&gt;alert(1)&lt;/script&gt; 好文"),
        ("# 不是标题", "\\# 不是标题"),
        ("1. 不是列表", "1\\. 不是列表"),
        ("标签：不是标签行", "标签&#65306;不是标签行"),
        ("*强调* 和 `代码` 和 [链接]", "\\*强调\\* 和 \\`代码\\` 和 \\[链接\\]"),
        ("AT&amp;T 与 a & b", "AT&amp;amp;T 与 a & b"),
    ],
)
def test_scraped_text_is_neutralised_for_markdown(scraped: str, shown: str) -> None:
    assert md_text(scraped) == shown


def test_the_same_link_twice_in_the_inbox_is_one_item(tmp_path: Path) -> None:
    root = draft_project(tmp_path)
    inbox = root / "content" / "inbox.md"
    inbox.write_text(
        "- https://example.com/a 第一次记下。\n  标签：Go\n"
        "- https://EXAMPLE.com:443/a?utm_medium=x#frag 第二次又记了一遍。\n  标签：Rust\n",
        encoding="utf-8",
    )
    code, draft, _ = new(root, "--dry-run", "--date", "2026-11-20")
    assert code == 0
    assert draft.count("example.com") == 1
    assert "第一次记下。\n\n第二次又记了一遍。\n\n标签：Go、Rust" in draft


def test_feed_links_in_the_draft_lose_tracking_parameters(tmp_path: Path) -> None:
    root = draft_project(tmp_path)
    link = "https://news.example.com/a/b?utm_source=rss&id=7&utm_medium=feed&fbclid=x#comments"
    published = "2026-11-18T08:00:00+08:00"
    feed = "https://news.example.com/feed"
    entry = Candidate(link, feed, "一条新闻", "<p>新闻摘要。</p>", published, "articles", (), SEEN)
    with Cache(root / load_config(root / "content" / "site.toml").fetch.cache) as cache:
        cache.add_candidates([entry])
    code, draft, err = new(root, "--dry-run", "--date", "2026-11-20")
    assert code == 0, err
    assert "### [一条新闻](https://news.example.com/a/b?id=7)\n" in draft
    assert "utm_medium" not in draft and "fbclid" not in draft
    # the editor's own inbox link stays as written
    assert "(https://blog.example.org/posts/rust-async?utm_source=weekly#top)" in draft


def test_the_draft_is_dated_the_day_the_issue_comes_out(tmp_path: Path) -> None:
    root = draft_project(tmp_path)
    # two weeks skipped since issue 1 (Friday 2026-11-13): the coming Friday, not a past one
    thursday = date(2026, 12, 3)
    assert "\ndate: 2026-12-04 08:30\n" in draft_new(root, today=thursday, dry_run=True).text
    # issue 1 came out on Friday 2026-11-20 in the site's zone (Asia/Shanghai), written with
    # another zone's offset where it is still the 19th: the next issue is a week later
    issue = root / "content" / "issues" / "0001.md"
    text = issue.read_text(encoding="utf-8").replace(
        "date: 2026-11-13 08:30", "date: 2026-11-19 20:00:00-08:00"
    )
    issue.write_text(text, encoding="utf-8")
    friday = date(2026, 11, 20)
    assert "\ndate: 2026-11-27 08:30\n" in draft_new(root, today=friday, dry_run=True).text


def test_no_draft_past_the_highest_issue_number(tmp_path: Path) -> None:
    """After issue 999,999 the draft was written as 1000000.md, which the build refuses."""
    root = draft_project(tmp_path)
    issue = root / "content" / "issues" / "0001.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("number: 1\n", "number: 999999\n"))
    before = sorted(p.name for p in issue.parent.iterdir())
    code, _, err = new(root)
    assert code == 1
    assert err.strip() == "issue 999,999 is the last an issue number can reach"
    assert sorted(p.name for p in issue.parent.iterdir()) == before


def test_the_first_draft_of_a_project_without_issues_makes_their_folder(
    tmp_path: Path,
) -> None:
    """A project of posts only (an import, a hand-made start): 'cannot write the draft (No
    such file or directory)', and the inbox kept its entries."""
    root = draft_project(tmp_path)
    shutil.rmtree(root / "content" / "issues")
    code, out, err = new(root, "--date", "2026-11-20")
    assert code == 0, err
    assert out.startswith(f"wrote {root / 'content' / 'issues' / '0001.md'}")
    assert "rust-async" not in (root / "content" / "inbox.md").read_text(encoding="utf-8")


def test_an_inbox_that_is_a_link_is_rewritten_where_it_leads(tmp_path: Path) -> None:
    """An inbox kept in a synced folder and linked into content/: the rewrite replaced the
    link with a file of its own (private, mode 0600), and the synced inbox kept the
    entries the draft had used."""
    root = draft_project(tmp_path)
    inbox = root / "content" / "inbox.md"
    synced = tmp_path / "sync" / "inbox.md"
    synced.parent.mkdir()
    synced.write_text(inbox.read_text(encoding="utf-8"), encoding="utf-8")
    synced.chmod(0o644)
    inbox.unlink()
    inbox.symlink_to(synced)
    code, _, err = new(root, "--date", "2026-11-20")
    assert code == 0, err
    assert inbox.is_symlink() and inbox.resolve() == synced
    assert "rust-async" not in synced.read_text(encoding="utf-8")
    assert synced.stat().st_mode & 0o777 == 0o644
