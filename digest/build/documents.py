"""The documents one build's jobs show, laid out when first asked for and kept briefly."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, MutableMapping

from jinja2 import Environment

from digest.config import SiteConfig
from digest.model import Entry
from digest.renderer.documents import Card, Doc, Layout
from digest.renderer.env import absolutize_once
from digest.renderer.feedbody import feed_body


class Documents:
    """The document of each card jobs show, one object per card for the whole build (the
    template global ``once`` remembers listings by object); each loads its entry, and lays
    out its sections and body, when first asked for. Only the :data:`KEEP` documents
    loaded or asked for last keep what they loaded: the jobs of one document (its page,
    its email) find it laid out, and a worker that renders thousands of pages does not
    keep them all. The absolute bodies feeds show are kept apart, as UTF-8, for the
    :data:`BODIES` documents asked for last: the newest documents are in many tags' feeds.
    """

    # Enough for one tag's feeds (its 20 newest documents, and the issues of its link
    # feed). Against 128: 5 MB less in each process at N = 5,000.
    KEEP = 48
    # At N = 1,000, the 201 feed jobs took 3.7 s with 256, 5.9 s with 64, 7.6 s with none
    # (every tag's feeds then lay out, and make absolute, the documents they show again);
    # 1,024 gained nothing more measurable. An issue's body is about 25 KB in UTF-8.
    BODIES = 256

    def __init__(
        self,
        site: SiteConfig,
        env: Environment,
        cache: MutableMapping[str, str] | None,
        load: Callable[[Card], Entry],
    ) -> None:
        self.load, self.layout = load, Layout(site, env, cache)
        self.site, self.env, self.absolutize = site, env, absolutize_once(env)
        self.docs: dict[int, Doc] = {}  # by id: the catalog keeps its cards alive
        self.loaded: OrderedDict[int, Doc] = OrderedDict()  # least recently used first
        self.bodies: OrderedDict[int, tuple[Card, bytes]] = OrderedDict()  # absolute, UTF-8

    def __call__(self, card: Card) -> Doc:
        doc = self.docs.get(id(card))
        if doc is None or doc.card is not card:
            doc = Doc(card, functools.partial(self._load, card), self.layout, self._absolute)
            self.docs[id(card)] = doc
        elif id(card) in self.loaded:
            self.loaded.move_to_end(id(card))
        return doc

    def _load(self, card: Card) -> Entry:
        entry = self.load(card)
        self.loaded[id(card)] = self.docs[id(card)]
        if len(self.loaded) > self.KEEP:
            self.loaded.popitem(last=False)[1].forget()
        return entry

    def _absolute(self, doc: Doc) -> str:
        """``doc``'s absolute body (its feed entries, cut to ``feed_entry_kb``), kept for
        the :data:`BODIES` documents asked for last, so that a document in many tags' feeds
        is seldom laid out, made absolute and cut again for each."""
        key = id(doc.card)
        found = self.bodies.get(key)
        if found is not None and found[0] is doc.card:
            self.bodies.move_to_end(key)
            return found[1].decode()
        url = self.site.base_url + doc.url
        text = feed_body(self.absolutize(doc.body, doc.url), url, self.site, self.env)
        self.bodies[key] = (doc.card, text.encode())
        if len(self.bodies) > self.BODIES:
            self.bodies.popitem(last=False)
        return text
