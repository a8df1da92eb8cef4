"""Who wrote a page: the names it declares (meta tags, JSON-LD, Twitter's card), its author
markup and the byline people read; failing those, what points to an author (a link to an
author's page, the ``<title>``, a credited source or editor). What a Chinese credit calls a
person is :mod:`digest.scraper.zh_names`' question; where the byline is shown,
:func:`digest.scraper.byline.byline_zone`'s.

The sources, and what each is:

- The meta author: the first of ``article:author``, ``author``, ``dc.creator`` and their
  like that can be a person's name (:func:`_meta_author`).
- JSON-LD: the author of the page's article (:func:`_ld_author`).
- Author markup: microdata's ``itemprop=author``, ``rel=author``, the classes ``author``
  and ``byline`` and their like (:func:`_marked_author`).
- The byline people read: ``By …``, ``作者：…``, ``文/…``, ``记者 …``, ``记者：…``,
  ``… 发表于 …`` (:func:`_byline_author`), and Chinese names no label announces
  (:func:`_unlabelled_author`).
- Hints: links to an author's page, the ``<title>``'s parts, ``twitter:creator``, a
  Chinese page's source and editor.

:func:`author` takes the first of these steps that gives a name (:func:`_steps`), not
the software the site runs on (``WordPress``); a site's account (``admin``,
``webmaster``) gives none:

1. The meta author, unless it names the publisher: the site's own name (``ABC News`` on
   ABC News), an organisation's or a lone acronym (``AP``) (:func:`_names_publisher`).
   That one waits for step 7.
2. JSON-LD's author, when it is not a profile's address (:func:`_ld_author`).
3. Twitter's card, when it labels a name "Written by" (:func:`_twitter_author`).
4. Author markup: a microdata author item's names, an element marked as the author's or
   the byline, an element whose class speaks of one (``authorText``), the person alone
  (``作者：王小明 发布时间：…``, ``本报记者 王小明``) (:func:`_marked_author`).
5. The byline's text: in the elements marked as one, in the text just under the title,
   then in the whole page for the forms that cannot be mistaken (a reporter's credit, a
   labelled author) (:func:`_byline_author`).
6. Chinese names no label announces, where news pages put them: under the title, in
   brackets after the date, in parentheses closing a paragraph (:func:`_unlabelled_author`).
7. The meta author step 1 set aside: a publisher's name is better than none.
8. A link to an author's page (``/author/jane``) or a forum member's (``space.php?uid=12``)
   (:func:`_author_link`).
9. The author's part of a Chinese ``<title>`` (``标题_作者_博客``, ``标题 - 作者的博客``:
   :func:`_author_in_title`).
10. Twitter's ``twitter:creator``, without its ``@`` (:func:`_twitter_creator`).
11. A source that is a person's name (``来源：王小明``: :func:`_source_person`).
12. An editor's credit (``责任编辑：…``: :func:`_editor`).

Whichever step gives it, a name loses a "By" before it (:func:`author`), and a date and
the marks a byline leaves after it (:func:`_tidy`).

What is never an author, and which function says so:

- An address, an email, software or an editor's credit given as the meta author
  (:func:`_meta_author`); a profile's address in JSON-LD (:func:`_ld_author`).
- A link's or a label's words (``View Profile``, ``Article by``) and capitalised words with
  a word in lower case among them (``Leaves for Crafting``) (:func:`_person_like`,
  :func:`_marked_author`).
- A picture's credit (``Photo by``), a list's order (``Sort by``), a photograph's credit
  (``记者 王小明 摄``) (:func:`_byline_author`); a quotation's author (:func:`_closing_credit`).
- What stands around a name: the label it starts with, a date or a sentence after it
  (:func:`_byline_author`), the time a byline gives after it (:func:`_marked_author`), an
  organisation (:func:`_without_organisation`), a section (:func:`_names_part`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

from digest.scraper.byline import byline_zone
from digest.scraper.metadata import Page, byline_text, in_chrome, ld_articles, ld_name, plain_text
from digest.scraper.site_names import title_suffixes
from digest.scraper.titles import repeats_title
from digest.scraper.zh_names import (
    NAMES,
    SURNAME,
    organisation,
    person_part,
    software,
    unlabelled,
)
from digest.text.cjk import HAN, HAN_RE
from digest.text.months import MONTH_NAME

# A byline's label and the name after it: "By Jane Doe", "Written by: Jane Doe", "Author:",
# Russian "Автор:", "Текст:", "作者：", "文/", "撰文"
_BYLINE = re.compile(
    # (a Latin or Cyrillic label is a word: "Byron Doe" is no "By ron Doe")
    r"^(?:(?:(?:written |posted )?by|author|автор|текст)(?![^\W\d_])|作者|著者|文|撰文)"
    r"\s*[:：|/●]?\s*(.+)$",
    re.I,
)
# "AP", "BBC", "ASCII": a lone acronym names an agency or a publisher, not a person
_ACRONYM = re.compile(r"[A-Z]{2,6}")
_AUTHOR_METAS = (  # article:author first: "author" may name the publisher (Condé Nast)
    "article:author",
    "og:article:author",
    "author",
    "dc.creator",
    "dcterms.creator",
    "byline",
    "parsely-author",
    "sailthru.author",
    "citation_author",
    "byl",  # The New York Times' "By Jane Doe", and the sites that copy its tags
    "cxenseparse:author",  # Cxense's, which many news sites carry
)
# More Chinese names after the first, each of two or three characters, space-separated.
_MORE_NAMES = rf"(?:[ 　][{HAN}]{{2,3}}(?=[\s　）)】\]/|｜]|$))*"
# The marks a paper sets before a credit: "□文/王小明", "■本报记者 王小明"
_BULLETS = "□■●◎◆▲★"
# The labels of an author's credit: "作者：", "作 者：", "文/", "文｜", "撰文：", "撰稿：",
# a blog's "博主：", a forum's "楼主：" and "发帖人："; in Japanese "執筆者：", "筆者：",
# "ライター：", "文＝", "文●", "取材・文／", "文・写真："
_LABEL = (
    r"(?:作[ 　]?者|著者|撰文|撰稿人?|博主|楼主|发帖人|執筆者?|筆者|ライター"
    rf"|(?:取材・)?(?<![^\s　|｜・{_BULLETS}])文(?:・写真)?)\s*[:：/／|｜＝●]"
)
# "文/图 王小明", "图/文：王小明", "文|图 王小明", "【作者】王小明", "［作者］王小明"
_OTHER_LABEL = (
    rf"(?<![^\s　|｜{_BULLETS}])(?:文[/／|｜]图|图[/／|｜]文)\s*[:：/／|｜]?"
    r"|[【\[［〔]作者[】\]］〕]"
)
# A Latin name in full after a Chinese label: "作者：Jane Doe", "文/Joel Spolsky"
_LATIN_NAME = r"[A-Z][a-z'’-]+(?:\.?[ ][A-Z][A-Za-z'’.-]*){1,3}(?![A-Za-z])"
# "作者：王小明", "文/王小明", "撰文：…" (the name stops at a space, a bar or punctuation)
_LABELLED = re.compile(
    rf"(?:{_OTHER_LABEL}|{_LABEL})\s*(?:(?:记者|通讯员|特约撰稿人)\s*)?"
    rf"({_LATIN_NAME}|[^\s　|｜/，,：:（）()\[\]【】=<>\"']{{1,20}}{_MORE_NAMES}"
    r"(?:\s?[(（][A-Za-z][A-Za-z .'-]{1,30}[)）])?)"  # "周思博 (Joel Spolsky)": a Latin alias
)
_ROLE = r"(?:记者|通讯员|实习生|评论员)"
# More names in a reporters' credit, after a space or 、, each with its role or not:
# "记者王小明、李四", "记者王小明 通讯员李四"
_MORE_REPORTED = (
    rf"(?:(?:[ 　]+|、)(?:{_ROLE}[ 　]*)?[{HAN}]{{2,3}}(?=[\s　）)】\]/|｜、]|发自|报道|$))*"
)
# "本报记者 王小明 李四", "（记者 王小明）", "记者王小明发自北京", "记者王小明/文"
# (the name spaced from the word, or closed by a bracket, a slash or 发自: "记者调查" is none);
# "记者：王小明", "记者王小明、李四", "记者王小明 通讯员李四", "记者王小明报道": a name
# glued to the word or after a colon starts with a surname and ends at a space, a bracket,
# a 、 or 报道 ("记者了解到" and an interview's "记者：您好！" are none)
_REPORTER = re.compile(
    rf"{_ROLE}(?:[ 　]+([{HAN}]{{2,4}}(?=[\s　）)】\]/|｜，,]|发自|报道|$){_MORE_NAMES})"
    rf"|([{HAN}]{{2,4}})(?=[）)】\]/]|发自)"
    rf"|\s*[:：/／]?\s*({SURNAME}[{HAN}]{{1,2}}(?=[\s　）)】\]/|｜、]|发自|报道|$)"
    rf"{_MORE_REPORTED}))"
)
# "王小明/文", "□王小明／文 李四/图": a name, a surname first, then a slash and 文
_NAME_THEN_TEXT = re.compile(
    rf"(?:^|(?<=[\s　|｜（(【\[{_BULLETS}]))({SURNAME}[{HAN}]{{1,2}})\s*[/／]\s*文(?![{HAN}])"
)
# "2024年3月5日 10:00 [ 王小明 ]": a name in brackets right after the date
_BRACKETED = re.compile(rf"(?:\d:\d\d|\d日)\s*[\[【]\s*({NAMES})\s*[\]】]")
# "…过一个好年。（王小明 李四）": a news credit closing the article's last paragraph
_CLOSING_CREDIT = re.compile(rf"[。！？!?]\s*[（(]\s*({NAMES})\s*[）)]$")
_EDITOR = re.compile(r"(?:责任编辑|编辑)\s*[:：]\s*([^\s　|｜/，,：:（）()\[\]【】]{2,10})")
# A class or id that marks a byline or an author's name, not their picture or biography.
_AUTHOR_MARK = re.compile(r"author|byline|credit", re.I)
_NOT_A_NAME_MARK = re.compile(
    r"bio|avatar|photo|image|img|pic|media|desc|about|share|follow|date", re.I
)
_BREADCRUMB = re.compile(r"[>»›]")
# "Jane Doe / Agency / Updated: Oct 9, 2019": the time a byline gives after the name
_DATELINE = re.compile(
    r"[\s|/·•,–—-]*\b(?:(?:last )?updated|published|posted|modified)(?:\s*:|\s+on\b).*$",
    re.I | re.S,
)
# A link's or a label's words where a name was looked for: "该作者…", "View Profile",
# "About Us", "Log in", "Powered by WordPress", "Article by" (with no name after it)
_LABEL_WORDS = re.compile(
    r"作者文章|该作者|更多文章|所有文章"
    r"|\b(?:view|profile|comments|about (?:us|author)|log ?in|log-?out|register|powered by)\b"
    r"|google ?\+|\bby\s*:?$",
    re.I,
)
_EMAIL = re.compile(r"\S+@[\w-]+(?:\.[\w-]+)+")
# An author meta that is a web address names the site, not a person ("example.com",
# "acme.io"). Not site_names.DOMAIN, which finds a site's address in a <title>: that one
# takes an ASCII name, "www." and country domains ("Mirror.co.uk", "spiegel.de"); this one
# takes any word characters (Unicode letters, "_") and only the endings com, cn, net, org,
# io, co, info. One pattern for both would change what one of them accepts (a behaviour
# change, for a rule round), so each keeps its own.
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|cn|net|org|io|co|info)$", re.I)
_POSTED_BY = re.compile(r"(?:^|[\s　|｜])([^\s　|｜/，,：:\d]{2,20})\s*(?:发布于|发表于)")
# Anywhere on the page: "网名 发表于 2005-9-15", "由网名张贴 @ 2005-06-14"
_POSTED_DATED = re.compile(
    r"(?:(?:^|[\s　|｜])([^\s　|｜/，,：:\d]{2,20})\s*(?:发布于|发表于)"
    r"|由\s*([^\s　|｜/，,：:\d]{2,20}?)\s*(?:张贴|发布|发表))\s*[@于]?\s*(?:19|20)\d\d"
)
# Words without one of which a pattern cannot match: looked for first, as a search of the
# whole page's text with these patterns takes a millisecond or two
_NEEDS: dict[re.Pattern[str], tuple[str, ...]] = {
    _LABELLED: ("作", "著者", "文", "撰稿", "博主", "楼主", "发帖人", "筆者", "執筆", "ライター"),
    _REPORTER: ("记者", "通讯员", "实习生", "评论员"),
    _NAME_THEN_TEXT: ("文",),
    _POSTED_BY: ("发布于", "发表于"),
    _POSTED_DATED: ("发布于", "发表于", "由"),
}
# A month before a day is a date's, not a name's ("By Jane Doe March 17, 2003")
_NOT_A_MONTH = rf"(?!(?i:{MONTH_NAME})\s+\d)"
_NAME = (
    rf"{_NOT_A_MONTH}[A-Z][\w.'’-]*"
    rf"(?:[^\S\n]+(?:{_NOT_A_MONTH}[A-Z][\w.'’-]*|de|van|von|der|la)){{%s}}"
)
# "By Jane Doe", "By: Jane Doe", "By Jane Doe, John Roe and Ann Poe" (a second name has
# two words at least, so that "By Jane Doe, March 5" stays Jane Doe)
# "Photo by", "Illustration by", "Powered by": a picture's or a tool's credit, no author's
_NOT_AN_AUTHORS_BY = "".join(
    rf"(?<!{word} by)"  # (after "by" has matched: not tried at every place of the text)
    for word in (
        *("powered", "photo", "photos", "photograph", "photographed", "image", "images"),
        *("illustration", "illustrated", "video", "graphic", "graphics", "styled", "design"),
        *("sort", "sorted", "order", "filter", "search", "browse", "shop", "sponsored"),
    )
)
_BY = re.compile(  # (a name does not go on into the next block: the zone's line break)
    rf"(?i:\bby{_NOT_AN_AUTHORS_BY})(?:\s*:\s*|\s+)({_NAME % '0,3'}(?:[^\S\n]*,\s*{_NAME % '1,3'})*"
    rf"(?:,?\s+(?:and|&)\s+{_NAME % '0,3'})?)"
)


def author(page: Page) -> str | None:
    """Who wrote the page: the name the first of the module docstring's steps gives
    (:func:`_steps`), without a "By" before it (``By Jane Doe``, ``Written by: Jane Doe``,
    as a JSON-LD or microdata name may still say it) nor what a byline leaves after it
    (:func:`_tidy`). The software the site runs on (``WordPress``) gives way to the next
    step, and so does a word alone that names no one (``Friday``, ``Today``, ``Agencies``:
    ``_NO_ONE``); a site's account (``admin``, ``webmaster``) ends the search: the page names
    no person (the steps after it would give the site's own handle)."""
    for found in _steps(page):
        name = _tidy(_BY_WORD.sub("", found)) if found else None
        if name and not software(name) and not _NO_ONE.fullmatch(name):
            return None if _ACCOUNT.fullmatch(name) else name
    return None


# "By Jane Doe", "Written by: Jane Doe", as a JSON-LD or microdata name may still say it,
# and what a marked byline may set before the label: marks, a date, a time ("# posted by
# Jane Doe", "| By Jane Doe", "16th Jan 2021, 09:28am by Jane Doe")
_BY_WORD = re.compile(
    rf"^(?:[\W\d_]|(?<![a-z]){MONTH_NAME}(?![a-z])|(?<=\d)(?:st|nd|rd|th|am|pm)\b)*?"
    r"\b(?:(?:written|posted) )?by\b\s*:?\s*",
    re.I,
)
# A site's account, no person's: "admin", "[NR] admin", "Administrator", "Site Admin",
# "webmaster" (a blog's posts say "Posted by admin" when its owner never set a name)
_ACCOUNT = re.compile(
    r"(?:\[[^\]]{1,10}\]\s*)?(?:site\s*)?(?:admin|administrator|administrative user|webmaster)",
    re.I,
)
# A word alone that names no one, as a byline's place may hold it: a weekday ("Friday", the
# day a post went up), a month (not those that are given names too: April, May, June,
# August), "Today", "Yesterday", the wires a story came from ("Agencies")
_NO_ONE = re.compile(
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|july|september"
    r"|october|november|december|today|yesterday|agency|agencies|wires)",
    re.I,
)

# What a byline leaves after a name: "Jane Doe •", "Jane Doe,", "Jane Doe:", and the full
# stop of a sentence ("Jane Doe.", "Jane Doe ."), not an initial's nor a company's ("Jimmy
# M.", "Jr.", "Acme Inc.")
_TRAILING_MARKS = re.compile(r"(?:[\s•·,;:|–—]|(?:(?<=[a-z]{2})|(?<=\s))(?<!Inc|Ltd)(?<!Corp)\.)+$")


# A date after a name, and what follows it: "Jane Doe on Nov 1st 2012 7:30PM", "Jane Doe
# on Monday, January 9th, 2012", "Jane Doe / November 13, 2012", "Jane Doe — 1/17/2008",
# "Jane Doe, Staff | February 3, 2005", "Jane Doe @ 9:51 PM", "Jane Doe Monday, June 7,
# 2021" (not a date glued to it without a word or a mark between: "Jane Doe March 11,
# 2015", as some sites' own bylines are read)
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?"
_DATE_AFTER = re.compile(
    rf"(?<!\d)(?:\s*(?:\bon\b|[,/|—–@•·]|\s-)\s*(?:{_WEEKDAY}\s+)?|\s+{_WEEKDAY}\s+)"
    rf"(?:{MONTH_NAME}\s*\d|\d).*$",
    re.I | re.S,
)


# A person's role after a comma closing a name: "Jane Doe, Staff Writer", "Jane Doe, CNN
# Political Editor", "Jane Doe, Engineer Google Photos", "Jane Doe, NBC News contributor"
# (a few words, one of them a role's; no digit, no address)
_ROLE_AFTER = re.compile(
    r",\s*(?=[^,]*\b(?:staff|writer|editor|correspondent|contributor|reporter|columnist"
    r"|engineer|developer|producer|director|analyst|critic|intern|photographer|blogger"
    r"|commentator|researcher|manager)s?\b)[^,\d@/|]{1,50}$",
    re.I,
)


# A name of two words or more, then where the reporter wrote from: "Jane Doe in London",
# "Jane Doe in New Delhi" (the place one or two words, capitalised, closing the byline)
_IN_PLACE = re.compile(
    r"^((?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]+)\s+in\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?$"
)


def _tidy(name: str) -> str:
    """A name without the date after it (``Jane Doe on Nov 1st 2012``, ``Jane Doe /
    November 13, 2012``), the place written from (``Jane Doe in London``), the role after it
    (``Jane Doe, Staff Writer``: ``_ROLE_AFTER``, when the name has two words at least) and
    the marks a byline leaves after it (``Jane Doe •``, ``Jane Doe,``, ``Jane Doe.``); an
    initial keeps its full stop (``Jimmy M.``)."""
    name = _IN_PLACE.sub(r"\1", _DATE_AFTER.sub("", name))
    if (m := _ROLE_AFTER.search(name)) and len(name[: m.start()].split()) >= 2:
        name = name[: m.start()]
    return _TRAILING_MARKS.sub("", name)


def _steps(page: Page) -> Iterator[str | None]:
    """What each step of the module's docstring gives, in its order, each asked for only
    when the ones before gave no name that :func:`author` takes."""
    # 1. the meta author, unless it names the publisher
    meta = _meta_author(page)
    publisher = bool(meta) and _names_publisher(page, meta or "")
    yield None if publisher else meta
    # 2. JSON-LD's author
    yield _ld_author(page)
    # 3. Twitter's "Written by"
    yield _twitter_author(page)
    # 4. author markup, unless the byline under the title names someone else
    yield _shown_over_marked(page, _marked_author(page))
    # 5. the byline's text
    yield _byline_author(page)
    # 6. Chinese names no label announces
    yield _unlabelled_author(page)
    # 7. the meta author that names the publisher
    if publisher:
        yield meta
    # 8. a link to an author's or a member's page
    yield _author_link(page)
    # 9. the author's part of a Chinese <title>
    yield _author_in_title(page)
    # 10. twitter:creator
    yield _twitter_creator(page)
    # 11. a source that is a person
    yield _source_person(page)
    # 12. an editor's credit
    yield _editor(page)


# A byline line's start: "By", "by:", "Posted by", "Written by"
_BY_LINE = re.compile(r"(?i:(?:posted |written )?by\b)")
# What a byline goes on with after the name: "By Jane Doe Published 9 November 2012",
# "By Jane Doe Email Author", "By Jane Doe Tweet Nov 5 2012"
_AFTER_NAME = re.compile(
    r"\s+(?:Published|(?:Last )?Updated|Posted|Tweet|Email|E-mail|Share|Follow)\b.*$"
)
# A name cut short by a word in lower case ("By New statesman"), not by a byline's
# "on", "in", "at" or "for" ("by Jane Doe on Aug 9", "by Jane Doe in Politics")
_CUT_SHORT = re.compile(r"\s+(?!(?:on|in|at|for)\b)[a-z]")


def _shown_over_marked(page: Page, marked: str | None) -> str | None:
    """The marked author, unless a line under the title opens with ``By`` and a name
    that shares no word with it (``by Jane Doe on Aug 9, 2012``, while ``.author`` marks
    the posters of a sidebar's list, a profile widget's blog name, a comment's
    signature): that name, the byline readers see."""
    if not marked:
        return marked
    for line in byline_zone(page).split("\n"):
        if _BY_LINE.match(line) and (m := _BY.match(line)):
            if _CUT_SHORT.match(line, m.end()):
                return marked
            shown = _AFTER_NAME.sub("", _sentence_end(m.group(1)))
            words = set(_letters_words(marked))
            return marked if words & set(_letters_words(shown)) else shown
    return marked


def _letters_words(name: str) -> list[str]:
    """A name's words, lower-cased, without their marks (``Ben.Chalker`` -> ``ben``,
    ``chalker``)."""
    return re.findall(r"[^\W\d_]+", name.lower())


def _names_publisher(page: Page, meta: str) -> bool:
    """The meta author names the publisher rather than a person: a lone acronym (``AP``,
    ``BBC``, ``ASCII``: an agency or a publisher), the site's own name as the page declares
    it (``ABC News`` on ABC News: :func:`_site_names`), or an organisation
    (:func:`~digest.scraper.zh_names.organisation`: ``人民网``, ``新华社``)."""
    return bool(_ACRONYM.fullmatch(meta) or meta.lower() in _site_names(page) or organisation(meta))


def _ld_author(page: Page) -> str | None:
    """The author of the page's JSON-LD article, an ``{"@id": …}`` reference followed
    (:func:`_resolve`); not a profile's address (``https://…``)."""
    for item in ld_articles(page.ld):
        name = ld_name(_resolve(item.get("author"), page.ld))
        if name and not name.startswith(("http://", "https://")):
            return name
    return None


def _twitter_author(page: Page) -> str | None:
    """The name Twitter's card labels "Written by" (``twitter:label1``, ``twitter:data1``)."""
    if (page.meta("twitter:label1") or "").lower() == "written by" and page.meta("twitter:data1"):
        return page.meta("twitter:data1")
    return None


def _twitter_creator(page: Page) -> str | None:
    """``twitter:creator``, without its ``@`` (``@janedoe`` -> ``janedoe``)."""
    twitter = page.meta("twitter:creator")
    return twitter.lstrip("@") if twitter else None


def _meta_author(page: Page) -> str | None:
    """The first author meta (in the order of ``_AUTHOR_METAS``) that can be a person's
    name: not an address (``http://…``, ``@handle``, a web address such as
    ``example.com``, an email), not the software the page was made with
    (:func:`~digest.scraper.zh_names.software`: ``Discuz! Team``), not an editor's credit
    (``某网编辑：Alice``). A byline's label goes (``By Jane Doe``, ``Автор: …``), and the
    organisation after a name in capitals with it (:func:`_without_organisation`); a name
    written surname first is turned round (``Doe, Jane``: :func:`_given_name_first`)."""
    for key in _AUTHOR_METAS:
        value = page.meta(key)
        if (
            value
            and not value.startswith(("http://", "https://", "@"))
            and not _DOMAIN.match(value)
            and not _EMAIL.fullmatch(value)
            and not software(value)
            and not _EDITOR.search(value)
        ):
            m = _BYLINE.match(value)
            name = _without_organisation(m.group(1).strip()) if m else _given_name_first(value)
            return person_part(name)  # "本报记者 王小明": the person
    return None


# "Doe, Jane", "Doe, Jane Q.": a surname, a comma and given names, the order of library
# catalogues that Dublin Core's creator, Highwire's citation_author and Parse.ly follow
_SURNAME_FIRST = re.compile(r"([A-Z][\w'’-]+), ((?:[A-Z][a-z][\w'’-]*)(?: [A-Z][\w'’.-]*)?)")


def _given_name_first(name: str) -> str:
    """A name written surname first, as the reader says it (``Doe, Jane`` -> ``Jane Doe``);
    other names, two people among them (``Jane Doe, John Roe``), as they are."""
    m = _SURNAME_FIRST.fullmatch(name)
    return f"{m.group(2)} {m.group(1)}" if m else name


def _site_names(page: Page) -> set[str]:
    """The site's names as the page declares them (og:site_name, JSON-LD publisher),
    lower-cased."""
    names = [page.meta("og:site_name", "application-name")]
    names += [ld_name(i.get("publisher")) for i in ld_articles(page.ld)]
    return {n.lower() for n in names if n}


def _marked_author(page: Page) -> str | None:
    """The name author markup gives: a microdata author item's names, all of them when it
    names several people, each its own ``itemprop=name`` (not the name of an item inside
    it, ``worksFor``: :func:`_item_names`); else the first element marked as the author
    (``itemprop=author``, ``rel=author``, ``.author-name``, ``.author``, ``.byline``…)
    whose text is short and neither a link's or a label's words (``View Profile``, ``About
    Us``, ``Powered by``, ``Article by``: ``_LABEL_WORDS``) nor an editor's credit, and
    that does not open with a Chinese byline's other field (``来源：…``: the byline's step
    reads it); the time it gives after the name goes (``Jane Doe / Updated: Oct 9,
    2019``, ``作者：王小明 发布时间：…``), and a byline's label with the organisation after a
    name in capitals, a Chinese paper and role before it (``本报记者``). Else an element
    whose class or id speaks of an author (:func:`_loosely_marked_author`)."""
    by_itemprop = page.first("itemprop=author")
    named = _item_names(by_itemprop) if by_itemprop is not None else []
    # an author item may hold several people, each its own itemprop=name
    names = [" ".join((n.get("content") or plain_text(n)).split()) for n in named]
    name = ", ".join(n for n in dict.fromkeys(names) if n)
    if name and not _LABEL_WORDS.search(name):
        return name
    nodes = page.all(
        "itemprop=author",
        "rel=author",
        "#js_author_name",
        ".author-name",
        ".byline-name",
        ".follow-nick-name",
        ".author",
        ".byline",
    )
    for node in nodes:
        text = _DATELINE.sub("", plain_text(node))
        if text and len(text) <= 60 and not _LABEL_WORDS.search(text) and not _EDITOR.search(text):
            if _OTHER_FIELD.match(text):  # "来源：某报 作者：王小明": the byline's step
                continue
            m = _BYLINE.match(text)
            # "作者：王小明 发布时间：…", "本报记者 王小明": the person alone
            return person_part(_without_organisation(m.group(1).strip()) if m else text)
    return _loosely_marked_author(page)


# A Chinese byline's field other than its author's, opening an element marked as the
# author's: "来源：某报", "发布时间：…" (an author's label later in it is the byline's)
_OTHER_FIELD = re.compile(r"(?:来源|稿源|出处|时间|日期|发布时间|发表时间|更新时间)\s*[:：]")


def _loosely_marked_author(page: Page) -> str | None:
    """The first element whose class or id speaks of an author or a byline
    (``authorText``, ``social-author__name``, ``css-x-Byline``), not of their picture or
    biography, outside navigation and comments, and whose text, or its first line, is a
    person's name: a ``By …`` list (see :func:`_byline_author`), else, of a byline in
    parts, the part that is names in full (:func:`_names_part`) when it is like a person's
    name (:func:`_person_like`), or the ``By A, B and C`` list it is the last name of
    (:func:`_in_by_list`)."""
    keys = [k for k in page.index if k[0] in ".#" and _AUTHOR_MARK.search(k)]
    for node in page.all(*[k for k in keys if not _NOT_A_NAME_MARK.search(k)]):
        whole = plain_text(node)
        if in_chrome(node) or len(whole) > 500:  # a whole article marked for its author
            continue
        first = _first_strings(node)
        for text in (*first[:1], whole):  # "By A, B and C" before "… Associated Press"
            if (m := _BY.match(text)) and len(m.group(1)) <= 120:
                return _without_organisation(_once(_sentence_end(m.group(1))))
        for text in (whole, *first):
            m = _BYLINE.match(text)
            name = _names_part(_without_organisation(m.group(1).strip()) if m else text)
            if _person_like(name):
                return _in_by_list(node, name)
    return None


# "Politik · Jane Doe, John Roe": the parts of a byline set apart by a dot or a bar
_PARTS = re.compile(r"\s+[·•|]\s+")
# one person's name of two words or more, or several of them ("Jane Doe, John Roe and Ann Poe")
_FULL_NAMES = re.compile(rf"{_NAME % '1,3'}(?:\s*(?:,|\band\b|&)\s*{_NAME % '1,3'})*")


def _names_part(text: str) -> str:
    """Of a byline in two or three parts (``Politik · Jane Doe, John Roe``, ``Column | Jane
    Doe``: the section, then the people), the one part that is names in full; else the
    text as it is (a row of links, ``About Us | Jobs | Privacy``, or a paragraph, is no
    byline)."""
    parts = _PARTS.split(text) if len(text) <= 80 else []
    names = [p for p in parts if _FULL_NAMES.fullmatch(p)]
    return names[0] if 2 <= len(parts) <= 3 and len(names) == 1 else text


def _in_by_list(node: HtmlElement, name: str) -> str:
    """The whole ``By A, B and C`` list a name marked alone is the last of (``<span
    class=last-byline>C</span>``), else the name."""
    parent = node.getparent()
    shown = " ".join(parent.text_content().split()) if parent is not None else ""
    m = _BY.match(shown)  # (text_content: no space before a comma between two elements)
    return m.group(1) if m and m.group(1).endswith(name) and len(m.group(1)) <= 120 else name


def _first_strings(node: HtmlElement) -> list[str]:
    """The element's first two non-blank strings."""
    found = [t for t in (" ".join(s.split()) for s in node.itertext()) if t]
    return found[:2]


def _person_like(text: str) -> bool:
    """A name: short, no digits, a few words, not a label (``Author``, ``Posted by``) nor a
    link's or a label's words (``View Profile``, ``About Us``, ``Log in``, ``Powered by``:
    ``_LABEL_WORDS``), not capitalised words with a word in lower case among them
    (``Leaves for Crafting``; ``and`` and a surname's particle aside: ``Jane van Doe``)."""
    if not 2 <= len(text) <= 40 or re.search(r"\d|[:：@|/]", text):
        return False
    if text.lower() in ("by", "author", "authors", "written by", "作者", "posted by"):
        return False
    if _LABEL_WORDS.search(text) or _LOWER_WORD.search(text):
        return False
    return len(text.split()) <= 5 and not text.islower()


# A word in lower case that no name has between its capitalised words ("Leaves for
# Crafting", "Top results"): not "and", nor a surname's particle ("van", "de", "bin")
_LOWER_WORD = re.compile(
    r"(?<![\w'’.-])(?!(?:and|de|van|von|der|den|la|le|du|da|di|del|dos|bin|al|y|e|et|und)\b)"
    r"[a-z]+(?![\w'’.-])"
)


def _item_names(item: HtmlElement) -> list[HtmlElement]:
    """The ``itemprop=name`` elements of a microdata item, not those of an item inside it
    (the name of the author's ``worksFor`` organisation)."""
    return [
        el
        for el in item.iterdescendants()
        if el.get("itemprop") == "name" and _item_of(el, item) is item
    ]


def _item_of(el: HtmlElement, outer: HtmlElement) -> HtmlElement | None:
    """The nearest element above ``el``, up to ``outer``, that opens an item (``itemscope``)."""
    up = el.getparent()
    while up is not None and up is not outer and up.get("itemscope") is None:
        up = up.getparent()
    return up


def _byline_author(page: Page) -> str | None:
    """The name in the byline, looked for in the text of the elements marked as a byline
    (a labelled author), in the text just under the title (a labelled author, ``By …``,
    ``… 发表于``, a reporter's credit), then in the whole page for the forms that cannot be
    mistaken (a reporter's credit, a labelled author, ``网名 发表于 2005-9-15``).

    The labels: ``作者：…`` (a Latin name after it in full: ``作者：Jane Doe``), ``文/…``,
    ``撰文：…``, ``文|图 …``, ``［作者］…``, Japanese ``執筆者：…``, ``文＝…``, ``取材・文／…``,
    ``文●…``, a paper's mark before them (``□文/…``); a reporter's, a correspondent's, an
    intern's or a commentator's credit (``记者 王小明``, ``记者：王小明``, ``记者/王小明``,
    ``记者王小明、李四``, ``记者王小明 通讯员李四``, ``本报评论员 王小明``, with the credits
    on the lines right after it: :func:`_next_credits`); under the title, a name before
    ``/文`` (``王小明/文``); ``By …``, ``By: …``, ``By A, B and C``.
    A picture's or a tool's credit (``Photo by``, ``Illustration by``, ``Powered by``) or a
    list's order (``Sort by``) is no byline, nor a photograph's credit (``记者 王小明 摄``),
    nor markup shown as text (``作者：size=…``). A name stops before a date (``By Jane Doe
    March 17, 2003``) and before the sentence after it (:func:`_sentence_end`); its
    organisation and role go
    (:func:`~digest.scraper.zh_names.person_part`, :func:`_without_organisation`)."""
    marked, zone, whole = byline_text(page), byline_zone(page), page.flat_text
    searches = (
        (_LABELLED, marked),
        (_LABELLED, zone),
        (_BY, zone),
        (_POSTED_BY, zone),
        (_REPORTER, zone),
        (_NAME_THEN_TEXT, zone),
        (_REPORTER, whole),
        (_LABELLED, whole),
        (_POSTED_DATED, whole),
    )
    for pattern, text in searches:
        if pattern in _NEEDS and not any(word in text for word in _NEEDS[pattern]):
            continue  # cannot match: most pages are searched no further than that
        for m in pattern.finditer(text):
            if not _markup_or_photo(text, m.end()):
                found = _sentence_end(next(g for g in m.groups() if g).strip())
                if pattern is _REPORTER:  # "本报实习生 王小明\n本报通讯员 李四": both
                    found = " ".join((found, *_next_credits(text, m.end())))
                return _without_organisation(person_part(found))
    return None


def _markup_or_photo(text: str, end: int) -> bool:
    """What follows a name makes it none: markup shown as text (``作者：size=…``) or a
    photograph's credit (``记者 王小明 摄``)."""
    return text[end : end + 3].lstrip(" /／").startswith(("=", "摄"))


# A reporters' credit right after another, its organisation before it ("本报", "新华社")
_NEXT_CREDIT = re.compile(rf"[\s　、]*[^\s　，。,.！？:：]{{0,6}}?(?:{_REPORTER.pattern})")


def _next_credits(text: str, end: int) -> list[str]:
    """The names of the reporters' credits that follow one ending at ``end``, each right
    after the one before (``本报实习生 王小明\n本报通讯员 李四``, ``记者 王小明 通讯员 李四``)."""
    names = []
    while (m := _NEXT_CREDIT.match(text, end)) and not _markup_or_photo(text, m.end()):
        names.append(next(g for g in m.groups() if g).strip())
        end = m.end()
    return names


def _sentence_end(name: str) -> str:
    """A name without the sentence after the full stop that ends it (``Nicholas Holmes.
    Nicholas is…``); an initial's full stop (``John Q. Roe``, ``Jr.``) goes on."""
    m = re.match(r"(\S+\s.*?[a-z]{2})\.\s", name)  # (not a first word's: "Mrs. Jane Doe")
    return m.group(1) if m else name


def _once(name: str) -> str:
    """A name shown twice in a row, once (``Lisa de Moraes Lisa`` -> ``Lisa de Moraes``)."""
    words = name.split()
    for k in range(1, len(words)):
        if len(words) - k <= k and words[k:] == words[: len(words) - k]:
            return " ".join(words[:k])  # what follows the first k words repeats them
    return name


_CAPITALS = re.compile(r"[A-Z][A-Z.'’-]+,?")


def _without_organisation(name: str) -> str:
    """A name written in capitals without the organisation after it, written otherwise
    (``ERIC TUCKER Associated Press`` -> ``ERIC TUCKER``, ``JANE ROE, AP Staff Writer`` ->
    ``JANE ROE``); other names as they are."""
    words = name.split()
    capitals = [i for i, w in enumerate(words) if _CAPITALS.fullmatch(w)]
    if len(capitals) < 2 or capitals[-1] == len(words) - 1:
        return name
    rest = words[capitals[-1] + 1 :]
    if not all(w[0].isupper() for w in rest):  # "JANE DOE and John Roe": two people
        return name
    kept = " ".join(words[: capitals[-1] + 1]).rstrip(",")
    return re.sub(r",\s*[A-Z]+$", "", kept)  # "ROBERT ROE, AP National Writer": AP too


def _unlabelled_author(page: Page) -> str | None:
    """Names no label announces where a Chinese page puts them: alone on the line under
    the title (or under a line that repeats it), in brackets after the date, in
    parentheses closing a paragraph."""
    lines = byline_zone(page).split("\n")
    # the zone's first line follows the title; so does a line after one that repeats it
    after_title = [True, *(repeats_title(page, line) for line in lines[:-1])]
    for line, follows in zip(lines, after_title, strict=True):
        if follows and unlabelled(line):
            return line
    for m in _BRACKETED.finditer(byline_zone(page)):
        if unlabelled(m.group(1)):
            return m.group(1)
    return _closing_credit(page)


def _closing_credit(page: Page) -> str | None:
    """The last names in parentheses that close a paragraph after a full stop (``…过一个
    好年。（王小明 李四）``): a news credit closes the article. Not after a closing quote,
    where a quotation's or a poem's author stands (``“……啼鸟。”（孟浩然）``)."""
    found = None
    for paragraph in page.all("p"):
        credit = _CLOSING_CREDIT.search(plain_text(paragraph))
        if credit and unlabelled(credit.group(1)) and not in_chrome(paragraph):
            found = credit.group(1)
    return found


_AUTHOR_PAGE = re.compile(r"[?&]author=|/authors?/", re.I)
# A member's page on a forum or a blog host: Discuz!'s space.php?uid= and viewpro.php,
# user.php?…userid=, profile.php, bilibili's space: the poster of a post
_MEMBER_PAGE = re.compile(
    r"(?:space|viewpro|profile|user)\.php\?|home\.php\?mod=space|[?&](?:uid|userid)=|//space\.",
    re.I,
)
# A link to a member's page that is the reader's own (logged in), the site's menu or a share button
_MENU_WORDS = re.compile(
    r"我的|个人|空间|主页|资料|登录|注册|退出|会员|用户|消息|设置|首页|分享|微博"
)


def _author_link(page: Page) -> str | None:
    """The first link to an author's page (``/author/jane``, ``?author=12``) outside
    navigation and comments whose text is a name: a blog's owner; else the first to a
    member's page (``space.php?uid=12``): a forum post's poster."""
    for name in _link_names(page, _AUTHOR_PAGE):
        return name if _person_like(name) else None  # the first author's link decides
    for name in _link_names(page, _MEMBER_PAGE):
        if _person_like(name) and not _MENU_WORDS.search(name):
            return name
    return None


def _link_names(page: Page, href: re.Pattern[str]) -> Iterator[str]:
    """The text of each link whose address matches ``href``, outside navigation and
    comments, in page order."""
    for link in page.all("a"):
        if href.search(link.get("href") or "") and not in_chrome(link):
            yield plain_text(link).strip(" ,;|")


# "来源：王小明": a source that is a person, who sent the article in
_SOURCE = re.compile(rf"来[ 　]?源\s*[:：]\s*([{HAN}]{{2,4}})(?![{HAN}])")


def _source_person(page: Page) -> str | None:
    """The source a page credits when it is a person's name rather than a paper's
    (``来源：王小明``, not ``来源：某某日报``): who sent the article in."""
    for m in _SOURCE.finditer(page.flat_text):
        if unlabelled(m.group(1)):
            return m.group(1)
    return None


def _editor(page: Page) -> str | None:
    """The editor a Chinese news page credits ("责任编辑：…"), when it names no author."""
    m = _EDITOR.search(page.flat_text)
    return m.group(1) if m else None


# "王小明的博客", "王小明的新浪博客", "王小明的专栏", "王小明的个人空间": the owner's pages
_OWNERS_PAGE = re.compile(r"([^\s的]{1,20})的[^\s的]{0,2}(?:博客|专栏|空间|日志|主页|blog)", re.I)
_NOT_AN_OWNER = frozenset({"我", "你", "他", "她", "我们", "你们", "他们", "大家", "咱们", "本站"})


def _author_in_title(page: Page) -> str | None:
    """The author's part of a Chinese blog's ``<title>``: a part after the title that
    names the owner's blog or column (``标题 - 王小明的博客 - 某某网``, ``标题_王小明的专栏``,
    not ``我的博客``); else, of exactly two parts after the title (``标题_作者_博客``), the
    first, when short, in Chinese, and shown as a link that is no step of a breadcrumb
    trail. ``标题_商贸_产业资讯_新浪网`` is a channel's path, ``Site | Business | Headline``
    a section's."""
    suffixes = title_suffixes(page)
    for part in suffixes:
        if (m := _OWNERS_PAGE.fullmatch(part)) and m.group(1) not in _NOT_AN_OWNER:
            return m.group(1)
    short = len(suffixes) == 2 and len(suffixes[0]) <= 20 and bool(HAN_RE.search(suffixes[0]))
    links = [a for a in page.all("a") if short and plain_text(a) == suffixes[0]]
    if any(not _BREADCRUMB.search(plain_text(a.getparent())) for a in links):
        return suffixes[0]  # a link, not a step of a breadcrumb trail: a channel's name
    return None


def _resolve(value: Any, ld: list[dict[str, Any]]) -> Any:
    """Follow a JSON-LD ``{"@id": …}`` reference to the node it names."""
    if isinstance(value, list):
        return [_resolve(v, ld) for v in value]
    if isinstance(value, dict) and "name" not in value and "@id" in value:
        return next((n for n in ld if n.get("@id") == value["@id"] and "name" in n), value)
    return value
