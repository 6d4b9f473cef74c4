"""The file contract between a coordinator's Koordi and the central office (docs/export-format.md).

Both sides read it and neither owns it: format.py declares the tables, columns and cell
types once; manifest.py and reader.py check a zip completely and safely, never raising;
problems.py holds the problem codes and words them in the user's language.
"""
