"""What every command reads of a project besides the build's own cache: the config, the
content filled from the scrape cache, and template errors as ``file:line: message``."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2

from digest.config import SiteConfig, load_config
from digest.content import load_content
from digest.errors import DigestError
from digest.model import CachedPage, Content
from digest.renderer.env import template_dirs
from digest.scraper.cache import Cache
from digest.summarizer.fill import fill_items


def load(root: Path, *, drafts: bool) -> tuple[SiteConfig, Content, dict[str, CachedPage]]:
    """Config, content, and what the scraper knows, with empty titles and summaries filled
    from it: what ``digest check`` and ``digest new`` look at as a whole."""
    site = load_config(root / "content" / "site.toml")
    content = load_content(root / "content", site, drafts=drafts)
    pages = cached_pages(root / site.fetch.cache)
    return site, fill_items(content, pages), pages


def cached_pages(path: Path) -> dict[str, CachedPage]:
    """What the scraper knows, read-only; an absent cache is simply empty."""
    if not path.exists():
        return {}
    with Cache(path, readonly=True) as cache:
        return cache.records()


TEMPLATE_FAULTS = (jinja2.TemplateError, RecursionError)
"""What rendering a template can fail with because of the template: Jinja's errors, and
Python's recursion limit, reached by templates that include, extend or call one another
without end (a ``templates/tag.html`` that extends ``tag.html`` gets itself, not the
theme's)."""


def template_error(exc: jinja2.TemplateError | RecursionError, templates: Path) -> DigestError:
    """A template problem as ``templates/issue.html:12: message``."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or templates / (exc.name or '?')}:{exc.lineno}"
    elif isinstance(exc, jinja2.TemplateNotFound):
        return DigestError(f"{templates / str(exc.name)}: template not found")
    else:  # the failing template line is the innermost frame inside a template folder
        dirs = tuple(str(d) for d in template_dirs(templates))
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(dirs)]
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else str(templates)
    if isinstance(exc, RecursionError):
        return DigestError(
            f"{where}: templates include, extend or call one another without end (a template "
            "extending or including its own name gets itself, not the theme's)"
        )
    return DigestError(f"{where}: {exc.message or exc}")
