"""A post file -> :class:`Post`: front matter and a Markdown body."""

from __future__ import annotations

from pathlib import Path

from digest.config import SLUG_RE, SiteConfig
from digest.content.frontmatter import Document, FrontMatter
from digest.content.markdown_scan import document_assets
from digest.content.tags import TagIndex, slugify
from digest.errors import Problems
from digest.model import Post
from digest.text.slugs import SLUG_MAX

POST_KEYS = ("title", "date", "tags", "summary", "slug", "cover", "draft")


def parse_post(
    doc: Document, site: SiteConfig, tags: TagIndex, content_dir: Path, problems: Problems
) -> Post | None:
    """Build a :class:`Post` from ``doc``; every problem is recorded, None if any is fatal."""
    fm = FrontMatter(doc, problems, POST_KEYS)
    title = fm.text("title", required=True)
    when = fm.moment("date", site.tz)
    slug = fm.text("slug") or slugify(doc.path.stem)
    if not SLUG_RE.match(slug):
        escape = "/" in slug or "\\" in slug or ".." in slug
        fm.error(
            "slug",
            f"slug '{slug}' must be lowercase letters, digits and '-'"
            + (" (it would escape site/)" if escape else ""),
        )
        slug = ""
    elif len(slug) > SLUG_MAX:
        fm.error("slug", f"slug is {len(slug)} characters long: at most {SLUG_MAX}, please")
        slug = ""
    post_tags = tuple(tags.tag(n, doc.path, fm.line("tags")) for n in fm.names("tags"))
    summary, draft = fm.text("summary"), fm.flag("draft")
    cover = fm.text("cover") or None
    assets = document_assets(doc, cover, fm.line("cover"), content_dir, problems)
    if not title or when is None or not slug:
        return None
    return Post(
        slug=slug,
        title=title,
        date=when,
        tags=tuple(dict.fromkeys(post_tags)),
        summary=summary,
        cover=cover,
        draft=draft,
        body=doc.body.strip("\n"),
        source=doc.path,
        assets=assets,
    )
