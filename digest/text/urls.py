"""URL normalisation: one key per page, whatever tracking or spelling the link carries."""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

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
