"""Sync with the central office: the export file, import, the email draft, and the central merge.

format.py declares the file once; export.py, reader.py and importer.py build on it; views.py
is the sync page; cli.py holds `koordi export` and `koordi import`.
"""
