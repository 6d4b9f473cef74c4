"""The goals feature: views.py (URL rules), forms.py, ops.py (the writes), templates/goals/."""

from app.goals.views import bp

__all__ = ["bp"]
