"""``digest check`` on the minimal project broken in each way it looks for."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from digest.cli import main
from digest.model import CachedPage
from digest.scraper.cache import Cache
from tests.conftest import ROOT, copy_project


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
            "message": "unclosed bracket: the [ that opens on this line is never closed; end the"
            " list with ]",
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


def test_a_link_or_image_to_a_file_on_the_writers_disk_is_an_error(minimal: Path) -> None:
    # A post pasted from a word processor, imported from WordPress, links its images on
    # the writer's disk: broken for every reader, and it names the writer's folders.
    write_issue(
        minimal,
        2,
        "### [好文](https://example.com/a)\n\n截图：![图](file:///C:/Users/me/clip_image002.png)"
        "，[原稿](FILE:///home/me/草稿.docx)。",
    )
    code, report = run(minimal)
    assert code == 1
    found = [f for f in report["findings"] if f["where"] == "issues/2/index.html"]
    assert {f["kind"] for f in found} == {"broken-link"}
    assert sorted(f["message"] for f in found) == [
        "href 'FILE:///home/me/草稿.docx' names a file on the writer's disk: no reader has it",
        "src 'file:///C:/Users/me/clip_image002.png' names a file on the writer's disk: "
        "no reader has it",
    ]


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
        "error",
        f"{minimal}/content/issues/002.md:13",
        "draft-note",
        "a note from digest new is still here: “这里写点评。” "
        "(do what it says and delete the comment, or mark the issue 'draft: true')",
    ) in found


def test_sources_problems_each_on_its_own_line(minimal: Path) -> None:
    sources = minimal / "content" / "sources.toml"
    sources.write_text(
        'title = "我的订阅"\n\n'
        '[[feeds]]\nurl = "https://go.dev/blog/feed.atom"\nsection = "tool"\ntags = ["Go"]\n\n'
        '[[feeds]]\nurl = "https://exa_mple..com/feed"\ncolour = "red"\n\n'
        '[[feeds]]\nsection = "articles"\ntags = "Go"\n',
        encoding="utf-8",
    )
    code, report = run(minimal)
    assert code == 1
    found = sorted(
        (int(f["where"].removeprefix(f"{sources}:")), f["message"])
        for f in report["findings"]
        if f["kind"] == "sources"
    )
    assert found == [
        (1, "unknown key 'title' (sources.toml holds [[feeds]] only)"),
        (5, "unknown section 'tool' (known: articles, tools)"),
        (
            9,
            "malformed URL 'https://exa_mple..com/feed': its host 'exa_mple..com' has an empty"
            " label between dots and an underscore; a host name is letters, digits and '-'"
            " between dots",
        ),
        (10, "unknown feed key 'colour' (known: url, section, tags)"),
        (12, "a feed needs a 'url'"),
        (14, "'tags' must be a list of names"),
    ]


PLACEHOLDERS = {
    "epigraph": "在这里写本期的题记。",
    "attribution": "出处",
    "summary": "一句话介绍本期，用作邮件预览和订阅摘要。",
}


def test_an_unedited_draft_fails_the_publishing_workflow(tmp_path: Path) -> None:
    """A draft from `digest new` on the sample, no longer a draft but not written either:
    the publishing workflow's own check step fails with every note and placeholder."""
    root = copy_project(ROOT, tmp_path / "project")
    made = CliRunner().invoke(main, ["new", "--root", str(root)])
    assert made.exit_code == 0, made.output
    path = sorted((root / "content" / "issues").glob("*.md"))[-1]
    text = re.sub(r"^draft:.*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    # The editor took away the "# " in front of the front-matter lines, and wrote nothing.
    text = text.replace("\n# epigraph: |\n#   ", "\nepigraph: |\n  ")
    text = re.sub(r"^# (attribution|summary):", r"\1:", text, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    where = f"content/issues/{path.name}"
    expected = []
    for n, line in enumerate(text.split("\n"), 1):
        if note := re.search(r"<!-- digest: (.+?) -->", line):
            expected.append(
                f"error: {where}:{n}: a note from digest new is still here: “{note[1]}” "
                "(do what it says and delete the comment, or mark the issue 'draft: true')"
            )
        elif key := re.match(r"(epigraph|attribution|summary):", line):
            expected.append(
                f"error: {where}:{n}: '{key[1]}' is still the draft's placeholder "
                f"“{PLACEHOLDERS[key[1]]}” (write your own, or delete the key)"
            )
    assert len(expected) >= 6 and "在这里写本期导语" in expected[3]  # 3 keys, intro, items

    publish = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    steps = publish["jobs"]["build"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    upload = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact"))
    (i, step), *_ = [(i, s) for i, s in enumerate(steps) if s.get("run") == "digest check"]
    assert i < upload and "continue-on-error" not in step
    bin_dir = str(Path(sys.executable).parent)  # where `digest` is installed
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(step["run"], shell=True, cwd=root, env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert sorted(errors) == sorted(expected)
    assert f"\n{len(expected)} errors, " in f"\n{result.stdout}"
    assert not (root / "site").exists()  # nothing built where the workflow deploys from
