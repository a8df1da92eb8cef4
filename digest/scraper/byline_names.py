"""The names a byline's text gives: ``By …``, ``作者：…``, ``文/…``, ``记者 …``, ``… 发表于 …``
(:func:`byline_author`), the Chinese names no label announces (:func:`unlabelled_author`),
the ``By`` line under the title that overrules the author markup
(:func:`shown_over_marked`), and the patterns the other steps read a byline's text with
(:data:`BYLINE`, :data:`BY`, :data:`EDITOR`, :func:`names_part`).

Where the byline is shown is :func:`digest.scraper.byline.byline_zone`'s question; how a
name found here is cleaned, :mod:`digest.scraper.person_names`' (Latin script) and
:mod:`digest.scraper.zh_names`' (a Chinese credit); which step asks for which,
:mod:`digest.scraper.authors`'.
"""

from __future__ import annotations

import re

from digest.scraper.byline import byline_zone
from digest.scraper.headline import repeats_title
from digest.scraper.metadata import Page, byline_text, in_chrome, plain_text
from digest.scraper.person_names import sentence_end, without_organisation
from digest.scraper.zh_names import NAMES, SURNAME, person_part, unlabelled
from digest.text.cjk import HAN
from digest.text.months import MONTH_NAME

# A byline's label and the name after it: "By Jane Doe", "Written by: Jane Doe", "Author:",
# Russian "Автор:", "Текст:", "作者：", "文/", "撰文" (as a meta author or an element marked
# as the author's may open)
BYLINE = re.compile(
    # (a Latin or Cyrillic label is a word: "Byron Doe" is no "By ron Doe")
    r"^(?:(?:(?:written |posted )?by|author|автор|текст)(?![^\W\d_])|作者|著者|文|撰文)"
    r"\s*[:：|/●]?\s*(.+)$",
    re.I,
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
# An editor's credit, "责任编辑：王小明": no author's byline (the meta and the markup steps
# refuse it), the last step's name when nothing else gives one
EDITOR = re.compile(r"(?:责任编辑|编辑)\s*[:：]\s*([^\s　|｜/，,：:（）()\[\]【】]{2,10})")


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
BY = re.compile(  # (a name does not go on into the next block: the zone's line break)
    rf"(?i:\bby{_NOT_AN_AUTHORS_BY})(?:\s*:\s*|\s+)({_NAME % '0,3'}(?:[^\S\n]*,\s*{_NAME % '1,3'})*"
    rf"(?:,?\s+(?:and|&)\s+{_NAME % '0,3'})?)"
)


def byline_author(page: Page) -> str | None:
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
    March 17, 2003``) and before the sentence after it
    (:func:`~digest.scraper.person_names.sentence_end`); its organisation and role go
    (:func:`~digest.scraper.zh_names.person_part`,
    :func:`~digest.scraper.person_names.without_organisation`)."""
    marked, zone, whole = byline_text(page), byline_zone(page), page.flat_text
    searches = (
        (_LABELLED, marked),
        (_LABELLED, zone),
        (BY, zone),
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
                found = sentence_end(next(g for g in m.groups() if g).strip())
                if pattern is _REPORTER:  # "本报实习生 王小明\n本报通讯员 李四": both
                    found = " ".join((found, *_next_credits(text, m.end())))
                return without_organisation(person_part(found))
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


def unlabelled_author(page: Page) -> str | None:
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


def shown_over_marked(page: Page, marked: str | None) -> str | None:
    """The marked author, unless a line under the title opens with ``By`` and a name
    that shares no word with it (``by Jane Doe on Aug 9, 2012``, while ``.author`` marks
    the posters of a sidebar's list, a profile widget's blog name, a comment's
    signature): that name, the byline readers see."""
    if not marked:
        return marked
    for line in byline_zone(page).split("\n"):
        if _BY_LINE.match(line) and (m := BY.match(line)):
            if _CUT_SHORT.match(line, m.end()):
                return marked
            shown = _AFTER_NAME.sub("", sentence_end(m.group(1)))
            words = set(_letters_words(marked))
            return marked if words & set(_letters_words(shown)) else shown
    return marked


def _letters_words(name: str) -> list[str]:
    """A name's words, lower-cased, without their marks (``Ben.Chalker`` -> ``ben``,
    ``chalker``)."""
    return re.findall(r"[^\W\d_]+", name.lower())


# "Politik · Jane Doe, John Roe": the parts of a byline set apart by a dot or a bar
_PARTS = re.compile(r"\s+[·•|]\s+")
# one person's name of two words or more, or several of them ("Jane Doe, John Roe and Ann Poe")
_FULL_NAMES = re.compile(rf"{_NAME % '1,3'}(?:\s*(?:,|\band\b|&)\s*{_NAME % '1,3'})*")


def names_part(text: str) -> str:
    """Of a byline in two or three parts (``Politik · Jane Doe, John Roe``, ``Column | Jane
    Doe``: the section, then the people), the one part that is names in full; else the
    text as it is (a row of links, ``About Us | Jobs | Privacy``, or a paragraph, is no
    byline)."""
    parts = _PARTS.split(text) if len(text) <= 80 else []
    names = [p for p in parts if _FULL_NAMES.fullmatch(p)]
    return names[0] if 2 <= len(parts) <= 3 and len(names) == 1 else text
