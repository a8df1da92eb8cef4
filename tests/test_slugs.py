"""Tag slugs: the documented rule, stability, and no two tags sharing one."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.content.tags import TagIndex, slugify
from digest.errors import Problems


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
