"""Bytes -> text with the right charset, so no page ever turns into ``??榛哪诤思芄?``.

Declarations are often wrong (an ``iso-8859-1`` default from the server over a GBK page,
a template's ``utf-8`` over bytes saved as GBK, ``gb2312`` on a Big5 page), so the bytes
have the last word. In order: a byte-order mark; UTF-16 without one, which every other
character's NUL byte shows (:func:`utf16_order`); pure ASCII as declared; bytes that are
valid UTF-8 (which GBK or Big5 text almost never is) as UTF-8; then GB18030 or Big5,
whichever reads the bytes as ordinary Chinese (a declared one if it is as good; a few
stray bytes forgiven and left out); then declared UTF-8 when the bytes hold more of it
than bytes that are not (the few strays left out too); then a
declared charset (the HTTP ``charset``, then ``<meta charset>`` or ``http-equiv``;
multi-byte before single-byte, which decodes anything) that decodes cleanly; then
detection (``charset-normalizer``). GB2312 and GBK are read as their superset GB18030,
and ISO-8859-1 as windows-1252, as browsers do.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "big5": "big5hkscs",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def utf16_order(body: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for UTF-16 without its byte-order mark (a server's
    ``charset=utf-16`` alone says it), else None: markup's ASCII in UTF-16 puts a NUL
    byte in every other place, on one side. A stray NUL in an old page's text, or a
    binary file's, does not."""
    start = body[:4096]
    nuls = start.count(0)
    if nuls < max(4, len(start) // 10):  # (a page of Chinese has its markup's NULs)
        return None
    odd = start[1::2].count(0)
    if odd >= 0.9 * nuls:
        return "utf-16-le"
    return "utf-16-be" if nuls - odd >= 0.9 * nuls else None


_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")


@dataclass(frozen=True)
class Decoded:
    """Text, the codec that produced it, and where the codec came from."""

    text: str
    encoding: str
    source: str  # "bom", "http", "meta", "detected" or "fallback"


def canonical_charset(name: str | None) -> str | None:
    """The Python codec for a declared charset, or None if it is unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name (a file can hold one)
        return None


def declared_charset(body: bytes) -> str | None:
    """The charset the document declares in its first 4 KB (meta or XML declaration)."""
    head = body[:4096]
    m = _META.search(head) or _XML_DECL.search(head)
    return m.group(1).decode("ascii") if m else None


def _single_byte(codec: str) -> bool:
    """A charset of one byte a character (it decodes anything, so it is weak evidence)."""
    high = bytes(range(0x80, 0x100))
    return len(high.decode(codec, errors="replace")) == len(high)


def decode_body(body: bytes, http_charset: str | None = None) -> Decoded:
    """Decode ``body`` by the order in the module docstring."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(codec, errors="replace"), codec, "bom")
    if order := utf16_order(body):
        return Decoded(body.decode(order, errors="replace"), order, "detected")
    declared = [
        (codec, source)
        for codec, source in (
            (canonical_charset(http_charset), "http"),
            (canonical_charset(declared_charset(body)), "meta"),
        )
        if codec and _ascii_compatible(codec)
    ]
    if body.isascii():  # every ASCII-compatible charset reads it the same
        codec, source = declared[0] if declared else ("utf-8", "detected")
        return Decoded(body.decode("ascii"), codec, source)
    said = dict(declared[::-1])  # codec -> where it was declared (the header's word first)
    try:  # valid UTF-8 with non-ASCII bytes in it is UTF-8, whatever the page says
        return Decoded(body.decode("utf-8"), "utf-8", said.get("utf-8", "detected"))
    except UnicodeDecodeError:
        pass
    # Japanese and Korean multi-byte charsets, when declared, are taken if they decode
    # cleanly (EUC-KR's Hangul reads as common Chinese in GBK), then Chinese, then the rest.
    for codec, source in declared:
        multi_byte = codec not in _CHINESE and not _single_byte(codec)
        if multi_byte and (text := _strict(body, codec)) is not None:
            return Decoded(text, codec, source)
    if chinese := _chinese(body, said):
        return chinese
    if "utf-8" in said and (text := _mostly_utf8(body)) is not None:
        return Decoded(text, "utf-8", said["utf-8"])
    for codec, source in declared:
        if _single_byte(codec) and (text := _strict(body, codec)) is not None:
            return Decoded(text, codec, source)
    best = from_bytes(body[:200_000]).best()
    codec = canonical_charset(best.encoding if best else None) or "utf-8"
    if (text := _strict(body, codec)) is not None:
        return Decoded(text, codec, "detected")
    return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "fallback")


_CHINESE = ("gb18030", "big5hkscs")


def _chinese(body: bytes, said: dict[str, str]) -> Decoded | None:
    """GB18030 or Big5, whichever reads ``body`` cleanly as the more ordinary Chinese.

    Either one decodes most bytes of the other without an error (Big5 read as GBK gives
    kana and rare characters), so a clean decode proves little: the share of common
    characters (level 1 of GB2312 or of Big5) decides. A declared one that decodes
    cleanly stays unless the other reads clearly better (a page of rare names is still
    GBK); undeclared, one needs 80 % or the page is not taken for Chinese. A few bytes
    that are not the charset's (a character cut in two when the page was saved) do not
    rule it out (:func:`_nearly`).
    """
    readings = [
        (_ordinary_share(text), codec, text)
        for codec in _CHINESE
        if (text := _nearly(body, codec)) is not None
    ]
    declared = [r for r in readings if r[1] in said]
    best = max(readings, default=None, key=lambda r: r[0])
    if declared and (best is None or best[0] < max(0.8, declared[0][0] + 0.2)):
        best = declared[0]
    elif best is None or best[0] < 0.8:
        return None
    _, codec, text = best
    return Decoded(text, codec, said.get(codec, "detected"))


def _ordinary_share(text: str, sample: int = 2000) -> float:
    """The share of common Chinese characters and CJK punctuation among the first
    ``sample`` characters that are neither ASCII nor Latin-1 (0 when there are under 4)."""
    seen = ordinary = 0
    for ch in text:
        if ch < "\u0100":
            continue
        seen += 1
        ordinary += ch in _PUNCTUATION or _common_han(ch)
        if seen >= sample:
            break
    if seen < 4 or len(_SPACED.findall(text, 0, 20_000)) * 10 > seen:
        return 0.0  # words of CJK letters between spaces: Korean, not Chinese
    return ordinary / seen


_SPACED = re.compile(r"[\u4e00-\u9fff]{1,4} [\u4e00-\u9fff]")
_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》〈〉【】「」『』—…·　～％＋－／＝")


@functools.cache  # a page repeats its characters: each is looked up once a process
def _common_han(ch: str) -> bool:
    """In level 1 of GB2312 (the 3,755 common simplified characters) or of Big5 (5,401)."""
    for codec, first, last in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            lead = ch.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        if first <= lead <= last:
            return True
    return False


def _nearly(body: bytes, codec: str) -> str | None:
    """``body`` read as ``codec`` if at most one in 100 of its non-ASCII bytes is not; else
    None. Those few bytes are left out: half a character cannot be read, and a U+FFFD
    would reach the reader in a title or a summary."""
    if (text := _strict(body, codec)) is not None:
        return text
    broken = body.decode(codec, errors="replace").count("\ufffd")
    non_ascii = len(body) - len(body.translate(None, _HIGH_BYTES))
    return body.decode(codec, errors="ignore") if broken * 100 <= non_ascii else None


_HIGH_BYTES = bytes(range(0x80, 0x100))


def _mostly_utf8(body: bytes) -> str | None:
    """``body`` read as UTF-8 without its stray bytes, if its characters of two bytes or
    more are at least as many as the bytes that are none; else None. A page in Latin-1 or
    windows-1252 that says UTF-8 has none (its accents alone are never UTF-8), and one
    that is UTF-8 but for a stray byte was handed to detection, which read its accents
    as box drawing (cp775)."""
    text = body.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    wide = len(text) - len(text.encode("ascii", errors="ignore")) - broken
    return body.decode("utf-8", errors="ignore") if wide >= broken else None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        return None


def _ascii_compatible(codec: str) -> bool:
    return not codec.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))
