"""Markdown rendering: CJK line joining, figures, link resolution, ids, highlighting."""

from __future__ import annotations

import re

from digest.renderer.markdown import highlight_css, join_cjk_lines, render_markdown


def test_soft_break_between_chinese_characters_disappears() -> None:
    html = render_markdown("中文段落在这里\n硬换行，继续写\n完。")
    assert "<p>中文段落在这里硬换行，继续写完。</p>" in html


def test_latin_words_keep_their_space() -> None:
    html = render_markdown("English words\nstay apart.")
    assert "English words\nstay apart." in html


def test_break_between_chinese_and_latin_is_kept() -> None:
    html = render_markdown("我们使用\nGo 语言，Go\n语言很好。")
    assert "我们使用\nGo 语言，Go\n语言很好。" in html


def test_break_next_to_cjk_punctuation_disappears_whatever_the_other_side() -> None:
    html = render_markdown("切片 slice、\nnew。**设计。**\nThis 和 Go\n（语言）用法：\n`x`\n，完。")
    assert (
        "<p>切片 slice、new。<strong>设计。</strong>This 和 Go（语言）用法：<code>x</code>，完。"
        in html
    )


def test_join_looks_through_inline_tags_but_not_paragraphs() -> None:
    html = render_markdown("这是**加粗**\n继续。`代码`\n结束。\n\n第二段。")
    assert "这是<strong>加粗</strong>继续。<code>代码</code>结束。</p>" in html
    assert "</p>\n<p>第二段。</p>" in html


def test_code_blocks_keep_their_line_breaks() -> None:
    html = render_markdown("```text\n第一行\n第二行\n```")
    assert "第一行\n第二行" in html
    assert join_cjk_lines("<pre>甲\n乙</pre>\n<p>丙\n丁</p>") == "<pre>甲\n乙</pre>\n<p>丙丁</p>"


def test_highlighted_code_uses_css_classes() -> None:
    html = render_markdown('```go\nfunc main() { fmt.Println("你好") }\n```')
    assert '<div class="highlight">' in html
    assert '<span class="kd">func</span>' in html
    assert "style=" not in html


def test_highlight_css_has_light_and_dark() -> None:
    css = highlight_css()
    assert ".highlight .kd" in css
    dark = css.index("@media (prefers-color-scheme: dark)")
    assert ".highlight .kd" in css[dark:]


def test_lone_captioned_image_becomes_figure_with_resolved_src() -> None:
    html = render_markdown('![示意图](a.svg "图：流水线")', base="/digest/issues/7/")
    assert "<figure>" in html
    assert 'src="/digest/issues/7/a.svg"' in html
    assert "<figcaption>图：流水线</figcaption>" in html
    assert "title=" not in html


def test_image_inside_text_stays_inline_and_absolute_links_are_untouched() -> None:
    html = render_markdown(
        "看图 ![点](dot.svg) 和 [外链](https://go.dev/) 与 [站内](/digest/tags/)",
        base="/digest/posts/x/",
    )
    assert "<figure>" not in html
    assert 'src="/digest/posts/x/dot.svg"' in html
    assert 'href="https://go.dev/"' in html
    assert 'href="/digest/tags/"' in html


def test_tables_footnotes_attr_list_and_heading_anchors() -> None:
    text = "## 一、背景 {#bg}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n注[^1]\n\n[^1]: 脚注。"
    html = render_markdown(text)
    assert '<h2 id="bg">' in html
    assert '<a class="anchor" href="#bg"' in html
    assert '<table tabindex="0">' in html  # it may scroll sideways: keyboard-reachable
    assert 'id="fn:1"' in html


def test_heading_anchor_for_chinese_heading_is_not_empty() -> None:
    assert '<h2 id="二调度器">' in render_markdown("## 二、调度器")


def test_id_prefix_keeps_fragments_apart() -> None:
    html = render_markdown("注[^1] [外链](https://go.dev/)\n\n[^1]: 脚注。", id_prefix="item-3-")
    assert 'id="item-3-fn:1"' in html
    assert 'href="#item-3-fn:1"' in html
    assert 'href="https://go.dev/"' in html


def test_chinese_quotes_join_next_to_chinese_but_not_between_english_words() -> None:
    assert "<p>他说：“好。”然后走了。</p>" in render_markdown("他说：\n“好。”\n然后走了。")
    assert "He said\n“fine”\n— twice." in render_markdown("He said\n“fine”\n— twice.")
    assert "“快”“慢”" in render_markdown("“快”\n“慢”")
    assert "“fast”\n“slow”" in render_markdown("“fast”\n“slow”")


def test_emphasis_nested_thousands_deep_is_shown_as_text() -> None:
    """3,000 asterisks each side nest Markdown's tree past Python's stack: a RecursionError
    ended the whole build. The text is shown as it was written, escaped."""
    text = "开头。\n\n" + "*" * 3000 + "<x>" + "*" * 3000 + "\n\n结尾。"
    html = render_markdown(text)
    assert html.startswith("<p>开头。</p>\n<p>***")
    assert "&lt;x&gt;" in html and html.endswith("<p>结尾。</p>")
    assert render_markdown("*强调*") == "<p><em>强调</em></p>"  # the next render is as ever


def test_a_heading_needs_a_space_after_its_hashes() -> None:
    # "#周末读书#" is how Chinese social sites write a topic tag; at a line's start
    # Python-Markdown made it (and WordPress's "#dowork" in a definition list) a heading.
    html = render_markdown("#周末读书# 这周读了三本书。\n\n上周\n#dowork 的来历")
    assert "<h1" not in html
    assert "<p>#周末读书# 这周读了三本书。</p>" in html
    assert "#dowork 的来历" in html
    headed = render_markdown("# 这周\n\n## Two ##\n\n###\tTabbed")
    assert [h[:3] for h in re.findall(r"<h\d", headed)] == ["<h1", "<h2", "<h3"]


def test_lists_nest_as_the_editors_most_people_use_write_them() -> None:
    # Two spaces in, or under the item's text (CommonMark, as VS Code, Typora and GitHub
    # read it): Python-Markdown wants four, and made these flat, or text of the item above.
    two = render_markdown("- 工具\n  - 子项一\n  - 子项二\n- 第二")
    assert re.sub(r"\s", "", two) == (
        "<ul><li>工具<ul><li>子项一</li><li>子项二</li></ul></li><li>第二</li></ul>"
    )
    under = render_markdown("1. 第一步\n   - 细节\n2. 第二步")
    assert (
        re.sub(r"\s", "", under) == "<ol><li>第一步<ul><li>细节</li></ul></li><li>第二步</li></ol>"
    )
    # four spaces, as before; code inside an item stays code; text after the list is not in it
    four = render_markdown("- a\n    - b\n        - c\n- d")
    assert (
        re.sub(r"\s", "", four)
        == "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"
    )
    code = render_markdown("- 装好\n\n      go env\n\n之后")
    assert '<li>装好<div class="highlight">' in code and "<code>go env\n</code>" in code
    assert code.rstrip().endswith("</ul>\n<p>之后</p>")
    # outside a list, four spaces are code, and a number and a dot in a paragraph are text
    assert "<code>top code\n</code>" in render_markdown("段落\n\n    top code")
    assert render_markdown("我们在\n2024. 年做了\n很多事") == "<p>我们在\n2024. 年做了很多事</p>"


def test_a_quote_right_under_a_list_item_stays_a_quote() -> None:
    # "> " two spaces in, on the line after the item (how GitHub writes it, and how a
    # WordPress import writes a <blockquote> inside an <li>): Python-Markdown reads it as a
    # quote inside the item; moved to four spaces, it became the item's text, "&gt; 引文".
    html = render_markdown("- 要点\n  > 引文\n- 下一点")
    assert re.sub(r"\s", "", html) == (
        "<ul><li>要点<blockquote><p>引文</p></blockquote></li><li>下一点</li></ul>"
    )
    nested = render_markdown("- a\n  - b\n    > quoted under b")
    assert "&gt;" not in nested
    assert re.sub(r"\s", "", nested).startswith("<ul><li>a<ul><li>b<blockquote>")
    assert "&gt;" not in render_markdown("1. 第一步\n   > 注意\n2. 第二步")


def test_a_rule_written_with_spaced_stars_or_dashes_is_no_list_item() -> None:
    # "* * *" and "- - -" are rules (<hr>), not items: taken for an item, the text after
    # them moved in under it, and an indented line after a blank one became code.
    for rule in ("* * *", "- - -", "*  *  *"):
        html = render_markdown(f"上文\n\n{rule}\n\n  下文\n\n    code")
        assert re.sub(r"\s", "", html).startswith("<p>上文</p><hr><p>下文</p>")
        assert "<code>code\n</code>" in html
    after_list = render_markdown("- a\n\n* * *\n\n  - b")
    assert re.sub(r"\s", "", after_list) == "<ul><li>a</li></ul><hr><ul><li>b</li></ul>"


def test_code_fenced_inside_a_list_item_is_code_in_that_item() -> None:
    # "1. 安装：" then "   ```bash": how a README writes steps. Python-Markdown reads no
    # fence that is not at a line's start: the code came out as inline text of the item.
    steps = "1. 安装：\n   ```bash\n   brew install go\n     # 多缩进的一行\n   ```\n2. 运行"
    html = render_markdown(steps)
    assert re.sub(
        r"\s", "", re.sub(r'<div class="highlight">.*?</div>', "CODE", html, flags=re.S)
    ) == ("<ol><li><p>安装：</p>CODE</li><li><p>运行</p></li></ol>")
    assert '<span class="w">  </span><span class="c1"># 多缩进的一行</span>' in html  # bash
    assert "```" not in html and "brew" in html
    # an unclosed fence is left as it was written; a fence at a line's start is as before
    assert "```go" in render_markdown("- 步骤\n  ```go\n  x := 1")
    top = render_markdown("- 步骤\n\n```go\nx := 1\n```")
    assert top.index("</ul>") < top.index('<div class="highlight">')


def test_an_item_right_under_a_later_paragraph_of_an_item_starts_there() -> None:
    # CommonMark starts the item; Python-Markdown read "2. b" as that paragraph's text.
    html = render_markdown("1. 第一步\n\n   补充说明。\n2. 第二步")
    assert re.sub(r"\s", "", html) == (
        "<ol><li><p>第一步</p><p>补充说明。</p></li><li><p>第二步</p></li></ol>"
    )


def test_an_item_after_a_nested_list_that_follows_a_blank_line_is_not_swallowed_by_it() -> None:
    # "1. 第一步", a blank line, "   - 细节", then "2. 第二步": Python-Markdown reads the block
    # after the blank line as the nested list's, so "2. 第二步" became text of "细节".
    html = render_markdown("1. 第一步\n\n   - 细节\n   - 更多\n2. 第二步")
    assert re.sub(r"\s", "", re.sub(r"</?p>", "", html)) == (
        "<ol><li>第一步<ul><li>细节</li><li>更多</li></ul></li><li>第二步</li></ol>"
    )
    deeper = render_markdown("- a\n  - b\n\n    - c\n  - d\n- e")
    assert re.sub(r"\s", "", re.sub(r"</?p>", "", deeper)) == (
        "<ul><li>a<ul><li>b<ul><li>c</li></ul></li><li>d</li></ul></li><li>e</li></ul>"
    )
    later = render_markdown("- a\n\n  补充\n  - b\n- c")
    assert re.sub(r"\s", "", re.sub(r"</?p>", "", later)) == (
        "<ul><li>a补充<ul><li>b</li></ul></li><li>c</li></ul>"
    )
    # outside a list, a paragraph's line is its text, however far in the paragraph starts
    assert render_markdown("   我们在\n2024. 年做了") == "<p>我们在\n2024. 年做了</p>"
    assert "<ol" not in render_markdown("   前言\n 2. 甲\n 3. 乙")
    assert "<ol start" not in render_markdown("1.  甲\n\n   前言\n 2. 乙\n 3. 丙")


def test_a_number_and_a_dot_wrapped_to_the_start_of_an_items_line_is_text() -> None:
    # Only "1." starts a list right under text (CommonMark); moved four spaces in, the
    # wrapped "  2024. 年做了很多事" became a nested list numbered from 2024.
    html = render_markdown("- 我们在\n  2024. 年做了很多事\n- 下一项")
    assert re.sub(r"\s", "", html) == "<ul><li>我们在2024.年做了很多事</li><li>下一项</li></ul>"
    numbered = render_markdown("1. 我们在\n   2024. 年做了很多事\n2. 下一项")
    assert re.sub(r"\s", "", numbered) == "<ol><li>我们在2024.年做了很多事</li><li>下一项</li></ol>"
    later = render_markdown("1. 第一步\n\n   我们在\n   2024. 年做了\n2. 第二步")
    assert "<ol start" not in later and "2024. 年做了" in later
    # under a list begun on the item's own line, or under a quote, it is an item (e9c664a)
    inline = render_markdown("- 1. 甲\n  2. 乙")
    assert re.sub(r"\s", "", inline) == "<ul><li><ol><li>甲</li><li>乙</li></ol></li></ul>"
    quoted = render_markdown("1. 注意\n\n   > 引文\n   3. 第三")
    assert '<ol start="3">' in quoted and "引文" in quoted and "3. 第三" not in quoted
    # "1." starts the nested list; written four spaces in, as Python-Markdown reads it, as before
    assert "<ol>" in render_markdown("- 步骤\n  1. 细节")
    assert '<ol start="2">' in render_markdown("- 步骤\n    2. 细节")


def test_a_bulleted_item_right_after_a_numbered_one_starts_a_list_of_its_own() -> None:
    # CommonMark starts a new list where the kind of item changes; Python-Markdown (sane
    # lists) read the item as text of the one above: "<li>第二\n- 备注</li>".
    html = render_markdown("1. 第一\n2. 第二\n- 备注")
    assert re.sub(r"\s", "", html) == "<ol><li>第一</li><li>第二</li></ol><ul><li>备注</li></ul>"
    nested = render_markdown("- 步骤\n  1. 甲\n  - 乙\n- 下一步")
    assert re.sub(r"\s", "", re.sub(r"</?p>", "", nested)) == (
        "<ul><li>步骤<ol><li>甲</li></ol><ul><li>乙</li></ul></li><li>下一步</li></ul>"
    )
    assert "<ol>" in render_markdown("- 要点\n1. 第一步")
    # four spaces past where an item may start, a marker is text of the item above (00c8751)
    assert "<ul>" not in render_markdown("2.   第一步\n    + 粗体")


def test_two_code_blocks_fenced_in_one_item_stay_two() -> None:
    # Read as indented code, two fences in one item were joined into one block, with the
    # second's ":::python" header shown as a line of code; and code after a nested list,
    # meant for the outer item, went into the nested one.
    html = render_markdown(
        "1. 先看：\n   ```go\n   a := 1\n   ```\n\n   ```python\n   b = 2\n   ```\n"
        "2. 再看\n   - 细节\n   ```\n   plain <tag>\n   ```"
    )
    assert html.count('<div class="highlight">') == 3 and ":::" not in html
    shape = re.sub(r"\s", "", re.sub(r'<div class="highlight">.*?</div>', "C", html, flags=re.S))
    assert shape == "<ol><li><p>先看：</p>CC</li><li><p>再看</p><ul><li>细节</li></ul>C</li></ol>"
    assert "plain &lt;tag&gt;" in html


def test_a_list_right_under_a_paragraph_starts_there() -> None:
    # "本周推荐：" then "- 文章": how CommonMark editors write it, and show it as a list;
    # Python-Markdown read the items as the paragraph's text ("本周推荐： - 文章 A - 文章 B").
    shape = re.sub(r"\s", "", render_markdown("本周推荐：\n- 文章 A\n- 文章 B\n\n后记。"))
    assert shape == "<p>本周推荐：</p><ul><li>文章A</li><li>文章B</li></ul><p>后记。</p>"
    steps = re.sub(r"\s", "", render_markdown("步骤：\n1. 一\n2. 二"))
    assert steps == "<p>步骤：</p><ol><li>一</li><li>二</li></ol>"
    # only a list numbered from 1 starts under text (CommonMark); a rule and a setext
    # underline are what they were
    assert render_markdown("他说\n3. 不是列表") == "<p>他说\n3. 不是列表</p>"
    assert render_markdown("段落\n* * *\n后") == "<p>段落</p>\n<hr>\n<p>后</p>"
    assert render_markdown("段落\n-\n后").startswith("<h2")


def test_a_fence_one_to_three_spaces_in_outside_every_items_text_is_code() -> None:
    # CommonMark reads a fence indented up to three spaces; Python-Markdown only one at a
    # line's start, and showed the rest as text. Left of an item's text, it ends the list.
    html = render_markdown("段落\n\n  ```python\n  x = 1\n    y\n  ```\n\n后")
    assert '<span class="n">x</span> <span class="o">=</span>' in html  # python, highlighted
    assert "\n  <span" in html and "```" not in html  # y keeps its two spaces over x
    steps = render_markdown("1. 安装：\n  ```bash\n  brew install go\n  ```\n2. 运行")
    shape = re.sub(r"\s", "", re.sub(r'<div class="highlight">.*?</div>', "C", steps, flags=re.S))
    assert shape == '<ol><li>安装：</li></ol>C<olstart="2"><li>运行</li></ol>'
