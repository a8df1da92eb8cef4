"""The per-page choice between our main text and trafilatura's (digest/scraper/ensemble.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.scraper import ensemble
from digest.scraper.ensemble import (
    CAPTIONS,
    EXTRA_LINES,
    FEW_TOKENS,
    LINKY,
    RIVAL,
    WRONG_BLOCK,
    Choice,
    article_text,
    choose,
    doubt,
    is_menu_row,
    link_texts,
    plain_cells,
    rival_share,
    tokens,
    trafilatura_text,
)
from digest.scraper.extract import extract
from digest.scraper.maintext import find_article, parts_text
from digest.scraper.tree import parse

PAGES = Path(__file__).resolve().parent / "pages"
URL = "https://blog.example.org/go-build-cache"
ARTICLE = """
<h1>How the Go build cache decides</h1>
<p>The build cache in Go keys every compile action by the hash of its inputs, so a second
build of an unchanged package costs almost nothing.</p>
<p>When a test depends on files outside the module, the cache cannot see them, and a stale
result is reported as a pass.</p>
<p>The fix is to list those files with the testdata convention or to pass -count=1, which
skips the cache for that run.</p>
<p>We measured a clean build of our service at 41 seconds and a cached one at 3 seconds on
the same laptop.</p>
"""
BYLINE = "By Ann Lee, staff engineer at Example Corp, who writes about build systems monthly"
MOST_READ = "The most read story this week is about tabs and spaces, and it is a long one."
SPONSOR = "This article is brought to you by a cloud company that sells build minutes by the hour."
# A figure and its caption: a line ours keeps and trafilatura leaves out, so ours is unsure.
FIGURE = (
    "<figure><img src='cache.png'><figcaption>The cache folder after one clean build, "
    "largest files first.</figcaption></figure>"
)


def page(article: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><title>Go build cache</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/blog'>Blog</a></nav>"
        f"<article>{article}</article><footer>© Example Corp</footer></body></html>"
    )


def chosen(html: str) -> Choice:
    return article_text(parse(html), URL)


def test_trafilatura_wins_when_its_text_is_ours_without_a_byline() -> None:
    html = page(ARTICLE.replace("</h1>", f"</h1><div class='byline'>{BYLINE}</div>{FIGURE}"))
    choice = chosen(html)
    assert (choice.by, choice.reason) == ("trafilatura", "inside ours, without our extra lines")
    assert "stale result is reported as a pass" in choice.text
    assert BYLINE not in choice.text
    # what the scraper records: on main, our text alone kept the byline
    assert BYLINE not in extract(html.encode(), url=URL, content_type="text/html").text


def test_ours_wins_when_trafilatura_keeps_a_most_read_box_and_a_sponsor_note() -> None:
    extra = (
        f"<div class='mostread'><p>{MOST_READ}</p></div>"
        f"<div class='sponsor-note'><p>{SPONSOR}</p></div>"
    )
    html = page(ARTICLE.replace("</h1>", f"</h1>{FIGURE}") + extra)
    assert MOST_READ in trafilatura_text(html, URL)  # the other side of the choice
    choice = chosen(html)
    assert (choice.by, choice.reason) == (
        "ours",
        "inside trafilatura's text, without its extra lines",
    )
    assert "skips the cache for that run" in choice.text
    assert MOST_READ not in choice.text and SPONSOR not in choice.text


def test_a_chinese_wechat_page_keeps_ours_where_trafilatura_loses_headings_and_lists() -> None:
    html = (PAGES / "wechat-like-zh.html").read_text(encoding="utf-8")
    theirs = trafilatura_text(html, URL)
    assert "04 事后的几项改进" not in theirs  # why ours must win here
    choice = chosen(html)
    assert (choice.by, choice.reason) == ("ours", "Chinese or Japanese text")
    assert "04 事后的几项改进" in choice.text
    assert "给定时任务加上 flock" in choice.text
    assert "点击上方蓝字关注我们" not in choice.text


def test_texts_that_disagree_give_the_longer_one() -> None:
    article = " ".join(
        f"Sentence {i} of the article says something about caches." for i in range(40)
    )
    teaser = "Sign in to read the rest of this story about build systems and their caches."
    assert choose(teaser, article) == Choice(
        article, "trafilatura", "the texts disagree and ours is the shorter"
    )
    assert choose(article, teaser) == Choice(
        article, "ours", "the texts disagree and trafilatura's is the shorter"
    )


def test_a_fragment_inside_the_article_is_not_taken_for_it() -> None:
    article = " ".join(f"Paragraph {i} explains one more detail of the cache." for i in range(30))
    fragment = article[: len(article) // 4]  # inside, but a quarter of it
    assert choose(article, fragment).by == "ours"
    assert choose(fragment, article).by == "trafilatura"


def test_ours_inside_a_longer_text_of_short_lines_is_not_a_fragment() -> None:
    # Trafilatura's text holds ours and three times as much again, all of it short lines
    # (other stories' headlines, dates, labels): page furniture, not more of the article.
    article = (
        "The build cache keys each step by its inputs, so a change to one file rebuilds "
        "only what depends on it.\nWe moved the cache to a shared volume and the nightly "
        "build went from forty minutes to six."
    )
    furniture = "\n".join(
        f"{line} {i}" for i in range(12) for line in ("Posted in Builds", "Older story headline")
    )
    choice = choose(article, f"{article}\n{furniture}")
    assert choice.by == "ours"
    assert "short" in choice.reason


def test_ours_inside_a_longer_text_whose_extra_lines_are_links_is_kept() -> None:
    # Trafilatura's text holds ours and long extra lines, some of them each a whole link
    # of the page (a reprint notice, "more from this section"): page furniture.
    article = (
        "The build cache keys each step by its inputs, so a change to one file rebuilds "
        "only what depends on it.\nWe moved the cache to a shared volume and the nightly "
        "build went from forty minutes to six."
    )
    linked = "Read more stories from our engineering section about caches and build farms"
    notice = (
        "This article may be reprinted for personal use only, with its author's name and "
        "a link back to the page it came from, and not in any paid publication."
    )
    theirs = f"{article}\n{linked}\n{notice}\n{notice.replace('personal', 'private')}"
    assert choose(article, theirs).by == "trafilatura"  # the longer, without the links
    choice = choose(article, theirs, frozenset({linked, "Home"}))
    assert (choice.by, choice.text) == ("ours", article)
    assert "links" in choice.reason


def test_trafilatura_inside_ours_whose_extra_lines_are_links_wins() -> None:
    # Ours holds trafilatura's text and a list of other stories' headlines after it, each
    # a whole link of the page: under the share trafilatura must keep, yet page furniture.
    article = "\n".join(
        " ".join(f"Paragraph {p} sentence {i} says one more thing about caches." for i in range(6))
        for p in range(4)
    )
    others = [
        f"Story {i}: our build farm took a long weekend off and nothing broke at all"
        for i in range(12)
    ]
    ours = "\n".join([article, "More from our blog", *others])
    without = choose(ours, article)
    assert without == Choice(ours, "ours", "inside ours, but without whole sections of ours")
    choice = choose(ours, article, frozenset(others))
    assert (choice.by, choice.text) == ("trafilatura", article)
    assert "links" in choice.reason


def test_an_empty_side_loses() -> None:
    text = "A short article about caches, in one sentence that is all there is."
    assert choose(text, "") == Choice(text, "ours", "trafilatura found nothing")
    assert choose("", text) == Choice(text, "trafilatura", "ours found nothing")


def test_trafilatura_text_is_tidied_by_our_boilerplate_rules() -> None:
    tail = "<h2>往期推荐</h2><p>Another story</p><p>Follow us on every network we are on</p>"
    html = page(ARTICLE + "<p>Share this article</p>" + tail)
    theirs = trafilatura_text(html, URL)
    assert "the same laptop" in theirs
    assert "Share this" not in theirs and "往期推荐" not in theirs and "Another story" not in theirs


def test_a_paragraph_trafilatura_reads_twice_is_kept_once_a_short_line_is_not_judged() -> None:
    # A page that holds a second copy of the article for a script to show: trafilatura
    # reads both; a short line said twice ("Yes.") may be the article's own.
    html = page(ARTICLE + "<p>Yes.</p><p>Yes.</p>" + ARTICLE.replace("<h1>", "<h2>", 1))
    lines = trafilatura_text(html, URL).split("\n")
    assert len([line for line in lines if line.startswith("The build cache in Go")]) == 1
    assert lines.count("Yes.") == 2


def test_a_table_row_of_menu_links_is_left_out_of_trafilaturas_text_a_data_row_is_not() -> None:
    # An old table-layout page: the site's menu is a table row whose cells are each one
    # link; a row of data may hold a link too, but not only links.
    table = (
        "<table><tr><td></td><td><a href='/'>HOME</a></td><td><a href='/a'>CLANS A-Z</a></td>"
        "<td><a href='/h'>HISTORY</a></td><td></td></tr>"
        "<tr><td>Tay Bridge</td><td><a href='/t'>1879</a></td><td>75 dead</td></tr></table>"
    )
    html = page(table + ARTICLE)
    theirs = trafilatura_text(html, URL, links=link_texts(parse(html)))
    assert "HISTORY" not in theirs
    assert "| Tay Bridge | 1879 | 75 dead |" in theirs and "the same laptop" in theirs
    assert "HISTORY" in trafilatura_text(html, URL)  # no links given: no row is a menu's
    assert is_menu_row("| Home | A \\| B |  |", frozenset({"Home", "A | B"}))
    assert not is_menu_row("|  | Home |  |", frozenset({"Home"}))  # one link: a label
    assert is_menu_row("| Site index: | A | B |", frozenset({"A", "B"}))
    assert not is_menu_row("| Index: | A |", frozenset({"A"}))


def test_a_chosen_trafilatura_texts_rows_of_one_cell_are_plain_lines_empty_rows_dropped() -> None:
    rows = "|  |  |  |\n|---|---|\n|  | Handmade kilts \\| made to measure |  |\n| Kilt | £99 |"
    plain = "Handmade kilts | made to measure\n| Kilt | £99 |"
    assert plain_cells(Choice(rows, "trafilatura", "why")) == Choice(plain, "trafilatura", "why")
    assert plain_cells(Choice(rows, "ours", "why")).text == rows


def test_trafilatura_leaving_out_whole_sections_of_ours_loses() -> None:
    sections = [
        " ".join(f"Section {s} sentence {i} says one more thing about caches." for i in range(8))
        for s in range(10)
    ]
    ours = "\n".join(sections)
    most = "\n".join(sections[:7])  # inside ours, a few lines fewer: trafilatura's wins
    assert choose(ours, most) == Choice(most, "trafilatura", "inside ours, without our extra lines")
    half = "\n".join(sections[:5])  # inside ours, but half of it is gone: ours stays
    assert choose(ours, half) == Choice(
        ours, "ours", "inside ours, but without whole sections of ours"
    )


def test_trafilatura_inside_ours_read_as_a_layout_table_loses() -> None:
    # An old page laid out in a table: trafilatura gives its cells as rows and keeps or
    # leaves out whole cells by its table rules (a caption's cell, a list's), so its
    # shorter text is not ours without furniture.
    sections = [
        " ".join(f"Part {s} line {i} tells how the old kiln was fired by hand." for i in range(8))
        for s in range(10)
    ]
    ours = "\n".join(sections)
    plain = "\n".join(sections[:7])
    assert choose(ours, plain).by == "trafilatura"  # the same text as paragraphs wins
    rows = "\n".join(f"|  | {section} |" for section in sections[:7])
    assert choose(ours, rows) == Choice(
        ours, "ours", "inside ours, but without whole sections of ours"
    )
    half_rows = "\n".join([f"| {sections[0]} |", *sections[1:7]])  # one row: not a table page
    assert choose(ours, half_rows).by == "trafilatura"


def test_chinese_text_keeps_ours_unless_ours_is_a_wrong_short_block() -> None:
    article = "\n".join(
        f"第{i}段：构建缓存按输入的哈希记录每一次编译，未改动的包第二次构建几乎不花时间。"
        for i in range(30)
    )
    other_post = "楼主你好，我也遇到过同样的问题，后来换了一台机器就好了，谢谢分享。"
    assert choose(other_post, article) == Choice(
        article, "trafilatura", "the texts disagree and ours is the shorter"
    )
    trimmed = "\n".join(article.split("\n")[:25])  # inside ours: ours stays, as on WeChat
    assert choose(article, trimmed) == Choice(article, "ours", "Chinese or Japanese text")


def is_unsure(html: str) -> bool:
    root = parse(html)
    article = find_article(root)
    return doubt(article, parts_text(article.parts)) is not None


def test_a_page_on_which_ours_is_sure_is_not_given_to_trafilatura(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def not_run(page: object, url: str) -> str:
        raise AssertionError("trafilatura was run on a page ours is sure of")

    monkeypatch.setattr(ensemble, "trafilatura_text", not_run)
    html = page(ARTICLE.replace("</h1>", f"</h1><div class='byline'>{BYLINE}</div>"))
    assert not is_unsure(html)
    choice = chosen(html)
    assert (choice.by, choice.reason) == ("ours", "ours looks sure: trafilatura not run")
    assert "stale result is reported as a pass" in choice.text


def test_a_page_on_which_ours_is_unsure_is_given_to_trafilatura(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, bool]] = []

    def stub(page: object, url: str, *, fast: bool = False, links: object = None) -> str:
        seen.append((url, fast))
        return ""

    monkeypatch.setattr(ensemble, "trafilatura_text", stub)
    choice = chosen(page(ARTICLE.replace("</h1>", f"</h1>{FIGURE}")))
    assert choice.reason == "trafilatura found nothing"
    assert seen == [(URL, True)]  # captions only: ours has the article, fast mode will do
    short = "<p>The cache keys each compile by the hash of its inputs, and that is all.</p>"
    chosen(page(short))
    assert seen[-1] == (URL, False)  # few tokens: maybe the wrong block, fallbacks wanted


def test_the_kind_of_doubt_says_how_trafilatura_is_run() -> None:
    def why(html: str) -> str | None:
        article = find_article(parse(html))
        return doubt(article, parts_text(article.parts))

    assert why(page(ARTICLE)) is None
    assert why(page(ARTICLE.replace("</h1>", f"</h1>{FIGURE}"))) == EXTRA_LINES
    assert why(page("<p>One short line about caches, and nothing else at all.</p>")) == WRONG_BLOCK


def test_few_tokens_make_ours_unsure() -> None:
    short = "<p>The cache keys each compile by the hash of its inputs, and that is all.</p>"
    assert sum(tokens(short).values()) < FEW_TOKENS
    assert is_unsure(page(short))
    assert is_unsure("<html><body></body></html>")  # no block at all


def test_figures_and_captions_make_ours_unsure() -> None:
    assert CAPTIONS == 2  # one figure with its caption
    assert is_unsure(page(ARTICLE.replace("</h1>", f"</h1>{FIGURE}")))
    credit = "<p class='photo-credit'>Photograph by the author, at the office, in the spring</p>"
    assert is_unsure(page(ARTICLE.replace("</h1>", f"</h1>{credit}{credit}")))


def test_a_container_full_of_links_makes_ours_unsure() -> None:
    links = " ".join(f"<a href='/t/{i}'>tag number {i}</a>" for i in range(12))
    html = page(ARTICLE + f"<p>Filed under {links}.</p>")
    article = find_article(parse(html))
    assert article.container is not None and article.container.tag == "article"
    assert is_unsure(html)
    assert not is_unsure(page(ARTICLE)), f"no links: under {LINKY}"


def test_a_close_rival_block_makes_ours_unsure() -> None:
    other = ARTICLE.replace("Go build cache", "Rust incremental cache").replace("Go", "Cargo")
    rival = f"<div class='box'>{other.replace('<h1>', '<h2>').replace('</h1>', '</h2>')}</div>"
    html = page(ARTICLE).replace("<footer>", f"{rival}<footer>")
    assert rival_share(find_article(parse(html))) > RIVAL
    assert is_unsure(html)
    assert rival_share(find_article(parse(page(ARTICLE)))) == 0.0


def test_trafilatura_reads_the_page_parsed_again_as_it_read_a_copy() -> None:
    # article_text given the HTML parses it again, only when trafilatura runs: the same
    # choice as from a copy of the tree taken before ours prunes it
    pages = [
        page(ARTICLE.replace("</h1>", f"</h1><div class='byline'>{BYLINE}</div>{FIGURE}")),
        page("<p>Too short to be sure of.</p>"),
        page(ARTICLE),
        page(
            "<p>"
            + "构建缓存按输入的哈希记录每一次编译，未改动的包第二次构建几乎不花时间。" * 5
            + "</p>"
        ),
    ]
    for html in pages:
        assert article_text(parse(html), URL, html) == article_text(parse(html), URL)


def test_tokens_are_latin_words_and_the_bigrams_of_each_cjk_run() -> None:
    found = tokens("Rust 迭代器 终 the RUST x中文")
    # a run of one letter is its own token; a word that runs into CJK letters stays one word
    assert found == {"rust": 2, "迭代": 1, "代器": 1, "终": 1, "the": 1, "x中文": 1}
