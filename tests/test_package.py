"""digest as a package: the wheel, installed into a fresh virtual environment with no source
checkout in sight, starts a digest with ``digest init`` and builds it with the theme it
carries; a project's own ``templates/`` overrides the theme file by file.

One wheel and one environment for the whole module (about 15 s: the dependencies come
from the package index pip is configured with)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT


def run(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """A command with no trace of the checkout: no PYTHONPATH, cwd outside it."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment with digest's wheel installed."""
    tmp = tmp_path_factory.mktemp("package")
    source = tmp / "source"  # built from a copy: no build/ or egg-info left in the checkout
    source.mkdir()
    for part in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / part, source / part)
    shutil.copytree(
        ROOT / "digest", source / "digest", ignore=shutil.ignore_patterns("__pycache__")
    )
    pip = [sys.executable, "-m", "pip"]
    run([*pip, "wheel", str(source), "--no-deps", "--quiet", "-w", str(tmp / "dist")], tmp)
    (wheel,) = (tmp / "dist").glob("digest-*.whl")
    run([sys.executable, "-m", "venv", str(tmp / "venv")], tmp)
    bin_dir = tmp / "venv" / "bin"
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], tmp)
    return bin_dir


def test_the_installed_package_starts_and_builds_a_digest(installed: Path, tmp_path: Path) -> None:
    where = run(
        [str(installed / "python"), "-c", "import digest; print(digest.__file__)"], tmp_path
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)  # not the checkout
    version = run([str(installed / "digest"), "--version"], tmp_path)
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert version.stdout.strip() == f"digest, version {declared['project']['version']}"

    project = tmp_path / "weekly"
    project.mkdir()
    run([str(installed / "digest"), "init", "--yes", "--title", "包里的周刊"], project)
    assert not (project / "templates").exists()
    run([str(installed / "digest"), "check"], project)
    run([str(installed / "digest"), "build"], project)

    page = (project / "site" / "issues" / "1" / "index.html").read_text(encoding="utf-8")
    assert "创刊号" in page and "包里的周刊" in page
    assert '<link rel="stylesheet"' in page
    theme = installed.parent / "lib"  # the stylesheet comes from the installed theme
    (css,) = theme.glob("python3*/site-packages/digest/theme/static/style.css")
    assert (project / "site" / "assets" / "style.css").read_bytes() == css.read_bytes()


def test_a_template_in_the_project_overrides_the_installed_one(
    installed: Path, tmp_path: Path
) -> None:
    project = tmp_path / "weekly"
    run([str(installed / "digest"), "init", str(project), "--yes"], tmp_path)
    item = project / "templates" / "partials" / "item.html"
    item.parent.mkdir(parents=True)
    item.write_text('<p class="mine">{{ ri.item.display_title }}</p>\n', encoding="utf-8")
    run([str(installed / "digest"), "build"], project)

    page = (project / "site" / "issues" / "1" / "index.html").read_text(encoding="utf-8")
    assert '<p class="mine">Markdown 十分钟入门</p>' in page
    assert "创刊号" in page  # the rest still comes from the installed theme
