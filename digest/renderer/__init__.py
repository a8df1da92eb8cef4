"""Rendering: model objects -> :class:`~digest.model.Output` values (pages, feeds, assets).

Nothing here reads ``content/`` or writes ``site/``: it takes loaded content and returns
bytes. :func:`render_site` is the entry point.
"""

from digest.renderer.site import render_site

__all__ = ["render_site"]
