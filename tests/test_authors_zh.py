"""The author of Chinese pages, by the conventions of Chinese news, blogs and forums.

Each snippet is written here for one convention; the test lists every case that goes
wrong, so one failure shows all of them.
"""

from __future__ import annotations

from digest.scraper.zh_names import person_part, unlabelled
from tests.author_cases import Case, wrong

URL = "https://example.cn/a"  # where each page was fetched from
ARTICLE = "<p>正文一段，讲的是容器镜像的分层存储，写得很长很长。</p>"


def page(body: str, head: str = "", title: str = "一篇文章") -> bytes:
    return (
        f'<html lang="zh-CN"><head><title>{title}</title>{head}</head>'
        f"<body><h1>{title}</h1>{body}</body></html>"
    ).encode()


def test_labelled_credits_in_their_usual_forms() -> None:
    cases: list[Case] = [
        ("a label spaced out", page(f"<p>作 者：王小明</p>{ARTICLE}"), "王小明"),
        ("文｜ as WeChat writes it", page(f"<p>文｜王小明</p>{ARTICLE}"), "王小明"),
        ("作者 | with a bar", page(f"<p>作者 | 王小明</p>{ARTICLE}"), "王小明"),
        ("文/图 before the name", page(f"<p>文/图 王小明</p>{ARTICLE}"), "王小明"),
        ("图/文： before the name", page(f"<p>图/文：王小明</p>{ARTICLE}"), "王小明"),
        ("【作者】 in brackets", page(f"<p>【作者】王小明</p>{ARTICLE}"), "王小明"),
        ("a blog's owner", page(f"<p>博主：小鱼儿</p>{ARTICLE}"), "小鱼儿"),
        ("a forum's first poster", page(f"<p>楼主：小鱼儿</p>{ARTICLE}"), "小鱼儿"),
    ]
    assert wrong(cases, URL) == []


def test_the_person_without_organisation_and_role() -> None:
    cases: list[Case] = [
        ("an agency's reporter", page(f"<p>作者：新华社记者 王小明</p>{ARTICLE}"), "王小明"),
        ("the next field glued on", page(f"<p>作者：王小明来源：某报</p>{ARTICLE}"), "王小明"),
        ("the next field after a space", page(f"<p>作者：王小明 出自 某社</p>{ARTICLE}"), "王小明"),
        (
            "a reporter and a correspondent",
            page(f"{ARTICLE}<p>（记者 王小明 通讯员 李四）</p>"),
            "王小明 李四",
        ),
        (
            "a photographer's credit is not the author's",
            page(f"<p>图为会场。新华社记者 王小明 摄</p>{ARTICLE}<p>（记者 李四）</p>"),
            "李四",
        ),
    ]
    assert wrong(cases, URL) == []
    assert person_part("本报记者 王小明 李四") == "王小明 李四"
    assert person_part("小鱼儿") == "小鱼儿"


def test_a_meta_author_that_is_no_person() -> None:
    cases: list[Case] = [
        (
            "forum software in the author meta",
            page(ARTICLE, '<meta name="author" content="Discuz! Team and Comsenz UI Team">'),
            None,
        ),
        (
            "a news site in the author meta, a person on the page",
            page(f"<p>作者：王小明</p>{ARTICLE}", '<meta name="author" content="某某网">'),
            "王小明",
        ),
    ]
    assert wrong(cases, URL) == []


def test_a_source_that_is_a_person() -> None:
    cases: list[Case] = [
        ("a person", page(f"{ARTICLE}<p>来源: 王小明 【发表评论】</p>"), "王小明"),
        ("a paper", page(f"{ARTICLE}<p>来源：某某日报 【发表评论】</p>"), None),
        ("the site itself", page(f"{ARTICLE}<p>来源：本站原创</p>"), None),
    ]
    assert wrong(cases, URL) == []


def test_a_forum_post_by_its_link_to_the_posters_page() -> None:
    menu = '<div><a href="space.php?uid=1">我的空间</a></div>'
    post = '<table><tr><td><a href="space.php?uid=7">小鱼儿</a></td>'
    cases: list[Case] = [
        ("the poster's page", page(f"{menu}{post}<td>{ARTICLE}</td></tr></table>"), "小鱼儿"),
        ("only the reader's own page", page(f"{menu}{ARTICLE}"), None),
    ]
    assert wrong(cases, URL) == []


def test_names_no_label_announces() -> None:
    poem = "<p>诗里写道：“春眠不觉晓，处处闻啼鸟。”（孟浩然）</p>"
    cases: list[Case] = [
        (
            "a two-character surname under the title",
            page(f"<p>司马小明</p>{ARTICLE}"),
            "司马小明",
        ),
        ("a poem's author inside the article", page(f"{ARTICLE}{poem}{ARTICLE}"), None),
        (
            "a credit closing the article",
            page(f"{ARTICLE}<p>好年。（王小明 李四）</p>"),
            "王小明 李四",
        ),
    ]
    assert wrong(cases, URL) == []
    assert unlabelled("欧阳修") and not unlabelled("王小明明") and not unlabelled("金融界")


def test_labelled_credits_far_below_the_title() -> None:
    """Past the text under the title, the whole page is searched: every label counts
    there too (a quick test of the words a label needs must not skip one)."""
    long_article = (
        "<p>讲的是容器镜像的分层存储，讲得很长很长。</p>" * 30
    )  # none of the labels' words
    cases: list[Case] = [
        (label, page(f"{long_article}<p>{label}小鱼儿</p>", title="镜像分层"), "小鱼儿")
        for label in (
            "作 者：",
            "作者：",
            "【作者】",
            "文/",
            "图/文：",
            "撰稿：",
            "博主：",
            "楼主：",
        )
    ]
    assert wrong(cases, URL) == []


def test_a_latin_name_after_a_chinese_label_in_full() -> None:
    cases: list[Case] = [
        ("作者： a given name and a surname", page(f"<p>作者：Jane Doe</p>{ARTICLE}"), "Jane Doe"),
        (
            "文/ with the source after it",
            page(f"<p>文/John Q. Roe 来源：某某日报</p>{ARTICLE}"),
            "John Q. Roe",
        ),
        ("a Chinese name after it stays", page(f"<p>作者：王小明 Jane</p>{ARTICLE}"), "王小明"),
    ]
    assert wrong(cases, URL) == []


def test_a_blogs_author_between_the_title_and_the_site() -> None:
    cases: list[Case] = [
        (
            "标题_作者_博客",
            page(f'<p><a href="/u/1">王小明</a></p>{ARTICLE}', title="一篇文章_王小明_某某博客"),
            "王小明",
        ),
    ]
    assert wrong(cases, URL) == []


def test_reporters_credits_in_their_usual_forms() -> None:
    """A reporter's credit after a colon, glued to the word, with its names parted by 、
    or each with its role, and on two lines one after the other."""
    cases: list[Case] = [
        ("记者： a colon", page(f"<p>记者：王小明</p>{ARTICLE}"), "王小明"),
        ("通讯员： a colon", page(f"<p>通讯员：李四</p>{ARTICLE}"), "李四"),
        ("an intern's credit", page(f"{ARTICLE}<p>（实习生 王小明）</p>"), "王小明"),
        ("names parted by 、", page(f"<p>本报记者 王小明、李四</p>{ARTICLE}"), "王小明、李四"),
        (
            "an agency's dateline, names glued and parted by 、",
            page(f"<p>新华社北京3月5日电（记者王小明、李四）{ARTICLE}</p>"),
            "王小明、李四",
        ),
        (
            "a reporter and a correspondent glued to their roles",
            page(f"<p>本报讯（记者王小明 通讯员李四）{ARTICLE}</p>"),
            "王小明 李四",
        ),
        ("a name glued before 报道", page(f"<p>本报记者王小明报道</p>{ARTICLE}"), "王小明"),
        (
            "credits on two lines",
            page(f"<p>本报实习生 王小明 李四</p><p>本报通讯员 赵五</p>{ARTICLE}"),
            "王小明 李四 赵五",
        ),
    ]
    assert wrong(cases, URL) == []


def test_a_reporters_word_that_starts_no_credit() -> None:
    cases: list[Case] = [
        ("记者了解到", page(f"{ARTICLE}<p>记者了解到，该项目已经开工。</p>"), None),
        ("an interview's question", page(f"{ARTICLE}<p>记者：您好！请问进展如何？</p>"), None),
        ("a question to a professor", page(f"{ARTICLE}<p>记者：李教授，您怎么看？</p>"), None),
        ("a press conference", page(f"{ARTICLE}<p>记者会上 他说</p>"), None),
    ]
    assert wrong(cases, URL) == []


def test_more_labels_of_an_authors_credit() -> None:
    cases: list[Case] = [
        ("［作者］ in full-width brackets", page(f"<p>［作者］王小明</p>{ARTICLE}"), "王小明"),
        ("文|图 before the name", page(f"<p>文|图 王小明</p>{ARTICLE}"), "王小明"),
    ]
    assert wrong(cases, URL) == []


def test_an_element_marked_as_the_authors_holding_a_chinese_byline() -> None:
    cases: list[Case] = [
        (
            "the label and the time after the name",
            page(f'<div class="author">作者：王小明 发布时间：2024-03-05</div>{ARTICLE}'),
            "王小明",
        ),
        (
            "the paper and the role before the name",
            page(f'<div class="author">本报记者 王小明</div>{ARTICLE}'),
            "王小明",
        ),
        ("only the source", page(f'<div class="author">来源：某某网</div>{ARTICLE}'), None),
        (
            "the source, then the author",
            page(f'<div class="author">来源：某某网 作者：王小明</div>{ARTICLE}'),
            "王小明",
        ),
        (
            "the meta author with the paper and the role",
            page(ARTICLE, '<meta name="author" content="本报记者 王小明">'),
            "王小明",
        ),
    ]
    assert wrong(cases, URL) == []


def test_a_papers_credit_marks_and_the_name_before_its_text() -> None:
    cases: list[Case] = [
        ("□ before 文/", page(f"<p>□文/王小明</p>{ARTICLE}"), "王小明"),
        ("● before 文/", page(f"<p>●文/王小明</p>{ARTICLE}"), "王小明"),
        ("a commentator's credit", page(f"<p>本报评论员 王小明</p>{ARTICLE}"), "王小明"),
        ("记者/ before the name", page(f"<p>某某网消息（记者/王小明）{ARTICLE}</p>"), "王小明"),
        ("the name, then /文", page(f"<p>王小明/文 李四/图</p>{ARTICLE}"), "王小明"),
    ]
    assert wrong(cases, URL) == []


def test_the_owner_of_a_blog_or_a_column_in_the_title() -> None:
    cases: list[Case] = [
        (
            "作者的博客 between the title and the site",
            page(ARTICLE, title="一篇文章 - 王小明的博客 - 某某博客网"),
            "王小明",
        ),
        ("a column", page(ARTICLE, title="一篇文章_小鱼儿的专栏"), "小鱼儿"),
        ("a personal space", page(ARTICLE, title="一篇文章 - 小鱼儿的个人空间"), "小鱼儿"),
        ("the reader's own blog", page(ARTICLE, title="一篇文章 - 我的博客"), None),
    ]
    assert wrong(cases, URL) == []
