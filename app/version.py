"""The one place the app's version is written; pyproject, About, exports and reports read it."""

__version__ = "0.1.0"
