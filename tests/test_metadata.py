"""Author, publication date and title from each place a page may state them.

Each snippet is written here for one source; a test lists every case that goes wrong,
so one failure shows all of them.
"""

from __future__ import annotations

import re

import pytest

from digest.model.pages import PageRecord
from digest.scraper.extract import extract
from digest.scraper.metadata import Page, in_chrome
from digest.scraper.tree import parse


def page(head: str = "", body: str = "", lang: str = "zh-CN", title: str = "") -> bytes:
    return (
        f'<html lang="{lang}"><head><title>{title}</title>{head}</head><body>{body}'
        "<article><p>正文一段，讲的是容器镜像的分层存储。</p></article></body></html>"
    ).encode()


def ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


def read(html: bytes, url: str = "https://example.cn/a") -> PageRecord:
    return extract(html, url=url, content_type="text/html; charset=utf-8")


Case = tuple[str, bytes, str, str | None, str | None]  # name, html, url, author, published


def wrong(cases: list[Case]) -> list[tuple[str, str | None, str | None]]:
    """The cases whose author or date is not the expected one, with what was found."""
    found = []
    for name, html, url, author, published in cases:
        record = read(html, url)
        if (record.author, record.published) != (author, published):
            found.append((name, record.author, record.published))
    return found


URL = "https://example.cn/a"
EN = "https://example.com/a"


JSON_LD: list[Case] = [
    (
        "@graph with an @id author",
        page(
            ld(
                '{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"某站"},'
                '{"@type":"Article","headline":"标题","author":{"@id":"#p1"},'
                '"datePublished":"2024-03-05T10:00:00+08:00"},{"@type":"Person","@id":"#p1","name":"王小明"}]}'
            )
        ),
        URL,
        "王小明",
        "2024-03-05T10:00:00+08:00",
    ),
    (
        "a top-level array, two authors",
        page(
            ld(
                '[{"@type":"BreadcrumbList"},{"@type":"NewsArticle","author":[{"@type":"Person",'
                '"name":"Jane Doe"},{"@type":"Person","name":"John Roe"}],'
                '"datePublished":"2024-03-05"}]'
            ),
            lang="en",
        ),
        EN,
        "Jane Doe, John Roe",
        "2024-03-05",
    ),
    (
        "the page's mainEntity",
        page(
            ld(
                '{"@type":"WebPage","mainEntity":{"@type":"Article","author":{"@type":"Person",'
                '"name":"Jane Doe"},"datePublished":"2024-03-05"}}'
            ),
            lang="en",
        ),
        EN,
        "Jane Doe",
        "2024-03-05",
    ),
    (
        "wrapped in a comment, a line break in a string, a trailing comma",
        page(
            ld(
                '<!--\n{"@type":"Article","author":{"name":"Jane\nDoe"},"datePublished":"2024-03-05",}\n-->'
            ),
            lang="en",
        ),
        EN,
        "Jane Doe",
        "2024-03-05",
    ),
    (
        "a publisher is not the author; a time without offset on a Chinese page",
        page(
            ld(
                '{"@type":"Article","publisher":{"@type":"Organization","name":"InfoQ"},'
                '"author":{"@type":"Person","name":"张三"},"datePublished":"2024-03-05 10:00"}'
            )
        ),
        URL,
        "张三",
        "2024-03-05T10:00:00+08:00",
    ),
]


def test_json_ld_graphs_arrays_nested_entities_and_sloppy_scripts() -> None:
    assert wrong(JSON_LD) == []


def test_json_ld_nested_past_any_real_depth_is_no_crash() -> None:
    # Nesting past the JSON parser's depth, or an author list nested hundreds of levels
    # (deep enough to carry a recursive reader past Python's stack), is no metadata: the
    # page is read from its other sources, and the metadata nested a few levels still is.
    deep = 5000
    cases = [
        '{"@graph":' * deep + '{"@type":"Article","author":"Jane Doe"}' + "}" * deep,
        '{"@type":"Article","author":' + "[" * 500 + '"Jane Doe"' + "]" * 500 + "}",
        '{"@type":"Article","author":' + '{"name":' * 500 + '"Jane Doe"' + "}" * 500 + "}",
    ]
    meta = '<meta name="author" content="Wen Li">'
    found = [read(page(ld(js) + meta, lang="en", title="Limpets"), EN) for js in cases]
    assert [(r.title, r.author) for r in found] == [("Limpets", "Wen Li")] * len(cases)
    shallow = '{"@graph":[{"@type":"WebPage","mainEntity":{"@type":"Article","author":'
    shallow += '{"@type":"Person","name":"Jane Doe"}}}]}'
    assert read(page(ld(shallow), lang="en", title="Limpets"), EN).author == "Jane Doe"


META_TAGS: list[Case] = [
    (
        "og article:*, an author that is a URL",
        page(
            '<meta property="article:published_time" content="2024-03-05T10:00:00+08:00">'
            '<meta property="article:author" content="https://facebook.com/jane">'
        ),
        URL,
        None,
        "2024-03-05T10:00:00+08:00",
    ),
    (
        "byline, compact pubdate",
        page(
            '<meta name="byline" content="By Jane Doe"><meta name="pubdate" content="20240305">',
            lang="en",
        ),
        EN,
        "Jane Doe",
        "2024-03-05",
    ),
    (
        "Parse.ly",
        page(
            '<meta name="parsely-author" content="Jane Doe">'
            '<meta name="parsely-pub-date" content="2024-03-05T10:00:00Z">',
            lang="en",
        ),
        EN,
        "Jane Doe",
        "2024-03-05T10:00:00+00:00",
    ),
    (
        "Sailthru",
        page(
            '<meta name="sailthru.author" content="Jane Doe">'
            '<meta name="sailthru.date" content="2024-03-05 10:00:00">',
            lang="en",
        ),
        EN,
        "Jane Doe",
        "2024-03-05T10:00:00",
    ),
    (
        "Dublin Core",
        page('<meta name="DC.creator" content="王小明"><meta name="DC.date" content="2024-03-05">'),
        URL,
        "王小明",
        "2024-03-05",
    ),
    (
        "publishdate",
        page(
            '<meta name="publishdate" content="2024-03-05 10:00:00">'
            '<meta name="author" content="王小明">'
        ),
        URL,
        "王小明",
        "2024-03-05T10:00:00+08:00",
    ),
    (
        "og:release_date, Weibo's create_at",
        page(
            '<meta property="og:release_date" content="2024-03-05T10:00:00+08:00">'
            '<meta name="weibo: article:create_at" content="2024-03-05 10:00:00">'
        ),
        URL,
        None,
        "2024-03-05T10:00:00+08:00",
    ),
    (
        "modified before published",
        page(
            '<meta property="article:modified_time" content="2024-04-01T00:00:00Z">'
            '<meta property="article:published_time" content="2024-03-05T10:00:00Z">',
            lang="en",
        ),
        EN,
        None,
        "2024-03-05T10:00:00+00:00",
    ),
]


def test_meta_tags() -> None:
    assert wrong(META_TAGS) == []


MICRODATA_AND_TIME: list[Case] = [
    (
        "itemprop author with a name, datePublished on a meta",
        page(
            body=(
                '<div itemscope itemtype="https://schema.org/Article">'
                '<span itemprop="author" itemscope>'
                '<span itemprop="name">Jane Doe</span></span>'
                '<meta itemprop="datePublished" content="2024-03-05"></div>'
            ),
            lang="en",
        ),
        EN,
        "Jane Doe",
        "2024-03-05",
    ),
    (
        "itemprop on a link and on visible text",
        page(
            body=(
                '<p>by <a itemprop="author" href="/u/j">Jane Doe</a> on '
                '<span itemprop="datePublished">March 5, 2024</span></p>'
            ),
            lang="en",
        ),
        EN,
        "Jane Doe",
        "2024-03-05",
    ),
    (
        "<time datetime>",
        page(
            body=(
                '<header><h1>标题</h1><time datetime="2024-03-05T10:00:00+08:00">3月5日</time>'
                "</header>"
            )
        ),
        URL,
        None,
        "2024-03-05T10:00:00+08:00",
    ),
    (
        "<time pubdate> after a <time> in the navigation",
        page(
            body=(
                '<nav><time datetime="2025-01-01">今天</time></nav>'
                '<article><time pubdate datetime="2024-03-05">2024-03-05</time></article>'
            )
        ),
        URL,
        None,
        "2024-03-05",
    ),
    (
        "a comment's <time> before the article's",
        page(
            body=(
                '<div class="comments-recent"><time datetime="2025-02-01">最新评论</time></div>'
                '<div class="post"><time datetime="2024-03-05">3月5日</time></div>'
            )
        ),
        URL,
        None,
        "2024-03-05",
    ),
]


def test_microdata_and_time_elements() -> None:
    assert wrong(MICRODATA_AND_TIME) == []


BYLINES: list[Case] = [
    (
        "作者、来源、发布时间 in a plain paragraph",
        page(body=("<h1>标题</h1><p>作者：王小明　来源：InfoQ　发布时间：2024-03-05 10:00</p>")),
        URL,
        "王小明",
        "2024-03-05T10:00:00+08:00",
    ),
    (
        "spans in a bare div, the date first",
        page(
            body=(
                "<h1>标题</h1><div><span>2024年3月5日 10:00</span> <span>来源：InfoQ</span> "
                "<span>作者：李四</span></div>"
            )
        ),
        URL,
        "李四",
        "2024-03-05T10:00:00+08:00",
    ),
    (
        "文/",
        page(body='<h1>标题</h1><p class="meta">文/王小明 2024年3月5日</p>'),
        URL,
        "王小明",
        "2024-03-05",
    ),
    (
        "… 发布于 …",
        page(body='<h1>标题</h1><div class="post-info">王小明 发布于 2024-03-05</div>'),
        URL,
        "王小明",
        "2024-03-05",
    ),
    (
        "By … · March 5, 2024",
        page(body='<h1>Title</h1><p class="post-meta">By Jane Doe · March 5, 2024</p>', lang="en"),
        EN,
        "Jane Doe",
        "2024-03-05",
    ),
    (
        "a footer's record number is no date",
        page(body='<footer class="footer-info">© 2019-2024 某站 2024年1月1日备案</footer>'),
        URL,
        None,
        None,
    ),
]


def test_visible_bylines_under_the_title() -> None:
    assert wrong(BYLINES) == []


URL_DATES: list[Case] = [
    ("/2024/03/05/", page(), "https://example.com/2024/03/05/some-post", None, "2024-03-05"),
    ("/20240305/", page(), "https://example.cn/news/20240305/abc.html", None, "2024-03-05"),
    ("/2024-03-05/", page(), "https://example.cn/2024-03-05/abc", None, "2024-03-05"),
    ("a month is not a date", page(), "https://example.com/2024/03/post", None, None),
    ("nor is a long number", page(), "https://example.cn/a/1190000044712345", None, None),
    (
        "the page's own date first",
        page('<meta name="date" content="2024-03-06">'),
        "https://example.com/2024/03/05/post",
        None,
        "2024-03-06",
    ),
]


def test_a_date_in_the_url_comes_last() -> None:
    assert wrong(URL_DATES) == []


def test_titles_without_the_site_name() -> None:
    cases = [  # (the <title>, more of the head, the URL, the title)
        ("深入理解 Go 调度器 - 掘金", "", "https://juejin.cn/post/1", "深入理解 Go 调度器"),
        (
            "Rust 在字节跳动的实践 | InfoQ",
            "",
            "https://www.infoq.cn/article/x",
            "Rust 在字节跳动的实践",
        ),
        (
            "Redis 持久化详解_CSDN博客",
            "",
            "https://blog.csdn.net/u/article/details/1",
            "Redis 持久化详解",
        ),
        (
            "Redis 持久化详解-CSDN博客",
            "",
            "https://blog.csdn.net/u/article/details/1",
            "Redis 持久化详解",
        ),
        (
            "キャッシュの話「Layers」:acme開発日誌",
            '<meta property="og:site_name" content="acme開発日誌">',
            "https://acme.example/blog/1",
            "キャッシュの話「Layers」",
        ),
        (
            "Understanding lifetimes – Jane's Notes",
            '<meta property="og:site_name" content="Jane\'s Notes">',
            "https://jane.dev/p",
            "Understanding lifetimes",
        ),
        (
            "Understanding lifetimes | Acme Blog",
            "",
            "https://blog.acme.io/p",
            "Understanding lifetimes",
        ),
        # bare hyphens between Chinese words: 标题-频道-网站名, 标题--频道--网站名, 标题－网站名
        ("退潮后怎样数清礁石上的帽贝-生活-海边笔记", "", URL, "退潮后怎样数清礁石上的帽贝"),
        ("退潮后怎样数清礁石上的帽贝--生活--海边笔记", "", URL, "退潮后怎样数清礁石上的帽贝"),
        ("退潮后怎样数清礁石上的帽贝－海边笔记", "", URL, "退潮后怎样数清礁石上的帽贝"),
        ("退潮后怎样数清礁石上的帽贝_生活频道_海边笔记", "", URL, "退潮后怎样数清礁石上的帽贝"),
        ("Go 并发模式 - 张三 - 博客园", "", "https://www.cnblogs.com/zs/p/1.html", "Go 并发模式"),
        (
            "PostgreSQL 索引 - 个人文章 - SegmentFault 思否",
            "",
            "https://segmentfault.com/a/1",
            "PostgreSQL 索引",
        ),
        (
            "Go 1.22 发布 - OSCHINA - 中文开源技术交流社区",
            "",
            "https://www.oschina.net/news/1",
            "Go 1.22 发布",
        ),
        (
            "InfoQ | Rust 在字节跳动的实践",
            "",
            "https://www.infoq.cn/article/x",
            "Rust 在字节跳动的实践",
        ),
        (
            "GitHub - BurntSushi/ripgrep: ripgrep recursively searches directories",
            "",
            "https://github.com/BurntSushi/ripgrep",
            "BurntSushi/ripgrep: ripgrep recursively searches directories",
        ),
        (
            "Why we moved to Rust | by Jane Doe | Medium",
            "",
            "https://medium.com/@j/x",
            "Why we moved to Rust",
        ),
        # A separator that is part of the title stays.
        (
            "Rust vs Go - a fair comparison of two languages",
            "",
            "https://example.com/p",
            "Rust vs Go - a fair comparison of two languages",
        ),
        (
            "Go 1.22 - What's new in the release",
            '<meta property="og:site_name" content="Go Blog">',
            "https://go.dev/blog/x",
            "Go 1.22 - What's new in the release",
        ),
    ]
    found = [(t, read(page(head, title=t), url).title) for t, head, url, _ in cases]
    assert found == [(t, want) for t, _, _, want in cases]


def test_the_headline_the_page_shows() -> None:
    cases = [  # (name, head, body, the title)
        (
            "a marked headline over a <title> written for search engines",
            "",
            '<h1 class="site-logo">Acme</h1>'
            '<h1 class="entry-title">Seven ways to cache a build</h1>',
            "Seven ways to cache a build",
        ),
        (
            "an unmarked <h1> that says what <title> says, in other words",
            "",
            "<h1>How we cut our build times by caching layers</h1>",
            "How we cut our build times by caching layers",
        ),
        (
            "an unmarked <h1> about something else is a section's name",
            "",
            "<h1>Engineering Center</h1>",
            "Caching layers: how we cut our build times",
        ),
        (
            "itemprop=headline over an alternative headline",
            "",
            '<header><h1 itemprop="alternativeHeadline">Build caching</h1>'
            '<h2 itemprop="headline">The three caches every build needs</h2></header>',
            "The three caches every build needs",
        ),
        (
            "og:title for social media, the headline confirmed by JSON-LD",
            '<meta property="og:title" content="You will not believe these caches">'
            + ld('{"@type":"Article","headline":"The three caches every build needs"}'),
            '<h1 class="post-title">The three caches every build needs</h1>',
            "The three caches every build needs",
        ),
        (
            "a shorter og:title does not replace the headline <title> confirms",
            '<meta property="og:title" content="Caching layers cut our build times">',
            "<h1>Caching layers: how we cut our build times</h1>",
            "Caching layers: how we cut our build times",
        ),
        (
            "the headline that is a later part of og:title (artist – song)",
            '<meta property="og:title" content="The Lantern Street Choir and Friends – Lullaby">',
            '<h1 class="song-name">Lullaby</h1>',
            "Lullaby",
        ),
        (
            "a heading that links to the home page is the site's name",
            "",
            '<h1 class="heading"><a href="/">Acme Notes</a></h1>'
            "<h1>How we cut our build times by caching layers</h1>",
            "How we cut our build times by caching layers",
        ),
        (
            "a headline without the permalink it ends with",
            "",
            '<h1>Caching layers<a class="headerlink" href="#caching">¶</a></h1>',
            "Caching layers",
        ),
        (
            "the headline when it has the typographic quotes og:title lacks",
            '<meta property="og:title" content="Let\'s cache \'every\' build">',
            "<h1>Let’s cache ‘every’ build</h1>",
            "Let’s cache ‘every’ build",
        ),
        (
            "og:title when it is the headline with other punctuation",
            '<meta property="og:title" content="Acme’s new cache, and why">',
            "<h1>Acme new cache and why</h1>",
            "Acme’s new cache, and why",
        ),
        (
            "Parse.ly's title",
            '<meta name="parsely-title" content="The three caches every build needs">',
            "",
            "The three caches every build needs",
        ),
    ]
    title = "Caching layers: how we cut our build times"
    found = [(n, read(page(h, b, lang="en", title=title), EN).title) for n, h, b, _ in cases]
    assert found == [(n, want) for n, _, _, want in cases]


def test_a_blog_title_without_the_blog_name() -> None:
    masthead = (
        '<div id="header"><h1><a href="https://tidepool.example/">Tide Pool Notes</a></h1></div>'
    )
    section = '<h1><a href="https://tidepool.example/blog">Tide Pool Notes</a></h1>'
    cases = [  # (name, the <title>, body, the title)
        (
            "« before the blog's name",
            "Counting limpets at dawn « Tide Pool Notes",
            "",
            "Counting limpets at dawn",
        ),
        (
            "› after the blog's name",
            "Tide Pool Notes › Counting limpets",
            masthead,
            "Counting limpets",
        ),
        (
            "the blog's name and a bare colon",
            "Tide Pool Notes: Counting limpets",
            masthead,
            "Counting limpets",
        ),
        (
            "a bare colon before the blog's name",
            "» Counting limpets :Tide Pool Notes",
            masthead,
            "Counting limpets",
        ),
        (
            "a heading linking to the blog's home",
            "Counting limpets at dawn « Tide Pool Notes",
            section,
            "Counting limpets at dawn",
        ),
        ("a :: separator", "Counting limpets :: Tide Pool Notes", "", "Counting limpets"),
        (
            "« that a » closes quotes",
            "Le film « Marée basse » revient",
            "",
            "Le film « Marée basse » revient",
        ),
        (
            "a <title> that lost its </title>",
            "Counting limpets - Tide Pool Notes\n<div class=nav><a href=/>Home</a> | <a>Us</a>",
            "",
            "Counting limpets",
        ),
    ]
    found = [(n, read(page("", b, lang="en", title=t), EN).title) for n, t, b, _ in cases]
    assert found == [(n, want) for n, _, _, want in cases]


def test_a_heading_that_shows_the_site_name_is_never_the_title() -> None:
    # No og:title: the only <h1> is the site's masthead (marked, or just its name); the title
    # is <title> without that name, in English and in Chinese portals' 标题_频道_网站名.
    cases = [  # (name, body, the <title>, the title)
        (
            "a site-title <h1>",
            '<h1 class="site-title">Tide Pool Notes</h1>',
            "Counting limpets - Tide Pool Notes",
            "Counting limpets",
        ),
        (
            "an unmarked <h1> that is the site's name",
            "<h1>Tide Pool Notes</h1>",
            "Counting limpets at dawn | Tide Pool Notes",
            "Counting limpets at dawn",
        ),
        (
            "a logo <h1>, 标题_频道_网站名",
            '<h1 class="logo">海边笔记</h1>',
            "退潮后怎样数清礁石上的帽贝_生活频道_海边笔记",
            "退潮后怎样数清礁石上的帽贝",
        ),
        (
            "an <h1> in the logo, 标题-网站名",
            '<div id="logo"><h1>海边笔记</h1></div>',
            "退潮后怎样数清礁石上的帽贝-海边笔记",
            "退潮后怎样数清礁石上的帽贝",
        ),
        (
            "the blog's name as <h1>, 标题_博客名_网站名",
            "<h1>海边笔记</h1>",
            "退潮后怎样数清礁石上的帽贝_海边笔记_某某博客",
            "退潮后怎样数清礁石上的帽贝",
        ),
    ]
    found = [(n, read(page(body=b, title=t)).title) for n, b, t, _ in cases]
    assert found == [(n, want) for n, _, _, want in cases]


def test_a_section_heading_that_shares_two_words_with_the_title_is_not_the_title() -> None:
    # No og:title; the <h1> names the section, two of its words in <title>: not a retelling
    # of it (half the longer title's words), so <title> without the site's name is the title.
    html = page(body="<h1>Shore Life</h1>", lang="en", title=_SHORE)
    assert read(html, EN).title == "Shore life at dawn: counting limpets on the rocks"
    # one that does retell <title> is still the headline
    retold = page(body="<h1>Counting the limpets on shore rocks at dawn</h1>", title=_SHORE)
    assert read(retold, EN).title == "Counting the limpets on shore rocks at dawn"


_SHORE = "Shore life at dawn: counting limpets on the rocks | Tide Pool Notes"


def test_a_headline_after_a_kicker_in_the_title_is_not_a_section_name() -> None:
    # <title> is kicker | title | site; the <h1> shows the middle part, the longest: the
    # title, not a section's name to skip as one would skip <h1>The Coast Gazette</h1>.
    kicker = "Opinion | Harbour town closes its ferry pier | The Coast Gazette"
    shown = "<h1>Harbour town closes its ferry pier</h1>"
    assert read(page(body=shown, lang="en", title=kicker), EN).title == (
        "Harbour town closes its ferry pier"
    )
    # a short middle part is a section's name: "Title | Section | Site"
    section = "Harbour town closes its ferry pier | Transport | The Coast Gazette"
    assert read(page(body="<h1>Transport</h1>", lang="en", title=section), EN).title == (
        "Harbour town closes its ferry pier"
    )


def test_a_headline_that_retells_the_declared_title() -> None:
    cases = [  # (name, head, body, the title)
        (
            "an unmarked headline that says what og:title says in other words",
            '<meta property="og:title" content="Harbour town votes to close its ferry pier">',
            "<h1>Ferry pier to close after harbour town vote</h1>",
            "Ferry pier to close after harbour town vote",
        ),
        (
            "a marked headline that holds the one word og:title gives",
            '<meta property="og:title" content="Ferries">',
            '<h1 class="story-headline">Why the harbour town gave up its ferries</h1>',
            "Why the harbour town gave up its ferries",
        ),
        (
            "a topic heading that shares two words is not a retelling",
            '<meta property="og:title" content="Harbour town votes to close its ferry pier">',
            "<h1>Harbour town</h1>",
            "Harbour town votes to close its ferry pier",
        ),
        (
            "a headline without the kicker over it, in the same <h1>",
            '<meta property="og:title" content="Harbour town closes its ferry pier">',
            '<h1><span class="kicker">Transport in the north</span>'
            '<span class="headline">Harbour town closes its ferry pier</span></h1>',
            "Harbour town closes its ferry pier",
        ),
        (
            "a headline that differs from og:title only in letter case",
            '<meta property="og:title" content="Harbour Town Votes To Close Its Ferry Pier">',
            "<h1>Harbour town votes to close its ferry pier</h1>",
            "Harbour town votes to close its ferry pier",
        ),
        (
            "og:title with a word more is not the headline with other punctuation",
            '<meta property="og:title" content="Opinion | Harbour town closes its ferry pier">',
            "<h1>Harbour town closes its ferry pier</h1>",
            "Harbour town closes its ferry pier",
        ),
        (
            "an <h1> in the breadcrumb trail is not the headline",
            '<meta property="og:title" content="Harbour town closes its ferry pier after a vote">',
            '<ol class="breadcrumbs"><li><a href="/">Home</a></li>'
            "<li><h1>Harbour town closes its ferry pier</h1></li></ol>",
            "Harbour town closes its ferry pier after a vote",
        ),
        (
            "nor one in an element whose role is navigation",
            '<meta property="og:title" content="Harbour town closes its ferry pier after a vote">',
            '<div role="navigation"><a href="/">Home</a> › '
            "<h1>Harbour town closes its ferry pier</h1></div>",
            "Harbour town closes its ferry pier after a vote",
        ),
        (
            "but an <h1> in <main> whose class speaks of a breadcrumb is",
            '<meta property="og:title" content="Harbour town closes its ferry pier after a vote">',
            '<main class="with-breadcrumbs"><h1>Harbour town closes its ferry pier</h1></main>',
            "Harbour town closes its ferry pier",
        ),
    ]
    title = "Harbour Town Votes To Close Its Ferry Pier | The Coast Gazette"
    found = [(n, read(page(h, b, lang="en", title=title), EN).title) for n, h, b, _ in cases]
    assert found == [(n, want) for n, _, _, want in cases]


def test_a_headline_keeps_its_own_separators_and_spacing() -> None:
    dashed = page(
        '<meta property="og:title" content="How we built Acme’s cache - a design story">'
        '<meta property="og:site_name" content="Acme">',
        '<h1 class="post-title">How we built Acme cache: a design story</h1>',
        lang="en",
    )
    assert read(dashed, EN).title == "How we built Acme’s cache - a design story"
    spans = '<h1 class="entry-title"><span>缓存的设计</span>：<span>第一部分</span></h1>'
    assert read(page(body=spans, title="某站 - 首页")).title == "缓存的设计：第一部分"


def test_a_byline_under_a_title_shown_without_an_h1() -> None:
    # Old portals show the title in a table cell; the byline and date follow it.
    body = (
        '<table><tr><td class="nav">首页 > 新闻</td></tr>'
        "<tr><td><b>容器镜像的分层存储</b></td></tr>"
        "<tr><td>ggjjzhzz 发表于 2005-9-15 11:46:00</td></tr></table>"
    )
    record = read(page(body=body, title="容器镜像的分层存储 - 某论坛"))
    assert (record.author, record.published) == ("ggjjzhzz", "2005-09-15T11:46:00+08:00")


def test_japanese_is_told_from_chinese_and_keeps_its_time_as_written() -> None:
    html = (
        "<html><head><title>キャッシュの話</title></head><body><h1>キャッシュの話</h1>"
        "<p>2019年04月04日 09:00</p><p>ビルドのキャッシュについて書きました。これはテストです。</p>"
        "</body></html>"
    ).encode()
    record = read(html)
    assert (record.lang, record.published) == ("ja", "2019-04-04T09:00:00")


BYLINES_ANYWHERE: list[Case] = [
    (
        "a class that speaks of an author, not the exact word",
        page(
            body='<div class="story-head"><span class="authorText">Jane Doe</span></div>', lang="en"
        ),
        EN,
        "Jane Doe",
        None,
    ),
    (
        "an author's biography is not their name",
        page(body='<p class="author-bio">Jane writes about caches.</p>', lang="en"),
        EN,
        None,
        None,
    ),
    (
        "By several people",
        page(body="<h1>Title</h1><p>By JANE DOE, JOHN ROE and ANN POE</p>", lang="en"),
        EN,
        "JANE DOE, JOHN ROE and ANN POE",
        None,
    ),
    (
        "By one person, then a date",
        page(body="<h1>Title</h1><p>By Jane Doe, March 5, 2024</p>", lang="en"),
        EN,
        "Jane Doe",
        "2024-03-05",
    ),
    (
        "a reporter's credit at the end of the article",
        page(body="<h1>标题</h1><p>正文很长。</p><p>（本台记者 王小明 李四）</p>"),
        URL,
        "王小明 李四",
        None,
    ),
    (
        "a reporter writing from somewhere",
        page(body="<p>本报记者王小明发自北京 昨天下午，会议召开。</p>"),
        URL,
        "王小明",
        None,
    ),
    (
        "记者调查 is no name",
        page(body="<p>记者调查发现，镜像的分层存储很省空间。</p>"),
        URL,
        None,
        None,
    ),
    (
        "a labelled author after the article, two names",
        page(body="<p>正文。</p><p>来源：某报 作者：王小明 李四 我要评论 打印</p>"),
        URL,
        "王小明 李四",
        None,
    ),
    (
        "markup shown as text is no name",
        page(body='<p>作者：size="20" 来源：</p>'),
        URL,
        None,
        None,
    ),
    (
        "a forum post, its title not shown",
        page(body="<p>小鱼儿 发表于 2006-1-2 10:00:00</p><p>帖子正文。</p>"),
        URL,
        "小鱼儿",
        "2006-01-02T10:00:00+08:00",
    ),
    (
        "由 … 张贴 @ date",
        page(body="<p>正文。</p><p>[ 打印 ] 由小鱼儿张贴 @ 2006-01-02 03:25:55</p>"),
        URL,
        "小鱼儿",
        "2006-01-02T03:25:55+08:00",
    ),
    (
        "an editor, when no author is named",
        page(body="<p>正文。（ 责任编辑：王小明 ）</p>"),
        URL,
        "王小明",
        None,
    ),
    (
        "a domain in the author meta is the site",
        page('<meta name="author" content="example.com">', "<p>作者：王小明</p>"),
        URL,
        "王小明",
        None,
    ),
    (
        "a channel in the <title> and the breadcrumb is no author",
        page(
            body='<div>首页 &gt; <a href="/c">商贸</a> &gt; 正文</div><p>正文。</p>',
            title="四年前的一篇报道_商贸_某网",
        ),
        URL,
        None,
        None,
    ),
    (
        "an update's time is no publication",
        page(body="<p>某留言板 更新时间：2006-01-02 10:00</p>"),
        URL,
        None,
        None,
    ),
    (
        "a labelled date anywhere",
        page(body="<p>某留言板 发布时间 2005/05/17 22:11:42 by 某人</p>"),
        URL,
        None,
        "2005-05-17T22:11:42+08:00",
    ),
]


BYLINES_ANYWHERE += [
    (
        "a credit line",
        page(body='<p class="post-credit"><span>Jane Doe</span></p>', lang="en"),
        EN,
        "Jane Doe",
        None,
    ),
    (
        "a photo's credit is not the author's",
        page(body='<p class="photo-credit">Jane Doe</p>', lang="en"),
        EN,
        None,
        None,
    ),
    (
        "written by …, in a class that speaks of an author",
        page(body='<span class="author-line">written by Jane Doe</span>', lang="en"),
        EN,
        "Jane Doe",
        None,
    ),
    (
        "By several people, in a class that speaks of a byline",
        page(body='<div class="story-byline">By Jane Doe and John Roe</div>', lang="en"),
        EN,
        "Jane Doe and John Roe",
        None,
    ),
    (
        "a channel's path in the <title> names no author",
        page(
            body='<p>正文。</p><p>【 <a href="/c">商贸</a> 】 另一篇报道</p>',
            title="一篇报道_商贸_产业资讯_某网",
        ),
        URL,
        None,
        None,
    ),
    (
        "a labelled author with a Latin alias",
        page(body="<p>给学生的建议 作者： 王小明 (Ming Wang) 译： 李四</p>"),
        URL,
        "王小明 (Ming Wang)",
        None,
    ),
    (
        "著者：, in Japanese",
        page(body='<h1>キャッシュの話</h1><a href="/a/1">著者：山田太郎</a>', lang="ja"),
        URL,
        "山田太郎",
        None,
    ),
]


def test_bylines_and_credits_anywhere_on_the_page() -> None:
    assert wrong(BYLINES_ANYWHERE) == []


MORE_DATES: list[Case] = [
    (
        "meta and JSON-LD disagree: the earliest, a later one being an update",
        page(
            '<meta property="article:published_time" content="2024-03-09T08:00:00Z">'
            + ld('{"@type":"Article","datePublished":"2024-03-05T10:00:00Z"}'),
            lang="en",
        ),
        EN,
        None,
        "2024-03-05T10:00:00+00:00",
    ),
    (
        "a declared day, refined by a time declared for that day",
        page(
            '<meta name="date" content="2024-03-05">'
            + ld('{"@type":"Article","datePublished":"2024-03-05T10:00:00+02:00"}'),
            lang="en",
        ),
        EN,
        None,
        "2024-03-05T10:00:00+02:00",
    ),
    (
        "a byline's name ends with its block",
        page(
            body="<h1>Caches</h1><p>Posted on March 5, 2024 by <a>Ingrid</a></p>"
            "<p>Today we look at caches.</p>",
            lang="en",
        ),
        EN,
        "Ingrid",
        "2024-03-05",
    ),
    (
        "a custom element with a datetime",
        page(
            body='<p>Posted <relative-time datetime="2024-03-05T10:00:00Z">now</relative-time></p>'
        ),
        EN,
        None,
        "2024-03-05T10:00:00+00:00",
    ),
    (
        "an edit's datetime is no publication",
        page(body='<p>Text <ins datetime="2024-03-05">added</ins></p>', lang="en"),
        EN,
        None,
        None,
    ),
    (
        "day first with dots",
        page(body="<h1>Titel</h1><p>Hintergrund 19.07.2022 Lesedauer 10 Minuten</p>", lang="de"),
        EN,
        None,
        "2022-07-19",
    ),
    (
        "day first with slashes, when the day cannot be a month",
        page(body="<h1>Title</h1><p>18/03/2019 | Jane Doe</p>", lang="en"),
        EN,
        None,
        "2019-03-18",
    ),
    (
        "no guess between May 7th and 5 July",
        page(body="<h1>Title</h1><p>05/07/2019</p>", lang="en"),
        EN,
        None,
        None,
    ),
]


def test_more_dates() -> None:
    assert wrong(MORE_DATES) == []


UNLABELLED: list[Case] = [
    (
        "names alone under the headline",
        page(body="<h1>镜像分层的代价</h1><p>周子航、龙雨晴</p><p>正文从这里开始。</p>"),
        URL,
        "周子航、龙雨晴",
        None,
    ),
    (
        "names under a line that repeats the title (a forum post)",
        page(
            body="<div><b>镜像分层的代价</b><br><br>镜像分层的代价<br>周子航 龙雨晴<br>"
            "正文从这里开始。</div>",
            title="镜像分层的代价 - 学术 - 某论坛",
        ),
        URL,
        "周子航 龙雨晴",
        None,
    ),
    (
        "a name in brackets after the date, the source's in brackets after its label",
        page(body="<h1>镜像分层的代价</h1><p>2024年3月5日 10:00 [ 宋知远 ] 来源：[ 某某日报 ]</p>"),
        URL,
        "宋知远",
        "2024-03-05T10:00:00+08:00",
    ),
    (
        "a credit in parentheses closing a paragraph",
        page(
            body="<h1>镜像分层的代价</h1><p>正文一段。</p>"
            "<p>社区的志愿者也来帮忙，大家一起过了个好年。（韩立新 苏晓 ）</p>"
        ),
        URL,
        "韩立新 苏晓",
        None,
    ),
    (
        "a marked author that is an editor's credit, the labelled author after it",
        page(
            body='<h1>留学求职的几点想法</h1><div><span class="author">某站编辑：Bob</span>'
            "<span>作者:程一舟</span></div>"
        ),
        URL,
        "程一舟",
        None,
    ),
    (
        "a meta author that is an editor's credit",
        page(
            '<meta name="author" content="某站编辑：Bob">',
            body="<h1>留学求职的几点想法</h1><p>作者：程一舟</p>",
        ),
        URL,
        "程一舟",
        None,
    ),
    (
        "names under a centred bold title, on a page without an <h1>",
        page(
            body="<p align='center'><font><strong>镜像分层的代价</strong></font></p><hr>"
            "<p> 梁思远<br><br>正文从这里开始。</p>",
            title="显示",
        ),
        URL,
        "梁思远",
        None,
    ),
    (
        "a section's name under the headline is no name",
        page(body="<h1>镜像分层的代价</h1><p>要闻</p><p>正文从这里开始。</p>"),
        URL,
        None,
        None,
    ),
    (
        "an agency, a picture, the end in parentheses are no names",
        page(
            body="<h1>镜像分层的代价</h1><p>大家过了个好年。（新华社）</p><p>一张照片。（组图）</p>"
            "<p>到此为止。（完）</p>"
        ),
        URL,
        None,
        None,
    ),
    (
        "a photographer's credit is no author",
        page(body="<h1>镜像分层的代价</h1><p>街上的灯笼。（宋知远 摄）</p>"),
        URL,
        None,
        None,
    ),
]


def test_names_no_label_announces() -> None:
    assert wrong(UNLABELLED) == []


def test_a_name_in_capitals_without_its_organisation() -> None:
    cases = {
        "<p>By ERIC TUCKER Associated Press</p>": "ERIC TUCKER",
        "<p>By ERIC TUCKER and MARY CLARK Associated Press</p>": "ERIC TUCKER and MARY CLARK",
        "<p>By JANE ROE, AP National Security Writer</p>": "JANE ROE",
        "<p>By JANE DOE and John Roe</p>": "JANE DOE and John Roe",
        "<p>By Jane Doe</p>": "Jane Doe",
    }
    found = {
        body: read(page(body=f"<h1>Caches for builds</h1>{body}", lang="en"), EN).author
        for body in cases
    }
    assert found == cases
    meta = '<meta name="byline" content="By ERIC TUCKER Associated Press">'
    assert read(page(meta, lang="en"), EN).author == "ERIC TUCKER"


PUBLISHERS: list[Case] = [
    (
        "a meta author that is the site's name gives way to the byline",
        page(
            '<meta name="author" content="Acme News"><meta property="og:site_name" '
            'content="Acme News">',
            body="<h1>Caches for builds</h1><p>By JANE DOE and JOHN ROE</p>",
            lang="en",
        ),
        EN,
        "JANE DOE and JOHN ROE",
        None,
    ),
    (
        "a meta author that is the site's name, when no one else is named",
        page(
            '<meta name="author" content="Acme News"><meta property="og:site_name" '
            'content="Acme News">',
            body="<h1>Caches for builds</h1>",
            lang="en",
        ),
        EN,
        "Acme News",
        None,
    ),
    (
        "og:article:author, the publisher's name, over a Twitter account",
        page(
            '<meta property="og:article:author" content="Acme News">'
            '<meta property="og:site_name" content="Acme News">'
            '<meta name="twitter:creator" content="@AcmeWorld">',
            lang="en",
        ),
        EN,
        "Acme News",
        None,
    ),
    (
        "article:author over an author naming the publisher",
        page(
            '<meta name="author" content="Acme Media Group">'
            '<meta property="article:author" content="Jane Doe">',
            lang="en",
        ),
        EN,
        "Jane Doe",
        None,
    ),
]


AUTHOR_LINKS: list[Case] = [
    (
        "a link to the author's page names a blog's owner",
        page(body='<div class="profile"><a href="/?author=12">林间小路</a></div><h1>镜像分层</h1>'),
        URL,
        "林间小路",
        None,
    ),
    (
        "an author's link in the comments is a commenter's",
        page(
            body='<h1>Caches</h1><div class="comments"><a href="/author/jane">Jane Doe</a></div>',
            lang="en",
        ),
        EN,
        None,
        None,
    ),
    (
        "a link to all authors is no name",
        page(body='<h1>Caches</h1><p><a href="/authors/">all authors</a></p>', lang="en"),
        EN,
        None,
        None,
    ),
]


MARKED_BYLINES: list[Case] = [
    (
        "a By-list of names in elements of their own, the last one marked",
        page(
            body='<h1>Caches</h1><p><span class="byline-prefix">By </span><span>Jane Doe</span>'
            ', <span>John Roe</span> and <span class="last-byline">Ann Poe</span></p>',
            lang="en",
        ),
        EN,
        "Jane Doe, John Roe and Ann Poe",
        None,
    ),
    (
        "a whole article marked for its author is not a byline",
        page(
            body='<div class="post-author-layout"><nav class="crumbs">Home</nav>'
            f"<h1>Caches</h1><p>{'A long paragraph about caches. ' * 20}</p>"
            '<div class="post-author">By Jane Doe Jane Doe Staff writer</div></div>',
            lang="en",
        ),
        EN,
        "Jane Doe",
        None,
    ),
    (
        "a picture's credit is no author",
        page(body='<h1>Caches</h1><span class="media-credit">Photo Agency</span>', lang="en"),
        EN,
        None,
        None,
    ),
]


def test_marked_bylines() -> None:
    assert wrong(MARKED_BYLINES) == []


def test_a_link_to_the_authors_page() -> None:
    assert wrong(AUTHOR_LINKS) == []


def test_a_person_over_the_publisher() -> None:
    assert wrong(PUBLISHERS) == []


def test_page_text_is_cut_after_the_string_that_reaches_the_limit() -> None:
    # read once a page and cut per call: the cut as when the strings were read one by one
    html = "<html><body><p>ab<b>cd</b>ef<script>var x = 1;</script></p></body></html>"
    page = Page.parse(html, parse(html))
    assert page.text() == "ab cd ef"
    assert [page.text(n) for n in (0, 2, 3, 4, 6, 7, 100)] == [
        "",
        "ab",
        "ab",
        "ab c",
        "ab cd",
        "ab cd e",
        "ab cd ef",
    ]


def test_page_text_leaves_out_a_templates_content_only_where_there_is_one() -> None:
    # a page without a template is read without looking for one above every string
    html = "<html><body><p>Shown</p><template><p>Kept for a script</p></template></body></html>"
    assert Page.parse(html, parse(html)).flat_text == "Shown"
    plain = "<html><body><p>Shown</p><div>and here</div></body></html>"
    assert Page.parse(plain, parse(plain)).flat_text == "Shown and here"


def test_a_title_as_a_reader_sees_it() -> None:
    # JSON-LD is JSON, not HTML, yet sites write entities into it; a meta tag may escape
    # its ampersand twice; invisible marks hide in titles pasted from word processors.
    cases = [  # (name, head, the <title>, the title)
        (
            "an entity in JSON-LD's headline",
            ld('{"@type":"NewsArticle","headline":"Tide&#8217;s out &amp; the limpets stay"}'),
            "",
            "Tide’s out & the limpets stay",
        ),
        (
            "an ampersand escaped twice in og:title",
            '<meta property="og:title" content="Limpets &amp;amp; barnacles">',
            "",
            "Limpets & barnacles",
        ),
        (
            "markup escaped in <title>, its text",
            "",
            "Why &lt;b&gt; is not &lt;strong&gt;",
            "Why <b> is not <strong>",
        ),
        (
            "a zero-width space and a soft hyphen in <title>",
            "",
            "Counting\u200b lim\u00adpets at dawn",
            "Counting limpets at dawn",
        ),
    ]
    found = [(n, read(page(head, lang="en", title=t), EN).title) for n, head, t, _ in cases]
    assert found == [(n, want) for n, _, _, want in cases]


def test_a_web_address_in_the_title_names_the_site() -> None:
    # Old portals name themselves by their address, before the title or after it, whatever
    # host serves the page; a breadcrumb's order (site, section, title) ends with the title.
    cases = [  # (the <title>, the title)
        ("TidePool.com - Limpets hold on through the storm", "Limpets hold on through the storm"),
        ("Counting limpets at dawn - TidePool.co.uk", "Counting limpets at dawn"),
        ("TidePool.com: Limpets hold on through the storm", "Limpets hold on through the storm"),
        ("www.tidepool.com :: Limpets hold on", "Limpets hold on"),
        (
            "TidePool.com - Shore - Limpets hold on through the storm",
            "Limpets hold on through the storm",
        ),
        (
            "TidePool.com: | 01/08/2008 | Limpets hold on through the storm",
            "Limpets hold on through the storm",
        ),
        (
            "Node.js - a runtime for servers, explained",
            "Node.js - a runtime for servers, explained",
        ),
    ]
    found = [
        (t, read(page(title=t, lang="en"), "https://mirror.example/a").title) for t, _ in cases
    ]
    assert found == cases


def test_a_short_name_before_a_long_title_is_the_site() -> None:
    # No og:site_name, no masthead, no host in the title: of two parts, a name of a few
    # words before a phrase is the site's, when the page shows the phrase without the name;
    # a Chinese title is too wide to be a name.
    cases = [  # (the <title>, the text the page shows, the title)
        (
            "Shore Times - Limpets hold on through the longest storm of the winter",
            "Limpets hold on through the longest storm of the winter",
            "Limpets hold on through the longest storm of the winter",
        ),
        (
            "海边笔记 » 退潮后怎样数清礁石上的帽贝和藤壶",
            "退潮后怎样数清礁石上的帽贝和藤壶",
            "退潮后怎样数清礁石上的帽贝和藤壶",
        ),
        # a title with a separator of its own, shown whole
        (
            "Rust vs Go - a fair comparison of two languages",
            "Rust vs Go - a fair comparison of two languages",
            "Rust vs Go - a fair comparison of two languages",
        ),
        ("Counting limpets at dawn | Tide Pool Notes", "", "Counting limpets at dawn"),
    ]
    url = "https://mirror.example/a"
    found = [
        (t, read(page(title=t, lang="en", body=f"<p>{b}</p>"), url).title) for t, b, _ in cases
    ]
    assert found == [(t, want) for t, _, want in cases]


def test_a_blog_hosted_in_a_folder_names_itself_in_its_masthead() -> None:
    # Movable Type and TypePad: the blog lives in a folder named with underscores, its
    # masthead links there with access key 1, and <title> is "Blog Name: Post Title".
    cases = [  # (name, the masthead's link, the title)
        ("a folder", '<a href="https://shore.example/tide_pool_notes/">', "Counting limpets"),
        (
            "access key 1",
            '<a href="https://shore.example/notes-from-the-tide" accesskey="1">',
            "Counting limpets",
        ),
    ]
    found = []
    for name, link, _ in cases:
        body = f'<div id="banner"><h1 id="banner-header">{link}Tide Pool Notes</a></h1></div>'
        html = page("", body, lang="en", title="Tide Pool Notes: Counting limpets")
        found.append((name, read(html, EN).title))
    assert found == [(name, want) for name, _, want in cases]


def test_a_headline_without_its_link_to_the_comments() -> None:
    # Blog themes put the comment count inside the post's <h1>, linked to the comments.
    body = (
        '<h1 class="entry-title">Counting limpets at dawn '
        '<span><a href="#comment_list">12 Comments</a></span></h1>'
    )
    html = page("", body, lang="en", title="Counting limpets at dawn | Tide Pool Notes")
    assert read(html, EN).title == "Counting limpets at dawn"


def test_a_site_name_in_brackets_closing_the_title() -> None:
    # "Title [Site]" and 标题[社区]: the bracketed name is the site's when its masthead shows
    # it; a bracketed word that is not the site's name stays.
    masthead = '<h1 class="heading"><a href="/">Tide Pool Notes<sup> beta</sup></a></h1>'
    cases = [  # (the <title>, body, the title)
        ("Counting limpets [Tide Pool Notes]", masthead, "Counting limpets"),
        ("Counting limpets [Video]", masthead, "Counting limpets [Video]"),
    ]
    found = [(t, read(page("", b, lang="en", title=t), EN).title) for t, b, _ in cases]
    assert found == [(t, want) for t, _, want in cases]


def test_the_copyright_holder_is_the_site() -> None:
    # No metadata names the site: the footer's copyright notice does, on either side of
    # the title.
    cases = [  # (the <title>, the footer, the title)
        ("The Shore Times : Limpets hold on", "© 2008 The Shore Times.", "Limpets hold on"),
        (
            "Limpets hold on - The Shore Times",
            "Copyright 2006-2008, The Shore Times",
            "Limpets hold on",
        ),
    ]
    found = [
        (t, read(page("", f"<footer>{f}</footer>", lang="en", title=t), EN).title)
        for t, f, _ in cases
    ]
    assert found == [(t, want) for t, _, want in cases]


def test_an_articles_header_shows_the_title_in_an_h2() -> None:
    # The page's only <h1> is the breadcrumb's last step; the article's header shows the
    # title in an <h2>, after its kicker, which og:title keeps.
    body = (
        '<ol class="breadcrumb"><li><a href="/">Home</a></li>'
        "<li><h1>Biology: Limpets hold on</h1></li></ol>"
        '<article><header><h2><span class="content__kicker">Biology</span>'
        '<span class="content__title">Limpets hold on through the storm</span></h2></header>'
        "<p>Text.</p></article>"
    )
    head = '<meta property="og:title" content="Biology: Limpets hold on through the storm">'
    html = page(head, body, lang="en", title="Biology: Limpets hold on - Shore Science")
    assert read(html, EN).title == "Limpets hold on through the storm"


def test_the_part_of_the_title_the_body_shows_alone_as_a_heading() -> None:
    # Old portals' <title> holds the site's name and its motto, or a wire's name and a
    # firm's, on either side of the title: the part the body shows alone as a heading (or
    # as a phrase, not a link, but a heading's link: a blog's post) is the title. A section's
    # name shown as a heading is not.
    cases = [  # (the <title>, body, the title)
        (
            "Limpets hold on through the storm - Shore Times - News and views from the coast",
            '<div class="motto">News and views from the coast</div>'
            '<div class="headline1">Limpets hold on through the storm</div>',
            "Limpets hold on through the storm",
        ),
        (
            "Shore Wire | ACME CORP. | Acme opens a limpet farm on the coast",
            "<h3>Acme opens a limpet farm on the coast</h3>",
            "Acme opens a limpet farm on the coast",
        ),
        (
            "Shore.example > News > Coast -- Limpets hold on through the storm",
            '<span class="headline">Limpets hold on through the storm</span>',
            "Limpets hold on through the storm",
        ),
        (
            "Limpets hold on through the winter - TIDEWORLD | Shore News and Rumours",
            '<div class="section_header">TIDEWORLD</div>'
            '<div class="top_story">Limpets hold on through the winter</div>',
            "Limpets hold on through the winter",
        ),
        (
            "Counting the limpets on the rocks at dawn | The shore shop guide to limpets and"
            " barnacles",
            '<h2 class="post-title"><a href="/counting-limpets">Counting the limpets on the'
            " rocks at dawn</a></h2>",
            "Counting the limpets on the rocks at dawn",
        ),
        ("Shore Times > Coast > News", "<h3>Coast</h3>", "Shore Times > Coast > News"),
        (
            "Limpets hold on - Shore Times - News and views from the coast",
            '<a href="/a"><b>Limpets hold on</b></a>',
            "Limpets hold on - Shore Times - News and views from the coast",
        ),
    ]
    url = "https://mirror.example/a"
    found = [(t, read(page("", b, lang="en", title=t), url).title) for t, b, _ in cases]
    assert found == [(t, want) for t, _, want in cases]


def test_a_declared_title_that_is_the_sites_name_is_not_the_title() -> None:
    # <meta name="title"> holding the site's name, which <title> gives as a web address.
    head = '<meta name="title" content="Shore Times">'
    html = page(head, lang="en", title="shoretimes.com - Limpets hold on through the storm")
    assert read(html, "https://mirror.example/a").title == "Limpets hold on through the storm"


PROSE = (
    "<p>The limpets on the north rocks held on through the night, as they have through every"
    " storm the wardens have logged since the survey began, and the count at dawn was whole.</p>"
)


def test_the_headline_before_the_text_when_the_title_names_only_the_site() -> None:
    # <title> empty, or only the site's or a section's name that the body never shows (or
    # a motto sharing no word with a headline marked as one): the heading nearest before
    # the article's text is the title, not a subhead (held by <title>, or of a lower
    # rank), a dateline, a byline, a short label (one marked as the published date) or a
    # link marked as a title (not in a heading); a <title> the body shows stays, in a
    # heading's link too (a blog's post).
    cases = [  # (the <title>, body, the title)
        (
            "The Shore Times",
            '<font class="header2">Limpets hold on through the storm</font>',
            "Limpets hold on through the storm",
        ),
        (
            "",
            '<h4><a href="/p/7">Limpets hold on through the storm</a></h4>'
            "<h5>January 18th, 2008</h5>",
            "Limpets hold on through the storm",
        ),
        (
            "Shore News",
            '<h3>Limpets hold on through the storm</h3><div class="headline_top">Shore,'
            " Tuesday January 8, 2008</div>",
            "Limpets hold on through the storm",
        ),
        (
            "shoretimes.com - Shore- Limpets hold on through the storm",
            "<h5>Limpets hold on through the storm</h5><h3>Rock pools spared by the gale</h3>",
            "Limpets hold on through the storm",
        ),
        (
            "Shore News",
            "<h1>Limpets hold on through the storm</h1><h2>Rock pools spared by the gale</h2>",
            "Limpets hold on through the storm",
        ),
        (
            "Shore News",
            '<h3>Limpets hold on through the storm</h3><div class="head2">By Jane Doe, shore'
            " writer</div>",
            "Limpets hold on through the storm",
        ),
        (
            "Shore News",
            '<h3>Limpets hold on through the storm</h3><div class="head2">Posted at 10:25am'
            " on the shore</div>",
            "Limpets hold on through the storm",
        ),
        (
            "Shore News",
            '<h3>Limpets hold on through the storm</h3><div class="subtitle">Rock pools spared'
            " by the gale</div>",
            "Limpets hold on through the storm",
        ),
        (
            "Shore News",
            '<h3>Limpets hold on through the storm</h3><div class="head2">Stay dry. Read the'
            " forecast first</div>",
            "Limpets hold on through the storm",
        ),
        (
            "The Shore Times",
            '<div class="ArticleHead">Limpets hold on through the storm</div><font'
            ' class="PublishedHead">Published:</font>',
            "Limpets hold on through the storm",
        ),
        (
            "Shore Sports - Latest rock pool news, tides, reports",
            '<span class="headerText">Limpets hold the line at dawn</span>',
            "Limpets hold the line at dawn",
        ),
        (
            "Shore Sports - Latest rock pool news, tides, reports",
            "<h2>Limpets hold the line at dawn</h2>",
            "Shore Sports - Latest rock pool news, tides, reports",
        ),
        (
            "",
            '<table><tr><td class="title">Limpets hold on through the storm</td></tr><tr><td>'
            '<a class="titlelink" href="/print/7">Print version</a></td></tr></table>',
            "Limpets hold on through the storm",
        ),
        ("Counting limpets", "<h1>Lorem</h1>", "Counting limpets"),
        (
            "Wheels Up",
            '<h3><a href="/wheels-up">Wheels Up</a></h3><h3>Rock pools spared by the gale</h3>',
            "Wheels Up",
        ),
        (
            "Limpets hold on",
            "<b>Limpets hold on</b><h3>Rock pools spared by the gale</h3>",
            "Limpets hold on",
        ),
    ]
    url = "https://mirror.example/a"
    found = [(t, read(page("", b + PROSE, lang="en", title=t), url).title) for t, b, _ in cases]
    assert found == [(t, want) for t, _, want in cases]


def test_a_line_shown_bold_or_large_before_the_text_when_the_title_names_only_the_site() -> None:
    # Old pages show their headline as a bold or large line of its own, with no heading or
    # class to say so: it is the title when <title> names only the site (a name, or a web
    # address), and it sits in the text's own box. A deck (a sentence with its full stop),
    # a plain line, or a box's heading in another column is not the headline.
    cases = [  # (the <title>, body, the title)
        (
            "The Shore Times",
            '<p><font size="+2"><b>Limpets hold on through the storm</b></font></p>' + PROSE,
            "Limpets hold on through the storm",
        ),
        (
            "shoretimes.com's Evening Digest",
            '<p><font size="3"><b><br> Limpets hold on through the storm</b></font></p>' + PROSE,
            "Limpets hold on through the storm",
        ),
        (
            "The Shore Times",
            "<p><strong>Limpets hold on<br>through the storm</strong></p>" + PROSE,
            "Limpets hold on through the storm",
        ),
        (
            "The Shore Times",
            "<p><b>The limpets held on through the storm, the wardens say.</b></p>" + PROSE,
            "The Shore Times",
        ),
        ("The Shore Times", "<p>Limpets hold on through the storm</p>" + PROSE, "The Shore Times"),
        (
            "The Shore Times",
            '<div class="a2"><div><div><b>Limpets hold on through the storm</b></div></div>'
            f"</div><div><div><div><div>{PROSE}</div></div></div></div>",
            "The Shore Times",
        ),
    ]
    url = "https://mirror.example/a"
    found = [(t, read(page("", b, lang="en", title=t), url).title) for t, b, _ in cases]
    assert found == [(t, want) for t, _, want in cases]


def test_a_title_past_any_headline_is_cut_to_300_characters() -> None:
    # A <title> stuffed with keywords, or one that swallowed the page's markup, is cut at
    # a space near the end (inside Chinese, anywhere) and ends with an ellipsis.
    latin = read(page("", "", lang="en", title="limpets rocks tides " * 200), EN).title
    assert latin is not None and len(latin) <= 300 and latin.endswith("…")
    assert latin[:-1].split()[-1] in {"limpets", "rocks", "tides"}  # a whole word
    chinese = read(page("", "", title="帽贝" * 500)).title
    assert chinese == "帽贝" * 149 + "帽…"
    headline = "Limpets hold on " * 18  # 288 characters: whole
    assert read(page("", "", lang="en", title=headline), EN).title == headline.strip()


def test_a_title_part_a_meta_tag_declares_is_the_title_not_the_site() -> None:
    # "Site - Title" with a short title that reads like a name: the meta headline says
    # which part is the title, so that part is not taken for the site's name (which
    # dropped the declared title as the site's, and took the deck under it).
    head = '<meta name="headline" content="Limpets hold fast">'
    body = '<p class="headtypea">The wardens found the limpets had held on.</p>' + PROSE
    html = page(head, body, lang="en", title="icShore - Limpets hold fast")
    record = read(html, "https://mirror.example/a")
    assert (record.title, record.site_name) == ("Limpets hold fast", None)


def test_the_headline_before_the_text_without_the_dateline_it_holds() -> None:
    # The heading holds the date, or the byline, on a line of its own after the headline
    # (or the date before it): the title is the headline alone. A kicker and a date are a
    # label, not a headline.
    cases = [  # (the <title>, body)
        (
            "",
            '<table><tr><td class="story-title">Limpets hold on through the storm<span'
            ' class="news-date"><br>Thursday, 10, January, 2008, 09:14</span></td></tr></table>',
        ),
        (
            "Shore News",
            '<h2 id="article_header">Limpets hold on through the storm<br><span>by Jane Doe,'
            " 30 December 2007</span></h2>",
        ),
        (
            "",
            '<div class="title">Wednesday, 09 January 2008<br>Limpets hold on through the'
            " storm</div>",
        ),
        (
            "Shore News",
            '<h3>Limpets hold on through the storm</h3><div class="headline_top">Shore Rovers'
            "<br>Tuesday January 8, 2008</div>",
        ),
    ]
    url = "https://mirror.example/a"
    found = [read(page("", b + PROSE, lang="en", title=t), url).title for t, b in cases]
    assert found == ["Limpets hold on through the storm"] * len(cases)


def test_a_sections_label_marked_as_a_title_yields_to_the_title_the_body_shows() -> None:
    # The only <h1> is the section's name, with an id speaking of a title; no other title
    # confirms it, and the body shows <title>'s own title alone.
    body = (
        '<h1 id="section_title">News</h1><div class="box">Limpets hold on through the storm</div>'
    )
    html = page("", body, lang="en", title="shoretimes.com - Limpets hold on through the storm")
    assert read(html, "https://mirror.example/a").title == "Limpets hold on through the storm"


def test_a_short_last_part_the_body_shows_as_a_heading_is_the_title_not_the_site() -> None:
    # "Site - Title", the title short like a name: the body shows it alone as a heading, so
    # it is the title, not the site's name.
    body = (
        "<h1>Shore Rovers Football Club News</h1>"
        '<table><tr><td class="topnews_title">Limpets Hold Their Ground</td></tr></table>'
    )
    html = page("", body, lang="en", title="Shore Rovers - Limpets Hold Their Ground")
    record = read(html, "https://mirror.example/a")
    assert (record.title, record.site_name) == ("Limpets Hold Their Ground", None)
    # a blog's name in a heading over the post's: the name stays the site's
    body = "<h2>Tide Notes</h2><h1>Limpets hold on through the storm</h1>"
    html = page("", body, lang="en", title="Limpets hold on through the storm - Tide Notes")
    record = read(html, "https://mirror.example/a")
    assert (record.title, record.site_name) == ("Limpets hold on through the storm", "Tide Notes")


def test_the_title_a_page_without_one_gives_in_other_markup() -> None:
    # No <title> (or one that shows a comment's lost start), no heading: the title is the
    # news agency's <HeadLine> pasted into the page (NewsML, the first: the photos' come
    # after), else the one its links to bookmarking services give (most of them).
    newsml = (
        "<span><newsml><newslines><headline>Limpets hold on through the storm</headline>"
        "</newslines><newscomponent><newslines><headline>A limpet on a rock</headline>"
        "</newslines></newscomponent></newsml></span>"
    )
    shares = (
        '<a href="http://del.icio.us/post?url=https://mirror.example/a&amp;title=Limpets hold'
        ' on through the storm">Delicious</a><a href="https://reddit.com/submit?url=https://'
        'mirror.example/a&amp;title=Limpets%20hold%20on%20through%20the%20storm">reddit</a>'
        '<a href="https://x.example/share?url=https://mirror.example/a&amp;title=Shore">X</a>'
        '<a href="/search?title=Tides">Tides</a>'
    )
    cases = [("", newsml), ("", shares), ("Shore Newsi library-->", shares)]
    url = "https://mirror.example/a"
    found = [read(page("", b + PROSE, lang="en", title=t), url).title for t, b in cases]
    assert found == ["Limpets hold on through the storm"] * len(cases)


def test_a_heading_that_shares_no_word_with_the_text_names_the_site() -> None:
    # No <title>; the only <h1> is the blog's name (a link home) and shares no word with
    # the article's first paragraph; the post's <h2>, nearer the text, does: it is the
    # title. An <h1> that shares a word with the text stays the headline.
    post = '<h2><a href="/p/7" rel="bookmark">Limpets outlast the winter gales</a></h2>'
    cases = [
        (
            '<h1><a href="/">Shore Writers Network</a></h1>' + post,
            "Limpets outlast the winter gales",
        ),
        ("<h1>Limpets: the storm count</h1>" + post, "Limpets: the storm count"),
    ]
    url = "https://mirror.example/a"
    found = [read(page("", b + PROSE, lang="en"), url).title for b, _ in cases]
    assert found == [want for _, want in cases]


def test_a_short_title_about_the_text_is_not_the_sites_name() -> None:
    # <title> short like a name, but sharing a word with the article's first paragraph:
    # the article's own title, not the site's; the section heading before the text does
    # not replace it (a name that shares none still yields: "The Shore Times").
    body = "<h3>Notes from the survey of the rocks</h3>"
    html = page("", body + PROSE, lang="en", title="Limpets hold on")
    assert read(html, "https://mirror.example/a").title == "Limpets hold on"
    html = page("", body + PROSE, lang="en", title="The Shore Times")
    assert read(html, "https://mirror.example/a").title == "Notes from the survey of the rocks"


def test_a_section_label_marked_as_a_title_and_a_title_that_only_repeats_title() -> None:
    # The <h1> marked as a title is the section's name ("Sport"): it shares no word with
    # the article's text (which starts after the sidebar's comment, not in it), <title>
    # does; a meta title that repeats <title> declares nothing more. <title> then names a
    # section's topic, and the heading before the text, marked as a head and sharing no
    # word with it, is the title (without its byline).
    comment = (
        '<ul class="sidebar"><li><blockquote>What a season it has been for every one of the'
        " strikers at the club, and the fans have seen nothing like it in thirty long years"
        " of watching.</blockquote></li></ul>"
    )
    body = (
        comment + '<h1 class="section-title">Sport</h1><h2 id="article_header">Limpets outlast'
        " the winter gales<br><span>by Jane Doe, 30 December 2007</span></h2>"
    )
    head = '<meta name="title" content="North Rocks Count - Shore Sports">'
    html = page(head, body + PROSE, lang="en", title="North Rocks Count - Shore Sports")
    assert read(html, "https://mirror.example/a").title == "Limpets outlast the winter gales"


def test_the_line_over_the_byline_when_the_h1_is_a_sections_name() -> None:
    # The only <h1> is the section's name ("News": no word of the text); no heading before
    # the text; the line over the byline that opens the text, about the text, is the title.
    over = "<p>{}</p><p>by Jane Doe - January 16 2008<br>photo by Joe Bloggs</p>"
    cases = [
        ("Limpets outlast the winter gales", "Limpets outlast the winter gales"),
        ("Tickets for the summer fair", "News"),  # shares no word with the text
    ]
    url = "https://mirror.example/a"
    found = [
        read(page("", "<h1>News</h1>" + over.format(line) + PROSE, lang="en"), url).title
        for line, _ in cases
    ]
    assert found == [want for _, want in cases]
    # "by the …" opens a sentence, not a byline: the line over it is no headline
    not_a_byline = "<p>Limpets outlast the winter gales</p><p>by the north rocks at dawn</p>"
    html = page("", "<h1>News</h1>" + not_a_byline + PROSE, lang="en")
    assert read(html, url).title == "News"


def test_a_blogs_post_title_shown_in_a_heading_beside_its_name_in_title() -> None:
    # A blog's theme shows its post's title in an <h2> or <h3>, and <title> adds the blog's
    # name: the rest of <title>, shown whole as a heading before the text and about it (or
    # a phrase), is the title, separators and all, and the part beside it the site's name.
    url = "https://mirror.example/a"
    post = '<h3 class="post-title"><a href="/p/7">Limpets - a winter count</a></h3>'
    cases = [
        ("Tide Notes: Limpets - a winter count", post),  # Blogger's "Blog: Post"
        ("Limpets - a winter count: Tide Notes", post),
        ("Tide Notes » Limpets - a winter count", post),
        # the blog's name shown first, in its masthead, then the post's title
        ("Limpets - a winter count « Tide Notes", "<h2>Tide Notes</h2>" + post),
    ]
    found = [read(page("", b + PROSE, lang="en", title=t), url) for t, b in cases]
    # a phrase too long for a name need not share a word with the text's start; it wins
    # over the blog's name declared as every post's og:title
    phrase = "Counting what the gales left behind us"
    head = '<meta property="og:title" content="The Tide Notes Blog">'
    html = page(head, f"<h2>{phrase}</h2>" + PROSE, lang="en", title=f"{phrase} - Tide Notes")
    found.append(read(html, url))
    assert [(r.title, r.site_name) for r in found] == [
        *[("Limpets - a winter count", "Tide Notes")] * 4,
        (phrase, "Tide Notes"),
    ]


def test_a_heading_beside_a_name_in_title_that_is_not_the_posts_title() -> None:
    # A heading that shows the rest of <title> is not the post's title when it comes after
    # the text starts (a section of the article), shares no word with the text (a logo's
    # name), or comes before a heading that shows the other part (that one is the post's
    # title, under the blog's masthead, which <title> puts second).
    url = "https://mirror.example/a"
    section = "<h2>Winter count</h2><p>The tally, rock by rock, in the table below.</p>"
    cases = [
        ("Limpets: Winter count", "<h1>Limpets: Winter count</h1>" + PROSE + section),
        ("Limpets hold on - Shore Daily", "<h2>Shore Daily</h2>" + PROSE),
        ("Limpets hold on « Storm Wardens", "<h2>Storm Wardens</h2><h2>Limpets hold on</h2>"),
    ]
    found = [read(page("", b + PROSE, lang="en", title=t), url) for t, b in cases]
    assert [r.title for r in found] == ["Limpets: Winter count", *["Limpets hold on"] * 2]
    assert found[0].site_name is None  # not "Limpets"


def test_in_chrome_takes_a_footer_for_chrome_only_outside_an_article() -> None:
    html = (
        "<html><body><article><p>Story</p><footer><span id=a>Tags</span></footer></article>"
        "<footer><span id=b>Contact us</span></footer></body></html>"
    )
    root = parse(html)
    assert not in_chrome(root.get_element_by_id("a"))
    assert in_chrome(root.get_element_by_id("b"))


# --- the site's name beside a title, found without a pattern compiled for each name -------


def _closing_by_pattern(text: str, site: str) -> int:
    """What scraper/title_text._closing_name replaced: the name written into a pattern."""
    name = re.escape(site)
    m = re.search(rf"\s*(?:[-_|｜–—:：]+\s*{name}|[\[【(（]{name}[\]】)）])$", text)
    return m.start() if m else 0


@pytest.mark.parametrize(
    "text",
    [
        "Title - Site",
        "Title -Site",
        "Title - - Site",
        "Title | Section | Site",
        "标题-CSDN博客",
        "标题：某某日誌",
        "Title [Site]",
        "标题【Site】",
        "Title (Site)",
        "Title Site",
        "Site",
        " - Site",
        "[Site]",
        "Title - Site (Site)",
        "Title - Other",
        "Title [Site",
        "",
    ],
)
def test_the_site_name_closing_a_title_is_found_where_the_pattern_found_it(text: str) -> None:
    from digest.scraper.title_text import _closing_name

    for site in ("Site", "CSDN博客", "某某日誌", "Site (Site)", "a.b"):
        assert _closing_name(text, site) == _closing_by_pattern(text, site), (text, site)


@pytest.mark.parametrize(
    ("title", "name", "expected"),
    [
        ("Blog Name: Title", "blog name", "Blog Name"),
        ("Title :blog", "blog", "blog"),
        ("Title: Blog", "blog", "Blog"),
        ("Blog Name Title", "blog name", None),
        ("Blog:", "blog", None),
        (": Blog", "blog", None),
    ],
)
def test_a_name_opening_or_closing_a_title_at_a_colon(
    title: str, name: str, expected: str | None
) -> None:
    from digest.scraper.site_names import _bare_name

    assert _bare_name(name, title) == expected


@pytest.mark.parametrize(
    ("title", "body", "shown"),
    [
        ("Gardening in small spaces", "<td>Gardening in small spaces</td>", "td"),
        ("A garden in June", "<td>\n  A   garden\tin June </td>", "td"),  # spaces collapsed
        ("Gardening in small spaces, page 1", "<font>Gardening in small spaces</font>", "font"),
        ("Gardening in small spaces", "<td>[Notes] Gardening in small spaces</td>", "td"),
        ("Kim's garden notes", "<td>Kim's garden notes</td>", "td"),  # a quote: every string
        ("Gardening in small spaces", "<td>Gardening tips</td><td>Small spaces</td>", None),
    ],
)
def test_the_title_repeated_in_the_body_of_a_page_without_a_headline(
    title: str, body: str, shown: str | None
) -> None:
    from digest.scraper.headline import _title_in_body

    html = f"<html><head><title>{title}</title></head><body><p>Menu</p>{body}</body></html>"
    found = _title_in_body(Page.parse(html, parse(html)))
    assert (found[0].tag if found else None) == shown


@pytest.mark.parametrize(
    ("char", "shown"),
    [("\x00", ""), ("\x01", ""), ("\x0b", ""), ("\x0c", " "), ("\x1f", ""), ("\uffff", "")],
)
def test_a_character_xml_forbids_is_dropped_before_the_parse(char: str, shown: str) -> None:
    # Each is looked for on its own (tree._CONTROL_CHARS): one missed would stay in the text,
    # which lxml refuses to set when the cleaning joins a tail to its neighbour's text.
    html = f"<html><body><p>one{char}two</p><p>\t three\r\n</p></body></html>"
    assert [p.text for p in parse(html).iter("p")] == [f"one{shown}two", "\t three\n"]
