"""Our main text (digest/scraper/maintext.py): the parse, the pruning, the blocks."""

from __future__ import annotations

import pytest

from digest.scraper.article import page_entry
from digest.scraper.extract import extract
from digest.scraper.maintext import main_text
from digest.scraper.tree import parse

URL = "https://notes.example.net/2024/flaky-tests"
PARAGRAPHS = (
    "<p>Our test suite failed one run in twenty, always in a different place, and always "
    "on the shared runners.</p>"
    "<p>The cause was a port picked at random by two tests at once: both bound it, one lost, "
    "and the loser reported a timeout instead of an address in use.</p>"
    "<p>Asking the kernel for port zero and reading back the port it gave made the failures "
    "stop, and the suite got faster too.</p>"
)

STORY_ZH = (
    "<p>这次故障的起因是两个测试同时随机选中了同一个端口，其中一个绑定失败，却报告为超时。</p>"
    "<p>改成向内核申请零号端口、再读回实际分配的端口之后，失败不再出现，测试也更快了。</p>"
    "<p>我们把这个做法写进了团队的测试规范，新写的测试都要遵守，旧的测试也逐步改过来。</p>"
)

Lines = list[str] | tuple[str, ...]  # not a bare str: its letters would be checked one by one


def text_of(html: str) -> str:
    return extract(html.encode(), url=URL, content_type="text/html").text


def checked_text(html: str, kept: Lines = (), dropped: Lines = ()) -> str:
    """The page's main text, having failed if a `kept` string is not in it or a `dropped` one is."""
    __tracebackhide__ = True
    text = main_text(parse(html))
    check(text, kept, dropped, whole_lines=False)
    return text


def checked_lines(html: str, kept: Lines = (), dropped: Lines = ()) -> list[str]:
    """The page's main text as lines, checked as `checked_text` does but against whole lines."""
    __tracebackhide__ = True
    text = main_text(parse(html))
    check(text, kept, dropped, whole_lines=True)
    return text.split("\n")


def check(text: str, kept: Lines, dropped: Lines, *, whole_lines: bool) -> None:
    """Fail naming each `kept` string the text lacks and each `dropped` one it still has."""
    __tracebackhide__ = True
    found: str | list[str] = text.split("\n") if whole_lines else text
    what = "line" if whole_lines else "string"
    wrong = [f"kept {what} missing: {part!r}" for part in kept if part not in found] + [
        f"dropped {what} still there: {part!r}" for part in dropped if part in found
    ]
    assert not wrong, "\n".join([*wrong, "main text:", text])


def as_paragraphs(lines: Lines) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def test_a_body_after_the_end_of_the_html_element_is_read() -> None:
    # libxml2 drops what follows </html>; browsers read it as the page's body.
    html = (
        "<!doctype html><html><head><title>Flaky tests</title></head></html>"
        f"<body><article>{PARAGRAPHS}</article></body>"
    )
    text = text_of(html)
    assert "a port picked at random by two tests at once" in text
    assert "the suite got faster too" in text


def test_a_page_that_never_closes_its_fonts_is_read_to_its_end() -> None:
    # "<font size=2>line<br>" on each of 300 lines nests 300 levels deep; libxml2 stops at
    # 256 and drops the rest, browsers show every line.
    lines = [
        f"Run {n} of the suite failed on the shared runners, as the others had." for n in range(300)
    ]
    html = (
        "<html><body><div class='post'>"
        + "".join(f"<font size=2>{line}<br>" for line in lines)
        + "</div></body></html>"
    )
    text = text_of(html)
    assert "Run 0 of the suite" in text and "Run 299 of the suite" in text


def test_an_html_tag_written_as_empty_does_not_end_the_page() -> None:
    html = (
        '<html lang="en" xmlns="http://www.w3.org/1999/xhtml" /><head><title>Flaky tests</title>'
        f"</head><body><div class='post'>{PARAGRAPHS}</div></body></html>"
    )
    assert "reading back the port it gave" in text_of(html)


def test_a_title_never_closed_ends_at_its_first_tag() -> None:
    # A page saved cut or garbled: without the repair the title swallows the whole page.
    html = (
        "<html><head><title>Flaky tests</titlevalue='true' -->\n"
        "<script src='/a.js'></script></head>"
        f"<body><div class='post'>{PARAGRAPHS}</div></body></html>"
    )
    record = extract(html.encode(), url=URL, content_type="text/html")
    assert "reading back the port it gave" in record.text
    assert record.title == "Flaky tests"
    unclosed = f"<html><head><title>Flaky tests\n<body><div>{PARAGRAPHS}</div></body></html>"
    assert "one run in twenty" in text_of(unclosed)


def test_blank_pages_and_xml_declarations_parse() -> None:
    assert main_text(parse("")) == ""
    assert main_text(parse("   \n")) == ""
    declared = f'<?xml version="1.0" encoding="utf-8"?><html><body>{PARAGRAPHS}</body></html>'
    checked_text(declared, kept=["one run in twenty"])


def test_a_section_whose_id_is_its_headings_words_is_kept() -> None:
    # Sphinx and Markdown renderers make ids from headings: "shared" there is no share bar.
    sections = "".join(
        f"<div class='section' id='{slug}'><h2>{slug}</h2>{PARAGRAPHS.replace('test', word)}</div>"
        for slug, word in (
            ("setting-up-the-runners-for-the-first-time", "trial"),
            ("working-with-shared-branches-in-a-team", "check"),
            ("what-we-would-do-differently-next-time", "probe"),
        )
    )
    html = (
        "<html><body><div class='body'><h1>Working together</h1>"
        f"{sections}<div id='share'><a href='/t'>Post it</a> Send this page to a friend</div>"
        "</div></body></html>"
    )
    checked_text(
        html, kept=["a port picked at random by two checks at once"], dropped=["Send this page"]
    )


def test_lines_that_are_controls_and_labels_are_dropped() -> None:
    html = (
        "<html><body><article><p>Advertisement</p>"
        "<figure><img src='r.jpg'><figcaption>1 of 6</figcaption></figure>"
        "<p>Photo: Jane Roe / Example Agency</p><p>Back to gallery</p>"
        f"{PARAGRAPHS}<p>An advertisement for the runners was shown to every visitor.</p>"
        "<p>© Example Agency</p></article></body></html>"
    )
    lines = checked_lines(
        html,
        kept=["An advertisement for the runners was shown to every visitor."],
        dropped=["Advertisement", "1 of 6"],
    )
    assert not [line for line in lines if line.startswith(("Photo:", "©", "Back to"))]
    assert len(lines) == 4


_COMMENTS = "".join(
    f"<li><p>Reader {n} - October 26</p><p>We had the same flaky failures on our own "
    "runners last spring, and picking port zero fixed them for us as well.</p></li>"
    for n in range(12)
)
_SLIDES = "".join(
    f"<li><h4>Other story {n}</h4><p>Slide {n} tells a different story at length, about "
    "servers and budgets, with many sentences, commas, and clauses; it goes on, and on, "
    "and on, well past the length of the short post above it, as slideshows do.</p></li>"
    for n in range(12)
)


@pytest.mark.parametrize(
    ("after_the_post", "dropped"),
    [
        # the readers' comments under a short post, however many there are
        (
            f"</div><div id='comments'><h3>12 comments</h3><ol>{_COMMENTS}</ol></div>",
            ["Reader", "comments"],
        ),
        # a slideshow promoting other stories inside the post, each slide a whole story
        (
            f"<div class='promo_holder'><ul class='slideshow'>{_SLIDES}</ul></div></div>",
            ["Other story", "Slide"],
        ),
    ],
    ids=["readers' comments", "a promotion of other stories"],
)
def test_comments_and_promotions_are_dropped_even_when_they_fill_most_of_the_page(
    after_the_post: str, dropped: list[str]
) -> None:
    # Furniture that holds most of the page's text stays (a page wrapped in a form); the
    # readers' comments and a promotion of other stories are never the article.
    html = (
        f"<html><body><div class='post'><div class='entry'>{PARAGRAPHS}{after_the_post}"
        "</div></body></html>"
    )
    checked_text(html, kept=["a port picked at random by two tests at once"], dropped=dropped)


def test_previous_and_next_post_lines_are_dropped_a_sentence_starting_next_is_not() -> None:
    pager = ("« Previous post", "Next post: Port numbers explained »", "Older entries", "Next »")
    prose = "Next, we asked the kernel for a port and the flaky runs stopped for good."
    html = (
        f"<html><body><article>{as_paragraphs(pager)}<p>{prose}</p>{PARAGRAPHS}"
        "</article></body></html>"
    )
    lines = checked_lines(html, dropped=pager)
    assert lines[0] == prose and len(lines) == 4


def test_movable_type_s_pager_around_main_is_dropped_a_name_in_guillemets_is_not() -> None:
    pager = ("« Port numbers explained | Main | Runners we share »", "« Ports again | Main")
    prose = "The first runner was called « Main » after the office's street, the second « Back »."
    html = (
        f"<html><body><article>{as_paragraphs(pager)}{PARAGRAPHS}<p>{prose}</p>"
        "</article></body></html>"
    )
    lines = checked_lines(html, dropped=pager)
    assert lines[-1] == prose and len(lines) == 4


def test_readers_comments_signed_as_movable_type_signs_them_are_dropped() -> None:
    # Movable Type's and TypePad's markup: the post's footer ("Posted by … at", no colon),
    # then each comment, then its signature ("Posted by: … | date"), in the post's block.
    footer = "Posted by Ann at March 20, 2007 09:12 AM"
    comments = (
        "Same here: our runners did that for a month.",
        "We had it too.",
        "Port zero fixed it for us as well.",
    )
    signatures = (
        "Posted by: Bob | Mar 20, 2007 10:19:46 PM",
        "Posted by: Carol at March 21, 2007 01:17 AM",
    )
    after = "Thanks for reading; more on flaky tests next week."
    html = (
        f"<html><body><div id='post'>{PARAGRAPHS}<p>{footer}</p>"
        f"<p>{comments[0]}</p><p>{comments[1]}</p><p>{signatures[0]}</p>"
        f"<p>{comments[2]}</p><p>{signatures[1]}</p><p>{after}</p></div></body></html>"
    )
    lines = checked_lines(html, kept=[footer, after], dropped=comments + signatures)
    assert len(lines) == 5


def test_one_signed_line_is_a_post_s_footer_and_stays() -> None:
    footer = "Posted by: Ann | March 20, 2007"
    html = f"<html><body><article>{PARAGRAPHS}<p>{footer}</p></article></body></html>"
    checked_lines(html, kept=[footer])


def test_links_back_to_the_top_or_the_text_are_dropped_a_sentence_about_the_top_is_not() -> None:
    links = (
        "Back to top",
        "[ Go to Top ]",
        "[ Top ]",
        "Return to top of page",
        "Top of page",
        "↑ Top",
        "* * * Back to the top * * *",
        "Return to citation in text: [1]",
        "Return to article",
    )
    prose = "Back to top speed, the runners finished the suite in four minutes."
    html = (
        f"<html><body><article>{PARAGRAPHS}{as_paragraphs(links)}<p>{prose}</p>"
        "</article></body></html>"
    )
    lines = checked_lines(html, dropped=links)
    assert lines[-1] == prose and len(lines) == 4


def test_what_a_css_framework_s_hidden_class_hides_is_dropped_unless_shown_at_a_width() -> None:
    # A copy of the article's start kept for a script to show, a dialog: out of sight.
    copy = "<div class='teaser hidden'><p>Our test suite failed one run in twenty.</p></div>"
    dialog = "<div class='modal-box hidden'><p>Thank you, your e-mail has been sent.</p></div>"
    wide = "<p class='hidden md:block'>On wide screens this note about the runners shows.</p>"
    html = f"<html><body><article>{copy}{dialog}{PARAGRAPHS}{wide}</article></body></html>"
    lines = checked_lines(
        html,
        dropped=[
            "Thank you, your e-mail has been sent.",
            "Our test suite failed one run in twenty.",
        ],
    )
    assert lines[-1] == "On wide screens this note about the runners shows." and len(lines) == 4


def test_label_lines_of_a_news_page_are_dropped_in_the_middle_too() -> None:
    labels = (
        "Video",
        "Gallery",
        "Save Print",
        "Email",
        "Full story",
        "Related articles",
        "Sponsored Links:",
        "SPONSORED ADS",
        "Please create an account or login to read this story",
    )
    html = (
        f"<html><body><article>{as_paragraphs(labels)}"
        f"<p>Save the video of the talk: it explains the ports.</p>{PARAGRAPHS}"
        "</article></body></html>"
    )
    lines = checked_lines(html, dropped=labels)
    assert lines[0] == "Save the video of the talk: it explains the ports." and len(lines) == 4


def test_a_copyright_notice_line_is_dropped_a_sentence_about_copyright_is_not() -> None:
    notices = (
        "Copyright 2012 Example Media, Inc. All Rights Reserved",
        "(c) 2008 example.net, All Rights Reserved.",
    )
    prose = "Copyright law says little about tests, and this 2012 story is about ports."
    html = (
        f"<html><body><article>{PARAGRAPHS}<p>{prose}</p>{as_paragraphs(notices)}"
        "</article></body></html>"
    )
    checked_lines(html, kept=[prose], dropped=notices)


def test_a_notice_naming_its_holder_before_the_mark_is_dropped_terms_of_reuse_are_not() -> None:
    notices = (
        "Example Notes © 2005-2012 Copyright by Ann Author. All Rights Reserved.",
        "Created in 1996-2006 © by Ann Author. All rights reserved.",
    )
    # A wire agency's terms go on after "All rights reserved": some sets' gold keeps them.
    terms = (
        "Copyright 2012 The Example Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed."
    )
    html = (
        f"<html><body><article>{PARAGRAPHS}<p>{terms}</p>{as_paragraphs(notices)}"
        "</article></body></html>"
    )
    checked_lines(html, kept=[terms], dropped=notices)


def test_the_article_s_opening_next_to_its_container_is_kept() -> None:
    # The lede in its own block beside the body's container, as news templates do; a
    # sibling list of links is not taken with it.
    lede = (
        "<p class='standfirst'>A flaky suite is a tax on every change: this is how we "
        "found the test that failed one run in twenty, and what it cost us to find it.</p>"
    )
    html = (
        "<html><body><div class='page'>"
        f"{lede}<div class='body-copy'>{PARAGRAPHS * 2}</div>"
        "<ul>"
        + "".join(f"<li><a href='/{i}'>Another story {i}</a></li>" for i in range(9))
        + "</ul></div></body></html>"
    )
    text = checked_text(html, kept=["the suite got faster too"], dropped=["Another story"])
    assert text.startswith("A flaky suite is a tax on every change")


def test_chinese_controls_and_editor_credits_are_dropped() -> None:
    html = (
        f"<html><body><div class='article'>{STORY_ZH}<p>展开全文</p>"
        "<p>【编辑:王小明】返回首页，查看更多</p><p>上一篇：我们如何选择日志库</p>"
        "</div></body></html>"
    )
    checked_text(
        html,
        kept=["测试也更快了", "旧的测试也逐步改过来"],
        dropped=["展开全文", "王小明", "上一篇"],
    )


def test_the_opening_beside_a_wrapper_of_the_container_is_kept() -> None:
    # The body's container sits alone in a wrapper ("read more"); the lede is the wrapper's
    # sibling, not the container's.
    html = (
        "<html><body><div class='story'><p class='intro'>A flaky suite is a tax on every "
        "change: this is how we found the test that failed one run in twenty.</p>"
        f"<div class='more'><div class='more-content'>{PARAGRAPHS * 2}</div></div>"
        "</div></body></html>"
    )
    text = checked_text(html, kept=["the suite got faster too"])
    assert text.startswith("A flaky suite is a tax on every change")


def test_an_imported_page_keeps_the_same_parts_as_its_text() -> None:
    html = (
        "<html><head><title>Flaky tests</title></head><body><div class='story'>"
        "<p class='intro'>A flaky suite is a tax on every change: this is how we found the "
        "test that failed one run in twenty.</p><div class='more'><div class='more-content'>"
        f"<img data-src='/img/runs.png' src='data:,'>{PARAGRAPHS * 2}</div></div>"
        "</div><ul class='related'><li><a href='/x'>Another story</a></li></ul></body></html>"
    )
    entry = page_entry(html.encode(), url=URL, content_type="text/html")
    assert "A flaky suite is a tax on every change" in entry.html
    assert "the suite got faster too" in entry.html
    assert 'src="https://notes.example.net/img/runs.png"' in entry.html
    assert "Another story" not in entry.html


def test_the_cells_of_a_table_with_row_groups_stay_apart() -> None:
    # An explicit <tbody> (Wikipedia writes one in every table) must not make the rows one
    # run of text: "2014年1月25日台北站" is not what the page shows.
    rows = "".join(
        f"<tr><td>2014年{month}月25日</td><td>台北站</td><td>Example Hall</td></tr>"
        for month in (1, 2, 3)
    )
    html = (
        f"<html><body><div class='article'>{PARAGRAPHS}"
        f"<table><thead><tr><th>日期</th><th>站次</th><th>地点</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div></body></html>"
    )
    checked_lines(html, kept=["2014年2月25日", "台北站", "Example Hall", "日期"])


def test_chinese_datelines_bylines_and_counters_are_dropped() -> None:
    html = (
        "<html><body><div class='article'><p>2024-03-08 10:15 更新 来源：示例日报</p>"
        "<p>本报记者张三李四发自杭州</p>"
        f"{STORY_ZH}<p>（本文发表于测试笔记，已被阅读 321 次）</p>"
        "<p>本文引用(Trackback)链接: /trackback/42</p><p>发表评论</p>"
        "<p>返回页首 | 关闭窗口</p><p>第1页/共1页 &lt;&lt; 上一页 | 下一页 &gt;&gt;</p>"
        "<p>[上一篇] [下一篇]</p>"
        "</div></body></html>"
    )
    lines = main_text(parse(html)).split("\n")
    assert len(lines) == 3 and lines[0].startswith("这次故障的起因")


def test_a_list_of_other_dated_stories_after_its_heading_is_dropped() -> None:
    others = "".join(
        f"<div>·<a href='/{n}'>另一篇关于测试的报道之{n}</a> <span>(2024-03-0{n} 18:03PM)</span>"
        "</div>"
        for n in range(1, 4)
    )
    html = (
        f"<html><body><div class='article'>{STORY_ZH}"
        f"<div><b>相关报道：</b></div>{others}</div></body></html>"
    )
    checked_text(html, kept=["旧的测试也逐步改过来"], dropped=["相关报道", "另一篇"])
    # without the heading, each line is still a dated link to another story
    lines = main_text(parse(html.replace("相关报道：", ""))).split("\n")
    assert len(lines) == 3


def test_a_related_reading_heading_with_its_first_headline_is_dropped_inside_the_story() -> None:
    # "延伸阅读：" and the first headline of its box on one line, between two paragraphs:
    # not the story's end, so the text goes on after it; a sentence naming the heading stays.
    box = (
        "<p><font color='red'>延伸阅读：<a href='/7'>另一个团队如何找到随机端口的问题</a>"
        "</font></p>"
    )
    prose = "<p>延伸阅读：我们把排查过程写成了一份长文档，放在团队的维基上，新同事都会先读。</p>"
    paragraphs = STORY_ZH.split("</p>")
    html = (
        f"<html><body><div class='article'>{paragraphs[0]}</p>{box}{prose}"
        f"{'</p>'.join(paragraphs[1:])}</div></body></html>"
    )
    checked_text(
        html, kept=["测试也更快了", "写成了一份长文档", "旧的测试"], dropped=["另一个团队"]
    )


def test_collapsed_boxes_and_navigation_boxes_are_dropped() -> None:
    # What a reader sees is the article; a box shut until clicked and the links box at the
    # foot of a wiki page are not on screen, or not the article.
    html = (
        f"<html><body><div id='content'>{PARAGRAPHS}"
        "<div class='NavFrame collapsed'><div class='NavHead'>Every appearance</div>"
        "<div class='NavContent'><p>A long table of every talk the team gave about "
        "the flaky suite, one row a talk, kept shut until someone opens it.</p></div></div>"
        "<table class='navbox'><tr><td>Testing topics: ports, timeouts, runners, "
        "retries, quarantine, and many more pages of the same wiki.</td></tr></table>"
        "</div></body></html>"
    )
    checked_text(
        html,
        kept=["the suite got faster too"],
        dropped=["Every appearance", "one row a talk", "Testing topics"],
    )


@pytest.mark.parametrize(
    "name", ["id='speakable-summary'", "class='entry-summary'", "class='article__summary'"]
)
def test_the_article_s_own_summary_is_its_lede_not_boilerplate(name: str) -> None:
    # hAtom's entry-summary, a news template's article__summary, the speakable summary:
    # the story's opening; a bare "summary" box of blurbs is still left out.
    html = (
        f"<html><body><article><p {name}>A flaky suite is a tax on every change, and "
        f"ours cost a day a week until we found its cause.</p>{PARAGRAPHS}"
        "<div class='summary'>Interviews and notes from the team about its tools.</div>"
        "</article></body></html>"
    )
    text = checked_text(html, kept=["the suite got faster too"], dropped=["Interviews and notes"])
    assert text.startswith("A flaky suite is a tax on every change")


def test_the_start_of_the_article_split_off_before_its_container_is_kept() -> None:
    # A news template splits the body around a photo into two blocks of one class: the
    # first, short, is the story's start. A block of that class after the body is not.
    html = (
        "<html><body><div class='page'>"
        "<div class='story-text'><p>Our suite failed one run in twenty; it took us a "
        "week to learn why, and an afternoon to fix it.</p></div>"
        "<div class='photo'><img src='/runs.png'></div>"
        f"<div class='story-text'>{PARAGRAPHS}</div>"
        "<div class='story-text'><p>Example Tools makes test runners for small teams, "
        "and has offices in two cities.</p></div>"
        "</div></body></html>"
    )
    text = checked_text(html, kept=["the suite got faster too"], dropped=["Example Tools makes"])
    assert text.startswith("Our suite failed one run in twenty")


def test_label_lines_at_the_end_of_the_article_are_dropped() -> None:
    # "Tags: …" and "Related: …" over a few links close many templates; the same words
    # in the middle of the story are the story's.
    html = (
        "<html><body><article><p>Filed under: runners, ports</p>"
        f"{PARAGRAPHS}<p>Related Roundup: <a href='/r'>Test runners</a></p>"
        "<p>Tags: <a href='/t/ports'>ports</a>, <a href='/t/ci'>ci</a></p>"
        "</article></body></html>"
    )
    lines = main_text(parse(html)).split("\n")
    assert lines[0] == "Filed under: runners, ports"
    assert lines[-1].endswith("the suite got faster too.")


def test_a_stream_of_teasers_is_not_taken_for_the_article() -> None:
    # A portal's list of other stories, each a headline link and two sentences of blurb,
    # outscores the short story beside it; a template's list (one class for every item)
    # is passed over for the story.
    teasers = "".join(
        f"<li class='stream-item'><a href='/s/{n}'>Another team's runners, part {n}</a>"
        f"<p>Runner number {n}, like the others before it, failed now and then, and its "
        "owners, after a long search, traced the failures to a shared disk, a slow clock, "
        "or, in one case, a cable that a cleaner kept unplugging at night.</p></li>"
        for n in range(5)
    )
    html = (
        "<html><body><div class='page'>"
        f"<div class='story'><h1>Flaky tests</h1>{PARAGRAPHS * 2}</div>"
        f"<ul class='stream'>{teasers}</ul></div></body></html>"
    )
    checked_text(
        html,
        kept=["a port picked at random by two tests at once"],
        dropped=["Another team's runners", "shared disk"],
    )
    # written by hand, without a class on its items (links with notes), it is not a stream
    checked_text(html.replace(" class='stream-item'", ""), kept=["shared disk"])


def test_a_space_written_between_chinese_characters_is_kept_a_line_break_is_not() -> None:
    # The page shows a space typed between two characters ("乔 冠 华"), and people who copy
    # the text keep it; a line break in the source between two characters shows as nothing.
    html = (
        "<html><body><div class='article'>"
        "<p>他在香港时就为这份刊物改稿，从此与乔 冠 华熟悉起来，两人常常一起讨论译稿。</p>"
        "<p>国际新闻局的工作繁忙，局长每星期只\n能来三次，其余时间由副局长主持日常工作。</p>"
        "<p>（ 责任编辑：王小明 ）</p></div></body></html>"
    )
    checked_text(html, kept=["与乔 冠 华熟悉起来", "每星期只能来三次"], dropped=["王小明"])


def test_chinese_breadcrumbs_toolbars_and_publication_lines_are_dropped() -> None:
    html = (
        "<html><body><div class='article'><p>当前位置：首页 &gt; 技术 &gt; 测试</p>"
        "<p>〓 测试笔记 发布时间 2024/03/08 10:15:00 by 张三 〓</p>"
        f"{STORY_ZH}<p>【字号：大 中 小】 【打印】 【关闭】</p>"
        "<p>返回目录\ue5e5下一页</p></div></body></html>"
    )
    lines = main_text(parse(html)).split("\n")
    assert len(lines) == 3 and lines[0].startswith("这次故障的起因")


def test_mediawiki_edit_links_beside_headings_are_dropped() -> None:
    section = (
        "<h2><span class='mw-headline'>经历</span><span class='mw-editsection'>"
        "<span class='mw-editsection-bracket'>[</span><a href='/w?action=edit'>编辑</a>"
        "<span class='mw-editsection-bracket'>]</span></span></h2>"
    )
    html = f"<html><body><div id='mw-content-text'>{section}{STORY_ZH}</div></body></html>"
    assert main_text(parse(html)).split("\n")[0] == "经历"


def test_chinese_byline_labels_and_text_message_ads_are_dropped() -> None:
    html = (
        "<html><body><div class='article'><p>文：张三</p><p>图/李四</p>"
        "<p>发送CS到12345 随时随地查看测试报告</p>"
        f"{STORY_ZH}<p>【作者单位：示例大学计算机系】</p></div></body></html>"
    )
    lines = main_text(parse(html)).split("\n")
    assert len(lines) == 3 and lines[0].startswith("这次故障的起因")


@pytest.mark.parametrize(
    "name", ["author-info", "wp-about-author-container", "authorbio", "about_author"]
)
def test_the_box_about_the_author_is_dropped_the_byline_is_not(name: str) -> None:
    # A WordPress theme's author-info, a plugin's wp-about-author box: the writer's biography
    # under the post, not the article; a byline named author-information stays.
    html = (
        "<html><body><div class='post'>"
        "<p class='author-information'>By Ada Port, staff writer</p>"
        f"{PARAGRAPHS}<div class='{name}'><p>Ada is a tester turned writer, mother of two "
        "and a keen runner, who lives by the sea and writes about build tools.</p>"
        "<p><a href='/ada'>More Posts</a></p></div></div></body></html>"
    )
    checked_text(
        html,
        kept=["the suite got faster too", "By Ada Port"],
        dropped=["keen runner", "More Posts"],
    )


def test_the_comment_form_under_a_post_is_dropped() -> None:
    # WordPress's reply form (#respond) sits in the post's container: its heading and the
    # notes beside its fields are not the article.
    html = (
        f"<html><body><div class='post'>{PARAGRAPHS}<div id='respond'><h3>Leave a Reply</h3>"
        "<p>Your email address will not be published, and if you want a picture beside your "
        "comment, go and get yourself a gravatar first.</p></div></div></body></html>"
    )
    checked_text(html, kept=["the suite got faster too"], dropped=["Leave a Reply", "gravatar"])


def test_a_sidebar_s_recent_comments_are_dropped_however_long() -> None:
    # WordPress's "Recent Comments" widget (#recentcomments) in a sidebar that holds most of
    # the page's text, beside a short post: readers' comments on other posts, never the
    # article.
    excerpt = (
        "<li>Reader {n} on Other post {n}: I tried the same thing on "
        "my own machines and the tests still fail, every other night, at about three.</li>"
    )
    recent = "".join(excerpt.format(n=n) for n in range(20))
    html = (
        f"<html><body><div id='content'><div class='post'>{PARAGRAPHS}</div></div>"
        f"<div id='sidebar'><h3>Recent Comments</h3><ul id='recentcomments'>{recent}</ul>"
        "</div></body></html>"
    )
    checked_text(
        html, kept=["a port picked at random by two tests at once"], dropped=["Other post"]
    )


def test_a_toolbar_line_of_print_mail_and_bookmark_labels_is_dropped() -> None:
    toolbars = (
        "Printer-friendly version Email-a-friend Respond",
        "Print article Email to a friend",
        "del.icio.us | Digg it | Reddit | Newsvine | Technorati",
        "• Digg this story",
        "Buffer",
        "Pin It",
    )
    prose = "Print this article and send it to a friend who has fought flaky tests too."
    html = (
        f"<html><body><article>{as_paragraphs(toolbars[:2])}{PARAGRAPHS}<p>{prose}</p>"
        f"{as_paragraphs(toolbars[2:])}</article></body></html>"
    )
    lines = checked_lines(html, kept=[prose], dropped=toolbars)
    assert len(lines) == 4


def test_a_link_in_a_sentence_stays_whatever_its_class_says() -> None:
    # A news template names its topic links "meta-…": in a sentence, the link's words are
    # the sentence's. A link standing alone with such a name is still page furniture.
    html = (
        "<html><body><article><p>The runners in <a class='meta-loc' href='/t/berlin'>Berlin"
        "</a> failed twice as often as the others, always on the same tests.</p>"
        f"{PARAGRAPHS}<p><a class='share-link' href='/share'>Share this story</a></p>"
        "</article></body></html>"
    )
    checked_text(
        html, kept=["The runners in Berlin failed twice as often"], dropped=["Share this story"]
    )


def test_the_header_of_the_article_is_kept_the_page_s_header_is_not() -> None:
    # HTML makes a <header> inside an <article> the article's own (its lede here); the
    # page's header, outside it, is the site's name and menu.
    html = (
        "<html><body><header><p>Example Notes, a blog about tools and the teams that use "
        "them, written since 2011.</p></header><article><header><p>One test in twenty "
        "failed at random; the cause was a port two tests picked at once.</p></header>"
        f"{PARAGRAPHS}</article></body></html>"
    )
    text = checked_text(html, kept=["the suite got faster too"], dropped=["Example Notes"])
    assert text.startswith("One test in twenty failed at random")


def test_the_lists_beside_a_list_that_holds_the_article_are_kept() -> None:
    # Notes from a talk, in bullet points: the longest list wins, and the article's other
    # lists, split from it by a paragraph, are the same article's.
    point = "a flaky test costs a team more than a slow one, since nobody trusts a red run"
    html = (
        "<html><body><div class='entry'><div class='body'>"
        "<ul><li>The first lesson: ports picked at random collide on shared runners.</li>"
        "<li>The second lesson: a timeout that hides an error is worse than the error.</li>"
        "</ul><p>Then the speaker moved on to what the team changed.</p><ul>"
        + "".join(f"<li>Point {n}: {point}, and so on.</li>" for n in range(8))
        + "</ul></div></div></body></html>"
    )
    checked_text(html, kept=["Point 7: a flaky test", "The first lesson: ports picked at random"])


def test_a_blog_engine_s_pager_and_trackback_label_are_dropped() -> None:
    # Movable Type and TypePad close a post with "« Previous title | Main | Next title »"
    # and a "TrackBack URL for this entry:" label; a sentence about trackbacks stays.
    html = (
        f"<html><body><div class='entry-body'>{PARAGRAPHS}"
        "<p>Trackback spam was why we closed comments on the old blog.</p>"
        "<p>« Ports and sockets | Main | Why our runners are slow »</p>"
        "<p>TrackBack</p><p>TrackBack URL for this entry:</p>"
        "</div></body></html>"
    )
    checked_text(
        html,
        kept=["the suite got faster too", "Trackback spam was why we closed comments"],
        dropped=["| Main |", "TrackBack"],
    )


def test_a_blog_s_comment_links_are_dropped_a_sentence_about_comments_is_not() -> None:
    # Blog templates print the link to the comments as a line of its own: its count, a
    # prompt, a notice that they are closed. The story's own words about comments stay.
    links = (
        "No Comments »",
        "3 Comments",
        "Post a comment:",
        "The comments to this entry are closed.",
    )
    prose = "The vendor declined to comment on the flaky runs, and comments are welcome here."
    html = (
        f"<html><body><article>{PARAGRAPHS}<p>{prose}</p>{as_paragraphs(links)}"
        "</article></body></html>"
    )
    lines = checked_lines(html, dropped=links)
    assert lines[-1] == prose


def test_a_post_s_page_links_ad_marks_and_tools_are_dropped() -> None:
    # WordPress's links to a post's pages ("Pages: 1 2 3"), the mark a news page sets above
    # an advertisement, and a toolbar of PDF, printable-version and e-mail links.
    junk = (
        "Pages: 1 2 3",
        "Article continues below",
        "Print, PDF, Email",
        "E-Mail This Post Printable Version",
        "delicious | digg | reddit",
    )
    prose = "Pages 1 to 3 of the report list each failure, with the runner it happened on."
    html = (
        f"<html><body><article><p>{prose}</p>{PARAGRAPHS}{as_paragraphs(junk)}"
        "</article></body></html>"
    )
    lines = checked_lines(html, dropped=junk)
    assert lines[0] == prose and len(lines) == 4


@pytest.mark.parametrize("closing", ["Related Posts:", "No related posts.", "You might also like"])
def test_a_related_posts_heading_closing_the_text_is_dropped(closing: str) -> None:
    # The heading over a list of other posts (the list itself is a link list) or the
    # plugin's "No related posts." note closes many blogs; mid-story it would stay.
    html = f"<html><body><article>{PARAGRAPHS}<p>{closing}</p></article></body></html>"
    assert main_text(parse(html)).endswith("the suite got faster too.")


def test_a_related_heading_and_the_short_lines_after_it_go_a_section_after_it_stays() -> None:
    # Under "Related Posts", other posts' headlines (and a newsletter box) as plain lines,
    # short as headlines are; when a paragraph of prose follows, the heading was a box's
    # inside the story, and the story goes on.
    after = (
        "<p>Why our runners share one disk</p><p>Ports, clocks and cables: a year of flakes</p>"
        "<p>Get the weekly letter and a free guide to quieter test suites.</p>"
    )
    html = f"<html><body><article>{PARAGRAPHS}<h3>Related Posts</h3>{after}</article></body></html>"
    assert main_text(parse(html)).endswith("the suite got faster too.")
    more = (
        "<p>We then looked at every other suite in the company and found the same pattern "
        "in four of them, each fixed by the same two-line change to its port helper, which "
        "we have since moved into the shared test library.</p>"
    )
    html = (
        f"<html><body><article>{PARAGRAPHS}<h3>Related stories</h3>{more}</article></body></html>"
    )
    assert main_text(parse(html)).endswith("shared test library.")


@pytest.mark.parametrize(
    ("before", "prose", "after"),
    [
        # under a news photo, the photographer and the agency: "Jane Doe/Getty Images"
        (
            (),
            "The runner's logs, in/out of order, showed the same port twice in one minute.",
            ("Jane Doe/Getty Images", "(John Roe/Associated Press)", "Ann Poe/AFP"),
        ),
        # the zoom link under a photo ("Click to enlarge", "Enlarge This Image"): a control
        (
            ("Click here to enlarge image", "click to enlarge", "Enlarge This Image"),
            "Click to enlarge the graph: the failures all fall on the shared runners.",
            (),
        ),
    ],
    ids=["an agency's credit", "an enlarge control"],
)
def test_a_photo_s_credit_and_enlarge_lines_are_dropped_a_sentence_like_them_is_not(
    before: tuple[str, ...], prose: str, after: tuple[str, ...]
) -> None:
    html = (
        f"<html><body><article>{as_paragraphs(before)}<p>{prose}</p>{PARAGRAPHS}"
        f"{as_paragraphs(after)}</article></body></html>"
    )
    lines = checked_lines(html, kept=[prose], dropped=before + after)
    assert lines[0] == prose and len(lines) == 4


def test_the_sections_after_the_container_with_its_tag_and_class_are_kept() -> None:
    # A page of questions and answers in sections of one template (a tag, no class, no id):
    # the longest wins; the shorter ones after it, scoring less than a fair part of its
    # score, are the article's next sections. A block with an id of its own is not.
    section = (
        "<div><p>How do we pick a port? We ask the kernel for port zero, then read it back; "
        "it is free.</p><p>Why not a random one? Two tests can draw the same one, at once, "
        "and one of them loses.</p></div>"
    )
    aside = (
        "<div id='secondary'><p>Another question, about the runners, answered on another "
        "page; see it there.</p><p>Yet another one, about logs, answered on another page; "
        "see it too.</p></div>"
    )
    html = (
        f"<html><body><div class='faq'><div>{PARAGRAPHS * 8}</div>{section}{aside}</div>"
        "</body></html>"
    )
    checked_text(
        html, kept=["How do we pick a port?", "Why not a random one?"], dropped=["Another question"]
    )


@pytest.mark.parametrize(
    ("furniture", "prose"),
    [
        # "Post this story to:" or "Share this article:" before the toolbar's links
        (
            ("Post this story to: del.icio.us | Digg | Reddit | Fark", "Share this: Facebook"),
            "Share this: the kernel picks a free port, and the test reads back the port it got.",
        ),
        # under a newspaper's story: where and when it appeared in print
        (
            (
                "A version of this article appears in print on 03/04/2024, on page B2 of the "
                "New York edition with the headline: Flaky Tests, Fixed.",
                "This article was originally published on page 20 of The Daily Example on May "
                "2, 2024",
            ),
            "A version of this article, with the runner's logs, is on the team's wiki.",
        ),
        # a "most viewed" list's items with their counts and an old site's hit counter
        (
            (
                "- Ports, explained - 23,886 views",
                "1,204 hits since October 21, 1998.",
                "You are visitor number 53648.",
                "This page has been viewed 812 times",
            ),
            "The post on ports got 23,886 views.",
        ),
        # a bar of the author's profiles, each with its count of followers
        (
            (
                "Mastodon (2,310 followers) • Flickr (418 contacts) • YouTube (1.2k subscribers)",
                "Facebook (3,507 likes)",
            ),
            "The post on ports (1,204 likes so far) won the team 300 followers.",
        ),
    ],
    ids=[
        "a toolbar under its label",
        "a note on the printed edition",
        "view and hit counters",
        "follower counts",
    ],
)
def test_furniture_lines_after_the_article_are_dropped_a_sentence_like_them_is_not(
    furniture: tuple[str, ...], prose: str
) -> None:
    html = (
        f"<html><body><article>{PARAGRAPHS}<p>{prose}</p>{as_paragraphs(furniture)}"
        "</article></body></html>"
    )
    lines = checked_lines(html, kept=[prose], dropped=furniture)
    assert len(lines) == 4


FONT = "<font face='Verdana' size='2'>{}</font>"


def test_an_old_page_whose_story_is_all_in_font_elements_is_its_story() -> None:
    # No block has text of its own (each cell's text is inside a <font>): the text of the
    # fonts is counted as their block's, and the story's cell wins, not the whole page.
    story = (
        "Our test suite failed one run in twenty, always in a different place, and always on "
        "the shared runners.<br><br>The cause was a port picked at random by two tests at "
        "once: both bound it, one lost, and the loser reported a timeout.<br><br>Asking the "
        "kernel for port zero, and reading back the port it gave, made the failures stop."
    )
    side = "The office moves to the third floor in May, beside the lifts."
    html = (
        "<html><body><table><tr><td>" + FONT.format(side) + "</td>"
        "<td><div align='justify'>" + FONT.format(story) + "</div></td></tr></table>"
        "</body></html>"
    )
    checked_text(html, kept=["a port picked at random", "made the failures stop"], dropped=[side])


def test_an_old_page_whose_best_font_text_is_short_lines_is_read_whole() -> None:
    # The cell that scores best by its fonts' text is a list of contacts, one short line
    # each (names, rooms, telephone numbers): not prose, so not the article; the whole page
    # is read, as when no block scores, and the introduction in another cell is kept.
    intro = (
        "This list gives the editors to write to about the runners, one for each region, "
        "and the office that answers questions about money."
    )
    contact = (
        "<b>Ann Example, editor.</b><br>Runners, builds, ports.<br>Room 1.2, Office Lane 3,"
        "<br>Exampletown, EX1 2AB.<br>tel: (0100) 123 456.<br>e-mail: ann@example.org<br><br>"
    )
    html = (
        "<html><body><table><tr><td>" + FONT.format(intro) + "</td></tr>"
        "<tr><td>" + FONT.format(contact * 6) + "</td></tr></table></body></html>"
    )
    checked_text(html, kept=["This list gives the editors", "Room 1.2"])


def test_a_blog_s_front_page_is_all_its_posts() -> None:
    # A list of posts, each a block of one class (a title, the post's body, a footer): the
    # longest post's body wins, and the other posts, which score less than a fair part of
    # it, are the text too, with the dates over them; the sidebar beside the list is not.
    def post(title: str, body: str) -> str:
        return (
            f"<div class='post'><h3>{title}</h3><div class='post-body'>{body}</div>"
            "<p class='post-footer'>posted by Ann at 8:26 PM</p></div>"
        )

    short = (
        "<p>We moved the nightly build to the new runners; it takes nine minutes now, "
        "down from twenty, and nobody has to wait for it in the morning.</p>"
        "<p>The old machines go back to the lab next week, where they will run the long "
        "soak tests over the weekend.</p>"
    )
    html = (
        "<html><body><div id='main'><h2>Thursday, April 21</h2>"
        f"{post('Faster builds', short)}{post('Flaky tests', PARAGRAPHS * 3)}"
        f"<h2>Monday, April 18</h2>{post('New runners', short)}</div>"
        "<div id='links'><ul><li><a href='/a'>Archives</a></li><li><a href='/b'>About</a>"
        "</li></ul></div></body></html>"
    )
    text = checked_text(
        html,
        kept=["Faster builds", "the nightly build", "Monday, April 18", "New runners"],
        dropped=["Archives"],
    )
    assert text.count("the nightly build") == 2
