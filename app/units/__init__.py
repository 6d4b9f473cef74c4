"""The units feature: views.py (URL rules), forms.py, ops.py (the writes), templates/units/."""

from app.units.views import bp

__all__ = ["bp"]
