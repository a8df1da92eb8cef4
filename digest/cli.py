"""The ``digest`` command: turns DigestError into a message and an exit code; nothing else.

Exit codes: 0 done; 1 a problem in the input or the outcome (content errors, check
errors, ``--strict`` warnings, a send left incomplete); 2 a usage error; 3 an internal
error (a bug: ``-v`` shows the traceback); 141 when the output's reader left (``| head``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from digest import __version__
from digest.build.pipeline import BuildOptions, BuildResult
from digest.build.pipeline import build as run_build
from digest.cli_output import echo, echo_json, warn
from digest.errors import DigestError

if TYPE_CHECKING:
    from rich.progress import TaskID

    from digest.commands.importing import ImportReport

INTERNAL_ERROR = 3
PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell shows for a tool its pipe's reader left


@dataclass(frozen=True)
class Options:
    """The global options, in ``ctx.obj``."""

    verbose: int = 0
    quiet: bool = False


def _many(count: int, noun: str) -> str:
    """``1 issue``, ``2 issues``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _documents(result: BuildResult) -> str:
    """``1 issue and 3 posts``."""
    return f"{_many(result.issues, 'issue')} and {_many(result.posts, 'post')}"


def _quiet() -> bool:
    """Whether ``-q`` was given."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and isinstance(ctx.obj, Options) and ctx.obj.quiet)


def say(message: str) -> None:
    """Informational output, silenced by ``-q``."""
    if not _quiet():
        echo(message)


@contextlib.contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on stderr for a build's long stages, when stderr is a terminal and
    ``-q`` is not given; gone once the build ends. It is redrawn only when told of
    progress (no refresh thread: the build forks its workers, and a process must not
    fork while another thread may hold a lock)."""
    if _quiet() or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    label = TextColumn("{task.description:9}", markup=False)  # no [markup] or :emoji:
    columns = (label, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    console = Console(stderr=True, emoji=False, highlight=False)
    with Progress(*columns, console=console, auto_refresh=False, transient=True) as bar:
        tasks: dict[str, TaskID] = {}
        shown = 0.0

        def update(stage: str, done: int, total: int) -> None:
            nonlocal shown
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)
            now = time.monotonic()
            if now - shown >= 0.1 or done == total:  # ten frames a second at most
                bar.refresh()
                shown = now

        yield update


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DigestError as exc:
            echo(str(exc), err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # the output's reader left (digest inspect URL | head)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error
            sys.exit(PIPE_CLOSED)  # as a Unix tool stopped by SIGPIPE, with no message
        except Exception as exc:
            if isinstance(ctx.obj, Options) and ctx.obj.verbose:
                raise
            message = f"internal error: {type(exc).__name__}: {exc}"
            echo(f"{message} (run with -v for the traceback; please report it)", err=True)
            sys.exit(INTERNAL_ERROR)


def _set_quiet(ctx: click.Context, _param: click.Parameter, quiet: bool) -> None:
    """``-q`` after the command's name means what it means before it."""
    if quiet:
        ctx.obj = replace(ctx.find_object(Options) or Options(), quiet=True)


_quiet_option = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    callback=_set_quiet,
    help="Only warnings and errors (the same as digest -q COMMAND).",
)

_root = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project: holds content/ and templates/.",
)


@click.group(
    cls=_Group,
    epilog="""\b
A week with digest:
  digest init weekly        once: a new project in weekly/
  all week                  drop links and notes into content/inbox.md
  digest fetch              titles and summaries; new feed entries
  digest new                the next issue's draft, mostly written
  digest serve              a preview that reloads as you write
  digest check              every problem at once, before publishing
  digest build              the site, feeds and emails into site/
  digest send 7 --to ADDR   one test copy of issue 7's email
  digest send 7 --yes       issue 7 to the subscribers
  digest unsubscribe A      never send to address A again
  git push                  the workflow builds and deploys the site

Exit codes: 0 done, 1 a problem in the input, 2 a usage error, 3 an internal error.
Set NO_COLOR to turn colours off (they are off anyway when output is not a terminal).""",
)
@click.version_option(__version__, prog_name="digest")
@click.option("-v", "--verbose", count=True, help="Tracebacks for internal errors.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Publish a weekly tech digest: a static site, feeds and an email issue from content/."""
    ctx.obj = Options(verbose, quiet)


_QUESTIONS = (  # (a Starter field, what the prompt asks); each is also a flag
    ("title", "Title of the digest"),
    ("base_url", "Where it will be published (base URL, ending in /)"),
    ("language", "Language"),
    ("author", "Editor's name (may be empty)"),
    ("email", "Sender's email address (may be empty)"),
    ("sections", "Sections, separated by commas"),
)


def _checked(name: str) -> Callable[[str], str]:
    """A prompt's or a flag's answer, or a usage error saying why it cannot be used."""
    from digest.commands.init import problem

    def check(value: str) -> str:
        if why := problem(name, value):
            raise click.BadParameter(why)
        return value

    return check


def _ask(folder: Path, given: dict[str, str | None], yes: bool) -> dict[str, str]:
    """Every answer: the flag's, else the default with --yes, else asked for."""
    from digest.commands.init import DEFAULT_SECTIONS, Starter, default_base_url

    defaults = {f.name: f.default for f in dataclasses.fields(Starter) if f.name in given}
    defaults |= {"base_url": default_base_url(folder), "sections": ", ".join(DEFAULT_SECTIONS)}
    answers = {}
    for name, text in _QUESTIONS:
        value = given.get(name)
        if value is None and yes:
            value = str(defaults[name])
        elif value is None:
            try:
                default = defaults[name]
                value = click.prompt(
                    text, default=default, show_default=bool(default), value_proc=_checked(name)
                )
            except click.Abort:
                if sys.stdin.isatty():
                    raise
                raise DigestError(
                    "no answer on standard input: give --yes for the defaults, or the"
                    " answers as flags (digest init --help)"
                ) from None
        answers[name] = str(value)
    return answers


def _answer(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A flag's answer, checked as a prompt's would be."""
    assert param.name is not None
    return None if value is None else _checked(param.name)(value)


@main.command()
@click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."), metavar="[DIR]"
)
@click.option("--title", callback=_answer, help="The digest's name (default: 技术周刊).")
@click.option("--base-url", callback=_answer, help="Where site/ will be published.")
@click.option("--language", callback=_answer, help="The pages' language (default: zh-CN).")
@click.option("--author", callback=_answer, help="The editor's name.")
@click.option("--email", callback=_answer, help="The address the email issue is sent from.")
@click.option(
    "--sections", callback=_answer, help="Section headings, comma-separated (一周文章精粹, …)."
)
@click.option("--yes", "-y", is_flag=True, help="Take the default for every answer not given.")
@click.option("--force", is_flag=True, help="Write into a folder with files (never over one).")
@_quiet_option
def init(folder: Path, yes: bool, force: bool, **given: str | None) -> None:
    """Start a new digest in DIR (default: here): content/, .gitignore and the workflow.

    \b
    Examples:
      digest init myweekly          # asks for the title, base URL, language…
      digest init myweekly --yes --title 技术周刊 --base-url https://me.github.io/weekly/

    A folder with files in it is refused unless --force; no file is ever overwritten.
    """
    from zoneinfo import ZoneInfo

    from digest.commands.init import Starter, refuse, split_sections
    from digest.commands.init import init as write_project

    refuse(folder, force=force)  # before asking anything
    answers = _ask(folder, given, yes)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # site.toml's timezone
    sections = split_sections(answers.pop("sections"))
    starter = Starter(today, sections=sections, **answers)
    result = write_project(folder, starter, force=force)
    say(f"wrote {_many(len(result.written), 'file')} into {folder}/:")
    for path in result.written:
        say(f"  {path}")
    for path in result.kept:
        say(f"  {path} (already there: kept as it was)")
    where = [] if folder.resolve() == Path.cwd().resolve() else [f"cd {folder}"]
    say("next:")
    for line in [
        *where,
        "digest serve                 # the site and its first issue, rebuilt as you edit",
        "digest fetch && digest new   # after a week of links in content/inbox.md: a draft",
    ]:
        say(f"  {line}")
    say("before the first push: base_url in content/site.toml, DIGEST in .github/workflows/")


@main.command()
@_root
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site [default: ROOT/site].",
)
@click.option("--drafts", is_flag=True, help="Include issues and posts marked draft: true.")
@_quiet_option
def build(root: Path, out: Path | None, drafts: bool) -> None:
    """Build the site into site/ (the old site stays if anything is wrong).

    \b
    Examples:
      digest build                  # content/ -> site/
      digest build --drafts --out /tmp/preview
    """
    with _progress_bar() as progress:
        options = BuildOptions(target=out, drafts=drafts, parallel=True, progress=progress)
        result = run_build(root, options)
    for warning in result.warnings:
        warn(warning)
    changed = result.files - result.unchanged
    say(
        f"built {_documents(result)} into {result.target}: "
        f"{result.files} files ({changed} written, {result.unchanged} unchanged), "
        f"{_many(len(result.warnings), 'warning')}, {result.seconds:.2f} s"
    )


@main.command()
@_root
@click.option("--dry-run", is_flag=True, help="Print the draft; write nothing.")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="DATE",
    help="Take feed entries from DATE on (default: since the latest issue).",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="DATE",
    help="The new issue's date (default: the next [draft] weekday).",
)
@_quiet_option
def new(root: Path, dry_run: bool, since: datetime | None, day: datetime | None) -> None:
    """Draft the next issue from content/inbox.md and new feed entries.

    \b
    Examples:
      digest fetch && digest new    # content/issues/0005.md, if 4 is the latest
      digest new --dry-run --since 2026-11-01

    Titles and summaries come from the scrape cache (run digest fetch first). An existing
    file is never overwritten; the inbox loses only the entries the draft used.
    """
    from digest.commands.new import new as draft_new
    from digest.config import load_config

    tz = load_config(root / "content" / "site.toml").tz
    result = draft_new(
        root,
        today=datetime.now(tz).date(),
        dry_run=dry_run,
        since=since.replace(tzinfo=tz) if since else None,
        day=day.date() if day else None,
    )
    for flag in result.flags:
        warn(flag)
    if dry_run:
        echo(result.text, nl=False)
        return
    say(
        f"wrote {result.path}: {result.items} items ({result.from_inbox} from the inbox, "
        f"{result.items - result.from_inbox} from feeds)"
    )


@main.command()
@_root
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="First port to try.",
)
@_quiet_option
def serve(root: Path, port: int) -> None:
    """Preview the site with drafts; rebuild on every save and reload the browser.

    \b
    Examples:
      digest serve                  # http://127.0.0.1:8000/digest/
      digest serve --port 9000

    The preview is built into a private folder, never site/, so drafts are not published
    by accident. Rebuilds are incremental; the search index is the one made at start. A
    broken build keeps the last good pages up and shows the error in the terminal and in
    the browser; the next good save recovers.
    """
    import tempfile

    from digest.build.preview import Preview
    from digest.commands.serve import watch_and_serve
    from digest.config import load_config
    from digest.renderer.env import BUILTIN_TEMPLATES

    site = load_config(root / "content" / "site.toml")
    with tempfile.TemporaryDirectory(prefix="digest-serve-") as tmp:
        target = Path(tmp) / "site"
        target.mkdir()
        preview = Preview(root, target)
        started = False

        def rebuild() -> str | None:
            nonlocal started
            first, started = not started, True  # the first runs before the server's threads
            try:
                with _progress_bar() if first else contextlib.nullcontext() as progress:
                    result = preview.build(fork=first, progress=progress)
            except DigestError as exc:
                echo(f"build failed:\n{exc}", err=True)
                return str(exc)
            say(f"built {_documents(result)}, drafts included")
            return None

        watch_and_serve(
            target,
            port,
            site.base_path,
            # the theme too: in a checkout of digest, digest/theme/ is edited like templates/
            [root / "content", root / "templates", BUILTIN_TEMPLATES],
            rebuild,
            announce=lambda url: echo(f"serving {url} (Ctrl-C stops)"),
        )


@main.command()
@_root
@click.option("--offline", is_flag=True, help="Use the cache only; send no request.")
@click.option("--refresh", is_flag=True, help="Revalidate every link, not only new or stale ones.")
@click.option("--strict", is_flag=True, help="Exit 1 when any link or feed has a problem.")
@click.option("--public-only", is_flag=True, help="Refuse private and loopback addresses.")
@_quiet_option
def fetch(root: Path, offline: bool, refresh: bool, strict: bool, public_only: bool) -> None:
    """Fetch watched feeds and every curated link into the scrape cache.

    \b
    Examples:
      digest fetch                  # new, failed and stale links; every feed
      digest fetch --refresh        # revalidate every link (conditional requests)
      digest fetch --offline        # report from the cache only
    """
    from digest.cli_output import print_fetch_report
    from digest.commands import fetch as commands
    from digest.scraper.run import FetchOptions

    options = FetchOptions(offline=offline, refresh=refresh, public_only=public_only)
    with _progress_bar() as progress:
        on_progress = functools.partial(progress, "fetching") if progress else None
        report = commands.fetch(root, options, on_progress)
    print_fetch_report(report, quiet=_quiet())
    if strict and report.problems:
        sys.exit(1)


@main.command()
@_root
@click.argument("source")
@click.option("--base-url", help="The URL a local file or stdin was fetched from.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (stable keys).")
def inspect(root: Path, source: str, base_url: str | None, as_json: bool) -> None:
    """Show what the scraper extracts from SOURCE: a URL, a file, or - for stdin.

    \b
    Examples:
      digest inspect https://go.dev/blog/pgo
      digest inspect saved.html --base-url https://example.com/post --json
      curl -s https://example.com/ | digest inspect - --json
    """
    from digest.commands import fetch as commands
    from digest.config import SummarySettings, load_config

    config = root / "content" / "site.toml"  # its [summary] settings, when there is one
    settings = load_config(config).summary if config.exists() else SummarySettings()
    record = commands.inspect(source, base_url, settings, warn).to_json()
    if as_json:
        echo_json(record)
        return
    for key, value in record.items():
        if key != "text":
            echo(f"{key:>16}: {value}")
    echo(f"\n{record['text']}")


@main.command()
@_root
@click.argument("number", type=int)
@_quiet_option
def email(root: Path, number: int) -> None:
    """Write the email of issue NUMBER to site/email/ and print its size.

    \b
    Example:
      digest email 4                # site/email/4.html, 4.txt, 4.eml
    """
    from digest.commands.issue_files import email as write_email

    paths, notes = write_email(root, number)
    for path in paths:
        say(f"{path}: {path.stat().st_size / 1024:.1f} KB")
    for note in notes:
        warn(note)
    for path in paths:
        if path.suffix == ".html" and ".svg" in path.read_text(encoding="utf-8"):
            warn(
                f"{path} uses SVG images, which Gmail and Outlook do not show; use PNG or"
                " JPEG in issues sent by email"
            )


@main.command()
@_root
@click.argument("number", type=int)
@click.option("--yes", is_flag=True, help="Really send (the default is a dry run).")
@click.option("--to", metavar="ADDR", help="Send one test copy to ADDR only.")
@click.option(
    "--resend-unknown", is_flag=True, help="Also send to recipients a stopped run left undecided."
)
def send(root: Path, number: int, yes: bool, to: str | None, resend_unknown: bool) -> None:
    """Send issue NUMBER by email, to each recipient once (resumable), never to an
    address that asked to leave (see digest unsubscribe).

    \b
    Examples:
      digest send 4                 # dry run: who would get what
      digest send 4 --to me@example.com   # a test copy, as often as you like
      DIGEST_SMTP_PASSWORD=… digest send 4 --yes
    """
    from digest.commands.send import SendOptions
    from digest.commands.send import send as send_issue

    @contextlib.contextmanager
    def bar() -> Iterator[Callable[[int, int], None] | None]:
        with _progress_bar() as progress:
            yield functools.partial(progress, "sending") if progress else None

    done = send_issue(root, number, SendOptions(yes, to, resend_unknown), echo, bar)
    if not done:
        sys.exit(1)


@main.command()
@_root
@click.argument("addresses", nargs=-1, required=True, metavar="ADDRESS...")
def unsubscribe(root: Path, addresses: tuple[str, ...]) -> None:
    """Never send to ADDRESS again: add it to [email] unsubscribed.

    \b
    Examples:
      digest unsubscribe reader@example.com
      digest unsubscribe a@example.com b@example.org

    The list wins over the recipients file, in any spelling of an address. To let a
    reader back in, delete their line from the list.
    """
    from digest.commands.send import unsubscribe as add

    add(root, list(addresses), say, warn)


@main.command()
@_root
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object with every finding, for machines.",
)
@_quiet_option
def check(root: Path, strict: bool, fmt: str) -> None:
    """Report every problem at once: content, links and anchors, feeds, email size, and
    editorial lint (tracking parameters, repeated links, truncated titles…).

    \b
    Examples:
      digest check                  # before digest build and digest send
      digest check --strict         # in CI: warnings fail too
      digest check --format json | jq '.findings[] | select(.severity == "error")'

    Exit 0 when there are no errors (warnings alone, unless --strict), else 1. The site is
    built into a temporary folder: site/ is not touched.
    """
    from digest.commands.check import check as run_check

    findings = run_check(root)
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    if fmt == "json":
        found = [f.to_json() for f in findings]
        echo_json({"errors": len(errors), "warnings": len(warnings), "findings": found})
    else:
        for finding in findings:
            echo(str(finding), err=finding.severity == "error")
        say(f"{len(errors)} errors, {len(warnings)} warnings")
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@_root
@click.argument("number", type=int)
@_quiet_option
def wechat(root: Path, number: int) -> None:
    """Write issue NUMBER as a WeChat Official Account article to paste.

    \b
    Example:
      digest wechat 4               # site/wechat/4.html and site/wechat/4/ (copy page)
    """
    from digest.commands.issue_files import wechat as write_wechat

    for path in write_wechat(root, number):
        say(f"{path}: {path.stat().st_size / 1024:.1f} KB")


def _issues_pattern(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    import re

    try:
        groups = re.compile(value).groups
    except re.error as exc:
        raise click.BadParameter(f"not a regular expression: {exc}") from exc
    if groups < 1:
        raise click.BadParameter("needs a group for the issue number, like '第(\\d+)期'")
    return value


def _import_options(func: Callable[..., None]) -> Callable[..., None]:
    """The options every ``digest import`` command takes."""
    for option in reversed(
        (
            _root,
            click.option(
                "--download-images",
                is_flag=True,
                help="Download images next to the Markdown instead of linking their URLs.",
            ),
            click.option(
                "--issues-pattern",
                metavar="REGEX",
                callback=_issues_pattern,
                help="Titles that name a weekly issue, group 1 its number (default: '…[第N期]').",
            ),
            _quiet_option,
        )
    ):
        func = option(func)
    return func


@main.group(name="import")
def import_() -> None:
    """Bring an existing archive into content/: a WordPress export, a feed, pages.

    Running it again changes nothing; a file you edited since is never overwritten.

    \b
    Examples:
      digest import wordpress blog.WordPress.2024-03-02.xml
      digest import feed https://example.substack.com/feed
      digest import url https://mp.weixin.qq.com/s/AbCdEf
    """


def _report_import(report: ImportReport) -> None:
    from digest.cli_output import print_import_report

    print_import_report(report, quiet=_quiet())
    if report.problems:
        sys.exit(1)


@import_.command(name="wordpress")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pages", is_flag=True, help="Import pages too, as posts.")
@_import_options
def import_wordpress(
    export: Path, pages: bool, root: Path, download_images: bool, issues_pattern: str | None
) -> None:
    """Import a WordPress export (Tools → Export → All content, an .xml file).

    \b
    Examples:
      digest import wordpress blog.WordPress.2024-03-02.xml
      digest import wordpress blog.xml --download-images --issues-pattern '周刊第(\\d+)期'
    """
    from digest.commands import importing
    from digest.importer.documents import ImportOptions

    options = ImportOptions(issues_pattern, download_images)
    _report_import(importing.import_wordpress(root, export, options, pages=pages))


@import_.command(name="feed")
@click.argument("source", metavar="URL|FILE")
@_import_options
def import_feed(source: str, root: Path, download_images: bool, issues_pattern: str | None) -> None:
    """Import the entries of an RSS or Atom feed (a URL or a saved file) as posts.

    \b
    Example:
      digest import feed https://example.substack.com/feed
    """
    from digest.commands import importing
    from digest.importer.documents import ImportOptions

    options = ImportOptions(issues_pattern, download_images)
    _report_import(importing.import_feed(root, source, options))


@import_.command(name="url")
@click.argument("urls", nargs=-1, required=True, metavar="URL|FILE|FOLDER...")
@_import_options
def import_url(
    urls: tuple[str, ...], root: Path, download_images: bool, issues_pattern: str | None
) -> None:
    """Import single pages (a blog post, a WeChat article) as posts: their main text.

    A page saved from a browser is read from its file; its links and images are taken
    against the address it names as its own (its canonical link or og:url), and the
    images saved beside it (Page_files/), or inside it (.mhtml), are copied next to the
    post.

    \b
    Examples:
      digest import url https://mp.weixin.qq.com/s/AbCdEf https://example.com/post
      digest import url saved/我们的周刊.html saved/缓存预热.mhtml
      digest import url saved/          # every saved page in the folder
    """
    from digest.commands import importing
    from digest.importer.documents import ImportOptions
    from digest.text.urls import web_address

    for url in urls:
        if not web_address(url) and not Path(url).is_file() and not Path(url).is_dir():
            raise click.BadParameter(
                f"{url}: neither an http(s) URL, a file nor a folder", param_hint="URL"
            )
    options = ImportOptions(issues_pattern, download_images)
    _report_import(importing.import_urls(root, list(urls), options))


if __name__ == "__main__":
    main()
