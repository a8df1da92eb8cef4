"""The one place where the ``digest`` command prints text; ``cli.py`` says what, this says how.

Almost every line it prints carries text from the editor's files or from the network: URLs
(``?filter[status]=open``), titles, servers' replies, file names with line numbers
(``content/issues/0004.md:100:``). All of it is printed as it is written, whatever the
output is:

- never read as rich markup (``[/x]``, ``[bold]``) or emoji codes (``:smile:``, ``:100:``):
  lines are written by click, and the fetch table's cells are rich ``Text``;
- with the control characters that would drive the terminal (``ESC[2J``, OSC 8 links, a
  carriage return over the previous text, a bell) shown as ``\\x1b``-style escapes, so a
  scraped title cannot clear the screen or fake a line. Tabs and newlines stay.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from digest.commands.importing import ImportReport
    from digest.scraper.run import FetchReport

# C0 controls but tab and newline, DEL, and the C1 controls (0x9b is an 8-bit ESC [).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_CONTROL = re.compile(r"[\x7f-\x9f]")  # json.dumps escapes the C0 ones itself


def shown(text: str) -> str:
    """``text`` as it is, but with its terminal control characters as visible escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print ``text`` (on stderr with ``err``) as it is: see the module's docstring."""
    click.echo(shown(text), err=err, nl=nl)


def warn(message: str) -> None:
    """A warning on stderr; the command goes on."""
    echo(f"warning: {message}", err=True)


def echo_json(value: object) -> None:
    """``value`` as indented JSON with its text unescaped, control characters escaped."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    click.echo(_JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def print_fetch_report(report: FetchReport, *, quiet: bool = False) -> None:
    """A table of every link or feed with a problem (one greppable line each when the
    output is not a terminal), the summariser's failures, then one summary line."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = Console(markup=False, emoji=False, highlight=False)
    problems = report.problems
    rows = [(str(p.where), p.url, p.outcome, p.detail) for p in problems]
    if rows and out.is_terminal:
        table = Table(title="links and feeds that need a look")
        for column in ("where", "url", "outcome", "detail"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(shown(cell)) for cell in row))  # Text: never read as markup
        out.print(table)
    else:  # logs (CI) get one greppable line per problem, like a compiler's
        for where, url, outcome, detail in rows:
            echo(f"{where}: {outcome}: {url} ({detail})")
    for url, why in report.summary_failures:
        echo(f"summariser failed for {url}: {why}")
    if not quiet:
        new = sum(f.new_entries for f in report.feeds)
        echo(
            f"{len(report.links)} links, {len(report.feeds)} feeds: {report.requests} requests "
            f"in {report.seconds:.2f} s, {report.writes} cache updates, {new} new feed entries, "
            f"{len(problems)} problems"
        )


def print_import_report(report: ImportReport, *, quiet: bool = False) -> None:
    """A line per file (what was done and from where), what was skipped and why, then
    every file that needs a look with its reasons, and one summary line. With ``quiet``,
    only what needs a look and what went wrong."""
    counts: dict[str, int] = {}
    for out in report.outcomes:
        counts[out.action] = counts.get(out.action, 0) + 1
        if not quiet:
            echo(f"{out.action:>9}  {out.path}  ({out.origin}: {out.title})")
    if not quiet:
        for skip in report.skipped:
            echo(f"{'skipped':>9}  {skip.origin}: {skip.title}: {skip.why}")
    looks = [out for out in report.outcomes if out.notes]
    if looks:
        echo("needs a look:" if quiet else "\nneeds a look:")
        for out in looks:
            for note in out.notes:
                echo(f"  {out.path}: {note}")
    for problem in report.problems:
        echo(f"error: {problem}", err=True)
    if not quiet:
        done = ", ".join(
            f"{counts.get(action, 0)} {action}"
            for action in ("written", "updated", "unchanged", "kept")
        )
        dropped = f"; {report.comments} comments dropped" if report.comments else ""
        echo(f"\n{done}; {len(report.skipped)} skipped; {len(looks)} needing a look{dropped}")
