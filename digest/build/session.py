"""What one process keeps from one build to the next: the preview's memory, in one place.

``digest build`` runs one build in a fresh :class:`Session`. ``digest serve`` keeps one
session for its whole life, so that a rebuild after a save reuses what the last build
worked out: the compiled templates, the cards and entries read from the cache, what
listings show of each document, and the stat of every content file. Nothing else in the
package keeps state between builds.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

    from digest.build.catalog import Known
    from digest.build.jobs import TemplateDeps
    from digest.model import Entry
    from digest.renderer.documents import Card


@dataclass
class Session:
    """The memos of one process's builds; see the module docstring.

    ``known`` and ``cards`` are filled only by previews (``BuildOptions.trusted``): a
    command's single build would only leave their records fragmenting the memory that
    its worker processes inherit. ``entries`` is an LRU any build uses."""

    # The last build's environment and template dependencies, by (salt, templates folder,
    # digest of every template file): compiled templates are reused while those hold.
    envs: dict[tuple[str, str, str], tuple[Environment, TemplateDeps]] = field(default_factory=dict)
    # What listings show of each document, by salt and fingerprint: computed once per
    # document version, not once per build.
    listed: dict[str, dict[str, str]] = field(default_factory=dict)
    # Cards read from the cache, by file key, and the same with their tags attached.
    known: dict[str, Known] = field(default_factory=dict)
    cards: dict[str, tuple[Known, Card]] = field(default_factory=dict)
    # Entries loaded last, by file key (least recently used first).
    entries: OrderedDict[str, Entry] = field(default_factory=OrderedDict)
    # A content file's stat and key (path -> (stat, key)): the preview trusts an unchanged
    # stat between two of its own builds; a command always reads the bytes.
    stats: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict)
    # Target folders this session's builds have written (and no one else has).
    written: set[str] = field(default_factory=set)

    ENTRIES_KEPT = 64
    KNOWN_LIMIT = 20_000  # a long preview session forgets its cards past this many

    def remember_entry(self, key: str, entry: Entry) -> None:
        """Keep ``entry`` among the last :data:`ENTRIES_KEPT` loaded."""
        self.entries[key] = entry
        self.entries.move_to_end(key)
        if len(self.entries) > self.ENTRIES_KEPT:
            self.entries.popitem(last=False)

    def trim(self) -> None:
        """Forget the cards when there are too many (files renamed over a long session)."""
        if len(self.known) > self.KNOWN_LIMIT:
            self.known.clear()
            self.cards.clear()
