"""The site writer refuses paths outside the site and duplicates, leaving the old site."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.errors import DigestError
from digest.model import Output
from digest.writer import SiteWriter


def _site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    return target


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b.html", ""])
def test_a_path_outside_the_site_is_refused_before_anything_is_written(
    tmp_path: Path, path: str
) -> None:
    target = _site(tmp_path)
    with SiteWriter(target) as writer, pytest.raises(DigestError, match="outside the site"):
        writer.stage(Output(path, b"x"))
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / "b.html").exists()
    assert (target / "index.html").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # the staging folder is gone


def test_two_outputs_on_one_path_are_refused_and_the_old_site_stays(tmp_path: Path) -> None:
    target = _site(tmp_path)
    with pytest.raises(DigestError, match="duplicate"), SiteWriter(target) as writer:
        writer.put(Output("index.html", b"new"))
        writer.put(Output("index.html", b"newer"))
        writer.commit()
    assert (target / "index.html").read_text() == "old"


def test_a_path_staged_elsewhere_is_recorded_once(tmp_path: Path) -> None:
    """What a worker process staged is claimed by the parent, duplicates refused there."""
    target = _site(tmp_path)
    with SiteWriter(target) as writer:
        assert writer.stage(Output("index.html", b"new")) is True
        assert writer.stage(Output("same.html", b"old")) is True
        writer.record("index.html", True)
        with pytest.raises(DigestError, match="duplicate"):
            writer.record("index.html", True)
        result = writer.commit()
    assert (target / "index.html").read_text() == "new"
    assert result.files == 1  # same.html was staged but never recorded: not part of the site
    assert not (target / "same.html").exists()


def test_a_file_where_the_new_site_needs_a_folder_stops_the_commit_before_any_move(
    tmp_path: Path,
) -> None:
    """site/tags/go a file (put there by hand, or left by another tool) where the new site
    has a folder: the commit had moved index.html in when FileExistsError stopped it, and
    the site was half old, half new."""
    target = _site(tmp_path)
    (target / "tags").mkdir()
    (target / "tags" / "go").write_text("in the way")
    with SiteWriter(target) as writer:
        writer.put(Output("index.html", b"new"))
        writer.put(Output("tags/go/index.html", b"new"))
        with pytest.raises(DigestError, match=r"tags/go is a file where the site has a folder"):
            writer.commit()
    assert (target / "index.html").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_file_or_folder_in_the_way_of_an_issues_email_is_said(tmp_path: Path) -> None:
    """'digest email' and 'digest wechat' write single files: site/email a file, or
    site/wechat/7 a file where a folder goes, ended them in FileExistsError."""
    from digest.writer import write_files

    target = _site(tmp_path)
    (target / "email").write_text("in the way")
    with pytest.raises(DigestError, match=r"cannot write .*email/7\.html: "):
        write_files([Output("email/7.html", b"<p>7</p>")], target)
    (target / "wechat" / "7.html").mkdir(parents=True)
    with pytest.raises(DigestError, match=r"cannot write .*wechat/7\.html: "):
        write_files([Output("wechat/7.html", b"<p>7</p>")], target)
    assert sorted(p.name for p in (target / "wechat").iterdir()) == ["7.html"]
