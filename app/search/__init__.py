"""The search feature: routes.py (the blueprint and its URL rules), views.py (the pages, imported on their first request), forms.py, ops.py (the writes), templates/search/."""

from app.search.routes import bp

__all__ = ["bp"]
