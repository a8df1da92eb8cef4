"""``digest import``: an existing archive into our content format.

``wxr`` reads a WordPress export, ``wphtml`` makes its bodies HTML, ``markdown`` turns
HTML into our Markdown, ``issues`` reads a weekly issue's sections, ``documents`` plans
the files, ``store`` writes them without ever overwriting the editor's work. Feeds and
pages arrive from the scraper as :class:`digest.model.imports.SourceEntry` values; a page
saved from a browser comes as one file (``mhtml`` finds the page in it) or with its
``file:`` links, which ``saved`` reads again.
"""
