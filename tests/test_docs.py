"""The README keeps up with the code: its configuration reference names every option
that digest/config/schema.py declares, and no other, with the same default and doc; its
command table names every command of ``digest``."""

from __future__ import annotations

import re

from digest.config import every_option
from digest.config.options import Declared
from tests.conftest import ROOT


def reference() -> str:
    """The README's "Configuration reference (`content/site.toml`)" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Configuration reference (`content/site.toml`)", 1)[1].split("\n## ")[0]


def rows() -> dict[tuple[str, str], list[str]]:
    """``(table, key)`` -> the cells of the row that names it; a table's own row (like
    ``[tag_slugs]``) names the table as a key of the top level."""
    named: dict[tuple[str, str], list[str]] = {}
    for line in reference().splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table = re.match(r"`\[+([a-z_]+)]+`", cells[0])
        keys = re.findall(r"`([a-z_]+)`", cells[0])
        if table and not keys:
            named[("", table.group(1))] = cells
        for key in keys:
            named[(table.group(1) if table else "", key)] = cells
    return named


def test_the_reference_names_every_option_of_the_schema_and_no_other() -> None:
    declared = {(table, d.key) for table, d in every_option()}
    documented = set(rows())
    assert declared - documented == set(), "document these options in the README"
    assert documented - declared == set(), "the README names options the schema lacks"


def _shown(declared: Declared) -> str | None:
    """The default as the README's table writes it, None when the row words it."""
    if declared.required:
        return None
    value = declared.default()
    if isinstance(value, bool) or not isinstance(value, str | int | float) or value == "":
        return None  # tables, mappings and empty strings are worded
    return f"`{value:g}`" if isinstance(value, float) else f"`{value}`"


def test_the_reference_gives_each_option_its_default_and_doc() -> None:
    named = rows()
    for table, declared in every_option():
        key, default, meaning = named[(table, declared.key)]
        shown = _shown(declared)
        if declared.required:
            assert default in ("(required)", "(at least one)"), (table, declared.key)
        elif shown is not None:
            assert default == shown, (table, declared.key)
        if len(re.findall(r"`([a-z_]+)`", key)) == 1:  # rows of one option: its doc
            assert meaning == declared.option.doc, (table, declared.key)


def test_the_command_table_names_every_command_and_no_other() -> None:
    from digest.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("\n## Commands\n\n", 1)[1].split("\n\n")[0]
    named = re.findall(r"^\| `digest ([a-z]+)", table, re.M)
    assert sorted(named) == sorted(main.commands)
