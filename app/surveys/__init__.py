"""Follow-up surveys: the instrument catalogue, survey rounds and their entry (pasted counts, a
survey tool's file), the schedule of due rounds, and the results. views.py holds the blueprint;
catalogue_views.py, round_views.py, import_views.py and results_views.py its URL rules."""

from app.surveys import catalogue_views, import_views, results_views, round_views  # noqa: F401 - their routes
from app.surveys.views import bp

__all__ = ["bp"]
