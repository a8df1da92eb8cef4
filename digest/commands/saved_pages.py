"""``digest import url FILE``: the article of a page a browser saved, as a post.

A WeChat archive is often kept as saved pages, of two kinds:

- **a page and its folder** ("Save page, complete", or HTML only): its links and images are
  read against the address the page names as its own (its canonical link or ``og:url``),
  which also names the post's file as importing it from the web would; the images saved
  beside it are carried (:mod:`~digest.importer.saved`);
- **one file** (``.mhtml``, "Save as single file"): the page and every image it showed, in
  MIME (:mod:`~digest.importer.mhtml`); its links are read against the address it was
  saved from, and the images it holds are carried.

A carried image is copied next to the post, with or without ``--download-images``: there
is nothing to download, and WeChat's image server refuses pages on other sites. Nothing on
the editor's disk is ever linked from a post.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from bs4 import BeautifulSoup

from digest.commands.local import read_local
from digest.errors import DigestError
from digest.importer.mhtml import BadMhtml, is_mhtml, read_mhtml
from digest.importer.saved import rebase_saved
from digest.model.imports import SourceEntry
from digest.scraper.article import page_entry, slug_from
from digest.scraper.extract import extract, is_image_data, sniff_kind
from digest.text.urls import web_address

NOT_PAGES = {"pdf": "a PDF", "image": "an image", "feed": "a feed"}


SAVED = (".html", ".htm", ".mhtml", ".mht")  # what a browser saves a page as


def saved_pages_in(source: str) -> list[str]:
    """``source`` itself, or, for a folder (an archive of saved pages, a tool's export of
    one folder an article), the saved pages in it and its folders, in name order; not
    those in a browser's ``Page_files`` folder, which hold a page's frames, nor a link to a
    file outside the folder (an archive unpacked from elsewhere may hold one to a page on
    this disk, which would be published). A folder with none is a DigestError naming it."""
    folder = Path(source)
    if web_address(source) or not folder.is_dir():
        return [source]
    inside = folder.resolve()
    found = sorted(
        str(path)
        for path in folder.rglob("*")
        if path.suffix.lower() in SAVED
        and path.is_file()
        and path.resolve().is_relative_to(inside)  # a link out of it: not the archive's
        and not any(part.endswith("_files") for part in path.relative_to(folder).parts[:-1])
    )
    if not found:
        raise DigestError(f"{source}: a folder with no saved page in it ({', '.join(SAVED)})")
    return found


def saved_page(path: str, carried: dict[str, bytes]) -> SourceEntry | str:
    """The article of the page saved at ``path``, or why there is none; adds to
    ``carried`` (URL -> bytes) the images the saved page holds."""
    try:
        body, file_url = read_local(path)
    except DigestError as exc:
        return str(exc)
    if is_mhtml(body):
        return _single_file(path, body, file_url, carried)
    if (kind := sniff_kind(body, "")) != "html":
        return f"{path}: {NOT_PAGES.get(kind, 'a file')}, not a web page"
    record = extract(body, url=file_url, content_type="text/html")

    def is_image(url: str) -> bool:
        data = _image_file(url, Path(path).resolve().parent)
        if data is not None:
            carried[url] = data
        return data is not None

    address = _web(record.canonical_url)
    entry = page_entry(body, url=file_url, content_type="text/html", record=record)
    rebased = rebase_saved(entry.html, file_url, address, is_image)
    return _as_saved(entry, path, address or file_url, rebased.html, rebased.notes)


def _single_file(
    path: str, body: bytes, file_url: str, carried: dict[str, bytes]
) -> SourceEntry | str:
    """The article of a page saved as one file (see the module docstring)."""
    try:
        page = read_mhtml(body)
    except (BadMhtml, ValueError, LookupError) as exc:  # a message cut short, a bad charset
        return f"{path}: a page saved as one file, but {exc}"
    saved_from = _web(page.address)
    base = saved_from or file_url
    record = extract(page.html, url=base, content_type=page.content_type)
    address = _web(record.canonical_url) or saved_from
    entry = page_entry(page.html, url=base, content_type=page.content_type, record=record)
    rebased = rebase_saved(entry.html, file_url, address, lambda url: False)
    for img in BeautifulSoup(rebased.html, "html.parser").find_all("img"):
        data = page.parts.get(str(img.get("src") or ""))
        if data is not None and is_image_data(data):
            carried[str(img["src"])] = data
    return _as_saved(entry, path, address or file_url, rebased.html, rebased.notes)


def _web(address: str | None) -> str | None:
    """``address`` when it is a web one (a page's canonical link or og:url, where it was
    saved from), else None."""
    return address if address and web_address(address) else None


def _as_saved(
    entry: SourceEntry, path: str, key: str, html: str, notes: tuple[str, ...]
) -> SourceEntry:
    """``entry`` as the saved page ``path`` known by ``key``, its HTML read again."""
    address = key if web_address(key) else ""
    return replace(
        entry,
        key=key,
        origin=path,
        html=html,
        slug=slug_from(address) if address else entry.slug,
        base_url=address,
        notes=entry.notes + notes,
    )


def image_file(url: str, carried: dict[str, bytes]) -> bytes | str:
    """A carried image's bytes, or why there are none: only an image a saved page carries
    is read (a WordPress post pasted from a word processor links files on the writer's
    disk: ``file:///C:/Users/…/clip_image002.jpg``)."""
    if url in carried:
        return carried[url]
    return "a file on a disk, not an image a saved page carries"


def _image_file(url: str, folder: Path) -> bytes | None:
    """The bytes of the file at the ``file:`` URL ``url`` when it is in ``folder`` (the
    saved page's, followed through symbolic links: an archive from elsewhere may hold one
    to a photo anywhere on this disk), a regular file (a named pipe there would be waited
    on for ever), and they are an image's (by their first bytes: a saved page's ``.jpeg``
    that holds HTML is not one)."""
    try:
        file = Path(url2pathname(urlsplit(url).path)).resolve()
        if not file.is_relative_to(folder) or not file.is_file():
            return None
        data = file.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links, before Python 3.13
        return None
    return data if is_image_data(data) else None
