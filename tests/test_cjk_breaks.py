"""Line breaks in Chinese text: gone next to CJK punctuation, in every output of a build."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from digest.build.pipeline import BuildOptions, build
from digest.text.cjk import break_vanishes

# Each paragraph hard-wrapped where an editor might; short enough that the plain text
# keeps each one on a single line.
COMMENTARY = """\
这一版改了切片 slice、
new 和 make 的用法。

先看设计。
This is why it changed.

写 Go
（语言）的人都会遇到。

只要换成这样：
`iter.Seq` 就好。

他说“好”
Then we went on.

English words
stay apart, and the “Go way” of doing it stays too.
"""
JOINED = ["slice、new", "设计。This", "Go（语言）", "这样：iter.Seq", "“好”Then"]
SPACED = ["words stay", "“Go way” of"]


def texts(site: Path) -> dict[str, str]:
    """The text of issue 2 in each output, line breaks read as the spaces they show as."""

    def html(path: Path) -> str:
        return BeautifulSoup(path.read_bytes(), "lxml").get_text()

    feed = feedparser.parse((site / "atom.xml").read_bytes())
    (entry,) = [e for e in feed.entries if e.link.endswith("/issues/2/")]
    found = {
        "page": html(site / "issues" / "2" / "index.html"),
        "feed": BeautifulSoup(entry.content[0].value, "lxml").get_text(),
        "email": html(site / "email" / "2.html"),
        "email text": (site / "email" / "2.txt").read_text(encoding="utf-8"),
        "wechat": html(site / "wechat" / "2.html"),
    }
    return {name: text.replace("\n", " ") for name, text in found.items()}


def test_no_stray_space_next_to_cjk_punctuation_in_any_output(minimal: Path) -> None:
    (minimal / "content" / "issues" / "002.md").write_text(
        "---\nnumber: 2\ntitle: 换行\ndate: 2026-01-09\n---\n\n本期开篇。\n\n"
        f"## 一周文章精粹\n\n### [迭代器](https://go.dev/blog/range-functions)\n\n{COMMENTARY}",
        encoding="utf-8",
    )
    build(minimal, BuildOptions())
    for name, text in texts(minimal / "site").items():
        assert "stay apart" in text, name  # the commentary is there
        assert [j for j in JOINED if j not in text] == [], name
        assert [s for s in SPACED if s not in text] == [], name


@pytest.mark.parametrize(
    ("left", "right", "vanishes"),
    [
        ("中", "文", True),
        ("、", "n", True),  # CJK punctuation before Latin
        ("o", "（", True),  # Latin before CJK punctuation
        ("：", "<", True),  # before inline code, whose tag starts the next line
        ("﹑", "a", True),  # small form variants
        ("！", "1", True),  # full-width forms
        ("好”", "T", True),  # a quote closing Chinese text
        ("o", "“好", True),  # a quote opening Chinese text
        ("计……", "T", True),
        ("中", "G", False),  # a Chinese letter and a Latin word: a space, as typeset
        ("o”", "T", False),  # quotes and ellipses of English text
        ("t…", "T", False),
        ("d", "s", False),
        ("Ａ", "b", False),  # full-width letters are not punctuation
    ],
)
def test_which_breaks_vanish(left: str, right: str, vanishes: bool) -> None:
    text = f"{left}\n{right}"
    assert break_vanishes(text, len(left) - 1, len(left) + 1) is vanishes
