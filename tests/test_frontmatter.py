"""Front matter is read by LibYAML (in C) when PyYAML has it, and by PyYAML's own parser
otherwise or when LibYAML rejects it: both must give the same values and key lines."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from digest.content import frontmatter
from digest.errors import Problems

FRONT_MATTERS = [
    "number: 7\ntitle: 并发，从一条流水线说起\ndate: 2026-10-30 08:30\ntags: [Go, 并发, C++]",
    'title: "引号里的: 冒号"\nsummary: >\n  折叠的\n  两行\ndraft: false',
    "title: 'single # not a comment'\ntags:\n  - Rust\n  - 内存安全\ncover: cover.jpg",
    "epigraph: |\n  子在川上曰：\n  逝者如斯夫。\nattribution: 《论语》\nnumber: 0x1F",
    "title: yes\ndate: 2026-13-45\nempty:\nnull_value: ~\nfloat: 1.10",
    "",
    "# only a comment",
]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without LibYAML")
@pytest.mark.parametrize("meta", FRONT_MATTERS)
def test_libyaml_reads_what_pyyaml_reads(tmp_path: Path, meta: str) -> None:
    assert issubclass(frontmatter._FastLoader, yaml.CSafeLoader)
    path = tmp_path / "0001.md"
    path.write_text(f"---\n{meta}\n---\n\n正文。\n", encoding="utf-8")
    fast = frontmatter.read_document(path, Problems())
    slow = frontmatter._compose(meta, frontmatter._Loader)
    assert fast is not None
    assert fast.meta == slow[1]
    assert frontmatter._compose(meta, frontmatter._FastLoader)[1] == slow[1]
    assert all(isinstance(v, str) for k, v in fast.meta.items() if k == "date")  # dates stay text


def test_a_yaml_error_is_reported_as_pyyaml_words_it(tmp_path: Path) -> None:
    path = tmp_path / "0001.md"
    path.write_text("---\ntitle: x\n\tdraft: true\n---\n", encoding="utf-8")
    problems = Problems()
    assert frontmatter.read_document(path, problems) is None
    [problem] = problems.items
    assert problem.location.line == 3
    assert (
        problem.message
        == "invalid YAML in front matter: found character '\\t' that cannot start any token"
    )


QUOTE = "unclosed quote: the {0} that opens on this line is never closed; end the value with {0}"
BRACKET = "unclosed bracket: the [ that opens on this line is never closed; end the list with ]"
FULL_WIDTH = "full-width colon ： after {}; use : (half-width, then a space)"


@pytest.mark.parametrize(
    ("meta", "line", "message"),
    [
        ('number: 2\ntitle: "Go 1.24\ndate: 2026-01-09', 3, QUOTE.format('"')),
        ("number: 2\ntitle: 'Go 1.24\ndate: 2026-01-09", 3, QUOTE.format("'")),
        # the quote ends on a later line, where the error is found: still the line it opens on
        ('number: 2\ntitle: "Go 1.24\nsummary: "一句话"\ndate: 2026-01-09', 3, QUOTE.format('"')),
        ("tags: [Go, 并发\nnumber: 2\ndate: 2026-01-09", 2, BRACKET),
        ("number: 2\ndate: 2026-01-09\ntags: [Go, 并发", 4, BRACKET),
        ("title：只有一行", 2, FULL_WIDTH.format("title")),
        ("title：值\nnumber: 2", 2, FULL_WIDTH.format("title")),
        ("number: 2\nsummary ：摘要\ndate: 2026-01-09", 3, FULL_WIDTH.format("summary")),
        (
            'number: 2\ntitle: 他说 "好": 真的',
            3,
            "the value of 'title' contains ': '; put it in quotes: title: '他说 \"好\": 真的'",
        ),
    ],
)
def test_yaml_mistakes_are_named_where_they_start(
    tmp_path: Path, meta: str, line: int, message: str
) -> None:
    path = tmp_path / "0001.md"
    path.write_text(f"---\n{meta}\n---\n\n正文。\n", encoding="utf-8")
    problems = Problems()
    assert frontmatter.read_document(path, problems) is None
    assert [(p.location.line, p.message) for p in problems.items] == [(line, message)]


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_any_line_ending_reads_the_same(tmp_path: Path, newline: str) -> None:
    """Classic Mac OS line endings (a lone CR, still written by some editors and by text
    pasted from old files): the whole file was one line, said as 'missing front matter'."""
    path = tmp_path / "0001.md"
    text = "---\nnumber: 7\ntitle: 标题\n---\n\n正文第一行。\n第二行。\n"
    path.write_bytes(text.replace("\n", newline).encode())
    problems = Problems()
    doc = frontmatter.read_document(path, problems)
    assert problems.items == []
    assert doc is not None
    assert doc.meta == {"number": 7, "title": "标题"}
    assert (doc.key_lines, doc.body, doc.body_line) == (
        {"number": 2, "title": 3},
        "\n正文第一行。\n第二行。\n",
        5,
    )
