"""Other features' enums as the unit and method pages show them: their owners' own labels."""

from __future__ import annotations

from app.deployments.forms import PHASE_LABELS
from app.events.labels import STATUS_LABELS as EVENT_STATUS_LABELS
from app.events.labels import TYPE_LABELS as EVENT_TYPE_LABELS
from app.goals.labels import STATUS_LABELS as GOAL_STATUS_LABELS

__all__ = ["PHASE_LABELS", "EVENT_TYPE_LABELS", "EVENT_STATUS_LABELS", "GOAL_STATUS_LABELS", "label"]


def label(labels: dict, value: str | None) -> str:
    """The label of `value`, or the raw value when a newer app version added it."""
    return str(labels.get(value, value or ""))
