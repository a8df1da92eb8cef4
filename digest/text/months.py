"""English month names, written once, for the rules that read a date in a page's text.

The scraper reads ``March 5, 2024``, ``5 Mar. 2024`` and ``Sept 5 2024`` when it dates a
page, and must tell such a date from a headline or a name (``By Jane Doe March 17``). Its
patterns build on these pieces, each adding the day, the year and the flags it needs. The
pieces are lower case: a pattern reads them under ``re.I`` (or inside ``(?i:…)``).
"""

from __future__ import annotations

# The first three letters of each month's name, January first: enough to tell them apart
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A month's name whole or cut short, with or without its dot: ``March``, ``Mar.``, ``Sept``
# (any letters may follow the first three, so ``Marc`` passes too: the day and the year
# around it are what make it a date)
MONTH_NAME = rf"(?:{'|'.join(MONTHS)})[a-z]*\.?"
