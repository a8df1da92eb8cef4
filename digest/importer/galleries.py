"""WordPress's ``[gallery]`` shortcode, shown as the blog showed it: the images themselves.

The classic editor's gallery is a shortcode that names no image: WordPress fills it, when
the page is shown, with the images uploaded to the post (its attachments, in their menu
order) or those its ``ids``/``include`` name, less those ``exclude`` names. The export
holds each attachment as an ``<item>`` of its own: its file's URL, its alt text, its
caption (the attachment's excerpt) and the post it belongs to. A gallery becomes a
``<figure>`` of figures, as the block editor writes one; a gallery none of whose images
are in the export stays as text, and the import names it. An ``[audio]`` or ``[video]``
that names no file plays the post's first upload of that kind, in the same way.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_GALLERY = re.compile(r"\[gallery(?P<attrs>(?:\s[^\]]*)?)\]", re.I)
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")


@dataclass(frozen=True)
class Attachment:
    """An uploaded file as the export lists it."""

    id: str
    url: str
    parent: str  # the post it was uploaded to ("0": none)
    order: int  # its menu order among the post's
    alt: str = ""
    caption: str = ""


def with_galleries(body: str, post_id: str, attachments: Mapping[str, Attachment]) -> str:
    """``body`` with each ``[gallery]`` it holds made the figure of its images."""
    if "[gallery" not in body.lower():
        return body

    def gallery(match: re.Match[str]) -> str:
        images = _images(_attrs(match["attrs"]), post_id, attachments)
        return _figure(images) if images else match.group()

    return _GALLERY.sub(gallery, body)


_BARE_PLAYER = re.compile(r"\[(?P<tag>audio|video)(?P<attrs>(?:\s[^\]]*)?)\]", re.I)
_PLAYS = {
    "audio": re.compile(r"\.(?:mp3|m4a|ogg|oga|wav|wma|flac|aac)(?:[?#]|$)", re.I),
    "video": re.compile(r"\.(?:mp4|m4v|webm|ogv|wmv|flv|mov)(?:[?#]|$)", re.I),
}


def with_players(body: str, post_id: str, attachments: Mapping[str, Attachment]) -> str:
    """``body`` with each ``[audio]`` or ``[video]`` that names no file given the post's
    first upload of that kind, as WordPress plays it (``[audio src="…"]``, which the
    post's HTML makes a link); one with no such upload stays as it was."""
    if "[audio" not in body.lower() and "[video" not in body.lower():
        return body

    def player(match: re.Match[str]) -> str:
        if "://" in match["attrs"]:
            return match.group()  # it names its file
        tag = match["tag"].lower()
        own = [a for a in uploads_of(post_id, attachments) if _PLAYS[tag].search(a.url)]
        return f'[{tag} src="{own[0].url}"]' if own else match.group()

    return _BARE_PLAYER.sub(player, body)


def uploads_of(post_id: str, attachments: Mapping[str, Attachment]) -> list[Attachment]:
    """The files uploaded to post ``post_id``, in their menu order, then by id (an id that is
    no decimal number, ``²``, as 0)."""
    children = [a for a in attachments.values() if a.parent == post_id]
    return sorted(children, key=lambda a: (a.order, int(a.id) if a.id.isdecimal() else 0))


def _attrs(text: str) -> dict[str, str]:
    return {
        m[1].lower(): next(v for v in m.groups()[1:] if v is not None) for m in _ATTR.finditer(text)
    }


def _ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _images(
    attrs: Mapping[str, str], post_id: str, attachments: Mapping[str, Attachment]
) -> list[Attachment]:
    """The attachments a gallery with ``attrs`` shows (see the module docstring)."""
    named = _ids(attrs.get("ids") or attrs.get("include") or "")
    if named:
        found: Iterable[Attachment] = (attachments[i] for i in named if i in attachments)
    else:
        found = uploads_of(attrs.get("id") or post_id, attachments)
    left_out = set(_ids(attrs.get("exclude", "")))
    return [a for a in found if a.id not in left_out and _is_image(a.url)]


_IMAGE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|svg)(?:[?#]|$)", re.I)


def _is_image(url: str) -> bool:
    return bool(_IMAGE.search(url))


def _text(value: str) -> str:
    """``value`` as HTML text, whether the export wrote it as text or escaped (``&amp;``)."""
    return html.escape(html.unescape(value))


def _figure(images: list[Attachment]) -> str:
    inner = "".join(
        f'<figure><img src="{_text(a.url)}" alt="{_text(a.alt)}">'
        + (f"<figcaption>{_text(a.caption)}</figcaption>" if a.caption else "")
        + "</figure>"
        for a in images
    )
    return f'<figure class="gallery">{inner}</figure>'
