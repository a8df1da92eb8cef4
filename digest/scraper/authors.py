"""Who wrote a page: the names it declares (meta tags, JSON-LD, Twitter's card), its author
markup and the byline people read; failing those, what points to an author (a link to an
author's page, the ``<title>``, a credited source or editor).

This module holds the steps and the sources a page declares; four others each answer one
question:

- :mod:`~digest.scraper.author_markup`: what the page's markup marks as the author (step 4);
- :mod:`~digest.scraper.byline_names`: the names a byline's text gives (steps 4 to 6);
- :mod:`~digest.scraper.person_names`: what a person's name looks like, how a found one
  is cleaned; :mod:`~digest.scraper.zh_names`, the same for a Chinese credit;
- :mod:`~digest.scraper.byline`: where the byline is shown (``byline_zone``).

The sources, and what each is:

- The meta author: the first of ``article:author``, ``author``, ``dc.creator`` and their
  like that can be a person's name (:func:`_meta_author`).
- JSON-LD: the author of the page's article (:func:`_ld_author`).
- Author markup: microdata's ``itemprop=author``, ``rel=author``, the classes ``author``
  and ``byline`` and their like (:func:`~digest.scraper.author_markup.marked_author`).
- The byline people read: ``By …``, ``作者：…``, ``文/…``, ``记者 …``, ``记者：…``,
  ``… 发表于 …`` (:func:`~digest.scraper.byline_names.byline_author`), and Chinese names
  no label announces (:func:`~digest.scraper.byline_names.unlabelled_author`).
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
   (``作者：王小明 发布时间：…``, ``本报记者 王小明``)
   (:func:`~digest.scraper.author_markup.marked_author`); unless a ``By`` line under the
   title names someone else (:func:`~digest.scraper.byline_names.shown_over_marked`).
5. The byline's text: in the elements marked as one, in the text just under the title,
   then in the whole page for the forms that cannot be mistaken (a reporter's credit, a
   labelled author) (:func:`~digest.scraper.byline_names.byline_author`).
6. Chinese names no label announces, where news pages put them: under the title, in
   brackets after the date, in parentheses closing a paragraph
   (:func:`~digest.scraper.byline_names.unlabelled_author`).
7. The meta author step 1 set aside: a publisher's name is better than none.
8. A link to an author's page (``/author/jane``) or a forum member's (``space.php?uid=12``)
   (:func:`_author_link`).
9. The author's part of a Chinese ``<title>`` (``标题_作者_博客``, ``标题 - 作者的博客``:
   :func:`_author_in_title`).
10. Twitter's ``twitter:creator``, without its ``@`` (:func:`_twitter_creator`).
11. A source that is a person's name (``来源：王小明``: :func:`_source_person`).
12. An editor's credit (``责任编辑：…``: :func:`_editor`).

Whichever step gives it, a name loses a "By" before it, and a date and the marks a byline
leaves after it (:func:`~digest.scraper.person_names.tidy`, which :func:`author` calls).

What is never an author, and which function says so:

- An address, an email, software or an editor's credit given as the meta author
  (:func:`_meta_author`); a profile's address in JSON-LD (:func:`_ld_author`).
- A link's or a label's words (``View Profile``, ``Article by``) and capitalised words with
  a word in lower case among them (``Leaves for Crafting``)
  (:func:`~digest.scraper.person_names.person_like`,
  :func:`~digest.scraper.author_markup.marked_author`).
- A picture's credit (``Photo by``), a list's order (``Sort by``), a photograph's credit
  (``记者 王小明 摄``) (:func:`~digest.scraper.byline_names.byline_author`); a
  quotation's author (``_closing_credit``, in :mod:`~digest.scraper.byline_names`).
- What stands around a name: the label it starts with, a date or a sentence after it
  (:func:`~digest.scraper.byline_names.byline_author`), the time a byline gives after it
  (:func:`~digest.scraper.author_markup.marked_author`), an organisation
  (:func:`~digest.scraper.person_names.without_organisation`), a section
  (:func:`~digest.scraper.byline_names.names_part`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from digest.scraper.author_markup import marked_author
from digest.scraper.byline_names import (
    BYLINE,
    EDITOR,
    byline_author,
    shown_over_marked,
    unlabelled_author,
)
from digest.scraper.metadata import Page, in_chrome, ld_articles, ld_name, plain_text
from digest.scraper.person_names import (
    given_name_first,
    no_one,
    person_like,
    site_account,
    tidy,
    without_organisation,
)
from digest.scraper.site_names import title_suffixes
from digest.scraper.zh_names import organisation, person_part, software, unlabelled
from digest.text.cjk import HAN, HAN_RE

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
_EMAIL = re.compile(r"\S+@[\w-]+(?:\.[\w-]+)+")
# An author meta that is a web address names the site, not a person ("example.com",
# "acme.io"). Not site_names.DOMAIN, which finds a site's address in a <title>: that one
# takes an ASCII name, "www." and country domains ("Mirror.co.uk", "spiegel.de"); this one
# takes any word characters (Unicode letters, "_") and only the endings com, cn, net, org,
# io, co, info. One pattern for both would change what one of them accepts (a behaviour
# change, for a rule round), so each keeps its own.
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|cn|net|org|io|co|info)$", re.I)


def author(page: Page) -> str | None:
    """Who wrote the page: the name the first of the module docstring's steps gives
    (:func:`_steps`), without a "By" before it (``By Jane Doe``, ``Written by: Jane Doe``,
    as a JSON-LD or microdata name may still say it) nor what a byline leaves after it
    (:func:`~digest.scraper.person_names.tidy`). The software the site runs on
    (``WordPress``) gives way to the next step, and so does a word alone that names no one
    (``Friday``, ``Today``, ``Agencies``: :func:`~digest.scraper.person_names.no_one`); a
    site's account (``admin``, ``webmaster``: :func:`~digest.scraper.person_names.site_account`)
    ends the search: the page names no person (the steps after it would give the site's own
    handle)."""
    for found in _steps(page):
        name = tidy(found) if found else None
        if name and not software(name) and not no_one(name):
            return None if site_account(name) else name
    return None


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
    yield shown_over_marked(page, marked_author(page))
    # 5. the byline's text
    yield byline_author(page)
    # 6. Chinese names no label announces
    yield unlabelled_author(page)
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
    organisation after a name in capitals with it
    (:func:`~digest.scraper.person_names.without_organisation`); a name written surname
    first is turned round (``Doe, Jane``: :func:`~digest.scraper.person_names.given_name_first`)."""
    for key in _AUTHOR_METAS:
        value = page.meta(key)
        if (
            value
            and not value.startswith(("http://", "https://", "@"))
            and not _DOMAIN.match(value)
            and not _EMAIL.fullmatch(value)
            and not software(value)
            and not EDITOR.search(value)
        ):
            m = BYLINE.match(value)
            name = without_organisation(m.group(1).strip()) if m else given_name_first(value)
            return person_part(name)  # "本报记者 王小明": the person
    return None


def _site_names(page: Page) -> set[str]:
    """The site's names as the page declares them (og:site_name, JSON-LD publisher),
    lower-cased."""
    names = [page.meta("og:site_name", "application-name")]
    names += [ld_name(i.get("publisher")) for i in ld_articles(page.ld)]
    return {n.lower() for n in names if n}


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
        return name if person_like(name) else None  # the first author's link decides
    for name in _link_names(page, _MEMBER_PAGE):
        if person_like(name) and not _MENU_WORDS.search(name):
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
    m = EDITOR.search(page.flat_text)
    return m.group(1) if m else None


# "王小明的博客", "王小明的新浪博客", "王小明的专栏", "王小明的个人空间": the owner's pages
_BREADCRUMB = re.compile(r"[>»›]")
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
