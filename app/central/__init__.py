"""The central office: its merged database, the merge of coordinators' files and the
national summary (query, PDF, CSV), `koordi merge` and `koordi report central`; and the
office's own Koordi (`koordi central`: app.py, a Flask app on the merged database with the
reporting grid, merging from the window and the office's settings).

It imports the file contract (app.exchange), app.core and the PDF toolkit (app.reports'
page and blocks); the coordinator's side (app.sync and the feature packages) never
imports it.
"""
