"""Extractive summaries: the page's own lead and central sentences, within a length budget.

1. Clean: fenced code blocks and lines that look like raw code are dropped (the scraper keeps
   code as plain lines), then each line (one block per line) is split into sentences. A CJK
   terminator ends a sentence at once; a Latin one only before whitespace and a capital, CJK,
   quote or digit, so decimals, versions, URLs, inline code and abbreviations hold together.
2. Filter: boilerplate (阅读原文, cookie banners, newsletter prompts...), repeats of the title
   and fragments too short to be sentences (headings, captions) are not candidates.
3. Score: a lead bonus plus TextRank centrality (Mihalcea & Tarau 2004): PageRank over a graph
   whose edges weigh the CJK bigrams and Latin content words two sentences share.
4. Select: best first while they fit the budget, printed in source order. Length counts each
   CJK character and each Latin word as one, so mixed text is measured fairly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from digest.text.cjk import (
    CJK,
    CJK_LETTER_RUN_RE,
    count_cjk_letters,
    has_cjk_letters,
    is_cjk_letter,
)
from digest.text.fences import code_lines

# CJK letters and punctuation, curly quotes and "…" separate words like spaces do.
_WORD_RE = re.compile(f"[^\\s{CJK}\u2018-\u201f\u2026]+")
_CJK_STOPS = "。！？；"
_TERMINATORS = _CJK_STOPS + "….!?"
_CLOSERS = "”’\"')）]】」』》〉"
_OPENERS = "“‘\"'(（[【「『《〈"
_QUOTES = tuple("“‘\"'「『")
_MIN_UNITS = 4  # shorter "sentences" are headings, captions or asides, not summaries

# Inline code and URLs: no terminator inside them ends a sentence.
_PROTECTED_RE = re.compile(
    r"`[^`\n]+`"
    rf"|(?:https?://|www\.)[^\s{CJK}<>\"“”‘’]+"
)
# Never end a sentence, even before a capital: "e.g. Python", "Mr. Smith", "Rust vs. Go".
_ABBREVIATIONS = frozenset({"e.g", "i.e", "mr", "mrs", "ms", "dr", "prof", "vs", "cf", "fig"})

_CODE_START_RE = re.compile(
    r"\s*(?:(?:def|class|import|from|return|if|elif|else|for|while|try|except|with|const|let"
    r"|var|function|fn|func|pub|public|private|package|use|async|await|print|echo)\b"
    r"|\$ |>>> |//|/\*|#include|@\w)"
)
_ASSIGNMENT_RE = re.compile(r"\s*[A-Za-z_][\w.\[\]\"']*\s*[-+*/|&]?=(?!=)")
_CODE_END_RE = re.compile(r"(?:[{};]|(?<![.!?])\))\s*$")
_CODE_SYMBOLS = frozenset("=(){}[];<>")

# Sentences that belong to the page's chrome, not its content: WeChat prompts (阅读原文,
# 公众号, 二维码, 点赞/在看/转发), reprint and copyright notices, cookie banners, newsletter
# prompts, "read more" links and image captions. Searched case-insensitively in each sentence;
# the ^-anchored ones only at its start, where they are prompts rather than prose.
_BOILERPLATE: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"阅读原文|查看原文",
        r"关注.{0,8}公众号|公众号.{0,8}关注",
        r"长按.{0,6}二维码|扫码关注|扫描.{0,4}二维码",
        r"点(?:个|一下)?(?:赞|在看)|(?:请|欢迎|记得|随手|顺手).{0,4}(?:转发|分享|点赞)",
        r"本文首发于|转载请(?:注明|联系)|未经.{0,12}(?:授权|许可).{0,8}(?:转载|使用)",
        r"版权所有|版权归.{0,16}所有|all rights reserved|©|\(c\)\s*\d{4}|^\s*copyright\b",
        r"\bwe use cookies\b|\baccept (?:all )?cookies\b|\buses cookies\b"
        r"|\bcookie (?:policy|settings)",
        r"\bsubscribe to (?:our|the|my) newsletter|^\s*sign up for\b"
        r"|订阅.{0,6}(?:邮件|周刊|newsletter)",
        r"^\s*(?:share this|read more|learn more|continue reading|click here|阅读更多|阅读全文"
        r"|点击查看|查看更多|了解更多|相关阅读|推荐阅读|往期回顾)",
        r"\bthanks? (?:you )?for reading\b|感谢(?:您的)?阅读",
        r"^\s*(?:image|photo|figure|fig\.|图片?|题图|来源|source|credit|via)\s*\d*\s*[:：]",
    )
)

_STOPWORD_TEXT = (
    "a an and are as at be been but by can do for from had has have he her his i if in into is"
    " it its not of on or our she so than that the their them then there these they this to was"
    " we were what when which who will with you your 我们 一个 这个 可以 进行 没有 他们 因为 所以"
    " 但是 如果 就是 这些 已经 之后 时候"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_LATIN_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[.'+#-][a-z0-9]+)*")
_MAX_GRAPH = 150  # TextRank is O(n²); leads matter most, so long pages are cut off here


@dataclass(frozen=True)
class _Sentence:
    text: str
    block: int  # the line it came from: the first line is the lead paragraph
    length: int


def text_length(text: str) -> int:
    """Budget length of ``text``: one per CJK character plus one per Latin word or number."""
    cjk = count_cjk_letters(text)
    return cjk + sum(any(c.isalnum() for c in w) for w in _WORD_RE.findall(text))


def split_sentences(text: str) -> list[str]:
    """The sentences and fragments of ``text`` in order, code blocks and code lines dropped."""
    return [sentence for line in _prose_lines(text) for sentence in _split_line(line)]


def budget_for(text: str, *, lang: str | None, budget_cjk: int, budget_words: int) -> int:
    """The budget of a summary of ``text``: ``budget_cjk`` for mainly-CJK text (``lang``
    zh/ja, or by its characters when ``lang`` is None), else ``budget_words``."""
    return budget_cjk if _mainly_cjk(text, lang) else budget_words


def summarize(
    text: str,
    *,
    lang: str | None = None,
    budget_cjk: int = 120,
    budget_words: int = 50,
    title: str | None = None,
) -> str:
    """An extractive summary of ``text`` within the budget, or "" when no sentence fits.

    Mainly-CJK text (``lang`` zh/ja, or by its characters when ``lang`` is None) gets
    ``budget_cjk`` units, other text ``budget_words``; see :func:`text_length`.
    """
    budget = budget_for(text, lang=lang, budget_cjk=budget_cjk, budget_words=budget_words)
    sentences, seen = [], set()
    for block, line in enumerate(_prose_lines(text)):
        for part in _split_line(line):
            key = _normalise(part)
            if key and key not in seen and not _is_boilerplate(part) and not _repeats(key, title):
                seen.add(key)
                sentences.append(_Sentence(part, block, text_length(part)))
    ended = [s for s in sentences if _ends_sentence(s.text)]
    if not ended:  # no sentence end at all: the text is one sentence, whole or nothing
        whole = _join([s.text for s in sentences])
        return whole if whole and text_length(whole) <= budget else ""
    if sum(s.length for s in ended) <= budget:
        return _join([s.text for s in ended])
    candidates = [s for s in ended if s.length >= _MIN_UNITS][:_MAX_GRAPH] or ended[:_MAX_GRAPH]
    scores = _scores(candidates)
    chosen: list[int] = []
    used = 0
    for index in sorted(range(len(candidates)), key=lambda i: -scores[i]):
        if used + candidates[index].length <= budget:
            chosen.append(index)
            used += candidates[index].length
    return _join([candidates[i].text for i in sorted(chosen)])


def is_prose_description(
    description: str | None, *, title: str | None, site_name: str | None
) -> bool:
    """Whether a page's meta description is real prose, worth using as its summary.

    Not: empty, a "read more" link, the site's slogan, a repeat of the title (or of title
    plus site name), a keyword list, or a short phrase with no sentence end.
    """
    text = (description or "").strip()
    norm = _normalise(text)
    if not norm or _is_boilerplate(text):
        return False
    site, head = _normalise(site_name or ""), _normalise(title or "")
    if site and (norm in site or SequenceMatcher(None, norm, site).ratio() >= 0.8):
        return False
    if head and (norm in head or not norm.replace(head, "").replace(site or head, "")):
        return False
    has_end = any(_ends_sentence(s) for s in _split_line(text))
    cjk = _mainly_cjk(text, None)
    if not has_end and text_length(text) < (12 if cjk else 6):
        return False
    parts = [p for p in re.split(r"[,，、;；|]", text) if p.strip()]
    short = 6 if cjk else 3
    return has_end or len(parts) < 3 or any(text_length(p) > short for p in parts)


def _prose_lines(text: str) -> list[str]:
    # An unclosed fence drops the rest: it is code to the end.
    return [
        raw.strip()
        for raw, in_code in code_lines(text.splitlines())
        if not in_code and raw.strip() and not _looks_like_code(raw)
    ]


def _looks_like_code(line: str) -> bool:
    if has_cjk_letters(line):
        return False  # code comments and strings in Chinese are rarer than prose
    prose_end = line.rstrip().endswith((".", "!", "?"))
    if _CODE_END_RE.search(line) or (
        not prose_end and (_CODE_START_RE.match(line) or _ASSIGNMENT_RE.match(line))
    ):
        return True
    chars = [c for c in line if not c.isspace()]
    symbols = sum(c in _CODE_SYMBOLS for c in chars)
    return symbols >= 3 and symbols >= 0.15 * len(chars)


def _protected(line: str) -> list[bool]:
    mask = [False] * len(line)
    for match in _PROTECTED_RE.finditer(line):
        start, end = match.span()
        if not match.group().startswith("`"):
            # Sentence punctuation after a URL is not part of it; a ")" is, when it is paired.
            while end > start and (
                line[end - 1] in ".,;:!?'"
                or (
                    line[end - 1] == ")"
                    and line.count("(", start, end) < line.count(")", start, end)
                )
            ):
                end -= 1
        mask[start:end] = [True] * (end - start)
    return mask


def _split_line(line: str) -> list[str]:
    mask, parts, start, i = _protected(line), [], 0, 0
    while i < len(line):
        if line[i] not in _TERMINATORS or mask[i]:
            i += 1
            continue
        end = i
        while end < len(line) and line[end] in _TERMINATORS and not mask[end]:
            end += 1
        after = end
        while after < len(line) and line[after] in _CLOSERS:
            after += 1
        if _breaks(line, start, i, end, after):
            parts.append(line[start:after].strip())
            start = after
        i = after
    parts.append(line[start:].strip())
    return [p for p in parts if p]


def _breaks(line: str, start: int, run: int, end: int, after: int) -> bool:
    """Whether the terminators ``line[run:end]``, closers up to ``after``, end a sentence."""
    rest = line[after:]
    if not rest.strip():
        return True
    terminators = line[run:end]
    if any(c in _CJK_STOPS for c in terminators) or (
        set(terminators) == {"…"} and is_cjk_letter(line[run - 1 : run])
    ):
        # “你好！”他说。 -- a quote opening its sentence is followed by its attribution.
        opened = line[start:run].lstrip()[:1] in _QUOTES
        return not (after > end and opened and not rest[0].isspace() and rest[0] not in _OPENERS)
    if is_cjk_letter(rest[0]):
        return True
    if not rest[0].isspace():
        return False  # 3.14, v2.0.1, example.com, "Hello!"she said
    if terminators == ".":
        word = re.search(r"[A-Za-z.]+$", line[start:run])
        token = word.group() if word else ""
        initial = len(token) == 1 and token.isupper()  # J. R. R. Tolkien
        if initial or token.lower() in _ABBREVIATIONS or re.fullmatch(r"(?:\w\.)+\w", token):
            return False  # e.g., U.S., Mr.
    following = rest.lstrip()[0]
    return (
        following.isupper()
        or following.isdigit()
        or following in _OPENERS
        or is_cjk_letter(following)
    )


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in tuple(_TERMINATORS)


def _join(parts: list[str]) -> str:
    """No space after a CJK sentence end, one after a Latin one or a fragment."""
    out = ""
    for part in parts:
        core = out.rstrip(_CLOSERS)
        cjk_end = core[-1:] in tuple(_CJK_STOPS) or (
            core.endswith("…") and is_cjk_letter(core.rstrip("…")[-1:])
        )
        out += part if not out or cjk_end else " " + part
    return out


def _mainly_cjk(text: str, lang: str | None) -> bool:
    if lang:
        return lang.lower().startswith(("zh", "ja"))
    total = text_length(text)
    return total > 0 and count_cjk_letters(text) * 2 >= total


def _normalise(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _is_boilerplate(sentence: str) -> bool:
    return any(pattern.search(sentence) for pattern in _BOILERPLATE)


def _repeats(key: str, title: str | None) -> bool:
    head = _normalise(title or "")
    return bool(head) and key in head


def _tokens(sentence: str) -> frozenset[str]:
    words = set(_LATIN_TOKEN_RE.findall(sentence.lower()))
    for run in CJK_LETTER_RUN_RE.findall(sentence):
        words.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return frozenset(words - _STOPWORDS)


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    shared = len(a & b)
    # TextRank's normalisation; +1 keeps a one-token sentence from dividing by log 1 = 0.
    return shared / (math.log(len(a) + 1) + math.log(len(b) + 1)) if shared else 0.0


def _centrality(tokens: list[frozenset[str]], iterations: int = 40) -> list[float]:
    """PageRank (damping 0.85) over the weighted similarity graph, scaled to a maximum of 1."""
    n = len(tokens)
    weights = [
        [_similarity(a, b) if i != j else 0.0 for j, b in enumerate(tokens)]
        for i, a in enumerate(tokens)
    ]
    totals = [sum(row) for row in weights]
    scores = [1.0 / n] * n
    for _ in range(iterations):
        scores = [
            0.15 / n
            + 0.85 * sum(weights[j][i] / totals[j] * scores[j] for j in range(n) if totals[j])
            for i in range(n)
        ]
    top = max(scores)
    return [s / top for s in scores]


def _scores(candidates: list[_Sentence]) -> list[float]:
    """Centrality plus position: earlier is better, and the lead paragraph better still."""
    centrality = _centrality([_tokens(s.text) for s in candidates])
    lead = candidates[0].block
    return [
        0.5 * centrality[i] + 1 / math.sqrt(1 + i) + (0.2 if s.block == lead else 0.0)
        for i, s in enumerate(candidates)
    ]
