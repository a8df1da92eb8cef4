"""Build speed and memory: `digest build` against Pelican (and Hugo when installed).

    make bench                        # installs the bench extra, then runs this
    .venv/bin/python benchmarks/build.py [--sizes 1000 5000] [--repeat 3] [--keep]
    .venv/bin/python benchmarks/build.py --variant default long [--sizes 1000] [--repeat 3]

For each size N, one synthetic archive (``archive.py``: N issues, N/2 posts, 200 tags)
is written for every tool, then each scenario is timed ``--repeat`` times, the tools
taking turns within every scenario, and the medians are printed as a Markdown table:

- cold build: everything in the project but its sources (output, caches) removed first;
- no-change rebuild: the same command again;
- one issue edited: a sentence added to the intro of issue N/2;
- one template edited: a comment appended to the single-issue template (digest
  ``templates/issue.html``, Pelican ``overrides/article.html`` extending the theme's,
  Hugo ``layouts/_default/single.html``);
- digest only, what ``digest serve`` does after a save (``Preview.build``): one
  process builds a preview once, then rebuilds after each of five edits to issue N/2
  (the median is reported).

The targets of the issue tracker are checked at the end (met / MISSED).

With ``--variant`` (names from ``archive.VARIANTS``, or ``all``), only the cold build is
timed, for an archive of each named shape (longer or shorter commentary, more or less
code, more or fewer tags), and one table a size gives each variant's medians, the
digest : Pelican ratio, and what each tool wrote (files, MB). Pelican is required there.

Peak memory is the largest sum of RSS over the tool's whole process tree (digest's
worker processes included), sampled from /proc every 20 ms, or the kernel's max RSS of
the process if larger. Pelican runs with its content cache on (``CONTENT_CACHING_LAYER =
"generator"``), never ``--autoreload``. Hugo has no persistent incremental build outside
``hugo server``, so its rebuild rows are plain ``hugo`` runs again, labelled as such.

Where Pelican comes from: ``.venv-bench/bin/pelican`` first, then the one beside this
Python, then PATH. Pelican 4.11+ caps Pygments below the version digest runs with, so the
``bench`` extra pins ``pelican<4.11`` (nothing in .venv changes); for the newest Pelican,
``python3 -m venv .venv-bench && .venv-bench/bin/pip install 'pelican[markdown]'``.
The exit code is 1 only when a tool fails; its log's last lines are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import archive

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {
    "cold": "cold build",
    "nochange": "no-change rebuild",
    "issue": "rebuild, one issue edited",
    "template": "rebuild, one template edited",
}
POLL = 0.02


class ToolFailed(Exception):
    """A build exited non-zero; the message holds the command and its last output."""


@dataclass
class Tool:
    """How to build one generated project, and which of its files are sources."""

    name: str
    project: Path
    command: list[str]
    sources: frozenset[str]
    template: Path
    comment: str  # a template comment, formatted with the edit's number
    output: str
    runs: dict[str, list[tuple[float, int]]] = field(default_factory=dict)

    def issue_file(self, number: int) -> Path:
        """The content file of issue ``number``."""
        if self.name == "pelican":
            return self.project / "content" / f"issue-{number:04d}.md"
        return self.project / "content" / "issues" / f"{number:04d}.md"


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):  # the task ended while we looked
            found += [int(c) for c in task.read_text().split()]
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    """The RSS of ``pid`` and all its descendants, in KiB (0 for a process already gone)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo += _children(p)
    return total


def measure(command: list[str], cwd: Path, log: Path) -> tuple[float, int]:
    """Run ``command``; its wall time in seconds and peak tree RSS in KiB."""
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while True:  # wait4, not Popen.wait, so the kernel's rusage comes back too
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(POLL)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise ToolFailed(f"{' '.join(command)} (in {cwd}) exited {proc.returncode}:\n{tail}")
    return seconds, max(peak, usage.ru_maxrss)


def clean(tool: Tool) -> None:
    """Remove all but the sources: output, caches, anything a build left."""
    for entry in tool.project.iterdir():
        if entry.name not in tool.sources:
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def edit_issue(path: Path, n: int) -> None:
    """Add a sentence as the last paragraph of the intro (item tag lines must stay last)."""
    text = path.read_text(encoding="utf-8")
    at = text.index("\n## ")
    path.write_text(f"{text[:at]}\n编者补记第 {n} 条：这里追加了一句话。\n{text[at:]}", "utf-8")


def find_pelican() -> str | None:
    """Pelican from .venv-bench, beside this Python, or on PATH."""
    for candidate in (ROOT / ".venv-bench" / "bin" / "pelican",
                      Path(sys.executable).parent / "pelican"):  # fmt: skip
        if candidate.exists():
            return str(candidate)
    return shutil.which("pelican")


def make_tools(dest: Path, pelican: str | None, hugo: str | None) -> list[Tool]:
    """The tools to compare, over the projects ``archive.generate`` wrote into ``dest``."""
    tools = [Tool("digest", dest / "digest",
                  [sys.executable, "-m", "digest.cli", "build", "--root", "."],
                  frozenset({"content", "templates"}), dest / "digest/templates/issue.html",
                  "{{# bench edit {n} #}}\n", "site")]  # fmt: skip
    if pelican:
        tools.append(Tool("pelican", dest / "pelican",
                          [pelican, "-s", "pelicanconf.py", "-o", "output", "-q"],
                          frozenset({"content", "overrides", "pelicanconf.py"}),
                          dest / "pelican/overrides/article.html",
                          "{{# bench edit {n} #}}\n", "output"))  # fmt: skip
    if hugo:
        tools.append(Tool("hugo", dest / "hugo", [hugo, "--quiet"],
                          frozenset({"config.toml", "content", "layouts"}),
                          dest / "hugo/layouts/_default/single.html",
                          "{{{{/* bench edit {n} */}}}}\n", "public"))  # fmt: skip
    return tools


def output_size(tool: Tool) -> tuple[int, int]:
    """The number of files the tool's last build left in its output folder, and their bytes."""
    sizes = [p.stat().st_size for p in (tool.project / tool.output).rglob("*") if p.is_file()]
    return len(sizes), sum(sizes)


def run_size(n: int, repeat: int, pelican: str | None, hugo: str | None, keep: bool) -> str:
    """Generate an archive of ``n`` issues, time every scenario, return the table."""
    dest = Path(tempfile.mkdtemp(prefix=f"digest-bench-{n}-"))
    try:
        started = time.perf_counter()
        archive.generate(n, dest, hugo=hugo is not None)
        print(f"N={n}: archive written in {time.perf_counter() - started:.1f} s ({dest})",
              file=sys.stderr)  # fmt: skip
        tools = make_tools(dest, pelican, hugo)
        files: dict[str, int] = {}
        for r in range(repeat):
            order = tools[r % len(tools) :] + tools[: r % len(tools)]
            for scenario in SCENARIOS:
                for tool in order:
                    if scenario == "cold":
                        clean(tool)
                    elif scenario == "issue":
                        edit_issue(tool.issue_file(n // 2), r)
                    elif scenario == "template":
                        with tool.template.open("a", encoding="utf-8") as f:
                            f.write(tool.comment.format(n=r))
                    run = measure(tool.command, tool.project, dest / f"{tool.name}.log")
                    tool.runs.setdefault(scenario, []).append(run)
                    print(f"  {tool.name:8} {SCENARIOS[scenario]:30} {run[0]:7.2f} s "
                          f"{run[1] / 1024:6.0f} MB", file=sys.stderr)  # fmt: skip
                    if scenario == "cold":
                        files[tool.name] = output_size(tool)[0]
        preview = preview_rebuilds(tools[0], n)
        print(f"  digest   preview rebuilds, one issue edited {preview:.3f} s", file=sys.stderr)
        lines = [table(n, tools, files),
                 f"\ndigest serve, in process, rebuild after one issue edited: {preview:.3f} s "
                 "(median of 5)", *targets(n, tools, preview)]  # fmt: skip
        return "\n".join(lines)
    finally:
        if keep:
            print(f"kept {dest}", file=sys.stderr)
        else:
            shutil.rmtree(dest, ignore_errors=True)


def run_variants(
    n: int, names: list[str], repeat: int, pelican: str, hugo: str | None, keep: bool
) -> str:
    """Cold builds of an ``n``-issue archive in each named shape; a table of the medians."""
    head = ["variant", "shape", "digest", "pelican", *(["hugo"] if hugo else []),
            "digest : pelican", "digest wrote", "pelican wrote"]  # fmt: skip
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in names:
        shape = archive.VARIANTS[name]
        dest = Path(tempfile.mkdtemp(prefix=f"digest-bench-{n}-{name}-"))
        try:
            archive.generate(n, dest, hugo=hugo is not None, shape=shape)
            tools = make_tools(dest, pelican, hugo)
            wrote: dict[str, tuple[int, int]] = {}
            for r in range(repeat):
                for tool in tools[r % len(tools) :] + tools[: r % len(tools)]:
                    clean(tool)
                    run = measure(tool.command, tool.project, dest / f"{tool.name}.log")
                    tool.runs.setdefault("cold", []).append(run)
                    wrote[tool.name] = output_size(tool)
                    print(f"  N={n} {name:11} {tool.name:8} cold build {run[0]:7.2f} s "
                          f"{run[1] / 1024:6.0f} MB", file=sys.stderr)  # fmt: skip
        finally:
            if keep:
                print(f"kept {dest}", file=sys.stderr)
            else:
                shutil.rmtree(dest, ignore_errors=True)
        med = {t.name: statistics.median(s for s, _ in t.runs["cold"]) for t in tools}
        cells = [name, shape.describe(), *(f"{med[t.name]:.2f} s" for t in tools),
                 f"{med['digest'] / med['pelican']:.2f}×",
                 *(f"{wrote[k][0]:,} files, {wrote[k][1] / 1e6:,.0f} MB"
                   for k in ("digest", "pelican"))]  # fmt: skip
        rows.append("| " + " | ".join(cells) + " |")
    return f"N = {n} issues, {n // 2} posts: cold build, median of {repeat}\n\n" + "\n".join(rows)


PREVIEW = """
import sys, time
from pathlib import Path
from digest.build.preview import Preview
root, issue = Path(sys.argv[1]), Path(sys.argv[2])
preview = Preview(root, root / "site")  # the benchmark's last build: the archive has no drafts
preview.build()
for i in range(5):
    with issue.open("a", encoding="utf-8") as f:
        f.write(f"\\n预览里的第 {i} 次修改。\\n")
    started = time.perf_counter()
    preview.build()
    print(time.perf_counter() - started)
"""


def preview_rebuilds(tool: Tool, n: int) -> float:
    """The median time of an in-process rebuild after one issue is edited (digest serve)."""
    done = subprocess.run([sys.executable, "-c", PREVIEW, str(tool.project),
                           str(tool.issue_file(n // 2))], cwd=tool.project, capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise ToolFailed(f"preview rebuilds: {done.stderr.strip()[-2000:]}")
    return statistics.median(float(line) for line in done.stdout.split())


def targets(n: int, tools: list[Tool], preview: float) -> list[str]:
    """The issue's targets for this size, each met or MISSED."""
    med = {t.name: {k: statistics.median(s for s, _ in t.runs[k]) for k in SCENARIOS}
           for t in tools}  # fmt: skip
    peak = max(m for runs in tools[0].runs.values() for _, m in runs) / 1024
    found = []
    if n == 1000 and "pelican" in med:
        found.append(("cold build at most half of Pelican's",
                      med["digest"]["cold"] <= med["pelican"]["cold"] / 2))  # fmt: skip
    if n == 1000 and "hugo" in med:
        found.append(
            ("cold build no slower than Hugo's", med["digest"]["cold"] <= med["hugo"]["cold"])
        )
    if n == 1000:
        found.append(("no-change rebuild under 1 s", med["digest"]["nochange"] < 1.0))
        found.append(("rebuild after one issue edited under 0.3 s (preview)", preview < 0.3))
    if n == 5000:
        found.append(("rebuild after one issue edited under 1 s (preview)", preview < 1.0))
        found.append(("peak memory under 300 MB", peak < 300))
    return [f"target {'met' if ok else 'MISSED'}: {name}" for name, ok in found]


def table(n: int, tools: list[Tool], files: dict[str, int]) -> str:
    """The medians as a Markdown table, one row a scenario, plus memory and output size."""
    names = [t.name for t in tools]
    head = [f"N = {n} issues, {n // 2} posts", *names]
    if "pelican" in names:
        head.append("digest : pelican")
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def row(label: str, values: dict[str, float], fmt: str) -> str:
        cells = [label] + [fmt.format(values[k]) for k in names]
        if "pelican" in names:
            cells.append(f"{values['digest'] / values['pelican']:.2f}×")
        return "| " + " | ".join(cells) + " |"

    for key, label in SCENARIOS.items():
        med = {t.name: statistics.median(s for s, _ in t.runs[key]) for t in tools}
        star = " (hugo: full build again)" if key != "cold" and "hugo" in names else ""
        rows.append(row(label + star, med, "{:.2f} s"))
    peak = {t.name: max(m for runs in t.runs.values() for _, m in runs) / 1024 for t in tools}
    rows.append(row("peak memory, process tree", peak, "{:.0f} MB"))
    rows.append(row("files in the output", {k: float(v) for k, v in files.items()}, "{:.0f}"))
    return "\n".join(rows)


def version(command: list[str]) -> str:
    """The first line a ``--version`` style command prints."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"


def machine() -> str:
    """CPU count and model, from os and /proc/cpuinfo."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} CPUs, {model}, Linux {platform.release()}"


def main() -> int:
    """Parse arguments, run every size, print the tables; 1 if a tool failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        help="issues in each archive (default: 1000 5000; 1000 with --variant)",
    )
    parser.add_argument(
        "--variant",
        nargs="+",
        choices=[*archive.VARIANTS, "all"],
        help="cold builds only, for archives of these shapes",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("--pelican", default=find_pelican(), help="the pelican command")
    args = parser.parse_args()
    pelican, hugo = args.pelican, shutil.which("hugo")
    variants = list(archive.VARIANTS) if "all" in (args.variant or ()) else args.variant
    sizes = args.sizes or ([1000] if variants else [1000, 5000])
    if variants and not pelican:
        parser.error("--variant compares with Pelican: install the bench extra (make bench)")
    started = time.perf_counter()
    print(f"{datetime.now():%Y-%m-%d %H:%M}, {machine()}, Python {platform.python_version()}")
    versions = (version([pelican, "--version"]) if pelican else "not installed",
                version([hugo, "version"]) if hugo else "not installed")  # fmt: skip
    print("pelican: {}; hugo: {}\n".format(*versions), flush=True)
    try:
        for n in sizes:
            if variants:
                text = run_variants(n, variants, args.repeat, pelican, hugo, args.keep)
            else:
                text = run_size(n, args.repeat, pelican, hugo, args.keep)
            print(text, end="\n\n", flush=True)
    except ToolFailed as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(f"medians of {args.repeat} run(s); whole benchmark {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
