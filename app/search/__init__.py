"""The search feature: views.py (URL rules), forms.py, ops.py (the writes), templates/search/."""

from app.search.views import bp

__all__ = ["bp"]
