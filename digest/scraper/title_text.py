"""How a title's text compares with another's, and a title without the parts that name
the site: pure functions of strings, which :mod:`digest.scraper.titles` decides the
article's title with (the page, its headline and its declared titles are read there).

- :func:`agrees`: the headline is the other title, or a good part of it;
- :func:`retold`: the headline says what the other says in other words;
- :func:`reworded`: the other is the headline with more careful punctuation;
- :func:`strip_site_suffix`: a title without the parts that name the site or the author.
"""

from __future__ import annotations

import re

from digest.scraper.headings import words
from digest.scraper.site_names import name_like, names_host, split_title


def agrees(shown: str, other: str) -> bool:
    """The headline shown is the other title, a good part of it (``Title | Site``), or
    one of its parts after the first (``Artist – Song``); letter case, and quotes
    straight or curly, aside."""
    a, b = (" ".join(t.translate(_STRAIGHT).split()).lower() for t in (shown, other))
    later_parts = [p.strip() for p in split_title(b)[1:]]
    return a == b or (a in b and len(a) >= len(b) / 3) or (bool(a) and a in later_parts)


# The share of the longer title's words the other must have to retell it: on the dev half,
# the headlines whose og:title says the same in other words shared 57-83% of the longer's
# words (mercury: 4 pages, each person's title the headline); the marked headline that is
# another title than og:title (readability's citylab-1, whose gold is og:title) 22%.
RETOLD_SHARE = 0.5


def retold(shown: str, declared: str) -> bool:
    """The headline tells what the declared title tells in other words (``China snubs X``
    for ``Kashmir issue: China snubs X``): it holds every word of it, or the two share at
    least half the longer one's words, not a topic or a section named in the title."""
    wa, wb = words(shown), words(declared)
    shared = len(wa & wb)
    if wb and wb <= wa:
        return True
    return shared >= 2 and shared >= RETOLD_SHARE * max(len(wa), len(wb))


def reworded(shown: str, declared: str | None) -> bool:
    """The declared title is the headline with other punctuation, and is to be preferred:
    the same words, not only other letter case (``Powered By`` for the headline's
    ``Powered by``), and the headline has no more typographic quotes than it (of the two,
    the one with typographic quotes wins: :func:`_curly`)."""
    if declared is None or not _same_words(shown, declared):
        return False
    return shown.lower() != declared.lower() and _curly(shown) <= _curly(declared)


_STRAIGHT = str.maketrans("‘’“”", "''\"\"")


def _curly(text: str) -> int:
    """How many typographic quotes ``text`` has: of two titles with the same words, the
    one with more was written with more care (``Let’s`` over ``Let's``)."""
    return sum(text.count(q) for q in "‘’“”")


def _same_words(a: str, b: str) -> bool:
    """The same words: one title with other punctuation (``Acme’s ATF - a design`` and
    ``Acme ATF: a design``), not one with a word more (``Opinion | Title``)."""
    wa, wb = ({w for w in words(t) if len(w) > 1} for t in (a, b))  # "Acme’s": acme, s
    return bool(wa) and wa == wb


def strip_site_suffix(
    text: str, site: str | None, shown: str = "", hosts: frozenset[str] = frozenset()
) -> str:
    """``深入理解调度器 - 某某博客`` -> ``深入理解调度器``.

    Segments naming the site (its name or its host) and a ``by Author`` segment are
    dropped, wherever they are; then the first segment is kept when it is the longest and
    the rest are short like names. When the site's name opens the title
    (``Site - Section - Title``, a breadcrumb's order), the last segment is kept when it is
    the longest and the rest are short like names. A separator whose every side the
    headline ``shown`` says is the title's own, and stays.
    """
    text = " ".join(text.split())
    if site and (start := _closing_name(text, site)):
        text = text[:start]  # "标题-CSDN博客", "标题:某某日誌", "Title [Site]"
    opened = bool(site and text.startswith(site) and (m := _OPENS.match(text, len(site))))
    if opened and m:
        text = text[m.end() :].lstrip(" |:：")  # "Blog Name: Title", "Site.com :: Title"
    text = text.lstrip(" »›")  # "» Title :blog" once the blog's name is gone
    parts = [p for p in split_title(text) if p.strip()]
    if len(parts) < 2 or (shown and _all_in(parts, shown)):
        return text  # every part is in the headline: a separator of the title's own

    def names_site(part: str) -> bool:
        lowered = part.lower()
        if site and (lowered in site.lower() or (site.lower() in lowered and name_like(part))):
            return True
        return names_host(part, hosts) or _BY.match(part) is not None

    kept = [p for p in parts if not names_site(p)] or parts
    head = kept[0]
    # "Title | Section | Site": the first segment is the title when it is the longest part.
    longest = len(kept) > 1 and len(head) >= max(len(p) for p in kept[1:])
    if longest and (len(kept) < len(parts) or all(name_like(p) for p in kept[1:])):
        return head
    # "Site - Section - Title", a breadcrumb's order: the last segment is the title when
    # the site's name opens the <title>, the last is the longest and the rest are names.
    tail, crumbs = kept[-1], kept[:-1]
    if (opened or names_site(parts[0])) and crumbs and len(tail) >= max(len(p) for p in crumbs):
        return tail if all(name_like(p) for p in crumbs) else _join_kept(text, kept)
    return _join_kept(text, kept) if len(kept) < len(parts) else text


# What goes between a title and the site's name closing it ("Title - Site", "Title [Site]"),
# and after the name opening it ("Site: Title"). Searched for beside the name rather than in
# a pattern holding the name: a pattern a page, compiled each time, cost more than the rest
# of the function, and pushed the constant patterns out of re's cache.
_BEFORE_NAME = re.compile(r"\s*[-_|｜–—:：]+\s*\Z")
_BEFORE_BRACKETED = re.compile(r"\s*[\[【(（]\Z")
_OPENS = re.compile(r"\s*[:：]\s*(?=\S)")
_BY = re.compile(r"(?i)by\s")


def _closing_name(text: str, site: str) -> int:
    """Where the site's name, after a separator or in brackets, closes ``text`` (0: it
    does not, or it is the whole text)."""
    found = []
    if text.endswith(site) and (m := _BEFORE_NAME.search(text, 0, len(text) - len(site))):
        found.append(m.start())
    bracketed = text[-1:] != "" and text[-1] in "]】)）" and text[:-1].endswith(site)
    if bracketed and (m := _BEFORE_BRACKETED.search(text, 0, len(text) - 1 - len(site))):
        found.append(m.start())
    return min(found, default=0)


def _all_in(parts: list[str], headline: str) -> bool:
    """Most words of each part are in the headline (``Acme’s ATF - a design`` and
    ``Acme ATF: a design``)."""
    shown = words(headline)
    return all(len(words(p) & shown) >= 0.5 * len(words(p)) for p in parts)


def _join_kept(text: str, kept: list[str]) -> str:
    start = text.index(kept[0])
    end = text.index(kept[-1], start) + len(kept[-1])
    return text[start:end].strip()
