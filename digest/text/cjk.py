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
and later) are left out: the search script in ``templates/static/search.js`` uses the
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

CJK = HAN + KANA + BOPOMOFO + RADICALS + CJK_PUNCTUATION + FULLWIDTH + VERTICAL_FORMS
"""East Asian text written without spaces between words: Chinese and Japanese letters
and their punctuation (not Hangul, whose text is spaced)."""

CJK_LETTERS = HAN + KANA
"""The letters read one at a time: each is about a word's worth of reading."""

NO_SPACE_AFTER = "，。、；：！？）」』】"
"""Full-width marks that end a clause or close a bracket: they are wide and carry their
own spacing, so a space after them is an artefact of wrapping."""

NO_LINE_START = NO_SPACE_AFTER + "〉》”’…—,.;:!?)]}%"
"""Marks that never start a line (they belong to the character before them): the rule
of East Asian line breaking (kinsoku), English closing punctuation added."""

CJK_RE = re.compile(f"[{CJK}]")
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
    """The number of Chinese and Japanese letters in ``text``."""
    return len(CJK_LETTER_RE.findall(text))


def count_han(text: str) -> int:
    """The number of Chinese characters in ``text``."""
    return len(HAN_RE.findall(text))
