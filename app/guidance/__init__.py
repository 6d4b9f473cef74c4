"""The guidance feature: views.py (URL rules), forms.py, ops.py (the writes), templates/guidance/."""

from app.guidance.views import bp

__all__ = ["bp"]
