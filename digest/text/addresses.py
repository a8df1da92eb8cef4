"""Email addresses: which are valid, when two are the same, and how one goes on the wire.

Internationalised addresses are welcome. A domain such as ``例子.中国`` is written in
IDNA 2008 A-labels (``xn--fsqu00a.xn--fiqs8s``) for the envelope and the ``To`` header,
which every SMTP server takes; only a local part that is not ASCII (``张三@…``) needs
the server's SMTPUTF8 extension (RFC 6531), and such an address goes out as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import idna

# The local part as the recipients file writes it: no spaces, quotes or address syntax, and
# no control characters (a NUL or an ESC would go into the envelope and the To header).
_LOCAL = re.compile(r"^[^@\s<>()\[\],;:\"\\\x00-\x1f\x7f]+$")
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:[a-z]{2,}|xn--[a-z0-9-]+)$")


@dataclass(frozen=True)
class Address:
    """A valid address, split: the local part (NFC) and the domain in A-labels."""

    local: str
    domain: str  # ASCII, lower case: ``xn--fsqu00a.xn--fiqs8s``

    @property
    def key(self) -> str:
        """What two spellings of one mailbox share (``Ada@例子.中国`` and
        ``ada@xn--fsqu00a.xn--fiqs8s``): the send log, repeats and the unsubscribed
        list compare addresses by it."""
        return f"{self.local.lower()}@{self.domain}"

    @property
    def smtputf8(self) -> bool:
        """Whether sending needs SMTPUTF8: the local part is not ASCII."""
        return not self.local.isascii()

    @property
    def wire(self) -> str:
        """The address for the envelope and the ``To`` header: ASCII whenever the local
        part is, else as written (with the domain's Unicode labels) under SMTPUTF8."""
        if not self.smtputf8:
            return f"{self.local}@{self.domain}"
        return f"{self.local}@{idna.decode(self.domain)}"


def parse_address(text: str) -> Address | None:
    """``name@host.tld`` (any script), or None when it is not a plain address."""
    local, at, domain = unicodedata.normalize("NFC", text.strip()).rpartition("@")
    if not at or not _LOCAL.match(local) or not domain or invisible(local):
        return None
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return None
    return Address(local, ascii_domain) if _DOMAIN.match(ascii_domain) else None


def invisible(text: str) -> str | None:
    """The first invisible character of ``text`` (a zero-width space pasted with an
    address, a byte-order mark, a direction mark: Unicode's format characters), or None.
    In a local part it would make another mailbox than the one the editor sees, which the
    list of leavers does not name."""
    return next((char for char in text if unicodedata.category(char) == "Cf"), None)


def address_key(text: str) -> str:
    """:attr:`Address.key` of ``text``; an invalid address is its own lower case."""
    address = parse_address(text)
    return address.key if address else text.strip().lower()
