"""The events feature: views.py (URL rules), forms.py, ops.py (the writes), templates/events/."""

from app.events.views import bp

__all__ = ["bp"]
