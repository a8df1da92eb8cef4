"""Chinese, Japanese and Korean text: the character ranges, each named and defined once.

Every range is a string ready to go inside a regular-expression class (``f"[{HAN}]"``).
The named ranges are Unicode blocks (or the parts of them we need); the classes the code
asks about are made from them:

* :data:`CJK`: East Asian text written without spaces between words, letters and their
  punctuation. A space or line break between two of these is an artefact of wrapping.
* :data:`CJK_LETTERS`: the letters read one character at a time. Each counts as a word
  (reading time, summary budgets) and runs of them are cut into pairs (bigrams).
* :data:`HAN`: Chinese characters alone, for the questions only Chinese answers: pinyin,
  "is this page in Chinese?".

Every range is in the Basic Multilingual Plane. The rare ideographs above it (Extension B
and later) are left out: the search script in ``digest/theme/static/search.js`` uses the
same ranges in JavaScript regular expressions without the ``u`` flag, which cannot hold
them.
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""CJK Unified Ideographs, Extension A and Compatibility Ideographs: every Chinese
character in common use, and the kanji and hanja of Japanese and Korean."""

KANA = "\u3040-\u30ff"
"""Hiragana and katakana (with the long-vowel mark ー and the middle dot ・)."""

HANGUL = "\uac00-\ud7af"
"""Hangul syllables. Not in :data:`CJK`: Korean puts spaces between words."""

BOPOMOFO = "\u3100-\u312f"
"""Zhuyin, the phonetic letters of Taiwanese Mandarin teaching."""

RADICALS = "\u2e80-\u2eff\u2f00-\u2fdf"
"""The CJK Radicals Supplement and Kangxi Radicals (⺮, ⼈), which text sometimes uses in
place of the ideographs that look the same."""

CJK_PUNCTUATION = "\u3000-\u303f"
"""CJK Symbols and Punctuation: the ideographic space, 、。〈〉《》「」『』【】〔〕 and
the like."""

FULLWIDTH = "\uff00-\uffef"
"""Halfwidth and Fullwidth Forms: Chinese ，！？：；（） and full-width Latin letters and
digits, with half-width katakana."""

VERTICAL_FORMS = "\ufe30-\ufe4f"
"""CJK Compatibility Forms: punctuation for vertical text (︵︶﹁﹂)."""

SHARED_PUNCTUATION = "\u2018\u2019\u201c\u201d\u2014\u2026"
"""‘’“”—…: punctuation Chinese and English text share, so they say nothing about which
language they sit in; only the letters around them do."""

FULLWIDTH_PUNCTUATION = "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\uffe0-\uffee"
"""The punctuation and symbols of :data:`FULLWIDTH` (，！？：；（）［］｛｝～｢｣､￥), not
its letters, digits or kana."""

SMALL_FORMS = "\ufe50-\ufe6f"
"""Small Form Variants: ﹐﹑﹔﹖ and the like, small commas and stops of Chinese text."""

CJK = HAN + KANA + BOPOMOFO + RADICALS + CJK_PUNCTUATION + FULLWIDTH + VERTICAL_FORMS
"""East Asian text written without spaces between words: Chinese and Japanese letters
and their punctuation (not Hangul, whose text is spaced)."""

CJK_LETTERS = HAN + KANA
"""The letters read one at a time: each is about a word's worth of reading."""

CJK_MARKS = CJK_PUNCTUATION + FULLWIDTH_PUNCTUATION + VERTICAL_FORMS + SMALL_FORMS
"""The punctuation of East Asian text, set full width (、。，；：！？「」『』（）《》〈〉【】):
it carries its own spacing, so a line break on either side of it is an artefact of
wrapping, whatever stands on the other side: a CJK letter, a Latin word or code."""

NO_SPACE_AFTER = "，。、；：！？）」』】"
"""Full-width marks that end a clause or close a bracket: they are wide and carry their
own spacing, so a space after them is an artefact of wrapping."""

NO_LINE_START = NO_SPACE_AFTER + "〉》”’…—,.;:!?)]}%"
"""Marks that never start a line (they belong to the character before them): the rule
of East Asian line breaking (kinsoku), English closing punctuation added."""

CJK_RE = re.compile(f"[{CJK}]")
CJK_MARK_RE = re.compile(f"[{CJK_MARKS}]")
CJK_LETTER_RE = re.compile(f"[{CJK_LETTERS}]")
CJK_LETTER_RUN_RE = re.compile(f"[{CJK_LETTERS}]+")
HAN_RE = re.compile(f"[{HAN}]")
HAN_RUN_RE = re.compile(f"[{HAN}]+")


def is_cjk(char: str) -> bool:
    """True when ``char`` (one character) is in :data:`CJK`; False for an empty string."""
    return CJK_RE.match(char) is not None


def is_cjk_letter(char: str) -> bool:
    """True when ``char`` (one character) is in :data:`CJK_LETTERS`; False for ``""``."""
    return CJK_LETTER_RE.match(char) is not None


def has_cjk_letters(text: str) -> bool:
    """True when ``text`` holds at least one Chinese or Japanese letter."""
    return CJK_LETTER_RE.search(text) is not None


def count_cjk_letters(text: str) -> int:
    """The number of Chinese and Japanese letters in ``text`` (counted by runs: a list of
    every letter costs four times as much on a Chinese page)."""
    return sum(map(len, CJK_LETTER_RUN_RE.findall(text)))


def count_han(text: str) -> int:
    """The number of Chinese characters in ``text`` (by runs, as above)."""
    return sum(map(len, HAN_RUN_RE.findall(text)))


def _past_shared(text: str, i: int, step: int) -> str:
    """The first character from ``text[i]`` on, going by ``step`` (-1 back, 1 on), that is
    not :data:`SHARED_PUNCTUATION` (the last one of the text if all are)."""
    while 0 <= i + step < len(text) and text[i] in SHARED_PUNCTUATION:
        i += step
    return text[i]


def is_cjk_mark_at(text: str, i: int, step: int) -> bool:
    """True when ``text[i]`` is punctuation of East Asian text: one of :data:`CJK_MARKS`, or
    shared punctuation (“”‘’—…) whose text, past it going by ``step``, is CJK (``好”``
    looking back, ``“好`` looking on; not ``Go”``)."""
    char = text[i]
    if char in SHARED_PUNCTUATION:
        return is_cjk(_past_shared(text, i, step))
    return CJK_MARK_RE.match(char) is not None


def break_vanishes(text: str, left: int, right: int) -> bool:
    """True when a line break between ``text[left]`` and ``text[right]`` is an artefact of
    wrapping rather than a space between words: next to East Asian punctuation on either
    side (``设计。`` | ``This``, ``Go`` | ``（语言）``), or between two CJK characters (shared
    punctuation between them siding with the letters around it). A break between a CJK
    letter and a Latin word stays a space, as Chinese typesetting puts one there."""
    if is_cjk_mark_at(text, left, -1) or is_cjk_mark_at(text, right, 1):
        return True
    sides = text[left] + text[right]
    if not all(is_cjk(c) or c in SHARED_PUNCTUATION for c in sides):
        return False
    return is_cjk(_past_shared(text, left, -1)) or is_cjk(_past_shared(text, right, 1))
