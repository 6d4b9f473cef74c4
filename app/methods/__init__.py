"""The methods feature: views.py (URL rules), forms.py, ops.py (the writes), templates/methods/."""

from app.methods.views import bp

__all__ = ["bp"]
