"""The central office: its merged database, the merge of coordinators' files and the
national summary (query, PDF, CSV), `koordi merge` and `koordi report central`.

It imports the file contract (app.exchange), app.core and the PDF toolkit (app.reports'
page and blocks); the coordinator's side (app.sync and the feature packages) never
imports it.
"""
