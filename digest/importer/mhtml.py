"""A page saved as one file (``.mhtml``, ``.mht``): the page and what it showed, in MIME.

A browser's "Save as single file" (Chrome, Edge; WeChat articles are often kept this
way) writes a ``multipart/related`` message: the page's HTML first, then each image,
style sheet and frame it loaded, each under the address it came from
(``Content-Location``), which the HTML cites. The page's own address is the
message's ``Snapshot-Content-Location`` (Chrome) or its HTML part's ``Content-Location``.
Python's ``email`` package reads the message; this module finds the page in it.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.errors import CloseBoundaryNotFoundDefect, StartBoundaryNotFoundDefect
from email.message import EmailMessage

# The header lines a saved message starts with (all of them, or as many as a file cut
# short kept), one a "Content-Type: multipart/related". A web page never starts so.
_HEAD = re.compile(rb"\A(?:[!-9;-~]+:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*(?:\r?\n|\Z))+")
_RELATED = re.compile(rb"^content-type:\s*multipart/related\b", re.I | re.M)


_CUT_SHORT = (CloseBoundaryNotFoundDefect, StartBoundaryNotFoundDefect)


@dataclass(frozen=True)
class SavedPage:
    """The page's HTML (its bytes and their charset, if said), its address ('' when it
    names none) and the other parts' bytes by the addresses they came from."""

    html: bytes
    charset: str | None
    address: str
    parts: dict[str, bytes]

    @property
    def content_type(self) -> str:
        """The page part's type, with its charset when the part says one."""
        return f"text/html; charset={self.charset}" if self.charset else "text/html"


class BadMhtml(Exception):
    """The message holds no HTML page, or was cut short."""


def is_mhtml(body: bytes) -> bool:
    """Whether ``body`` is a saved page's MIME message (see the module docstring)."""
    head = _HEAD.match(body[:16384])
    return head is not None and _RELATED.search(head.group()) is not None


def read_mhtml(body: bytes) -> SavedPage:
    """The page in the MIME message ``body``; :class:`BadMhtml` when none is in it or the
    file was cut short (its last part never closed: a copy or a download that stopped), or
    its parts nest past what the email package's parser (a level of recursion a part) takes."""
    try:
        message = email.message_from_bytes(body, policy=email.policy.default)
        assert isinstance(message, EmailMessage)  # what policy.default makes
        leaves = [part for part in message.walk() if not part.is_multipart()]
    except RecursionError:
        raise BadMhtml("its parts nest too deep to read") from None
    if any(isinstance(d, _CUT_SHORT) for d in message.defects):
        raise BadMhtml("it is cut short (its last part never ends)")
    page = _page_part(message, leaves)
    address = str(message.get("Snapshot-Content-Location") or page.get("Content-Location") or "")
    parts: dict[str, bytes] = {}
    for part in leaves:
        if part is page:
            continue
        if location := part.get("Content-Location"):
            parts.setdefault(str(location).strip(), _bytes(part))
    return SavedPage(_bytes(page), page.get_content_charset(), address.strip(), parts)


def _page_part(message: EmailMessage, leaves: list[EmailMessage]) -> EmailMessage:
    """The part the message starts with (its ``start`` parameter names it), else its
    first HTML part."""
    start = str(message.get_param("start", "") or "").strip("<>")
    for part in leaves:
        if start and str(part.get("Content-ID") or "").strip().strip("<>") == start:
            return part
    for part in leaves:
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            return part
    raise BadMhtml("it holds no HTML page")


def _bytes(part: EmailMessage) -> bytes:
    """A part's bytes, its transfer encoding (base64, quoted-printable) undone."""
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""
