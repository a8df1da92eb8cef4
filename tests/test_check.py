"""``digest check`` on the minimal project broken in each way it looks for."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.model import CachedPage
from digest.scraper.cache import Cache


def write_issue(root: Path, number: int, body: str, title: str = "第二期") -> Path:
    path = root / "content" / "issues" / f"{number:03}.md"
    path.write_text(
        f"---\nnumber: {number}\ntitle: {title}\ndate: 2026-01-{number + 1:02}\n"
        f"---\n\n开篇。\n\n## articles\n\n{body}\n",
        encoding="utf-8",
    )
    return path


def run(root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def kinds(report: dict[str, Any]) -> set[tuple[str, str]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {(f["severity"], f["kind"]) for f in findings}


def test_the_sample_and_minimal_projects_have_no_errors(minimal: Path) -> None:
    code, report = run(minimal)
    assert (code, report["errors"], report["warnings"]) == (0, 0, 0)


def test_content_errors_come_with_file_and_line(minimal: Path) -> None:
    (minimal / "content" / "issues" / "002.md").write_text("---\nnumber: [2\n---\n", "utf-8")
    code, report = run(minimal)
    assert code == 1
    assert report["findings"] == [
        {
            "severity": "error",
            "where": f"{minimal}/content/issues/002.md:2",
            "kind": "content",
            "message": "invalid YAML in front matter: expected ',' or ']', but got '<stream end>'",
        }
    ]


def test_broken_links_and_anchors(minimal: Path) -> None:
    write_issue(
        minimal,
        2,
        "### [好文](https://example.com/a)\n\n见[第一期](/weekly/issues/1/)、"
        "[不存在](/weekly/issues/9/)和[锚点](/weekly/issues/1/#no-such-item)，"
        "[条目](/weekly/issues/1/#item-1)。",
    )
    code, report = run(minimal)
    assert code == 1
    findings = [f for f in report["findings"] if f["severity"] == "error"]
    assert {(f["kind"], f["where"]) for f in findings} == {
        ("broken-link", "issues/2/index.html"),
        ("missing-anchor", "issues/2/index.html"),
    }
    assert any("/weekly/issues/9/" in f["message"] for f in findings)
    assert any("#no-such-item" in f["message"] for f in findings)


def test_a_feed_that_does_not_parse(minimal: Path) -> None:
    feed = minimal / "templates" / "feeds" / "atom.xml"
    feed.write_text(feed.read_text(encoding="utf-8").replace("</feed>", "<broken></feed>"))
    code, report = run(minimal)
    assert code == 1 and ("error", "feed") in kinds(report)


def test_an_email_over_the_clipping_limit(minimal: Path) -> None:
    write_issue(minimal, 2, "### [长文](https://example.com/long)\n\n" + "很长的点评。" * 25000)
    code, report = run(minimal)
    assert code == 1 and ("error", "email-size") in kinds(report)


def test_an_email_the_build_would_refuse_is_reported_with_everything_else(minimal: Path) -> None:
    """``digest check`` builds without ``[email] max_kb``: the issue the build refuses is an
    error of its own, and the site it makes is checked as ever."""
    site = minimal / "content" / "site.toml"
    site.write_text(site.read_text(encoding="utf-8") + "\n[email]\nmax_kb = 150\n", "utf-8")
    write_issue(
        minimal,
        2,
        "### [长文](https://example.com/long)\n\n见[不存在](/weekly/issues/9/)。\n\n"
        + "很长的点评。" * 10000,
    )
    code, report = run(minimal)
    assert code == 1
    errors = {(f["kind"], f["where"]): f["message"] for f in report["findings"]}
    assert re.fullmatch(
        r"\d+\.\d KB: over \[email\] max_kb \(150 KB\); digest build refuses it",
        errors["email-size", "email/2.html"],
    )
    assert ("broken-link", "issues/2/index.html") in errors


def test_editorial_lint_warns_and_strict_fails(minimal: Path) -> None:
    cut = "一" * 50 + "..."  # cut off at a round 50 characters
    write_issue(
        minimal,
        2,
        f"""### [跟踪参数](https://example.com/post?id=7&utm_source=x&fbclid=y)

点评。

### [重复的链接](https://go.dev/blog/pipelines)

又一次。

### [自己的站用了 http](http://example.org/weekly/issues/1/)

点评。

### [{cut}](https://example.com/cut)

点评。

### https://example.com/bare

### [没有点评](https://example.com/empty)
""",
    )
    code, report = run(minimal)
    assert code == 0  # warnings alone
    assert kinds(report) == {
        ("warning", k)
        for k in (
            "tracking",
            "repeated-link",
            "insecure-link",
            "truncated-title",
            "bare-url",
            "empty-item",
        )
    }
    messages = " ".join(f["message"] for f in report["findings"])
    assert "use https://example.com/post?id=7" in messages
    assert "already in issue 1" in messages
    strict, _ = run(minimal, "--strict")
    assert strict == 1


def test_dead_links_from_the_cache(minimal: Path) -> None:
    write_issue(minimal, 2, "### [会失效](https://example.com/gone)\n\n点评。")
    with Cache(minimal / ".cache" / "digest.sqlite") as cache:
        for url in ("https://example.com/gone", "https://go.dev/blog/pipelines"):
            cache.save_page(CachedPage(url, "gone", 404, None, None, None, None, None, time.time()))
    code, report = run(minimal)
    assert code == 1
    dead = {
        (f["severity"], f["where"].split("/")[-1])
        for f in report["findings"]
        if f["kind"] == "dead-link"
    }
    assert dead == {("error", "002.md:11"), ("warning", "001.md:13")}  # newest issue: an error


def test_text_output_and_exit_codes(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    clean = CliRunner().invoke(main, ["check"])
    assert (clean.exit_code, clean.stdout) == (0, "0 errors, 0 warnings\n")
    write_issue(minimal, 2, "### https://example.com/bare")
    warned = CliRunner().invoke(main, ["check"])
    assert warned.exit_code == 0
    assert warned.stdout.startswith("warning: content/issues/002.md:11: the title is still")


def test_inbox_errors_and_leftover_draft_notes(minimal: Path) -> None:
    (minimal / "content" / "inbox.md").write_text("# 收件箱\n\n- htps://example.com/a\n", "utf-8")
    write_issue(minimal, 2, "### [一篇文章](https://example.com/post)\n\n"
                "<!-- digest: 这里写点评。 -->\n")  # fmt: skip
    code, report = run(minimal)
    assert code == 1
    found = {(f["severity"], f["where"], f["kind"], f["message"]) for f in report["findings"]}
    assert (
        "error", f"{minimal}/content/inbox.md:3", "inbox",
        "malformed URL 'htps://example.com/a': only http:// and https:// links are allowed",
    ) in found  # fmt: skip
    assert (
        "warning",
        f"{minimal}/content/issues/002.md:11",
        "draft-note",
        "a draft note is left in",
    ) in found
