"""The author of English pages: conventions of meta tags and marked bylines.

Each snippet is written here for one convention; the test lists every case that goes
wrong, so one failure shows all of them.
"""

from __future__ import annotations

from tests.author_cases import Case, wrong

URL = "https://example.com/a"  # where each page was fetched from
ARTICLE = "<p>" + "The release moves the scheduler to a new queue and keeps the old API. " * 8
ARTICLE += "</p>"


def page(body: str, head: str = "") -> bytes:
    return (
        f'<html lang="en"><head><title>A release note</title>{head}</head>'
        f"<body><article><h1>A release note</h1>{body}{ARTICLE}</article></body></html>"
    ).encode()


def meta(name: str, value: str) -> str:
    return f'<meta name="{name}" content="{value}">'


def test_a_meta_author_written_surname_first_is_turned_round() -> None:
    cases: list[Case] = [
        ("Dublin Core's creator", page("", meta("dc.creator", "Doe, Jane")), "Jane Doe"),
        ("with a middle initial", page("", meta("citation_author", "Roe, John Q.")), "John Q. Roe"),
        ("a hyphenated surname", page("", meta("author", "Smith-Jones, Ann")), "Ann Smith-Jones"),
        (
            "two people stay two",
            page("", meta("author", "Jane Doe, John Roe")),
            "Jane Doe, John Roe",
        ),
        ("a name and its agency", page("", meta("author", "Doe, AP")), "Doe, AP"),
        ("a name in order", page("", meta("author", "Jane Doe")), "Jane Doe"),
    ]
    assert wrong(cases, URL) == []


def test_a_marked_byline_without_the_time_it_gives() -> None:
    cases: list[Case] = [
        (
            "name / agency / Updated:",
            page(
                '<div class="byline"><a href="/u/jd">Jane Doe</a> / AP / '
                "<span>Updated: Oct 9, 2019, 11:05 IST</span></div>"
            ),
            "Jane Doe / AP",
        ),
        (
            "name | Published:",
            page('<p class="author">Jane Doe | Published: March 3, 2020</p>'),
            "Jane Doe",
        ),
        (
            "name · desk · Posted:",
            page(
                '<p class="byline">Jane Doe · Science desk · Posted: Oct 14, 2022 9:27 AM ET '
                "| Last Updated: October 14</p>"
            ),
            "Jane Doe · Science desk",
        ),
        ("a name alone", page('<p class="author">Jane Doe</p>'), "Jane Doe"),
        (
            "a name with 'updated' in it",
            page('<p class="author">Ann Updatedson</p>'),
            "Ann Updatedson",
        ),
    ]
    assert wrong(cases, URL) == []


def test_a_microdata_author_item_naming_several_people() -> None:
    person = '<div itemprop="author" itemscope itemtype="https://schema.org/Person">{}</div>'
    cases: list[Case] = [
        (
            "two names in one author item",
            page(
                person.format(
                    '<span itemprop="name">Jane Doe</span>, <span itemprop="name">John Roe</span>'
                )
            ),
            "Jane Doe, John Roe",
        ),
        (
            "not the name of the organisation the author works for",
            page(
                person.format(
                    '<span itemprop="name">Jane Doe</span><span itemprop="worksFor" itemscope>'
                    '<span itemprop="name">Example Press</span></span>'
                )
            ),
            "Jane Doe",
        ),
    ]
    assert wrong(cases, URL) == []


def test_a_marked_byline_in_parts_gives_the_part_that_names_people() -> None:
    cases: list[Case] = [
        (
            "section · two people",
            page('<div class="article__author">Politik · Jane Doe, John Roe</div>'),
            "Jane Doe, John Roe",
        ),
        (
            "column | person",
            page('<div class="story-author">Ahead of the Curve | Jane Doe</div>'),
            "Jane Doe",
        ),
        (
            "a row of links is no byline",
            page('<div class="credits">About Us | Jobs | Privacy Policy | Contact Us</div>'),
            None,
        ),
    ]
    assert wrong(cases, URL) == []


def test_a_meta_author_that_is_a_lone_acronym_gives_way_to_the_byline() -> None:
    byline = '<p class="author">Jane Doe</p>'
    cases: list[Case] = [
        ("an agency's acronym", page(byline, meta("author", "AP")), "Jane Doe"),
        ("a publisher's acronym", page(byline, meta("author", "EXMPL")), "Jane Doe"),
        ("the acronym when nothing else names anyone", page("", meta("author", "AP")), "AP"),
        ("a person's name stays first", page(byline, meta("author", "John Roe")), "John Roe"),
    ]
    assert wrong(cases, URL) == []


def test_a_japanese_text_credit() -> None:
    cases: list[Case] = [
        ("文● (text by)", page('<p class="author">文● 山田／編集部</p>'), "山田／編集部"),
    ]
    assert wrong(cases, URL) == []


def test_a_byline_by_with_a_colon() -> None:
    cases: list[Case] = [
        ("By: in the line under the title", page("<p>By: Jane Doe</p>"), "Jane Doe"),
        (
            "Written By: in a block",
            page("<div>Written By: Jane Doe - Nov 2, 2012</div>"),
            "Jane Doe",
        ),
    ]
    assert wrong(cases, URL) == []


def test_japanese_credits() -> None:
    def ja(body: str) -> bytes:
        return (
            '<html lang="ja"><head><title>リリースノート</title></head><body><article>'
            f"<h1>リリースノート</h1>{body}<p>{'新しい版ではキューが変わります。' * 8}</p>"
            "</article></body></html>"
        ).encode()

    cases: list[Case] = [
        ("執筆者：", ja("<p>執筆者：山田太郎</p>"), "山田太郎"),
        ("筆者：", ja("<p>筆者：山田太郎</p>"), "山田太郎"),
        ("ライター：", ja("<p>ライター：山田太郎</p>"), "山田太郎"),
        ("文＝", ja("<p>文＝山田太郎</p>"), "山田太郎"),
        ("取材・文／", ja("<p>取材・文／山田 太郎</p>"), "山田 太郎"),
        ("文・写真：", ja("<p>文・写真：山田太郎</p>"), "山田太郎"),
        ("筆者 in a sentence is no credit", ja("<p>筆者は先週これを試した。</p>"), None),
    ]
    assert wrong(cases, URL) == []


def test_a_links_words_are_no_name() -> None:
    cases: list[Case] = [
        ("View Profile", page('<p class="author"><a href="/p/1">View Profile</a></p>'), None),
        ("About Us", page('<p class="byline"><a href="/about">About Us</a></p>'), None),
        ("Powered by", page('<p class="credit">Powered by Blogware</p>'), None),
        (
            "a label with no name",
            page('<p class="author">Article by</p><p class="author">Jane Doe</p>'),
            "Jane Doe",
        ),
        (
            "the name after the link's words",
            page(
                '<p class="author"><a href="/p/1">View Profile</a></p>'
                '<p class="author-name">Jane Doe</p>'
            ),
            "Jane Doe",
        ),
    ]
    assert wrong(cases, URL) == []


def test_words_in_lower_case_are_no_name() -> None:
    cases: list[Case] = [
        ("a post's title", page('<div class="authorBox">Leaves for Crafting</div>'), None),
        (
            "a surname's particle",
            page('<div class="authorBox">Anna van der Berg</div>'),
            "Anna van der Berg",
        ),
        (
            "two people",
            page('<div class="authorBox">Jane Doe and John Roe</div>'),
            "Jane Doe and John Roe",
        ),
    ]
    assert wrong(cases, URL) == []


def test_a_pictures_credit_is_no_byline() -> None:
    cases: list[Case] = [
        ("Photo by", page("<p>Photo by Jane Doe</p>"), None),
        ("Illustration by", page("<p>Illustration by Jane Doe</p>"), None),
        ("By after it", page("<p>Photo by Jane Doe</p><p>By John Roe</p>"), "John Roe"),
    ]
    assert wrong(cases, URL) == []


def test_a_section_between_the_sites_name_and_the_headline_is_no_author() -> None:
    def with_title(title: str) -> bytes:
        return (
            f'<html lang="en"><head><title>{title}</title></head><body>'
            '<div><a href="/business">Business</a> <a href="/world">World</a></div>'
            f"<article><h1>Oil plan outlined</h1>{ARTICLE}</article></body></html>"
        ).encode()

    cases: list[Case] = [
        (
            "Site | Section | Headline",
            with_title("EXAMPLE NEWS | Business | Oil plan outlined"),
            None,
        ),
    ]
    assert wrong(cases, URL) == []


def test_by_that_is_no_byline_and_a_date_after_the_name() -> None:
    cases: list[Case] = [
        ("Sort by", page("<p>Sort by Top Results</p>"), None),
        ("Sponsored by", page("<p>Sponsored by Example Bank</p>"), None),
        ("a date after the name", page("<p>By Jane Doe March 17, 2003</p>"), "Jane Doe"),
        ("a date in capitals", page("<p>Entries by MARCH 15, 2007</p>"), None),
        ("a name that is a month's", page("<p>By Theresa May, March 5</p>"), "Theresa May"),
    ]
    assert wrong(cases, URL) == []


def test_an_address_is_no_author() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"author": "https://example.com/people/jane"}</script>'
    )
    cases: list[Case] = [
        ("an email in the meta author", page("", meta("author", "desk@example.com")), None),
        ("a profile's address in JSON-LD", page('<p class="author">Jane Doe</p>', ld), "Jane Doe"),
    ]
    assert wrong(cases, URL) == []


def test_a_names_by_and_label_read_as_words() -> None:
    ld = (
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "author": "By Jane Doe"}</script>'
    )
    cases: list[Case] = [
        ("a name beginning with By", page('<p class="author">Byron Doe</p>'), "Byron Doe"),
        ("By in a JSON-LD name", page("", ld), "Jane Doe"),
        ("Russian 'Текст:'", page('<p class="author">Текст: Анна Иванова</p>'), "Анна Иванова"),
        (
            "the sentence after the name",
            page("<p>This is a guest post by Jane Doe. Jane writes about queues.</p>"),
            "Jane Doe",
        ),
        ("an initial goes on", page("<p>By John Q. Roe</p>"), "John Q. Roe"),
    ]
    assert wrong(cases, URL) == []


def test_the_news_sites_own_author_metas() -> None:
    cases: list[Case] = [
        ("byl", page("", meta("byl", "By Jane Doe and John Roe")), "Jane Doe and John Roe"),
        ("Cxense", page("", meta("cXenseParse:author", "Jane Doe")), "Jane Doe"),
    ]
    assert wrong(cases, URL) == []


def test_the_marks_a_byline_leaves_after_a_name_go() -> None:
    cases: list[Case] = [
        ("a bullet", page('<span class="author">Mara Quill •</span>'), "Mara Quill"),
        ("a comma", page('<p class="byline">By Mara Quill,</p>'), "Mara Quill"),
        ("a colon", page('<span class="author">Mara Quill:</span>'), "Mara Quill"),
        ("a sentence's full stop", page('<span class="author">Mara Quill.</span>'), "Mara Quill"),
        ("an initial's full stop", page('<span class="author">Mara Q.</span>'), "Mara Q."),
        (
            "a company's full stop",
            page('<span class="author">Quill Works Ltd.</span>'),
            "Quill Works Ltd.",
        ),
    ]
    assert wrong(cases, URL) == []


def test_a_date_after_the_name_goes_with_what_follows_it() -> None:
    def byline(text: str) -> bytes:
        return page(f'<div class="byline">{text}</div>')

    cases: list[Case] = [
        ("on and a date", byline("by Mara Quill on Mar 3rd 2021 6:15PM"), "Mara Quill"),
        ("on a weekday", byline("By Mara Quill on Tuesday, June 8th, 2021"), "Mara Quill"),
        ("a weekday", byline("By Mara Quill Tuesday, June 8, 2021"), "Mara Quill"),
        ("a slash", byline("Mara Quill / June 8, 2021"), "Mara Quill"),
        ("a dash", byline("Mara Quill — 6/8/2021 9:02 am"), "Mara Quill"),
        (
            "a role, then a bar",
            byline("Mara Quill, Tide Staff | June 8, 2021"),
            "Mara Quill",
        ),
        ("an at sign and a time", byline("Mara Quill @ 9:51 PM"), "Mara Quill"),
        (
            "glued: as shown",
            byline("MARA QUILL June 8, 2021 3:46 PM"),
            "MARA QUILL June 8, 2021 3:46 PM",
        ),
    ]
    assert wrong(cases, URL) == []


def test_a_sites_account_or_its_software_is_no_author() -> None:
    owner = '<p>About the blog: <a href="/author/mara-quill/">Mara Quill</a></p>'
    handle = meta("twitter:creator", "@quillworks")
    cases: list[Case] = [
        ("posted by admin", page("<p>Posted by admin on June 8, 2021</p>"), None),
        ("a marked admin", page('<span class="author">[TQ] admin</span>'), None),
        ("a webmaster's meta", page("", meta("author", "Webmaster")), None),
        ("the blog's software", page('<span class="author-info">WordPress</span>'), None),
        (
            "the software, then the owner's link",
            page('<span class="author-info">WordPress</span>' + owner),
            "Mara Quill",
        ),
        ("admin, not the site's handle", page('<span class="author">admin</span>', handle), None),
        (
            "a name with admin in it",
            page('<span class="author">Admina Quill</span>'),
            "Admina Quill",
        ),
    ]
    assert wrong(cases, URL) == []


def test_the_byline_under_the_title_over_markup_naming_someone_else() -> None:
    def blog(byline: str, marked: str) -> bytes:
        return (
            '<html lang="en"><head><title>Tide tables</title></head><body>'
            f"<div class=main><h1>Tide tables</h1><p>{byline}</p>{ARTICLE}</div>"
            f'<div class="col-side"><p><span class="author">{marked}</span> 3 days ago</p>'
            "</div></body></html>"
        ).encode()

    cases: list[Case] = [
        (
            "a list's poster",
            blog("by Mara Quill on Jun 8, 2021 in Harbour News", "by harbourfan22"),
            "Mara Quill",
        ),
        (
            "Published after it",
            blog("By Mara Quill Published 8 June 2021", "Tom Vell"),
            "Mara Quill",
        ),
        ("the same person", blog("By Mara Quill Tidewater", "Mara Quill"), "Mara Quill"),
        ("a name cut short", blog("By Harbour weekly staff", "Tom Vell"), "Tom Vell"),
        ("no byline shown", blog("June 8, 2021", "Tom Vell"), "Tom Vell"),
    ]
    assert wrong(cases, URL) == []


def test_a_word_alone_that_names_no_one_is_no_author() -> None:
    owner = '<p>About the blog: <a href="/author/mara-quill/">Mara Quill</a></p>'
    cases: list[Case] = [
        ("a weekday", page('<span class="author">Friday</span>'), None),
        (
            "a weekday, then the owner",
            page('<span class="author">Sunday</span>' + owner),
            "Mara Quill",
        ),
        ("a month", page('<span class="byline">October</span>'), None),
        ("today", page('<span class="author">Today</span>'), None),
        ("the wires", page('<p class="byline">Agencies</p>'), None),
        ("a given name that is a month too", page('<span class="author">June</span>'), "June"),
        (
            "a name with a weekday in it",
            page('<span class="author">Friday Kane</span>'),
            "Friday Kane",
        ),
    ]
    assert wrong(cases, URL) == []


def test_a_role_after_the_name_goes() -> None:
    cases: list[Case] = [
        (
            "staff",
            page('<span class="byline">Mara Quill, Harbour Times Staff</span>'),
            "Mara Quill",
        ),
        ("a title", page('<p class="author">Tom Vell, Senior Tides Editor</p>'), "Tom Vell"),
        (
            "a role, then its team",
            page('<p class="author">Tom Vell, Engineer Tide Maps</p>'),
            "Tom Vell",
        ),
        (
            "in lower case",
            page('<p class="author">Mara Quill, Harbour News contributor</p>'),
            "Mara Quill",
        ),
        (
            "two people",
            page("<p>By Mara Quill, Tom Vell and Ann Roe</p>"),
            "Mara Quill, Tom Vell and Ann Roe",
        ),
        ("a degree stays", page('<p class="author">Mara Quill, MBA</p>'), "Mara Quill, MBA"),
        (
            "an agency stays",
            page('<p class="author">Mara Quill, Tide Press</p>'),
            "Mara Quill, Tide Press",
        ),
    ]
    assert wrong(cases, URL) == []


def test_marks_or_a_date_before_a_marked_by_go() -> None:
    cases: list[Case] = [
        ("a hash", page('<span class="author"># posted by Mara Quill</span>'), "Mara Quill"),
        ("a bar", page('<div class="byline">| By Mara Quill</div>'), "Mara Quill"),
        (
            "a date and a time",
            page('<div class="byline">8th Jun 2021, 09:28am by Mara Quill .</div>'),
            "Mara Quill",
        ),
        (
            "a name with by in it",
            page('<span class="author">8 Shelby Quill</span>'),
            "8 Shelby Quill",
        ),
    ]
    assert wrong(cases, URL) == []


def test_the_place_written_from_goes() -> None:
    cases: list[Case] = [
        ("a city", page('<span class="byline">Mara Quill in Lisbon</span>'), "Mara Quill"),
        ("two words", page('<p class="author">Tom J. Vell in Cape Town</p>'), "Tom J. Vell"),
        (
            "a name of one word stays whole",
            page('<p class="author">Mara in Lisbon</p>'),
            "Mara in Lisbon",
        ),
    ]
    assert wrong(cases, URL) == []
