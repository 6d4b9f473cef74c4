"""The deployments feature: views.py (URL rules), forms.py, ops.py (the writes), templates/deployments/."""

from app.deployments.views import bp

__all__ = ["bp"]
