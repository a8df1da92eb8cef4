"""The editor's files are UTF-8; one that is not is explained, with the line it goes wrong on.

A Chinese editor's file that is not UTF-8 is nearly always GBK (or GB18030, its superset):
what Windows' Notepad and many older tools save Chinese text as. Saying so, with the
command that converts it, saves a search.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from digest.text.cjk import count_han


class NotUTF8(ValueError):
    """A file that is not UTF-8: the line of its first bad byte and what to do about it."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_utf8(path: Path) -> str:
    """The text of ``path`` without a UTF-8 byte-order mark; :class:`NotUTF8` when the bytes
    are not UTF-8 (:class:`OSError` when the file cannot be read)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise NotUTF8(line, not_utf8_message(data, path)) from None


def not_utf8_message(data: bytes, path: Path) -> str:
    """Why ``data`` (the bytes of ``path``) cannot be read, and how to convert it."""
    for codec, name in (("gbk", "GBK"), ("gb18030", "GB18030")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if count_han(text):  # GB18030 decodes most bytes; Chinese text makes it likely
            file = shlex.quote(str(path))
            convert = f"iconv -f {name} -t UTF-8 {file} > {file}.utf8 && mv {file}.utf8 {file}"
            return f"file is GBK/GB18030, not UTF-8; convert it with: {convert}"
    return (
        "file is not UTF-8 text (the first bytes that are not are on this line); save it as UTF-8"
    )
