"""The site's name, read from the page's markup and its ``<title>``, and the ``<title>``
itself: its text as a reader sees it and its parts (:mod:`~digest.scraper.titles` reads
the article's title from them, without the parts that name the site).

The sources, and what each is:

- The declared name: og:site_name or application-name, else the JSON-LD publisher's
  (:func:`_declared_name`); a WeChat article's account name.
- ``<title>`` (:func:`head_title`), cut into parts at its separators (:func:`title_parts`);
  the parts after the article's own title (``标题_频道_网站``) are its suffixes
  (:func:`title_suffixes`).
- What the page shows: a Chinese byline's source (``来源：…``), the masthead (an ``<h1>``
  linking to the home page: :func:`links_home`), the footer's copyright notice.
- The URL's host (:func:`host_words`).

:func:`site_name` takes the first of these steps that gives a name:

1. A WeChat account's name (``#js_name``).
2. The source a Chinese byline credits (``来源：新华网``), when it is a suffix of ``<title>``.
3. The declared name; or the suffix of ``<title>`` that is its shorter form, the same
   brand (``Acme`` for ``Acme Inc.``).
4. The part of ``<title>`` that names the host or is a web address
   (``StreetInsider.com - Title``, ``Site.com: Title``: :func:`_host_part`).
5. The part of ``<title>`` the masthead shows (``Blog › Title``, ``Blog: Title``,
   ``Title [Site]``: :func:`_masthead_part`). Such a heading is the site's name, never
   the title.
6. The first or the last part, when the footer's copyright notice names it
   (``© 2008 The Hindu``: :func:`_copyright_holder`).
7. The first or the last part, short like a name, beside the rest of ``<title>`` the body
   shows as a heading before the text (``Blog: Post - a question``: :func:`beside_heading`).
8. The last suffix, when it is short like a name (:func:`name_like`), unless it is the
   title: a meta tag declares it the title, or the body shows it alone as a heading, and
   not the first part (``Site - Title``: :func:`_title_is_last`).
9. Of a ``<title>`` of two parts, the first, when it is a short name before a phrase the
   page shows without it (``Computerworld - Microsoft faces two new antitrust cases``,
   ``多维博客 » 标题``: :func:`_name_before_phrase`).

The ``<title>`` is read as a reader sees it (:func:`tidy`): entities left in it read,
invisible marks out, runs of spaces made one; markup escaped in it (``&lt;b&gt;``) is its
text. One that lost its ``</title>`` was closed at its first tag by
:func:`digest.scraper.tree.parse`; one that shows a comment's end glued to its words
(``Site library-->``: the comment's start lost) is markup, and read as none
(:func:`head_title`).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from digest.scraper.headings import (
    HEADINGS,
    HEADLINE_MARKS,
    about_text,
    as_heading,
    before_text,
    blocks_showing,
    comes_first,
)
from digest.scraper.metadata import (
    Page,
    byline_text,
    ld_articles,
    ld_name,
    per_page,
    plain_text,
)
from digest.text.cjk import HAN, KANA, count_cjk_letters

# Between a title and the site's name: ``Title « Blog`` and ``Blog › Title`` (WordPress
# themes), ``Releases :: Site``, ``Site -- Title``; a colon or ``::`` only with spaces
# around it; hyphens without spaces next to Chinese or Japanese (``标题--频道--网站``,
# ``标题－网站``), where no word is hyphenated.
_SEPARATORS = re.compile(
    r"\s+(?:[-－|–—·•»«‹›:]|::|--)\s+|\s*[_｜|]\s*|\s+-\s*|\s*–\s*"
    rf"|(?<=[{HAN}{KANA}])[-－]+|[-－]+(?=[{HAN}{KANA}])"
)
_QUOTED = re.compile(r"«[^«»]*»")  # le film « Amélie » : quotes, not separators


def split_title(text: str) -> list[str]:
    """``text`` cut at its separators, not inside ``« quotes »``."""
    quoted = iter(_QUOTED.findall(text))
    parts = _SEPARATORS.split(_QUOTED.sub("\0", text))
    return [re.sub("\0", lambda _: next(quoted), p) for p in parts]


def title_parts(text: str) -> list[str]:
    """The parts of ``text`` (:func:`split_title`), trimmed, without empty ones."""
    return [p.strip() for p in split_title(text) if p.strip()]


def site_name(page: Page, url: str = "") -> str | None:
    """The steps of the module's docstring, in its order: the first that gives a name wins."""
    # 1. a WeChat account's name
    account = plain_text(page.first("#js_name", ".rich_media_meta_nickname"))
    if account:
        return account
    # 2. the source a Chinese byline credits, when it is a suffix of <title>
    suffixes = title_suffixes(page)
    source = re.search(r"来源[:：]\s*([^\s　|/，,]+)", byline_text(page))
    if source and source.group(1) in suffixes:
        return source.group(1)
    # 3. the declared name, or the suffix that is its shorter form
    if found := _declared_name(page):
        shorter = [s for s in suffixes if s in found and s != found]
        return shorter[0] if shorter else found
    # 4. the part that names the host or is a web address
    hosts = host_words(url)
    parts = title_parts(head_title(page))
    if named := _host_part(head_title(page), parts, hosts):
        return named
    # 5. the part the masthead shows
    if shown := _masthead_part(page, parts, hosts):
        return shown
    # 6. the first or the last part, that the copyright notice names
    if len(parts) > 1 and (holder := _copyright_holder(page, [parts[0], parts[-1]])):
        return holder
    # 7. the first or the last part, beside the post's title the body shows as a heading
    if beside := beside_heading(page):
        return beside[0]
    # 8. the last suffix, short like a name, unless it is the title
    if suffixes and name_like(suffixes[-1]) and not _title_is_last(page, parts, suffixes):
        return suffixes[-1]
    # 9. of two parts, a short name before a phrase the page shows without it
    return _name_before_phrase(page, parts)


@per_page
def beside_heading(page: Page) -> tuple[str, str] | None:
    """The name beside the post's title in ``<title>``, and that title: its first or last
    part, short like a name, when the body shows the rest of ``<title>``, separators and
    all, as a heading (``Blog: Post - a question``, the post shown as ``Post - a
    question``; ``Post: Blog``, ``Post « Blog``) before the article's text, about it or a
    phrase (:func:`_about`: not a logo's name), and the name, when a heading shows it too,
    before that one (the blog's masthead over its post; a name shown after it is the
    post's title, and the heading the blog's name). A blog's theme shows the post's title
    in an ``<h2>`` or ``<h3>``, and its ``<title>`` adds the blog's name."""
    document_title = head_title(page)
    sides = []
    if opening := _NAME_COLON.match(document_title):  # Blogger's "Blog: Title"
        sides.append((opening.group(1), document_title[opening.end() :]))
    if closing := _COLON_NAME.search(document_title):  # "Title: Blog"
        sides.append((closing.group(1), document_title[: closing.start()]))
    if cuts := list(_SEPARATORS.finditer(document_title)):
        first, last = cuts[0], cuts[-1]
        sides.append((document_title[: first.start()], document_title[first.end() :]))
        sides.append((document_title[last.end() :], document_title[: last.start()]))
    for name, rest in sides:
        name, rest = name.strip(), rest.strip()
        if not (name and rest and name_like(name)):
            continue
        title_at = next(iter(_headings(page, rest)), None)
        name_at = next(iter(_headings(page, name)), None)
        if title_at is None or not before_text(page, title_at) or not _about(page, rest):
            continue
        if name_at is None or comes_first(page, name_at, title_at):
            return name, rest
    return None


# A name of 30 characters at most before or after a colon (a space after it): "Blog: Post"
_NAME_COLON = re.compile(r"([^:：]{1,30})[:：]\s+(?=\S)")
_COLON_NAME = re.compile(r"(?<=\S)\s*[:：]\s+([^:：]{1,30})$")


def _about(page: Page, title: str) -> bool:
    """``title`` may be the post's: it shares a word with the text's start, or is a phrase,
    too long for a name (a logo's, a site's)."""
    return not name_like(title) or about_text(page, title)


def _headings(page: Page, text: str) -> list[HtmlElement]:
    """The headings (an ``<h1>``-``<h6>``, an element whose class or id speaks of a title)
    whose whole text is ``text``, the first in the page's order first."""
    found = [el for el, shown in _heading_texts(page) if shown == text]
    for el in found[1:]:
        if comes_first(page, el, found[0]):
            found.insert(0, found.pop(found.index(el)))
    return found


def _marks_headline(key: str) -> bool:
    """HEADLINE_MARKS searched only in the keys that could match (a page has hundreds)."""
    lowered = key.lower()
    return ("title" in lowered or "hed" in lowered) and bool(HEADLINE_MARKS.search(key))


@per_page
def _heading_texts(page: Page) -> list[tuple[HtmlElement, str]]:
    """The page's headings and their texts, spaces collapsed: read from the page's index,
    not by a walk of its text."""
    marked = (key for key in page.index if key[:1] in ".#" and _marks_headline(key))
    found = page.all(*HEADINGS, *marked)
    return [(el, " ".join(el.text_content().split())) for el in found]


def _declared_name(page: Page) -> str | None:
    """og:site_name, application-name or apple-mobile-web-app-title, the first given;
    else the name of the publisher of the page's JSON-LD article."""
    found = page.meta("og:site_name", "application-name", "apple-mobile-web-app-title")
    if not found:
        found = next((n for i in ld_articles(page.ld) if (n := ld_name(i.get("publisher")))), None)
    return found


def _host_part(document_title: str, parts: list[str], hosts: frozenset[str]) -> str | None:
    """Of a title of two parts or more, the last part that names the host or is a web
    address (:func:`names_host`: ``StreetInsider.com - Title``); but a web address that
    opens the title before a colon wins (``KalingaTimes.com: Title``, a title of one part)."""
    named = [p for p in parts if names_host(p, hosts)] if len(parts) > 1 else []
    if m := _DOMAIN_OPENS.match(document_title):
        named.append(m.group(1))
    return named[-1] if named else None


def _masthead_part(page: Page, parts: list[str], hosts: frozenset[str]) -> str | None:
    """The part of ``<title>`` the masthead shows (:func:`_masthead_names`), the first of:
    a whole part, of a title of two parts or more (``Blog › Title``); the masthead's name
    opening the title before a colon or closing it after one (``Blog: Title``:
    :func:`_bare_name`); the name in brackets closing the title (``Title [Site]``:
    :func:`_bracketed_name`)."""
    masthead = _masthead_names(page)
    shown = [p for p in parts if p.lower() in masthead] if len(parts) > 1 else []
    shown += [b for n in masthead if (b := _bare_name(n, head_title(page)))]
    shown += [b] if (b := _bracketed_name(head_title(page), masthead, hosts)) else []
    return shown[0] if shown else None


def _name_before_phrase(page: Page, parts: list[str]) -> str | None:
    """Of a ``<title>`` of two parts, the first (``Blog » Title``), when it is a short name
    before a part far too long to be one (:func:`_before_a_phrase`) that the page shows
    without the name (:func:`_shown_alone`: ``Rust vs Go - a fair comparison`` shows its
    title whole)."""
    shown_alone = len(parts) == 2 and _shown_alone(page, parts[1])
    return parts[0] if shown_alone and _before_a_phrase(*parts) else None


def _shown_alone(page: Page, part: str) -> bool:
    """The page's text shows ``part`` of its ``<title>``, and nowhere the whole (the text
    holds the ``<title>`` once)."""
    text = page.flat_text
    return text.count(part) > 1 and text.count(head_title(page)) <= 1


def _before_a_phrase(first: str, last: str) -> bool:
    """``first`` is a name of three words at most, ``last`` a phrase: six words or more, or
    Chinese or Japanese too wide for a name."""
    cjk = count_cjk_letters(last) > 0
    phrase = not name_like(last) if cjk else len(last.split()) >= 6
    return name_like(first) and len(first.split()) <= 3 and phrase


def _bare_name(name: str, document_title: str) -> str | None:
    """``name`` as it opens the title before a colon (``Blog Name: Title``) or closes it
    after one (``Title :blog``), spelt as there."""
    n, lowered = len(name), document_title.lower()
    if lowered.startswith(name) and _COLON_THEN_TEXT.match(lowered, n):
        return document_title[:n]
    if lowered.endswith(name) and _TEXT_THEN_COLON.search(lowered, 0, len(lowered) - n):
        return document_title[-n:]
    return None


# Around a name that opens a title before a colon, or closes it after one (_bare_name): beside
# the name rather than in a pattern holding it, which would be compiled anew for each name.
_COLON_THEN_TEXT = re.compile(r"\s*[:：]\s*\S")
_TEXT_THEN_COLON = re.compile(r"\S\s*[:：]\s*\Z")


_BRACKETED = re.compile(r"\s*[\[【(（]([^\[\]【】()（）]+)[\]】)）]$")


# A copyright notice: the sign, or the word and a year ("Copyright 2008"; the bare word is
# also a footer's link), then the years, then the holder. Searched for in the footer's
# text, it ends where the holder's name starts. Not lines._COPYRIGHT, which tells that a
# whole line is a notice: that one takes the bare word before "All rights reserved" and
# not the sign alone ("© Acme"); this one takes the sign alone and needs a year after the
# word, and reads what follows.
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright\s*(?:©|\(c\))?\s*(?=\d{4}))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?",
    re.I,
)
FOOTER_CHARS = 5000  # where the page's text ends: its footer, where the notice is


def _copyright_holder(page: Page, parts: list[str]) -> str | None:
    """The part of ``<title>`` the page's copyright notice names (``© 2008 The Hindu``), a
    name: the site's. Of the first and the last parts only: a middle part is the author of
    a blog that a platform hosts (``Title - Author - Platform``, ``© 2024 Author``)."""
    text = page.flat_text[-FOOTER_CHARS:]
    for m in _COPYRIGHT.finditer(text):
        after = text[m.end() :]
        for part in parts:
            if name_like(part) and re.match(rf"{re.escape(part)}(?!\w)", after, re.I):
                return part
    return None


def _bracketed_name(document_title: str, masthead: set[str], hosts: frozenset[str]) -> str | None:
    """The name in brackets that closes the title (``Title [Site]``, ``标题[社区]``), when
    the masthead shows it or it names the host: not ``[Video]`` or ``(Updated)``."""
    m = _BRACKETED.search(document_title)
    name = m.group(1).strip() if m else ""
    if name and (names_host(name, hosts) or any(n.startswith(name.lower()) for n in masthead)):
        return name
    return None


def _masthead_names(page: Page) -> set[str]:
    """The texts, lower-cased, of the ``<h1>`` elements that show the site's name: a link
    to the home page."""
    return {plain_text(h).lower() for h in page.all("h1") if links_home(h)}


_GENERIC_LABELS = frozenset({"www", "com", "net", "org", "blog", "blogs", "news", "html", "dev"})


def host_words(url: str) -> frozenset[str]:
    """The labels of the URL's host that could name the site: ``blog.acme.io`` -> acme."""
    host = (urlsplit(url).hostname or "").lower()
    return frozenset(w for w in host.split(".") if len(w) >= 3 and w not in _GENERIC_LABELS)


def name_like(part: str) -> bool:
    """Short like a site's or a person's name, not like a phrase of a title: a Chinese or
    Japanese character, as wide as two letters, counts twice (``多维博客 » 播客热潮迅速蔓延
    挑逗传统传媒业``: the name, then the title)."""
    return len(part) + count_cjk_letters(part) <= 30 and len(part.split()) <= 4


def names_host(part: str, hosts: frozenset[str]) -> bool:
    """``SegmentFault 思否`` on segmentfault.com, ``Acme Blog`` on blog.acme.io; or a web
    address, whatever the host (:data:`DOMAIN`)."""
    if DOMAIN.fullmatch(part.rstrip(":：")):
        return True
    words = re.findall(r"[a-z0-9]+", part.lower())
    named = "".join(words) in hosts or any(w in hosts for w in words)
    return bool(words) and named and name_like(part)


# A web address, the way sites named themselves in their titles (``WSJ.com``,
# ``www.kansascity.com``, ``Mirror.co.uk``): a name, a dot, a generic or a country's
# domain; not a name with a file's ending (``Node.js``). Unanchored, so that a pattern can
# hold it (``KalingaTimes.com: Title``). Not authors._DOMAIN, the author meta that is a
# web address: that one takes Unicode letters and "_", the "io" and "co" endings, and of
# the country domains only "cn"; one pattern for both would change what one of them
# accepts (a behaviour change, for a rule round), so each keeps its own.
DOMAIN = re.compile(
    r"(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|edu|gov|tv"
    r"|(?:co|com|org|net)\.[a-z]{2}|uk|au|de|fr|ru|cn|jp|in|ca|nz|ie|it|es|nl|ch|at|be|se"
    r"|no|dk|fi|pl|br|za|sg|hk|tw|kr)",
    re.I,
)
_DOMAIN_OPENS = re.compile(rf"({DOMAIN.pattern})\s*[:：]\s*\S", re.I)  # "Site.com: Title"
_CJK_SITE_AFTER_HYPHEN = re.compile(rf"-([^\s-]*[{HAN}][^\s-]*)$")  # "标题-CSDN博客"


@per_page  # read by the site's name, the title and the author, several times each
def head_title(page: Page) -> str:
    """The ``<title>`` (one never closed is closed where markup starts: see
    :func:`digest.scraper.tree.parse`); none when it shows a comment's end."""
    found = page.first("title")
    text = tidy(found.text_content() if found is not None else "")
    return "" if _COMMENT_END.search(text) else text


# A comment's end glued to the words before it (``BBC SPORTi library-->``): its start was
# lost, and what a <title> shows then is the markup around it, not a title.
_COMMENT_END = re.compile(r"\S-->")


def _title_is_last(page: Page, parts: list[str], suffixes: list[str]) -> bool:
    """The last part of ``<title>``, short like a name, is its title: a meta tag declares
    it the title (``icScotland - Ryan dismayed by Gloucester`` beside ``<meta
    name="headline" content="Ryan dismayed by Gloucester">``), or the body shows it alone
    as a heading (see :func:`~digest.scraper.headings.as_heading`), and not the first
    (``Site - Title``)."""

    def headed(text: str) -> bool:
        return any(as_heading(el) for el in blocks_showing(page, text))

    if not parts:
        return False
    declared = page.meta("og:title", "twitter:title", "headline", "title", "dc.title")
    if declared and tidy(declared).lower() == suffixes[-1].lower() != parts[0].lower():
        return True
    return headed(suffixes[-1]) and not headed(parts[0])


# The home page, or a section's: ``/``, ``index.html``, ``https://acme.io/blog``, a blog's
# folder (``/seths_blog/``: Movable Type and TypePad name it with underscores, where a
# post's slug would have hyphens).
_HOME = re.compile(r"(?:https?://[^/]+)?/(?:[a-z0-9_]+/?)?|https?://[^/]+|\./|index\.html?", re.I)


def links_home(el: HtmlElement) -> bool:
    """The element's text is a link to the site's home page: the site's name shown as a
    heading, not an article's title. A link with access key 1 goes home, by the access
    keys' convention (the UK government's, which blog templates follow)."""
    links = list(el.iter("a"))
    home = [a for a in links if _HOME.fullmatch((a.get("href") or "").strip()) or _key_1(a)]
    return len(home) == len(links) == 1 and plain_text(home[0]) == plain_text(el)


def _key_1(link: HtmlElement) -> bool:
    return (link.get("accesskey") or "").strip() == "1"


def title_suffixes(page: Page) -> list[str]:
    """The parts of ``<title>`` after the article's own title (``标题_频道_网站`` -> 频道, 网站)."""
    document_title = head_title(page)
    parts = title_parts(document_title)
    if len(parts) == 1 and (m := _CJK_SITE_AFTER_HYPHEN.search(document_title)):
        return [m.group(1)]  # "标题-CSDN博客": a bare hyphen only before a CJK site name
    return parts[1:] if len(parts) > 1 else []


# Written into a title but never shown: an entity escaped twice (``&amp;amp;``, or one in
# JSON-LD, which is JSON, not HTML: ``&#8217;``), and the invisible marks (zero-width
# space and word joiner, byte-order mark, soft hyphen). The zero-width (non-)joiners stay:
# Persian and emoji need them.
_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")


def tidy(text: str) -> str:
    """``text`` as a reader sees it: its entities read (twice at most), invisible marks
    taken out, runs of spaces made one."""
    for _ in range(2):
        text = html.unescape(text) if _ENTITY.search(text) else text
    return " ".join(_INVISIBLE.sub("", text).split())
