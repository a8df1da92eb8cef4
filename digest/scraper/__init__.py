"""The scraper: the only code that touches the network.

``fetch`` (httpx, polite and fault tolerant) -> ``decode`` (charset-correct text) ->
``extract`` (BeautifulSoup metadata and main text) / ``feeds`` (feedparser + nh3), with
results kept in ``cache`` (SQLite) so that builds never need the network.
"""
