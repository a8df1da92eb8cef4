"""digest/text: the CJK ranges at their edges, the helpers on mixed text, code fences."""

from __future__ import annotations

import re

import pytest

from digest.renderer import search
from digest.text import cjk
from digest.text.cjk import (
    CJK,
    CJK_LETTERS,
    NO_LINE_START,
    NO_SPACE_AFTER,
    count_cjk_letters,
    count_han,
    has_cjk_letters,
    is_cjk,
    is_cjk_letter,
)
from digest.text.fences import closes, code_lines, opening_fence
from tests.conftest import THEME

# Each named range: characters at its edges (inside) and just beyond them (outside).
RANGES = [
    ("HAN", "\u3400\u4dbf\u4e00\u9fff\uf900\ufaff一龥㐀", "\u33ff\u4dc0\ua000\uf8ff\ufb00"),
    ("KANA", "\u3040\u30ffぁんァンー・", "\u303f\u3100"),
    ("HANGUL", "\uac00\ud7af가힣", "\uabff\ud7b0ㄱ"),
    ("BOPOMOFO", "\u3100\u312fㄅ", "\u30ff\u3130"),
    ("RADICALS", "\u2e80\u2eff\u2f00\u2fdf⺮⼈", "\u2e7f\u2fe0"),
    ("CJK_PUNCTUATION", "\u3000\u303f、。「」【】《》", "\u2fff\u3040"),
    ("FULLWIDTH", "\uff00\uffef，！？：；（）Ａｶ", "\ufeff\ufff0"),
    ("VERTICAL_FORMS", "\ufe30\ufe4f︵︶", "\ufe2f\ufe50"),
    ("SHARED_PUNCTUATION", "‘’“”—…", "\"'-.–"),
    (
        "FULLWIDTH_PUNCTUATION",
        "\uff01\uff0f\uff1a\uff20\uff3b\uff40\uff5b\uff65\uffe0\uffee，！？：；（）［］～",
        "\uff00\uff10\uff19\uff21\uff3a\uff41\uff5a\uff66\uffef０Ａａｶ",
    ),
    ("SMALL_FORMS", "\ufe50\ufe6f﹐﹑", "\ufe4f\ufe70"),
    ("CJK_MARKS", "、。，；：！？「」『』（）《》〈〉【】﹐︵", "中かＡ０“”…a,"),
]


@pytest.mark.parametrize(("name", "inside", "outside"), RANGES)
def test_each_range_holds_its_edges_and_nothing_beyond(
    name: str, inside: str, outside: str
) -> None:
    pattern = re.compile(f"[{getattr(cjk, name)}]")
    assert [c for c in inside if not pattern.fullmatch(c)] == []
    assert [c for c in outside if pattern.fullmatch(c)] == []
    assert all(c.isascii() or ord(c) <= 0xFFFF for c in inside)  # search.js has no `u` flag


def test_cjk_is_unspaced_text_and_letters_are_read_one_by_one() -> None:
    # Chinese and Japanese letters and their punctuation; Korean, spaced, is not CJK.
    for char in "中文かなカナㄅ⼈，。「」︵":
        assert is_cjk(char), char
    for char in "한a1 ‘”—…":
        assert not is_cjk(char), char
    # Letters: Han and kana only; punctuation is not counted as reading.
    assert [c for c in "中文かなカナ" if not is_cjk_letter(c)] == []
    assert [c for c in "，。「」ㄅ한A" if is_cjk_letter(c)] == []
    assert not is_cjk("") and not is_cjk_letter("")
    assert set(CJK_LETTERS) <= set(CJK)


def test_the_helpers_on_mixed_chinese_english_and_code() -> None:
    text = "Go 1.23 的迭代器：`for x := range seq` 终于来了！日本語ではイテレータ。"
    assert count_cjk_letters(text) == len("的迭代器终于来了日本語ではイテレータ")
    assert count_han(text) == len("的迭代器终于来了日本語")
    assert has_cjk_letters("x = 1  # 计数器")
    assert not has_cjk_letters("print('hi'); // ，。！")  # punctuation alone is not Chinese
    assert count_cjk_letters("") == 0 and count_han("Rust 2024") == 0


def test_punctuation_sets() -> None:
    assert all(is_cjk(c) and not is_cjk_letter(c) for c in NO_SPACE_AFTER)
    assert set(NO_SPACE_AFTER) < set(NO_LINE_START)
    assert {"，", "。", "、", "）", "”", ".", "%"} <= set(NO_LINE_START)
    assert not {"（", "“", "(", "《"} & set(NO_LINE_START)  # openers start lines


def test_the_search_script_cuts_the_same_letters_into_pairs() -> None:
    script = (THEME / "static" / "search.js").read_text(encoding="utf-8")
    m = re.search(r'var CJK = "([^"]*)";', script)
    assert m is not None
    js = m.group(1).encode("ascii").decode("unicode_escape")
    assert re.sub("(.)-(.)", "", js) == re.sub("(.)-(.)", "", search.CJK) == ""
    assert sorted(re.findall("(.)-(.)", js)) == sorted(re.findall("(.)-(.)", search.CJK))


def flags(text: str) -> list[bool]:
    """Whether each line of ``text`` is code."""
    return [in_code for _, in_code in code_lines(text.splitlines())]


def test_backtick_and_tilde_fences() -> None:
    text = "intro\n```go\nfunc main() {}\n```\nmiddle\n~~~\n# not a heading\n~~~\nend"
    assert flags(text) == [False, True, True, True, False, True, True, True, False]


def test_a_fence_of_the_other_kind_or_shorter_stays_inside() -> None:
    assert flags("~~~\n```\ncode\n~~~\nafter") == [True, True, True, True, False]
    assert flags("````md\n```\ncode\n```\n````\nafter") == [True] * 5 + [False]


def test_a_longer_closer_closes() -> None:
    assert flags("```\ncode\n`````\nafter") == [True, True, True, False]
    assert flags("~~~\ncode\n~~~~~~  \nafter") == [True, True, True, False]


def test_a_closer_carries_nothing_after_it() -> None:
    # "```python" inside a block is code, not the end of the block.
    assert flags("```\nx\n```python\ny\n```\nafter") == [True] * 5 + [False]


def test_indented_fences_in_list_items() -> None:
    text = "- item\n\n    ```sh\n    make test\n    ```\n- next\n\t~~~\n\tcode\n\t~~~\nend"
    assert flags(text) == [False, False, True, True, True, False, True, True, True, False]


def test_inline_backticks_are_not_a_fence() -> None:
    assert opening_fence("```x``` is inline code") is None
    assert opening_fence("~~~ `tilde info may hold backticks`") == "~~~"
    assert opening_fence("``not three``") is None
    assert opening_fence("text ```") is None
    assert opening_fence("  ````python") == "````"
    assert flags("```x```\nprose") == [False, False]


def test_closes() -> None:
    assert closes("```", "```") and closes("  ````", "```")
    assert not closes("``", "```") and not closes("~~~", "```") and not closes("```", "````")
    assert not closes("``` x", "```")


def test_an_unclosed_fence_runs_to_the_end() -> None:
    assert flags("prose\n```\ncode\nmore code") == [False, True, True, True]


def test_chinese_prose_around_code() -> None:
    text = "安装：\n```bash\n# 中文注释\ngo install\n```\n然后运行 `digest build`。"
    assert [line for line, code in code_lines(text.splitlines()) if not code] == [
        "安装：",
        "然后运行 `digest build`。",
    ]
