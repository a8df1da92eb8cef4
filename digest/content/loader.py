"""Load all of ``content/`` into :class:`Content`, reporting every problem in one run."""

from __future__ import annotations

from pathlib import Path

from digest.config import SiteConfig
from digest.content.frontmatter import read_document
from digest.content.issues import parse_issue
from digest.content.posts import parse_post
from digest.content.tags import TagIndex
from digest.errors import Problems
from digest.model import Content, Issue, Post


def load_content(content_dir: Path, site: SiteConfig, *, drafts: bool = False) -> Content:
    """Read every issue and post; raise ContentError listing all problems found.

    Drafts are validated like everything else but left out unless ``drafts`` is true.
    """
    problems = Problems()
    tags = TagIndex(site.tag_slugs, problems)

    issues: dict[int, Issue] = {}
    for path in sorted((content_dir / "issues").glob("*.md")):
        doc = read_document(path, problems)
        issue = parse_issue(doc, site, tags, content_dir, problems) if doc else None
        if issue is None:
            continue
        if issue.number in issues:
            first = issues[issue.number].source
            problems.add(
                path,
                doc.key_lines.get("number") if doc else None,
                f"duplicate issue number {issue.number} (also in {first})",
            )
            continue
        issues[issue.number] = issue

    posts: dict[str, Post] = {}
    for path in sorted((content_dir / "posts").glob("*.md")):
        doc = read_document(path, problems)
        post = parse_post(doc, site, tags, content_dir, problems) if doc else None
        if post is None:
            continue
        if post.slug in posts:
            line = doc.key_lines.get("slug", 1) if doc else None
            problems.add(
                path, line, f"duplicate post slug '{post.slug}' (also in {posts[post.slug].source})"
            )
            continue
        posts[post.slug] = post

    problems.raise_if_any()
    return Content(
        issues=tuple(i for _, i in sorted(issues.items()) if drafts or not i.draft),
        posts=tuple(
            sorted(
                (p for p in posts.values() if drafts or not p.draft), key=lambda p: (p.date, p.slug)
            )
        ),
    )
