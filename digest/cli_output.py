"""What the ``digest`` command prints beyond a line or two: the report of ``digest fetch``.

Kept beside ``cli.py`` so that it stays a readable list of commands. Everything here
prints text from the network or from the editor's files (URLs, servers' error messages,
the summariser's complaints), so rich is told to print it as it is: no ``[markup]``, no
``:emoji:`` codes.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from digest.scraper.run import FetchReport


def print_fetch_report(report: FetchReport, *, quiet: bool = False) -> None:
    """A table of every link or feed with a problem (one greppable line each when the
    output is not a terminal), the summariser's failures, then one summary line."""
    out = Console(markup=False, emoji=False, highlight=False)
    problems = report.problems
    rows = [(str(p.where), p.url, p.outcome, p.detail) for p in problems]
    if rows and out.is_terminal:
        table = Table(title="links and feeds that need a look")
        for column in ("where", "url", "outcome", "detail"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))  # Text: never read as markup
        out.print(table)
    else:  # logs (CI) get one greppable line per problem, like a compiler's
        for where, url, outcome, detail in rows:
            _line(out, f"{where}: {outcome}: {url} ({detail})")
    for url, why in report.summary_failures:
        _line(out, f"summariser failed for {url}: {why}")
    if not quiet:
        new = sum(f.new_entries for f in report.feeds)
        _line(
            out,
            f"{len(report.links)} links, {len(report.feeds)} feeds: {report.requests} requests "
            f"in {report.seconds:.2f} s, {report.writes} cache updates, {new} new feed entries, "
            f"{len(problems)} problems",
        )


def _line(out: Console, text: str) -> None:
    """One line as it is, never wrapped (so that grep finds it whole)."""
    out.print(text, soft_wrap=True, markup=False, emoji=False, highlight=False)
