"""Follow-up surveys: the instrument catalogue, survey rounds and their entry (pasted counts, a
survey tool's file), the schedule of due rounds, and the results. routes.py holds the blueprint and
the URL rules of catalogue_views.py, round_views.py, import_views.py and results_views.py, which are
imported on their first request; template_globals.py what other features' pages include."""

from app.surveys.routes import bp

__all__ = ["bp"]
