"""The one Jinja environment: autoescaped, strict, with the site's URL and date filters.

Every page, feed and text file is rendered through :func:`make_env`. Markdown output is
marked safe explicitly (it is the editor's own text); nothing else is.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateSyntaxError
from jinja2.loaders import split_template_path
from markupsafe import Markup

from digest.config import SiteConfig
from digest.text.encoding import not_utf8_message

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numerals for section numbering: 1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (_CN_DIGITS[tens] if tens > 1 else "") + "十" + (_CN_DIGITS[ones] if ones else "")


# The default theme ships inside the package (``digest/theme/``: pages, feeds, email,
# WeChat, the draft and ``static/``). Jinja's FileSystemLoader, the build's change
# detection and the copying of ``static/`` all need real files, so the package must be
# installed as files (pip does), not imported from a zip archive.
BUILTIN_TEMPLATES = Path(str(importlib.resources.files("digest") / "theme")).resolve()


def template_dirs(templates: Path) -> list[Path]:
    """Where templates are looked up: the site's own folder first, then the theme that ships
    with the package, so a site overrides just the files it wants to change
    (``partials/item.html``)."""
    dirs = [templates] if templates.is_dir() else []
    if BUILTIN_TEMPLATES.is_dir() and not (dirs and templates.resolve() == BUILTIN_TEMPLATES):
        dirs.append(BUILTIN_TEMPLATES)
    return dirs


class _Loader(FileSystemLoader):
    """Jinja's file loader, for which a template that is not UTF-8 is a syntax error at the
    line of its first bad byte, saying how to convert it (an override saved as GBK by
    Notepad on a Chinese Windows), where Jinja raises a bare UnicodeDecodeError."""

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            data = bytes(exc.object)
            path = next(
                (
                    Path(folder, *split_template_path(template))
                    for folder in self.searchpath
                    if Path(folder, *split_template_path(template)).is_file()
                ),
                Path(template),
            )
            line = data.count(b"\n", 0, exc.start) + 1
            raise TemplateSyntaxError(
                not_utf8_message(data, path), line, template, str(path)
            ) from None


class Once:
    """The template global ``once(macro, *args)``: ``macro(*args)``, called once for the
    same macro and arguments (the same objects) until :meth:`clear`. For macros whose
    output depends on nothing else (an imported macro sees only its arguments and the
    globals), such as a document's excerpt on every listing that shows it. A build
    clears it first: its documents are new objects.

    Results are kept as UTF-8: a build remembers an excerpt for every document, and
    Chinese text makes a ``str`` two bytes a character (7,500 excerpts: 29 MB as text,
    16 MB as UTF-8, in every process that renders listings)."""

    def __init__(self) -> None:
        self._done: dict[tuple[int, ...], tuple[bytes, tuple[object, ...]]] = {}

    def __call__(self, macro: Callable[..., Markup], *args: object) -> Markup:
        key = tuple(map(id, (macro, *args)))
        done = self._done.get(key)
        if done is None:  # the objects are kept with the result: their ids stay theirs
            done = self._done[key] = (str(macro(*args)).encode(), (macro, *args))
        return Markup(done[0].decode())

    def clear(self) -> None:
        self._done.clear()


def absolutize_once(env: Environment) -> Callable[[str, str], str]:
    """The ``absolutize`` filter without its cache, for a whole body: an issue's email
    and WeChat article make theirs absolute once, and the feeds' bodies are kept by the
    build (``Doc.absolute_body``); cached here, bodies would push out the items of the
    link feeds, and keep 256 bodies alive."""
    return cast(Callable[[str, str], str], env.filters["absolutize"].__wrapped__)


def make_env(templates: Path, site: SiteConfig) -> Environment:
    """The environment for ``templates/``, with ``site`` and the URL helpers as globals."""
    env = Environment(
        loader=_Loader(template_dirs(templates)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # No stat of the template file on every get_template: an environment lives for
        # one set of templates (the build keys its environments by their bytes).
        auto_reload=False,
    )
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site.base_url))
    root_relative = re.compile(r'(\s(?:href|src)=")/(?!/)')
    fragment = re.compile(r'(\s(?:href|src)=")#')

    def url(path: str = "") -> str:
        """A root-relative URL for a path below the site root (``issues/7/``)."""
        return site.base_path + path

    def abs_url(path: str = "") -> str:
        """The absolute URL of a path below the site root."""
        return site.base_url + path

    @functools.lru_cache(maxsize=256)  # an item goes into the link feed of each of its tags
    def absolutize(html: str, page: str) -> str:
        """Make the links and images in HTML rendered for ``page`` absolute (feeds, email).

        Root-relative URLs get the site's origin; fragment links (``#item-1-fn:1``) get the
        page's URL, since a feed reader would resolve them against its own document. The
        result is plain text on purpose: in a feed it is escaped into the XML; an HTML
        template that embeds it must say ``| safe`` itself.
        """
        html = root_relative.sub(rf"\1{origin}/", str(html))
        return fragment.sub(rf"\1{site.base_url}{page}#", html)

    def cn_date(moment: datetime) -> str:
        return f"{moment.year}年{moment.month}月{moment.day}日"

    env.globals.update(site=site, url=url, abs_url=abs_url, once=Once())
    env.filters.update(
        absolutize=absolutize,
        cn_date=cn_date,
        cn_number=cn_number,
        iso=lambda moment: moment.isoformat(),
        rfc822=format_datetime,
    )
    return env
