"""The words for a deployment's phases, shared by its pages, the dashboard and the documents."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PHASE_LABELS = {
    "planned": _l("Planned"),
    "training": _l("Training"),
    "pilot": _l("Pilot"),
    "in_use": _l("In use"),
    "embedded": _l("Embedded"),
    "paused": _l("Paused"),
    "ended": _l("Ended"),
}


def phase_label(phase: str) -> str:
    return str(PHASE_LABELS.get(phase, phase))
