"""The frozen values that flow between the stages; every stage may import this package.

``content`` reads ``content/`` into :class:`Content` (issues, posts, their tags and
images); ``scraper`` describes links as :class:`PageRecord` values kept in
:class:`CachedPage` rows; ``summarizer`` plans a :class:`Draft`; ``renderer`` turns
documents into :class:`Output` values, which ``writer`` puts on disk.
"""

from digest.model.content import (
    DATE_YEARS,
    MOST_ISSUES,
    Asset,
    Content,
    Entry,
    Image,
    Issue,
    Item,
    Output,
    Post,
    Section,
    Tag,
    fillable,
    url_label,
)
from digest.model.draft import Draft, DraftItem, DraftSection
from digest.model.inbox import InboxEntry
from digest.model.pages import CachedFeed, CachedPage, Candidate, PageRecord, Source, Summarizer

__all__ = [
    "DATE_YEARS",
    "MOST_ISSUES",
    "Asset",
    "CachedFeed",
    "CachedPage",
    "Candidate",
    "Content",
    "Draft",
    "DraftItem",
    "DraftSection",
    "Entry",
    "Image",
    "InboxEntry",
    "Issue",
    "Item",
    "Output",
    "PageRecord",
    "Post",
    "Section",
    "Source",
    "Summarizer",
    "Tag",
    "fillable",
    "url_label",
]
