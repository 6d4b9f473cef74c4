"""The deployments feature: routes.py (the blueprint and its URL rules), views.py (the pages, imported on their first request), forms.py, ops.py (the writes), templates/deployments/."""

from app.deployments.routes import bp

__all__ = ["bp"]
