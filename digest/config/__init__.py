"""``content/site.toml`` -> a frozen, typed :class:`SiteConfig`.

    schema.py    every option once: its type, default, check and doc, as dataclass fields
    options.py   how an option is declared (option(), required(), must())
    source.py    the file's text: parsed, and searched for the line a key is on
    loader.py    load_config(): walk the schema, report every problem, build SiteConfig

Unknown keys are errors, and every problem in the file is reported in one run.
"""

from digest.config.loader import load_config
from digest.config.schema import (
    SLUG_RE,
    WEEKDAYS,
    DraftSettings,
    EmailSettings,
    FetchSettings,
    SectionConfig,
    SiteConfig,
    SummarySettings,
    every_option,
)

__all__ = [
    "SLUG_RE",
    "WEEKDAYS",
    "DraftSettings",
    "EmailSettings",
    "FetchSettings",
    "SectionConfig",
    "SiteConfig",
    "SummarySettings",
    "every_option",
    "load_config",
]
