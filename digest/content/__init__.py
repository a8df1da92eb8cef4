"""Reading ``content/``: front matter + Markdown -> model objects, with line numbers.

Only this package reads the editor's files. :func:`load_content` is its one entry point.
"""

from digest.content.loader import load_content

__all__ = ["load_content"]
