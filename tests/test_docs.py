"""The README keeps up with the code: every site.toml key is in its reference table."""

from __future__ import annotations

import re

from digest.config import _OPTIONS, DraftSettings, EmailSettings, FetchSettings, SummarySettings
from tests.conftest import ROOT


def reference() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Configuration reference", 1)[1].split("\n## ", 1)[0]


def test_every_site_toml_key_is_documented_with_its_default() -> None:
    table = reference()
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    documented = {key for row in rows for key in re.findall(r"`([a-z_]+)`", row.split("|")[1])}
    tables = ("sections", "tag_slugs", "fetch", "email", "summary", "draft")
    top = {k for k in _OPTIONS if k not in tables}
    fetch = set(FetchSettings.__dataclass_fields__)
    fetch |= set(SummarySettings.__dataclass_fields__) | set(DraftSettings.__dataclass_fields__)
    email = {"from" if k == "sender" else k for k in EmailSettings.__dataclass_fields__}
    missing = (top | fetch | email | {"key", "heading", "link_label"}) - documented
    assert not missing, f"document these keys in the README: {sorted(missing)}"


def test_documented_fetch_and_email_defaults_match_the_code() -> None:
    table = reference()
    Settings = FetchSettings | EmailSettings | SummarySettings | DraftSettings
    every: tuple[tuple[str, Settings], ...] = (
        ("fetch", FetchSettings()), ("email", EmailSettings()), ("summary", SummarySettings()),
        ("draft", DraftSettings()),
    )  # fmt: skip
    for section, settings in every:
        for name in settings.__dataclass_fields__:
            key = "from" if name == "sender" else name
            value = getattr(settings, name)
            row = next((r for r in table.splitlines() if r.startswith(f"| `[{section}]` `{key}`")),
                       None)  # fmt: skip
            if row is None or value in ("", 0, {}) or name in ("sender", "subject"):
                continue  # grouped rows, empty defaults and derived ones are worded
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            assert f"`{shown}`" in row, (section, key, value, row)
