"""The guidance feature: views.py (the blueprint and its shared URL rules), session_views.py and
trainee_views.py (the pages of sessions and of trainees, added to the same blueprint), forms.py,
ops.py (the writes), templates/guidance/."""

from app.guidance import session_views, trainee_views  # noqa: F401 - they add their routes to bp
from app.guidance.views import bp

__all__ = ["bp"]
