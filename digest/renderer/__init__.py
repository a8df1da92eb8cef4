"""Rendering: model objects -> :class:`~digest.model.Output` values (pages, feeds, email).

Nothing here reads ``content/`` or writes ``site/``: it takes loaded documents and
returns bytes. ``site`` has one function per kind of output; ``documents`` lays out an
issue or post once for all of them; ``env`` is the one Jinja environment.
"""
