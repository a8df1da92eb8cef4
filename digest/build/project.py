"""What every command reads of a project besides the build's own cache: the config, the
content filled from the scrape cache, and template errors as ``file:line: message``."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator
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


@contextlib.contextmanager
def template_faults(templates: Path) -> Iterator[None]:
    """Render inside this, and a template's mistake is said as ``templates/issue.html:12:
    message``: Jinja's errors; Python's recursion limit, reached by templates that
    include, extend or call one another without end (a ``templates/tag.html`` that
    extends ``tag.html`` gets itself, not the theme's); and any other error a template's
    own expression or a Jinja filter it calls raises (``{{ title + 1 }}``: TypeError),
    which ended the command as an internal error. An error raised deeper, in digest's own
    code, stays what it is."""
    try:
        yield
    except (jinja2.TemplateError, RecursionError) as exc:
        raise template_error(exc, templates) from exc
    except Exception as exc:
        innermost = traceback.extract_tb(exc.__traceback__)[-1].filename
        if isinstance(exc, DigestError) or not innermost.startswith(_template_code(templates)):
            raise
        raise template_error(exc, templates) from exc


def _template_code(templates: Path) -> tuple[str, ...]:
    """Where a template's expressions and Jinja's filters run: the template folders and
    Jinja's package."""
    return (*(str(d) for d in template_dirs(templates)), str(Path(jinja2.__file__).parent))


def template_error(exc: Exception, templates: Path) -> DigestError:
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
    if isinstance(exc, jinja2.TemplateError):
        return DigestError(f"{where}: {exc.message or exc}")
    return DigestError(f"{where}: {type(exc).__name__}: {exc}")
