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


# Why a deployment paused or ended (app.core.phases.STOP_REASONS); "" is a pause or end recorded
# without a reason (before Koordi asked for one).
STOP_REASON_LABELS = {
    "staff_turnover": _l("Trained staff left"),
    "resources": _l("Not enough time or money"),
    "no_clients": _l("Too few clients it fits"),
    "training_missing": _l("Training or method guidance not available"),
    "organisation_change": _l("The unit merged, closed or was reorganised"),
    "replaced": _l("Replaced by another method"),
    "not_suitable": _l("Tried and found not to suit the unit"),
    "other": _l("Other reason"),
    "": _l("Reason not recorded"),
}


def reason_label(reason: str) -> str:
    return str(STOP_REASON_LABELS.get(reason, reason))
