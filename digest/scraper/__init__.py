"""The scraper: the only code that touches the network.

``fetch`` (httpx, polite and fault tolerant) -> ``decode`` (charset-correct text) ->
``extract`` (one lxml.html parse, `tree`: metadata, then the main text, ours or trafilatura's) /
``feeds`` (feedparser + nh3), with results kept in ``cache`` (SQLite) so that builds never
need the network.
"""
