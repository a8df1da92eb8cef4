"""What a person's name looks like in a Latin or Cyrillic byline, and how a name found
there is cleaned: what stands before it (``By``), after it (a date, a place, a role, a
byline's marks, an organisation, the sentence that follows), and what is no one's name (a
link's or a label's words, a weekday, a site's account).

The names found are :mod:`digest.scraper.authors`' (the steps, the declared sources),
:mod:`digest.scraper.author_markup`'s (the elements marked as the author's) and
:mod:`digest.scraper.byline_names`' (the byline's text). What a Chinese credit calls a
person is :mod:`digest.scraper.zh_names`' question.
"""

from __future__ import annotations

import re

from digest.text.months import MONTH_NAME

# A link's or a label's words where a name was looked for: "该作者…", "View Profile",
# "About Us", "Log in", "Powered by WordPress", "Article by" (with no name after it)
LABEL_WORDS = re.compile(
    r"作者文章|该作者|更多文章|所有文章"
    r"|\b(?:view|profile|comments|about (?:us|author)|log ?in|log-?out|register|powered by)\b"
    r"|google ?\+|\bby\s*:?$",
    re.I,
)


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


def tidy(name: str) -> str:
    """A name found by a step without a "By" before it (``By Jane Doe``, ``Written by: Jane
    Doe``, the marks or date a byline sets before that: ``_BY_WORD``), the date after it
    (``Jane Doe on Nov 1st 2012``, ``Jane Doe / November 13, 2012``), the place written from
    (``Jane Doe in London``), the role after it (``Jane Doe, Staff Writer``: ``_ROLE_AFTER``,
    when the name has two words at least) and the marks a byline leaves after it (``Jane
    Doe •``, ``Jane Doe,``, ``Jane Doe.``); an initial keeps its full stop (``Jimmy M.``)."""
    name = _BY_WORD.sub("", name)
    name = _IN_PLACE.sub(r"\1", _DATE_AFTER.sub("", name))
    if (m := _ROLE_AFTER.search(name)) and len(name[: m.start()].split()) >= 2:
        name = name[: m.start()]
    return _TRAILING_MARKS.sub("", name)


def no_one(name: str) -> bool:
    """A word alone that names no one (``Friday``, ``March``, ``Today``, ``Agencies``:
    ``_NO_ONE``)."""
    return bool(_NO_ONE.fullmatch(name))


def site_account(name: str) -> bool:
    """A site's account, no person's (``admin``, ``Site Admin``, ``webmaster``: ``_ACCOUNT``)."""
    return bool(_ACCOUNT.fullmatch(name))


def person_like(text: str) -> bool:
    """A name: short, no digits, a few words, not a label (``Author``, ``Posted by``) nor a
    link's or a label's words (``View Profile``, ``About Us``, ``Log in``, ``Powered by``:
    ``LABEL_WORDS``), not capitalised words with a word in lower case among them
    (``Leaves for Crafting``; ``and`` and a surname's particle aside: ``Jane van Doe``)."""
    if not 2 <= len(text) <= 40 or re.search(r"\d|[:：@|/]", text):
        return False
    if text.lower() in ("by", "author", "authors", "written by", "作者", "posted by"):
        return False
    if LABEL_WORDS.search(text) or _LOWER_WORD.search(text):
        return False
    return len(text.split()) <= 5 and not text.islower()


# A word in lower case that no name has between its capitalised words ("Leaves for
# Crafting", "Top results"): not "and", nor a surname's particle ("van", "de", "bin")
_LOWER_WORD = re.compile(
    r"(?<![\w'’.-])(?!(?:and|de|van|von|der|den|la|le|du|da|di|del|dos|bin|al|y|e|et|und)\b)"
    r"[a-z]+(?![\w'’.-])"
)


def sentence_end(name: str) -> str:
    """A name without the sentence after the full stop that ends it (``Nicholas Holmes.
    Nicholas is…``); an initial's full stop (``John Q. Roe``, ``Jr.``) goes on."""
    m = re.match(r"(\S+\s.*?[a-z]{2})\.\s", name)  # (not a first word's: "Mrs. Jane Doe")
    return m.group(1) if m else name


def once(name: str) -> str:
    """A name shown twice in a row, once (``Lisa de Moraes Lisa`` -> ``Lisa de Moraes``)."""
    words = name.split()
    for k in range(1, len(words)):
        if len(words) - k <= k and words[k:] == words[: len(words) - k]:
            return " ".join(words[:k])  # what follows the first k words repeats them
    return name


_CAPITALS = re.compile(r"[A-Z][A-Z.'’-]+,?")


def without_organisation(name: str) -> str:
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


# "Doe, Jane", "Doe, Jane Q.": a surname, a comma and given names, the order of library
# catalogues that Dublin Core's creator, Highwire's citation_author and Parse.ly follow
_SURNAME_FIRST = re.compile(r"([A-Z][\w'’-]+), ((?:[A-Z][a-z][\w'’-]*)(?: [A-Z][\w'’.-]*)?)")


def given_name_first(name: str) -> str:
    """A name written surname first, as the reader says it (``Doe, Jane`` -> ``Jane Doe``);
    other names, two people among them (``Jane Doe, John Roe``), as they are."""
    m = _SURNAME_FIRST.fullmatch(name)
    return f"{m.group(2)} {m.group(1)}" if m else name
