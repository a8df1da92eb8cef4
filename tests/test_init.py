"""``digest init``: a new project that checks and builds, asked for on a terminal or given
by flags; a folder with files refused, and no file ever overwritten."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from digest.cli import main
from tests.conftest import ROOT, snapshot

WRITTEN = [
    ".github/workflows/publish.yml",
    ".gitignore",
    "content/inbox.md",
    "content/issues/0001.md",
    "content/site.toml",
    "content/sources.toml",
]


def init(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["init", *args], input=input)
    return result.exit_code, result.output


def test_init_writes_a_project_that_checks_and_builds(tmp_path: Path) -> None:
    project = tmp_path / "weekly"
    code, output = init(str(project), "--yes")
    assert code == 0, output
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()) == WRITTEN
    assert output.splitlines()[-3:-1] == [
        "  digest serve                 # the site and its first issue, rebuilt as you edit",
        "  digest fetch && digest new   # after a week of links in content/inbox.md: a draft",
    ]
    assert f"  cd {project}" in output

    site = tomllib.loads((project / "content" / "site.toml").read_text(encoding="utf-8"))
    assert (site["title"], site["language"]) == ("技术周刊", "zh-CN")
    assert site["base_url"] == "https://example.github.io/weekly/"  # named after the folder
    headings = [s["heading"] for s in site["sections"]]
    assert headings == ["一周文章精粹", "一周资料分享", "一周工具推荐", "一周图书推荐"]
    ignored = (project / ".gitignore").read_text(encoding="utf-8").split()
    assert {"/site/", ".cache/", "/subscribers.txt", "/unsubscribed.txt"} <= set(ignored)

    check = CliRunner().invoke(main, ["check", "--root", str(project)])
    assert (check.exit_code, check.output) == (0, "0 errors, 0 warnings\n")
    build = CliRunner().invoke(main, ["build", "--root", str(project)])
    assert build.exit_code == 0, build.output
    page = (project / "site" / "issues" / "1" / "index.html").read_text(encoding="utf-8")
    assert "技术周刊[第1期]：创刊号" in page and "Markdown 十分钟入门" in page


def test_init_asks_on_a_terminal_and_asks_again_after_a_wrong_answer(tmp_path: Path) -> None:
    answers = [
        "Go 周报",  # title
        "not a url",  # base URL: asked again
        "https://me.example.org/go-weekly",  # the / at the end is added
        "",  # language: the default
        "小王",
        "小王的邮箱",  # not an address: asked again
        "wang@example.org",
        "一周文章精粹、一周视频推荐，一周视频推荐！",
    ]
    code, output = init(str(tmp_path / "go"), input="\n".join(answers) + "\n")
    assert code == 0, output
    assert output.count("Where it will be published (base URL, ending in /)") == 2
    assert "Error: 'not a url' is not an http(s) URL" in output
    assert "Error: '小王的邮箱' is not an email address" in output

    site = tomllib.loads((tmp_path / "go" / "content" / "site.toml").read_text("utf-8"))
    assert site["title"] == "Go 周报" and site["issue_heading"] == "Go 周报[第{number}期]"
    assert site["base_url"] == "https://me.example.org/go-weekly/"
    assert (site["language"], site["author"]) == ("zh-CN", "小王")
    assert site["email"]["from"] == "Go 周报 <wang@example.org>"
    assert site["email"]["unsubscribe_url"] == "https://me.example.org/go-weekly/unsubscribe/"
    assert [(s["key"], s["heading"]) for s in site["sections"]] == [
        ("articles", "一周文章精粹"),
        ("yi-zhou-shi-pin-tui-jian", "一周视频推荐"),
        ("yi-zhou-shi-pin-tui-jian-2", "一周视频推荐！"),
    ]
    check = CliRunner().invoke(main, ["check", "--root", str(tmp_path / "go")])
    assert (check.exit_code, check.output) == (0, "0 errors, 0 warnings\n")


def test_flags_answer_without_asking_and_are_checked(tmp_path: Path) -> None:
    code, output = init(
        str(tmp_path / "a"), "--title", "周刊", "--base-url", "https://a.example/", "--yes"
    )
    assert code == 0 and output.startswith("wrote 6 files")  # nothing asked
    site = tomllib.loads((tmp_path / "a" / "content" / "site.toml").read_text("utf-8"))
    assert (site["title"], site["base_url"]) == ("周刊", "https://a.example/")

    code, output = init(str(tmp_path / "b"), "--base-url", "ftp://b.example/", "--yes")
    assert code == 2 and "Invalid value for '--base-url'" in output
    assert not (tmp_path / "b").exists()


def test_without_a_terminal_or_yes_init_says_what_to_do(tmp_path: Path) -> None:
    code, output = init(str(tmp_path / "c"), input="")
    assert code == 1
    assert "no answer on standard input: give --yes for the defaults" in output
    assert not (tmp_path / "c").exists()


def test_init_refuses_a_folder_with_files_and_never_overwrites(tmp_path: Path) -> None:
    project = tmp_path / "mine"
    (project / "content").mkdir(parents=True)
    (project / "content" / "site.toml").write_text('title = "我的"\n', encoding="utf-8")
    (project / "notes.txt").write_text("别动我\n", encoding="utf-8")
    before = snapshot(project)

    code, output = init(str(project), "--yes")
    assert code == 1
    assert f"{project}: not empty (content, notes.txt); digest init starts a project" in output
    assert snapshot(project) == before

    code, output = init(str(project), "--yes", "--force")
    assert code == 0, output
    assert "  content/site.toml (already there: kept as it was)" in output
    after = snapshot(project)
    assert {k: after[k] for k in before} == before  # every file there is as it was
    assert sorted(set(after) - set(before)) == sorted(set(WRITTEN) - {"content/site.toml"})

    again = snapshot(project)
    code, output = init(str(project), "--yes", "--force")
    assert code == 0 and output.startswith("wrote 0 files")
    assert snapshot(project) == again


def test_a_fresh_git_repository_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    code, output = init(str(tmp_path / "repo"), "--yes")
    assert code == 0, output


def test_the_starter_workflow_is_ours_but_for_how_digest_is_installed() -> None:
    """The workflow init writes runs the same steps as this repository's, except that it
    installs digest from its git repository instead of from a checkout."""

    def steps(path: Path) -> list[dict[str, Any]]:
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        return list(flow["jobs"]["build"]["steps"])

    ours = steps(ROOT / ".github" / "workflows" / "publish.yml")
    starter = steps(ROOT / "digest" / "starter" / "github" / "workflows" / "publish.yml")
    install = next(s for s in starter if s.get("name") == "Install")
    assert install["run"] == 'python -m pip install "$DIGEST"'
    assert install["env"] == {"DIGEST": "digest @ git+https://github.com/OWNER/digest@main"}
    mine = [s for s in ours if s.get("name") == "Install"]
    assert mine == [{"name": "Install", "run": "python -m pip install ."}]
    setup = next(s for s in starter if "setup-python" in str(s.get("uses")))
    assert setup["with"]["cache-dependency-path"] == ".github/workflows/publish.yml"

    def same(s: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in s.items() if k not in ("env", "run", "with")}

    assert [same(s) for s in starter] == [same(s) for s in ours]
    assert [s.get("run") for s in starter if s is not install] == [
        s.get("run") for s in ours if s.get("name") != "Install"
    ]


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "weekly").write_text("x", encoding="utf-8")
    code, output = init(str(tmp_path / "weekly"), "--yes")
    assert code == 2 and "is a file" in output


def test_init_refuses_a_link_to_a_folder_not_there(tmp_path: Path) -> None:
    """A link to nowhere: making content/ in it failed with 'File exists', which init took
    for each file being there already: 'wrote 0 files', every one 'kept as it was', exit
    0, and nothing on disk."""
    (tmp_path / "weekly").symlink_to(tmp_path / "moved")
    code, output = init(str(tmp_path / "weekly"), "--yes")
    assert code == 1, output
    assert f"a link to {tmp_path / 'moved'}, which is not there" in output
    assert "kept as it was" not in output
