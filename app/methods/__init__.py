"""The methods feature: routes.py (the blueprint and its URL rules), views.py (the pages, imported on their first request), forms.py, ops.py (the writes), templates/methods/."""

from app.methods.routes import bp

__all__ = ["bp"]
