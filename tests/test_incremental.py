"""Incremental builds are clean builds: after any sequence of edits, building again on the
same root (its site/ and .cache/ carried over) gives exactly the bytes of a build of the
same content/ and templates/ from scratch.

The project is the minimal fixture plus generated issues and posts. Generated files are
kept as small models (:class:`IssueSpec`, :class:`PostSpec`) and written out in full after
each change; the fixture's own issue and post are left as they are (they can still be
renamed or removed). A seeded plan of edits is applied one at a time, each followed by an
incremental and a clean build.
"""

from __future__ import annotations

import re
import shutil
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

import jinja2
import pytest

from digest.build.jobs import USES, template_closure
from digest.build.jobs import plan as plan_jobs
from digest.build.pipeline import BuildOptions, build
from digest.build.preview import Preview
from digest.build.project import load
from digest.build.session import Session
from digest.renderer.documents import catalog_of
from digest.renderer.site import site_env
from tests.conftest import FIXTURES, ROOT, copy_project, snapshot

SEEDS = (1, 2, 3)
STEPS = 6  # edits per sequence; each one costs two builds, and most run Pagefind twice
TAGS = ("Go", "并发", "Rust", "数据库", "工具链")
SECTIONS = ("一周文章精粹", "tools")  # one by heading, one by key: both are allowed
FIRST_DAY = date(2026, 1, 2)  # the fixture's issue 1
PHRASES = (
    "值得反复读的一篇。",
    "作者把来龙去脉讲得很清楚，例子也好。",
    "短小精悍，十分钟读完。",
    "和上一期那篇对照着看更有意思。",
    "Benchmarks 部分的数据很扎实。",
)


@dataclass
class ItemSpec:
    """One generated item: ``### [title](url)``, its commentary, an optional tags line."""

    title: str
    url: str
    commentary: str
    tags: list[str]


@dataclass
class IssueSpec:
    """A generated issue, written out in full as ``content/issues/<filename>``."""

    number: int
    day: date
    tags: list[str]
    sections: dict[str, list[ItemSpec]]

    def markdown(self) -> str:
        """The issue file's text."""
        lines = [
            "---",
            f"number: {self.number}",
            f"title: 第{self.number}期",
            f"date: {self.day.isoformat()}",
            f"tags: [{', '.join(self.tags)}]",
            f"summary: 第{self.number}期的摘要。",
            "---",
            "",
            f"第{self.number}期的开篇。",
        ]
        for heading, items in self.sections.items():
            lines += ["", f"## {heading}"]
            for item in items:
                lines += ["", f"### [{item.title}]({item.url})", "", item.commentary]
                if item.tags:
                    lines += ["", f"标签：{'、'.join(item.tags)}"]
        return "\n".join(lines) + "\n"


@dataclass
class PostSpec:
    """A generated post, written out as ``content/posts/<slug>.md``."""

    title: str
    day: date
    tags: list[str]
    body: str

    def markdown(self) -> str:
        """The post file's text."""
        return (
            f"---\ntitle: {self.title}\ndate: {self.day.isoformat()}\n"
            f"tags: [{', '.join(self.tags)}]\n---\n\n{self.body}\n"
        )


def code_block(rng: Random) -> str:
    """A small fenced code block, so that highlighting is part of what gets rebuilt."""
    n = rng.randrange(100)
    return f"```go\nfunc answer{n}() int {{\n\treturn {n}\n}}\n```"


def commentary(rng: Random, *, code: bool) -> str:
    """An item's commentary: a sentence or two, with a code block when ``code``."""
    text = " ".join(rng.sample(PHRASES, rng.randint(1, 2)))
    return f"{text}\n\n{code_block(rng)}" if code else text


def some_tags(rng: Random) -> list[str]:
    """Zero to two tags from a small shared pool, so tag pages gain and lose entries."""
    return rng.sample(TAGS, rng.randint(0, 2))


@dataclass
class Project:
    """A project on disk and the models of its generated files."""

    root: Path
    site_toml: str  # the fixture's, with ``description`` and ``per_page`` substituted
    description: str
    per_page: int
    filenames: dict[int, str]  # every issue's file name, the fixture's included
    issues: dict[int, IssueSpec] = field(default_factory=dict)  # the generated ones
    posts: dict[str, PostSpec] = field(default_factory=dict)  # the generated ones, by slug
    edits: list[str] = field(default_factory=list)  # what was done so far, for messages

    @classmethod
    def create(cls, root: Path, rng: Random) -> Project:
        """The minimal fixture plus three issues and two posts, at most two to a page."""
        copy_project(FIXTURES / "minimal", root)
        assert (root / "content" / "issues" / "001.md").is_file(), "the fixture's issue moved"
        project = cls(root, (root / "content" / "site.toml").read_text("utf-8"),
                      "测试用的最小站点。", 2, {1: "001.md"})  # fmt: skip
        project.write_site_toml()
        for _ in range(3):
            project.add_issue(rng)
        for _ in range(2):
            project.add_post(rng)
        project.edits.clear()
        return project

    @property
    def content(self) -> Path:
        """The project's ``content/``."""
        return self.root / "content"

    def write_site_toml(self) -> None:
        """``site.toml`` with the current description and page size."""
        text, count = re.subn(
            r"^description = .*$",
            f'description = "{self.description}"\nper_page = {self.per_page}',
            self.site_toml,
            flags=re.MULTILINE,
        )
        assert count == 1, "the minimal fixture's site.toml has no description line"
        (self.content / "site.toml").write_text(text, encoding="utf-8")

    def write_issue(self, number: int) -> None:
        """Write a generated issue under its current file name."""
        path = self.content / "issues" / self.filenames[number]
        path.write_text(self.issues[number].markdown(), encoding="utf-8")

    def write_post(self, slug: str) -> None:
        """Write a generated post."""
        path = self.content / "posts" / f"{slug}.md"
        path.write_text(self.posts[slug].markdown(), encoding="utf-8")

    def template(self, name: str, old: str, new: str) -> None:
        """Replace the first ``old`` in ``templates/<name>`` with ``new``."""
        path = self.root / "templates" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"templates/{name} no longer contains {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    # The edits. Each changes the files on disk and says what it did.

    def add_issue(self, rng: Random) -> str:
        number = max(self.filenames) + 1
        latest = max((i.day for i in self.issues.values()), default=FIRST_DAY)
        sections: dict[str, list[ItemSpec]] = {}
        for heading in rng.sample(SECTIONS, rng.randint(1, 2)):
            sections[heading] = [
                ItemSpec(f"第{number}期的第{k}条", f"https://example.com/{number}/{heading}/{k}",
                         commentary(rng, code=rng.random() < 0.3), some_tags(rng))
                for k in range(1, rng.randint(1, 3) + 1)
            ]  # fmt: skip
        day = latest + timedelta(days=7)
        self.issues[number] = IssueSpec(number, day, some_tags(rng), sections)
        self.filenames[number] = f"{number:04d}.md"
        self.write_issue(number)
        return f"add issue {number}"

    def remove_issue(self, rng: Random) -> str:
        assert len(self.filenames) > 2, "keep two issues, for prev/next links"
        number = rng.choice(sorted(self.filenames))
        (self.content / "issues" / self.filenames.pop(number)).unlink()
        self.issues.pop(number, None)
        return f"remove issue {number}"

    def retag_issue(self, rng: Random) -> str:
        number = rng.choice(sorted(self.issues))
        issue = self.issues[number]
        if rng.random() < 0.5:
            issue.tags = some_tags(rng)
            what = f"front-matter tags {issue.tags}"
        else:
            item = rng.choice([i for items in issue.sections.values() for i in items])
            item.tags = some_tags(rng)
            what = f"tags of {item.title!r}: {item.tags}"
        self.write_issue(number)
        return f"retag issue {number}: {what}"

    def rename_issue(self, rng: Random) -> str:
        number = rng.choice(sorted(self.filenames))
        old = self.filenames[number]
        new = old
        while new == old:
            new = f"{number:04d}-{rng.randrange(1000)}.md"
        (self.content / "issues" / old).rename(self.content / "issues" / new)
        self.filenames[number] = new
        return f"rename issue {number}: {old} -> {new}"

    def edit_commentary(self, rng: Random) -> str:
        number = rng.choice(sorted(self.issues))
        item = rng.choice([i for items in self.issues[number].sections.values() for i in items])
        code = "```" not in item.commentary  # add a code block, or take it away
        item.commentary = commentary(rng, code=code)
        self.write_issue(number)
        return f"edit {item.title!r} ({'with' if code else 'without'} code)"

    def edit_template(self, rng: Random) -> str:
        n = rng.randrange(1000)
        name, old, new = rng.choice(
            [
                ("partials/item.html", "</article>", f"</article>\n<!-- item {n} -->"),
                ("issue.html", "{% block kind %}issue", f"{{% block kind %}}issue n{n}"),
                (
                    "partials/document.html",
                    "{% block content %}",
                    f"{{% block content %}}<!-- page {n} -->",
                ),
                ("base.html", "跳到正文", f"跳到正文（{n}）"),
                ("static/style.css", "*/\n", f"*/\n/* {n} */\n"),
                ("partials/macros.html", '<p class="excerpt">', f'<p class="excerpt n{n}">'),
                ("tag.html", "<h1>", f'<h1 class="n{n}">'),
                ("feeds/atom.xml", "<entry>", f"<entry><!-- {n} -->"),
                (
                    "email/issue.html",
                    '<meta charset="utf-8">',
                    f'<meta charset="utf-8"><!-- {n} -->',
                ),
                ("wechat/article.html", '<section class="wx">', f'<section class="wx n{n}">'),
            ]
        )
        self.template(name, old, new)
        return f"edit templates/{name}"

    def edit_site(self, rng: Random) -> str:
        if rng.random() < 0.5:
            self.description = f"测试用的最小站点，第{rng.randrange(1000)}版。"
            what = f"description {self.description!r}"
        else:
            self.per_page = rng.choice([n for n in (1, 2, 3) if n != self.per_page])
            what = f"per_page {self.per_page}"
        self.write_site_toml()
        return f"site.toml: {what}"

    def add_post(self, rng: Random) -> str:
        slug = f"post-{rng.randrange(1000)}"
        while slug in self.posts:
            slug += "-x"
        body = " ".join(rng.sample(PHRASES, 2))
        if rng.random() < 0.5:
            body += "\n\n" + code_block(rng)
        day = FIRST_DAY + timedelta(days=rng.randrange(60))
        self.posts[slug] = PostSpec(f"随笔 {slug}", day, some_tags(rng), body)
        self.write_post(slug)
        return f"add post {slug}"

    def edit_post(self, rng: Random) -> str:
        slug = rng.choice(sorted(self.posts))
        post = self.posts[slug]
        # Only the body, which touches the post's own page and the feeds, nothing that lists it.
        if "```" in post.body:
            post.body = post.body.split("\n\n```")[0]
            what = "code block removed"
        else:
            post.body += "\n\n" + code_block(rng)
            what = "code block added"
        self.write_post(slug)
        return f"edit post {slug}: {what}"

    def remove_post(self, rng: Random) -> str:
        slug = rng.choice(sorted(self.posts))
        del self.posts[slug]
        (self.content / "posts" / f"{slug}.md").unlink()
        return f"remove post {slug}"


EDITS: dict[str, Callable[[Project, Random], str]] = {
    "add issue": Project.add_issue,
    "remove issue": Project.remove_issue,
    "retag issue": Project.retag_issue,
    "rename issue": Project.rename_issue,
    "edit commentary": Project.edit_commentary,
    "edit template": Project.edit_template,
    "edit site.toml": Project.edit_site,
    "add post": Project.add_post,
    "edit post": Project.edit_post,
    "remove post": Project.remove_post,
}


def plan(rng: Random) -> list[str]:
    """The edits of one sequence: ``STEPS`` different kinds, in a random order. Each kind
    appears at most once, which keeps every edit possible (two issues and a post remain)."""
    return rng.sample(sorted(EDITS), STEPS)


def clean_build(project: Project, where: Path) -> dict[str, bytes]:
    """Build a fresh copy of the project's content/ and templates/ (no site/, no .cache/)."""
    for part in ("content", "templates"):
        shutil.copytree(project.root / part, where / part)
    build(where)
    site = snapshot(where / "site")
    shutil.rmtree(where)
    return site


def differences(incremental: dict[str, bytes], clean: dict[str, bytes]) -> list[str]:
    """The paths where two builds differ, each with how."""
    found = []
    for path in sorted(incremental.keys() | clean.keys()):
        if path not in clean:
            found.append(f"only in the incremental build: {path}")
        elif path not in incremental:
            found.append(f"missing from the incremental build: {path}")
        elif incremental[path] != clean[path]:
            found.append(f"different: {path}")
    return found


def test_the_seeds_try_every_edit() -> None:
    tried = {kind for seed in SEEDS for kind in plan(Random(seed))}
    assert tried == set(EDITS)


@pytest.mark.parametrize("seed", SEEDS)
def test_incremental_builds_equal_clean_builds(tmp_path: Path, seed: int) -> None:
    rng = Random(seed)
    kinds = plan(rng)
    project = Project.create(tmp_path / "project", rng)
    build(project.root)
    for step, kind in enumerate(kinds):
        project.edits.append(EDITS[kind](project, rng))
        build(project.root)
        clean = clean_build(project, tmp_path / f"clean-{step}")
        diff = differences(snapshot(project.root / "site"), clean)
        assert not diff, f"seed {seed}, after: {'; '.join(project.edits)}\n" + "\n".join(diff)


def test_unchanged_files_keep_their_mtime(tmp_path: Path) -> None:
    rng = Random(0)
    project = Project.create(tmp_path / "project", rng)
    site = project.root / "site"
    build(project.root)
    # A no-op rebuild, then one issue's commentary edited.
    edits: list[Callable[[], str]] = [lambda: "nothing", lambda: project.edit_commentary(rng)]
    for edit in edits:
        before = {p: (data, (site / p).stat().st_mtime_ns) for p, data in snapshot(site).items()}
        time.sleep(0.05)  # a file rewritten now gets a later mtime, even on a coarse clock
        what = edit()
        build(project.root)
        after = snapshot(site)
        same = [p for p, (data, _) in before.items() if after.get(p) == data]
        touched = [p for p in same if (site / p).stat().st_mtime_ns != before[p][1]]
        assert not touched, f"after {what}, rewritten with the same bytes: " + ", ".join(touched)
        if what != "nothing":
            assert len(same) < len(before), "the edit should have changed some page"


def test_preview_rebuilds_equal_clean_builds(tmp_path: Path) -> None:
    """The preview's path (stats trusted, its own folder trusted, caches in memory) gives
    the pages a clean build gives; only its search index may lag, by design."""
    root = copy_project(ROOT, tmp_path / "project")
    target = tmp_path / "preview"
    preview = Preview(root, target)
    preview.build()
    issue = root / "content" / "issues" / "0002.md"

    def add_sentence() -> None:
        text = issue.read_text(encoding="utf-8")
        issue.write_text(text + "\n预览里加的一句话。\n", encoding="utf-8")

    def edit_template() -> None:
        with (root / "templates" / "partials" / "item.html").open("a", encoding="utf-8") as f:
            f.write("<!-- 预览里改的模板 -->\n")

    def rename() -> None:
        issue.rename(root / "content" / "issues" / "0002-renamed.md")

    def replace_image() -> None:  # the Markdown is unchanged: its stat, its key too
        (root / "content" / "issues" / "0001-pipeline.png").write_bytes(png(320, 200))

    edits: list[Callable[[], None]] = [add_sentence, edit_template, rename, replace_image]
    for n, edit in enumerate(edits):
        edit()
        preview.build()
        clean = tmp_path / f"clean{n}"
        for part in ("content", "templates"):
            shutil.copytree(root / part, clean / part)
        build(clean, BuildOptions(drafts=True))

        def pages(site: dict[str, bytes]) -> dict[str, bytes]:
            return {p: b for p, b in site.items() if not p.startswith("search/data/")}

        assert pages(snapshot(target)) == pages(snapshot(clean / "site")), n


def test_jobs_render_with_no_template_their_keys_do_not_name(tmp_path: Path) -> None:
    """A job's key names the templates its kind renders with (build/jobs.py: USES, and
    what those extend, include and import): rendering each job of the sample site from
    fresh documents loads no other template, so a template edit re-renders every job it
    can change."""
    root = copy_project(ROOT, tmp_path / "project")
    site, content, _ = load(root, drafts=True)
    loaded: list[str] = []
    original = jinja2.Environment.get_template

    def recording(self: jinja2.Environment, name: Any, *args: Any, **kwargs: Any) -> Any:
        loaded.append(name if isinstance(name, str) else name.name)
        return original(self, name, *args, **kwargs)

    catalog = catalog_of(content, site)
    count = len(plan_jobs(site, catalog, root / "templates", Session()))
    kinds = set()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2.Environment, "get_template", recording)
        for i in range(count):
            job = plan_jobs(site, catalog, root / "templates", Session())[i]  # nothing laid out yet
            kind = job.name.partition(":")[0]
            loaded.clear()
            job.render()
            if kind not in USES:  # keyed by every template file
                continue
            kinds.add(kind)
            env = site_env(site, root / "templates")
            allowed = template_closure(env, USES[kind])
            assert allowed is not None
            assert set(loaded) <= set(allowed), (
                f"{job.name} renders with {set(loaded) - set(allowed)}"
            )
    assert kinds == set(USES), f"the sample site has no job of kind {set(USES) - kinds}"


def png(width: int, height: int) -> bytes:
    """A blank PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))  # fmt: skip


def test_an_image_replaced_in_place_updates_its_page(tmp_path: Path) -> None:
    """The Markdown is unchanged, the image's size is not: the cached parse is not reused
    and the email (which gives images their width and height) is rendered again, as a
    clean build renders it."""
    root = copy_project(ROOT, tmp_path / "project")
    build(root)
    image = root / "content" / "issues" / "0001-pipeline.png"
    image.write_bytes(png(320, 200))
    build(root)
    clean = tmp_path / "clean"
    for part in ("content", "templates"):
        shutil.copytree(root / part, clean / part)
    build(clean)
    email = (root / "site" / "email" / "1.html").read_text(encoding="utf-8")
    assert 'height="200"' in email and 'width="320"' in email
    assert not differences(snapshot(root / "site"), snapshot(clean / "site"))
