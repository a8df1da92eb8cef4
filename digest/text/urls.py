"""URL rules, defined once: which links are valid, and one key per page whatever tracking
or spelling the link carries."""

from __future__ import annotations

import contextlib
import ipaddress
import re
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

import idna

# Query parameters that say who shared a link, never which page it is.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "spm",
        "share_token",
        "sharesource",
        "sharer_shareid",
        "sharer_sharetime",
        "scene",
        "srcid",
        "chksm",
        "xtrack",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "hmsr", "vero_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking(name: str) -> bool:
    """True for ``utm_source``, ``fbclid`` and the like."""
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def normalize_url(url: str) -> str:
    """The cache key of ``url``: lowercase scheme and host, no default port, no fragment,
    no tracking parameters, ``/`` for an empty path, and one spelling of percent-escapes."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii") if host else host
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%") or "/"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)]
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def split_url(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or None for a URL it refuses: ``http://[::1`` (an IPv6 bracket
    never closed), which pages, feeds and editors' text all carry now and then."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


_NON_ASCII = re.compile(r"[^\x00-\x7f\s]+")


def as_uri(url: str) -> str:
    """``url`` (an IRI such as ``https://例子.中国/周刊/``) as the URI it names: the host in
    IDNA A-labels, other non-ASCII characters percent-encoded as UTF-8, what email headers,
    sitemaps and browsers' requests carry; ``url`` itself when it is ASCII, or cannot be
    read (its check then says why)."""
    parts = split_url(url)
    if url.isascii() or parts is None or parts.hostname is None:
        return url
    netloc = parts.netloc
    if not parts.hostname.isascii():  # (an IPv6 address, in brackets, is ASCII)
        try:
            host = idna.encode(parts.hostname, uts46=True).decode("ascii")
            port = f":{parts.port}" if parts.port is not None else ""
        except (idna.IDNAError, UnicodeError, ValueError):  # ValueError: a port past 65535
            return url
        user, at, _ = netloc.rpartition("@")
        netloc = f"{user}{at}{host}{port}"
    encoded = urlunsplit(parts._replace(netloc=netloc))
    return _NON_ASCII.sub(lambda m: quote(m.group(), safe=""), encoded)


def join_url(base: str, url: str) -> str | None:
    """``urljoin(base, url)``, or None where urlsplit refuses either (see :func:`split_url`)."""
    try:
        return urljoin(base, url)
    except ValueError:
        return None


_ASCII_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)


def web_address(text: str) -> bool:
    """``text`` is meant as an http(s) address rather than a file's path: it starts with
    ``http://`` or ``https://`` in any case (``HTTP://``, as some pages and mail clients
    write it, is a URL too)."""
    return text[:8].lower().startswith(("http://", "https://"))


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a usable http(s) link, as a message naming it, or None."""
    fault = url_fault(url)
    return f"malformed URL '{url}': {fault}" if fault else None


def url_fault(url: str) -> str | None:
    """What is wrong with ``url`` as an http(s) link, or None when nothing is.

    The host must be ``localhost``, an IP address, or a name of two or more labels (each
    letters, digits and ``-``, not at either end; non-ASCII labels as IDNA allows them).
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return "its host or port cannot be read"
    if parts.scheme not in ("http", "https"):
        return "only http:// and https:// links are allowed"
    if any(c.isspace() for c in url):
        return "it has a space in it"
    host = parts.hostname or ""
    if not host:
        return "it has no valid host"
    return host_problem(host)


def host_problem(host: str) -> str | None:
    """Why ``host`` (as :func:`urllib.parse.urlsplit` gives it) names no host, or None."""
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        return None
    if host == "localhost":
        return None
    labels = host.removesuffix(".").split(".")
    faults = []
    if "" in labels:
        faults.append("an empty label between dots")
    if "_" in host:
        faults.append("an underscore")
    if not faults and not all(_label_ok(label) for label in labels):
        faults.append("a label that begins or ends with '-', or has other characters")
    if faults:
        rule = "a host name is letters, digits and '-' between dots"
        return f"its host '{host}' has {' and '.join(faults)}; {rule}"
    if len(labels) < 2:
        return f"it has no valid host ('{host}' is not a full name like example.com)"
    return None


def _label_ok(label: str) -> bool:
    """One label of a host name: LDH rules for ASCII, IDNA's for the rest (例子, bücher)."""
    if label.isascii():
        return _ASCII_LABEL.fullmatch(label) is not None
    try:
        label.encode("idna")
    except UnicodeError:
        return False
    return not label.startswith("-") and not label.endswith("-")
