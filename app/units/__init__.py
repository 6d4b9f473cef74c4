"""The units feature: routes.py (the blueprint and its URL rules), views.py (the pages, imported on their first request), forms.py, ops.py (the writes), templates/units/."""

from app.units.routes import bp

__all__ = ["bp"]
