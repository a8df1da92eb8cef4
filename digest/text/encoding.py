"""The editor's files are UTF-8; one that is not is explained, with the line it goes wrong on.

A Chinese editor's file that is not UTF-8 is nearly always GBK (or GB18030, its superset):
what Windows' Notepad and many older tools save Chinese text as. Saying so, with the
command that converts it, saves a search.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import shlex
import stat
from pathlib import Path

from digest.text.cjk import count_han

# What no page or feed can carry (XML 1.0 forbids it): the C0 controls but tab, newline and
# carriage return, lone surrogates, U+FFFE and U+FFFF. Text pasted from a terminal or a
# word processor brings the controls; they are invisible in an editor.
UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same as a table for str.translate, which drops them: what a page or a WordPress export
# loses before lxml reads it (decoded bytes hold no lone surrogate).
NOT_XML: dict[int, str | None] = dict.fromkeys(
    [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]
)


class NotUTF8(ValueError):
    """A file whose text cannot be used (not UTF-8, or holding a character in
    :data:`UNSHOWABLE`): the line of its first bad byte and what to do about it."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_utf8(path: Path) -> str:
    """The text of ``path`` without a UTF-8 byte-order mark, its lines ended by ``\n``
    whether they were by Windows' CR LF or by classic Mac OS's lone CR (which TOML and the
    front matter's reader did not take for line ends); :class:`NotUTF8` when the bytes
    are not UTF-8 or hold a character no page can show (:class:`OSError` when the file
    cannot be read)."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise NotUTF8(line, not_utf8_message(data, path)) from None
    if bad := UNSHOWABLE.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        what = character(bad.group())
        raise NotUTF8(
            line, f"{what} on this line (invisible; no page or feed can carry it): delete it"
        )
    return text


def read_bytes(path: Path) -> bytes:
    """The bytes of the regular file ``path``; :class:`OSError` for anything else. A named
    pipe is opened without waiting for a writer, which would hang the build for ever."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(
                errno.EINVAL, "not a regular file (a pipe, a device or a socket)", str(path)
            )
        return file.read()


def character(char: str) -> str:
    """How a character of :data:`UNSHOWABLE` is named in a message: ``control character
    U+001B``."""
    if "\ud800" <= char <= "\udfff":
        return f"lone surrogate U+{ord(char):04X}"
    return f"{'control character' if char < ' ' else 'non-character'} U+{ord(char):04X}"


def not_utf8_message(data: bytes, path: Path) -> str:
    """Why ``data`` (the bytes of ``path``) cannot be read, and how to convert it."""
    file = shlex.quote(str(path))
    convert = f"-t UTF-8 {file} > {file}.utf8 && mv {file}.utf8 {file}"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        return f"file is UTF-16, not UTF-8; convert it with: iconv -f UTF-16 {convert}"
    for codec, name in (("gbk", "GBK"), ("gb18030", "GB18030")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if count_han(text):  # GB18030 decodes most bytes; Chinese text makes it likely
            return f"file is GBK/GB18030, not UTF-8; convert it with: iconv -f {name} {convert}"
    return (
        "file is not UTF-8 text (the first bytes that are not are on this line); save it as UTF-8"
    )
