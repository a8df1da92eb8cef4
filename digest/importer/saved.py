"""A page a browser saved, its links and images read from where the page came from.

``digest import url FILE`` reads the article of a saved page (a WeChat article kept as a
file) with its relative links and images resolved against the file, so they arrive here
as ``file:`` URLs. None of them may reach a post: a ``file:`` link is dead on the site and
names a folder on the editor's disk. Each is read again:

- an image whose file the browser saved beside the page (``Page_files/1.jpeg``, inside
  the page's folder, and an image by its bytes) stays a ``file:`` URL, which the import
  copies next to the post as it would download one: "Save page, complete" rewrites the
  page's images to these files, which exist nowhere on the web;
- any other link or image is read against the address the page names as its own (its
  canonical link or ``og:url``, given as ``address``), as the page on the web had it;
- with no such address, a link keeps its text and loses its target, and an image is left
  out: the import says how many of each.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup


@dataclass(frozen=True)
class Rebased:
    """The article's HTML without ``file:`` URLs but its own images, and what was lost."""

    html: str
    notes: tuple[str, ...]


def rebase_saved(
    html: str, page_url: str, address: str | None, is_image: Callable[[str], bool]
) -> Rebased:
    """``html`` (its URLs read against the saved page's ``file:`` URL ``page_url``) with
    each ``file:`` URL read again as the module docstring says; ``is_image``: whether a
    ``file:`` URL inside the page's folder is an image file there."""
    soup = BeautifulSoup(html, "html.parser")  # a fragment, given back as one
    unlinked = dropped = 0
    for el in soup.find_all(["a", "img"]):
        attr = "href" if el.name == "a" else "src"
        url = str(el.get(attr) or "")
        if not url.startswith("file:"):
            continue
        if el.name == "img" and _beside(url, page_url) and is_image(url):
            continue
        if address:
            el[attr] = urljoin(address, _relative(url, page_url))
        elif el.name == "a":
            el.unwrap()
            unlinked += 1
        else:
            el.decompose()
            dropped += 1
    return Rebased(str(soup), _notes(unlinked, dropped))


def _beside(url: str, page_url: str) -> bool:
    """Whether the file ``url`` is inside the folder of the saved page ``page_url``."""
    folder = posixpath.dirname(_path(page_url))
    return posixpath.commonpath([folder, _path(url)]) == folder


def _path(url: str) -> str:
    return posixpath.normpath(unquote(urlsplit(url).path))


def _relative(url: str, page_url: str) -> str:
    """``url`` as the page wrote it: relative to the page's folder (``../about.html``), or
    the page itself, with its query and fragment (``?p=2``, ``#notes``)."""
    parts = urlsplit(url)
    path = _path(url)
    if path == _path(page_url):
        path = ""  # the page's own address
    else:
        path = posixpath.relpath(path, posixpath.dirname(_path(page_url)))
        path += "/" if parts.path.endswith("/") else ""
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return path + query + fragment


def _notes(unlinked: int, dropped: int) -> tuple[str, ...]:
    if not unlinked and not dropped:
        return ()
    what = []
    if unlinked:
        what.append(f"{unlinked} relative link{'s' * (unlinked > 1)} kept as text")
    if dropped:
        what.append(f"{dropped} image{'s' * (dropped > 1)} not beside it left out")
    return (
        f"{', '.join(what)}: the saved page names no address of its own "
        "(a canonical link or og:url)",
    )
