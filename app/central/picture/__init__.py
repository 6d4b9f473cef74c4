"""The national picture: read models over the merged database for the office's pages, its
long-format CSV and the trends of its PDF.

scope.py (the filters: span, level, area/county/coordinator, method, grain, and the
periods), names.py (who and what the keys name), deployments.py (phases on a day, over
time and time in phase), activity.py (events and method guidance), surveys.py (NoMAD and
usability pooled from counts), indicators.py (indicators against targets, when the merged
database has them), rows.py (the merged rows behind any figure), charts.py (the drawings,
once for the page and the PDF), long_csv.py and document.py (the exports); sections.py (a
page's figures, the same for the page and for a merge), memo.py (kept in the process),
cache.py and stored.py (kept in the merged database, as JSON), prepare.py (the default views
computed at the end of every merge).

SQLAlchemy Core on app.central.schema's tables only, so every read runs on SQLite and on
PostgreSQL. Aggregates are computed per coordinator (and county, and period) in SQL and
rolled up to the chosen level in Python: the country is the sum of its areas by
construction, and a distinct count (people guided) stays exact because ids are unique
per coordinator.
"""
