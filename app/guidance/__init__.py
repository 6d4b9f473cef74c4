"""The guidance feature: routes.py (the blueprint, its hooks and URL rules), session_views.py and
trainee_views.py (the pages of sessions and of trainees, imported on their first request), views.py
(their shared helpers), forms.py, ops.py (the writes), templates/guidance/."""

from app.guidance.routes import bp

__all__ = ["bp"]
