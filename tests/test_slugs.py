"""Tag slugs: the documented rule, stability, and no two tags sharing one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.content.tags import TagIndex, slugify
from digest.errors import Problems
from tests.conftest import ROOT, copy_project


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Go", "go"),
        ("并发", "bing-fa"),
        ("容器镜像", "rong-qi-jing-xiang"),
        ("编程语言", "bian-cheng-yu-yan"),
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("Go1.5", "go1-5"),
        ("Kubernetes 入门", "kubernetes-ru-men"),
        ("ＧＯ语言", "go-yu-yan"),  # full-width Latin is folded by NFKC
        ("旅行", "lv-xing"),  # ü is written v, as in pinyin input methods
        ("  Linux  ", "linux"),
    ],
)
def test_slug_rule(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_name_with_nothing_readable_gets_a_stable_hash_slug() -> None:
    assert slugify("🚀") == slugify("🚀")
    assert slugify("🚀").startswith("tag-")
    assert slugify("🚀") != slugify("🛸")


def test_two_names_with_one_slug_are_a_problem() -> None:
    problems = Problems()
    index = TagIndex({}, problems)
    index.tag("Go", Path("a.md"), 3)
    index.tag("Go", Path("b.md"), 4)  # the same tag again is fine
    assert problems.items == []
    index.tag("go", Path("c.md"), 5)
    assert [str(p) for p in problems.items] == [
        "c.md:5: tag 'go' has the same slug 'go' as tag 'Go' (a.md:3); spell them the same "
        "or choose a slug in [tag_slugs] of site.toml"
    ]


def test_chosen_slug_wins_and_is_checked_against_others() -> None:
    problems = Problems()
    index = TagIndex({"C++": "cpp"}, problems)
    assert index.tag("C++", Path("a.md"), 1).slug == "cpp"
    index.tag("CPP", Path("b.md"), 2)
    assert len(problems.items) == 1


def test_a_rebuild_after_editing_the_newest_issue_needs_no_pinyin(tmp_path: Path) -> None:
    """Loading pypinyin's dictionaries takes 0.3 s and 40 MB: once the older files' cached
    parses have named a tag's slug, a changed file using the same tag does not need them."""
    project = copy_project(ROOT, tmp_path / "project")
    script = (
        "import sys; from pathlib import Path; from digest.build.pipeline import build; "
        f"build(Path({str(project)!r})); print('pypinyin' in sys.modules)"
    )

    def build() -> str:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    newest = project / "content" / "issues" / "0005.md"  # only tags older issues have
    newest.write_text(
        "---\nnumber: 5\ntitle: 又一期\ndate: 2026-11-27\ntags: [Go, 并发]\n---\n\n开篇。\n\n"
        "## 一周文章精粹\n\n### [一篇](https://go.dev/blog/pipelines)\n\n点评。\n\n标签：并发\n",
        encoding="utf-8",
    )
    assert build() == "True"  # the first build slugs 并发, 容器…
    newest.write_text(newest.read_text(encoding="utf-8") + "\n补一句。\n", encoding="utf-8")
    assert build() == "False"


def test_a_slug_too_long_for_a_folder_name_is_cut_at_a_word_and_marked() -> None:
    """A 6,000-character tag ended the build: its folder's name was past the file system's
    255 bytes."""
    slug = slugify("标签" * 3000)
    assert len(slug) <= 200
    assert slug.startswith("biao-qian-biao-qian-")
    assert slug[:-9].endswith("-qian") or slug[:-9].endswith("-biao")
    assert slugify("a" * 20_000) != slugify("a" * 20_001)
    assert len(slugify("a" * 20_000)) == 200
    assert slugify("x" * 200) == "x" * 200  # a slug of 200 characters is left as it is


def test_a_very_long_tag_builds(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    issue = minimal / "content/issues/001.md"
    issue.write_text(issue.read_text().replace("tags: [Go]", f"tags: [{'标签' * 3000}]"))
    monkeypatch.chdir(minimal)
    result = CliRunner().invoke(main, ["build", "-q"])
    assert result.exit_code == 0, result.output
    root = minimal
    (page,) = (root / "site/tags").glob("biao-qian-*/index.html")
    assert "标签标签" in page.read_text()
