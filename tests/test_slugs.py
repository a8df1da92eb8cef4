"""Tag slugs: the documented rule, stability, and no two tags sharing one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
