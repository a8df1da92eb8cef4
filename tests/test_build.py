"""Whole builds: determinism, drafts, the atomic swap, template errors, the CLI and preview."""

from __future__ import annotations

import os
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.build import catalog
from digest.build.cache import BuildCache
from digest.build.catalog import Reading
from digest.build.pipeline import BuildOptions, build
from digest.build.preview import Preview
from digest.build.session import Session
from digest.cli import main
from digest.commands.serve import make_server
from digest.errors import ContentError, DigestError
from tests.conftest import ROOT, copy_project, snapshot


def test_two_builds_are_byte_identical(tmp_path: Path, sample_site: Path) -> None:
    again = tmp_path / "again"
    build(ROOT, BuildOptions(target=again))
    first, second = snapshot(sample_site), snapshot(again)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_drafts_are_built_only_when_asked(minimal: Path) -> None:
    draft = minimal / "content" / "issues" / "002.md"
    draft.write_text(
        "---\nnumber: 2\ntitle: 草稿\ndate: 2026-01-09\ndraft: true\n---\n\n还没写完。\n",
        encoding="utf-8",
    )
    build(minimal)
    assert not (minimal / "site" / "issues" / "2").exists()
    assert "草稿" not in (minimal / "site" / "feed.xml").read_text(encoding="utf-8")
    build(minimal, BuildOptions(target=minimal / "preview", drafts=True))
    assert (minimal / "preview" / "issues" / "2" / "index.html").is_file()


def test_a_rebuild_replaces_the_site_and_drops_stale_files(minimal: Path) -> None:
    build(minimal)
    (minimal / "content" / "posts" / "hello.md").unlink()
    build(minimal)
    assert not (minimal / "site" / "posts" / "hello").exists()
    # Nothing is left beside the site but the caches (the search index lives in .cache/).
    assert sorted(p.name for p in minimal.iterdir()) == [".cache", "content", "site", "templates"]


def test_template_error_names_template_and_line_and_keeps_site(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    build(Path("."))
    before = snapshot(minimal / "site")
    tag = minimal / "templates" / "tag.html"
    lines = tag.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "<p>{{ tag.colour }}</p>")
    tag.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.stderr.startswith("templates/tag.html:4: ")
    assert "colour" in result.stderr
    tag.write_text("{% block content %}{% if %}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.stderr.startswith("templates/tag.html:1: ")
    assert snapshot(minimal / "site") == before


def test_templates_that_include_or_extend_themselves_are_an_error_at_their_line(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An include that comes back to itself, and a page extending its own name (the
    project's, not the theme's): Python's RecursionError ended the build as an internal
    error; 'digest email' and 'digest new' render the same way."""
    monkeypatch.chdir(minimal)
    build(Path("."))
    before = snapshot(minimal / "site")
    loop = minimal / "templates" / "partials" / "loop.html"
    loop.write_text('<p>\n{% include "partials/loop.html" %}\n', encoding="utf-8")
    tag = minimal / "templates" / "tag.html"
    tag.write_text('{% include "partials/loop.html" %}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("templates/partials/loop.html:2: ")
    assert "include, extend or call one another without end" in result.stderr
    tag.write_text('{% extends "tag.html" %}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("templates/tag.html:1: ")
    assert snapshot(minimal / "site") == before


def test_a_template_not_in_utf8_is_named_with_its_line_and_how_to_convert_it(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template override saved as GBK (Notepad's 'ANSI' on a Chinese Windows): Jinja's
    UnicodeDecodeError ended the build as an internal error."""
    monkeypatch.chdir(minimal)
    tag = minimal / "templates" / "tag.html"
    text = tag.read_text(encoding="utf-8") + "<p>标签页</p>\n"
    tag.write_bytes(text.encode("gbk"))
    line = next(n for n, s in enumerate(text.splitlines(), 1) if not s.isascii())
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(
        f"templates/tag.html:{line}: file is GBK/GB18030, not UTF-8; convert it with: iconv"
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("{{ title + 1 }}", 'TypeError: can only concatenate str (not "int") to str'),
        ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
        ("{{ title | round }}", "TypeError: type str doesn't define __round__ method"),
    ],
)
def test_an_expression_of_a_template_that_fails_is_an_error_at_its_line(
    minimal: Path, monkeypatch: pytest.MonkeyPatch, expression: str, message: str
) -> None:
    """A template's own expression raising what Python raises (adding a number to text,
    dividing by zero, a filter given a value it cannot take) ended the build as an internal
    error."""
    monkeypatch.chdir(minimal)
    tag = minimal / "templates" / "tag.html"
    tag.write_text(
        '{% extends "base.html" %}\n{% block content %}\n' + expression + "\n{% endblock %}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"templates/tag.html:3: {message}\n"


def test_build_command_reports_what_it_built(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0
    assert result.stdout.startswith("built 1 issue and 1 post into site: ")
    assert (minimal / "site" / "issues" / "1" / "index.html").is_file()


def test_missing_site_config_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path}/content/site.toml: cannot read site config")


def test_preview_server_mounts_the_site_at_its_base_path(sample_site: Path) -> None:
    server = make_server(sample_site, 18200, "/digest/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/digest/issues/1/") as page:
            assert "TB一周萃选[第1期]" in page.read().decode("utf-8")
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/digest/no/such/page/")
        assert missing.value.code == 404
        assert "页面不存在" in missing.value.read().decode("utf-8")
        # A taken port is skipped, not fatal.
        second = make_server(sample_site, port, "/digest/")
        assert second.server_address[1] != port
        second.server_close()
    finally:
        server.shutdown()
        server.server_close()


def test_outputs_name_the_content_files_they_depend_on() -> None:
    from digest.build.jobs import render_all
    from digest.config import load_config
    from digest.content import load_content
    from digest.renderer.documents import catalog_of

    site = load_config(ROOT / "content" / "site.toml")
    content = load_content(ROOT / "content", site)
    catalog = catalog_of(content, site)
    outputs = {o.path: o for o in render_all(site, catalog, ROOT / "templates")}
    issues = {i.number: i.source for i in content.issues}

    assert outputs["issues/2/index.html"].inputs == {issues[1], issues[2], issues[3]}
    assert outputs["issues/1/index.html"].inputs == {issues[1], issues[2]}
    go_sources = {e.source for e in content.entries() if any(t.slug == "go" for t in e.all_tags)}
    assert outputs["tags/go/index.html"].inputs == go_sources
    assert outputs["tags/go/feed.xml"].inputs == go_sources
    image = next(a for a in content.issues[0].assets)
    assert outputs[f"issues/1/{image.target}"].source == image.source


def test_a_parallel_build_is_the_same_as_a_serial_one(tmp_path: Path) -> None:
    from digest.build import parallel

    if parallel.workers() < 2:
        pytest.skip("one core: nothing runs in parallel")
    serial = copy_project(ROOT, tmp_path / "serial")
    forked = copy_project(ROOT, tmp_path / "forked")
    build(serial)
    build(forked, BuildOptions(parallel=True, min_jobs=1))  # every job and fragment in workers
    here, there = parallel.last_split  # both this process and a worker rendered
    with BuildCache(forked / ".cache" / "build.sqlite") as cache:
        jobs = len(cache.jobs(forked / "site")) - 1  # all but the search index
    assert here > 0 and there > 0 and here + there == jobs  # and nothing fell back
    assert catalog.parsed_elsewhere == 6  # and read every file
    assert snapshot(forked / "site") == snapshot(serial / "site")


def test_a_template_error_in_a_parallel_build_is_reported_as_in_one_process(
    tmp_path: Path,
) -> None:
    """A job that fails, here or in a worker, is rendered again in this process, in the
    order of a one-process build: the same message, and the site as it was."""
    from digest.build import parallel

    if parallel.workers() < 2:
        pytest.skip("one core: nothing runs in parallel")
    messages = []
    for name, options in (("serial", {}), ("forked", {"parallel": True, "min_jobs": 1})):
        root = copy_project(ROOT, tmp_path / name)
        build(root)
        before = snapshot(root / "site")
        page = root / "templates" / "partials" / "document.html"  # issue.html's layout
        lines = page.read_text(encoding="utf-8").splitlines()
        # Two issues fail, and a tag page would too: the first in build order is reported.
        at = lines.index("  <h1>{% block heading %}{{ doc.title }}{% endblock %}</h1>") + 1
        lines.insert(
            at, "{% if doc.url in ('issues/2/', 'issues/3/') %}{{ doc.colour }}{% endif %}"
        )
        page.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tag = root / "templates" / "tag.html"
        tag.write_text(tag.read_text(encoding="utf-8").replace("{{ tag.name }}", "{{ tag.hue }}"))
        with pytest.raises(DigestError) as caught:
            build(root, BuildOptions(**options))  # type: ignore[arg-type]
        messages.append(str(caught.value).replace(str(root), "ROOT"))
        assert snapshot(root / "site") == before
    assert messages[0].startswith(f"ROOT/templates/partials/document.html:{at + 1}: ")
    assert "colour" in messages[0]
    assert messages[1] == messages[0]


def test_problems_found_in_parallel_are_reported_as_in_one_process(tmp_path: Path) -> None:
    """Workers read the files apart: a file with a problem of its own is read again in
    order, and tags that clash across files are found when their uses are replayed."""
    from digest.build import parallel

    if parallel.workers() < 2:
        pytest.skip("one core: nothing runs in parallel")
    messages = []
    for name, options in (("serial", {}), ("forked", {"parallel": True, "min_jobs": 1})):
        root = copy_project(ROOT, tmp_path / name)
        issues = root / "content" / "issues"
        text = (issues / "0002.md").read_text(encoding="utf-8")
        (issues / "0002.md").write_text(text.replace("date:", "date: 不是日期 #", 1), "utf-8")
        (issues / "0009.md").write_text(
            "---\nnumber: 9\ntitle: 九\ndate: 2026-03-01\ntags: [GO]\n---\n\n开篇。\n", "utf-8"
        )
        for n in range(10, 16):  # enough new files for the workers
            (issues / f"00{n}.md").write_text(
                f"---\nnumber: {n}\ntitle: 第{n}期\ndate: 2026-03-{n}\n---\n\n开篇。\n", "utf-8"
            )
        with pytest.raises(ContentError) as caught:
            build(root, BuildOptions(**options))  # type: ignore[arg-type]
        messages.append(str(caught.value).replace(str(root), "ROOT"))
    assert catalog.parsed_elsewhere > 0
    assert "GO" in messages[0] and "date" in messages[0]
    assert messages[1] == messages[0]


def test_a_no_change_rebuild_repairs_a_damaged_site(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    build(project)
    before = snapshot(project / "site")
    (project / "site" / "issues" / "2" / "index.html").unlink()
    (project / "site" / "tags" / "index.html").write_text("edited by hand", encoding="utf-8")
    again = build(project)
    assert snapshot(project / "site") == before
    assert again.files - again.unchanged == 2  # the two damaged files, nothing else
    quick = build(project)  # nothing changed now: the inputs digest matches
    assert (quick.files, quick.unchanged) == (len(before), len(before))
    assert snapshot(project / "site") == before


def test_the_build_cache_forgets_folders_that_are_gone(tmp_path: Path) -> None:
    import sqlite3

    project = copy_project(ROOT, tmp_path / "project")
    build(project, BuildOptions(target=tmp_path / "preview"))  # like digest check's folder
    shutil.rmtree(tmp_path / "preview")
    build(project)
    with sqlite3.connect(project / ".cache" / "build.sqlite") as db:
        targets = {t for (t,) in db.execute("SELECT DISTINCT target FROM jobs")}
    assert targets == {str((project / "site").resolve())}


def test_a_build_holds_cards_not_entries(tmp_path: Path) -> None:
    """What keeps a big archive's build small: once the cache has parsed the files, the
    catalog is made of cards, and no issue or post is in memory until a job shows it."""
    import gc

    from digest.config import load_config
    from digest.model import Issue, Post

    root = copy_project(ROOT, tmp_path / "project")
    build(root)

    def entries() -> list[Issue | Post]:
        gc.collect()
        return [o for o in gc.get_objects()
                if isinstance(o, (Issue, Post)) and root in o.source.parents]  # fmt: skip

    before = entries()  # the last build's, still held by its caches (and kept alive here)
    site = load_config(root / "content" / "site.toml")
    with BuildCache(root / ".cache" / "build.sqlite") as cache:
        loaded, _ = catalog.load_catalog(root, site, cache, {}, Reading(), Session())
        assert len(loaded.cards) == 6
        assert {id(o) for o in entries()} <= {id(o) for o in before}  # none read
        card = next(c for c in loaded.cards if c.kind == "issue")
        issue = loaded.load(card)  # a job's
        assert isinstance(issue, Issue) and issue.source == card.source
        assert {id(o) for o in entries()} - {id(o) for o in before}


def test_the_preview_reports_a_problem_until_it_is_fixed(tmp_path: Path) -> None:
    """A file with a (non-fatal) problem is never remembered as read: the preview's next
    build, after a save elsewhere, reports it again."""
    root = copy_project(ROOT, tmp_path / "project")
    target = tmp_path / "preview"
    preview = Preview(root, target)
    preview.build()
    issue = root / "content" / "issues" / "0003.md"
    text = issue.read_text(encoding="utf-8")
    broken = text.replace("\n### ", "\n不属于任何条目的一行。\n\n### ", 1)
    assert broken != text
    issue.write_text(broken, encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentError, match=r"0003\.md"):
            preview.build()
        other = root / "content" / "issues" / "0001.md"
        other.write_text(other.read_text(encoding="utf-8") + "\n又一句。\n", encoding="utf-8")
    issue.write_text(text, encoding="utf-8")
    preview.build()


def test_a_parallel_build_tells_its_progress_and_a_build_with_nothing_to_do_does_not(
    tmp_path: Path,
) -> None:
    """``progress`` hears of every content file read in a worker, then of every job
    rendered, in order and up to the totals; the next build, with nothing to do, is silent."""
    from digest.build import parallel

    if parallel.workers() < 2:
        pytest.skip("one core: files are read here, without a reading stage")
    root = copy_project(ROOT, tmp_path / "project")
    heard: list[tuple[str, int, int]] = []
    build(root, BuildOptions(parallel=True, min_jobs=1, progress=lambda *told: heard.append(told)))
    stages = [stage for stage, _, _ in heard]
    assert stages == sorted(stages, key=["reading", "rendering"].index)  # reading first
    with BuildCache(root / ".cache" / "build.sqlite") as cache:
        jobs = len(cache.jobs(root / "site")) - 1  # all but the search index
    for stage, total in (("reading", 6), ("rendering", jobs)):
        done = [d for s, d, t in heard if s == stage and t == total]
        assert len(done) == len([s for s in stages if s == stage]), stage  # one total
        assert done == sorted(done) and done[-1] == total, stage
    heard.clear()
    build(root, BuildOptions(parallel=True, min_jobs=1, progress=lambda *told: heard.append(told)))
    assert heard == []


def test_the_previews_first_build_may_use_every_core_and_makes_the_same_site(
    tmp_path: Path,
) -> None:
    """``digest serve`` builds at start on every core (``fork``: before its threads
    exist), telling its progress; the preview is the one a one-process preview makes."""
    from digest.build import parallel

    if parallel.workers() < 2:
        pytest.skip("one core: nothing runs in parallel")
    root = copy_project(ROOT, tmp_path / "project")
    serial, forked = tmp_path / "serial", tmp_path / "forked"
    serial.mkdir()
    forked.mkdir()
    Preview(root, serial).build()
    heard: list[tuple[str, int, int]] = []
    parallel.last_split = (0, 0)  # not left over from another build
    Preview(root, forked, min_jobs=1).build(fork=True, progress=lambda *told: heard.append(told))
    here, there = parallel.last_split
    assert here > 0 and there > 0
    assert heard and heard[-1][0] == "rendering" and heard[-1][1] == heard[-1][2] == here + there
    assert snapshot(forked) == snapshot(serial)


def test_a_link_urllib_cannot_split_is_left_as_written(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``http://[::1`` (an IPv6 bracket never closed) in an issue's text made urllib raise
    ValueError in the build's Markdown, the email's link tagging and the check of links."""
    (minimal / "content/issues/002.md").write_text(
        "---\nnumber: 2\ntitle: 第二期\ndate: 2026-01-09\n---\n\n"
        "本机的 [服务](http://[::1) 和 ![图](http://[::1/a.png)，另见 [r][1]。\n\n"
        "[1]: http://[::1\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(minimal)
    runner = CliRunner()
    for command in (["build"], ["email", "2"], ["check"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 0, (command, result.output)
    assert 'href="http://[::1"' in (minimal / "site/issues/2/index.html").read_text()
    assert "http://[::1" in (minimal / "site/email/2.html").read_text()


@pytest.mark.parametrize("out", ["content", "content/issues", ".", "..", "templates", "../mine"])
def test_a_build_never_fills_a_folder_holding_files_it_did_not_make(
    minimal: Path, monkeypatch: pytest.MonkeyPatch, out: str
) -> None:
    """A commit removes every file of the target that the build does not make: '--out
    content' deleted the editor's Markdown, '--out ..' the folder holding the project."""
    (minimal.parent / "mine").mkdir()
    (minimal.parent / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    (minimal / "templates").mkdir(exist_ok=True)
    (minimal / "templates" / "issue.html").write_text("{% extends 'base.html' %}")

    def files() -> dict[str, bytes]:
        return {k: v for k, v in snapshot(minimal.parent).items() if "/.cache/" not in k}

    before = files()
    monkeypatch.chdir(minimal)
    result = CliRunner().invoke(main, ["build", "--out", out])
    assert result.exit_code == 1, result.output
    assert f"refusing to build into {out}: it holds " in result.stderr
    assert files() == before


def test_a_site_folder_that_links_to_nowhere_is_said(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """site/ a symbolic link to a folder not there (a moved Pages checkout): the build
    ended in NotADirectoryError renaming its staged folder onto the link."""
    nowhere = minimal.parent / "gone" / "site"
    (minimal / "site").symlink_to(nowhere)
    monkeypatch.chdir(minimal)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1, result.output
    assert f"refusing to build into site: it is a link to {nowhere}, which is not there" in (
        result.stderr
    )
    result = CliRunner().invoke(main, ["email", "1"])
    assert result.exit_code == 1, result.output
    assert f"cannot write into site: it is a link to {nowhere}, which is not there" in (
        result.stderr
    )
    assert (minimal / "site").is_symlink() and not nowhere.exists()
    assert [p.name for p in minimal.iterdir() if p.name.startswith(".site")] == []
    (minimal / "site").unlink()
    (minimal / "site").symlink_to("site")
    result = CliRunner().invoke(main, ["build"])
    assert "refusing to build into site: it is a link that leads back to itself" in (result.stderr)


def test_a_site_whose_build_record_is_lost_keeps_hidden_files(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the cache, the build walks site/ to find what to remove; a Pages checkout's
    .git and .nojekyll are not the build's, and stay."""
    monkeypatch.chdir(minimal)
    runner = CliRunner()
    assert runner.invoke(main, ["build"]).exit_code == 0
    shutil.rmtree(minimal / ".cache")
    (minimal / "site" / ".git").mkdir()
    (minimal / "site" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (minimal / "site" / ".nojekyll").write_text("")
    (minimal / "site" / "stale.html").write_text("gone soon")
    assert runner.invoke(main, ["build"]).exit_code == 0
    assert (minimal / "site" / ".git" / "HEAD").exists()
    assert (minimal / "site" / ".nojekyll").exists()
    assert not (minimal / "site" / "stale.html").exists()


@pytest.mark.parametrize(
    "how", ["a link to itself", "a file", "a link to nowhere", "no permission"]
)
def test_an_issues_folder_that_cannot_be_read_is_an_error_not_an_empty_archive(
    minimal: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A folder the build cannot list (a link that leads back to itself, chmod 000, a
    volume mounted for another user): glob found no issue in it, the build succeeded,
    and it removed every issue page from site/."""
    if how == "no permission" and os.geteuid() == 0:
        pytest.skip("root reads every folder")
    monkeypatch.chdir(minimal)
    build(Path("."))
    before = snapshot(minimal / "site")
    issues = minimal / "content" / "issues"
    if how != "no permission":
        issues.rename(issues.with_name("kept"))
    if how == "a link to itself":
        issues.symlink_to("issues")
        why = "Too many levels of symbolic links"
    elif how == "a file":
        issues.write_text("", encoding="utf-8")
        why = "it is a file, not a folder"
    elif how == "a link to nowhere":
        issues.symlink_to("../archive/issues")
        why = "it is a link to ../archive/issues, which is not there"
    else:
        issues.chmod(0)
        why = "Permission denied"
    try:
        result = CliRunner().invoke(main, ["build"])
    finally:
        if how == "no permission":
            issues.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert f"content/issues: cannot read this folder: {why}" in result.stderr
    assert snapshot(minimal / "site") == before
