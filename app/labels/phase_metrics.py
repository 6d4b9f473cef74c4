"""How the phase-history figures are counted (app.core.phase_metrics), in the words the pages and
the period report print beside them: each rule is this project's own design decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.phase_metrics import reason_order
from app.core.phases import PHASES
from app.labels.deployments import phase_label, reason_label

MEDIAN_RULE = _l(
    "Days from planned to the day the deployment first reached the phase (or a later one), for deployments "
    "that started in planned; the median, shown from 3 deployments up; n is how many it is taken over."
)
STALL_RULE = _l(
    "Stalled: in the same phase for longer than %(months)s months (the setting). Embedded and ended "
    "deployments never count as stalled."
)
RETENTION_RULE = _l(
    "In use or embedded 6 (12) months after the pilot: of the deployments that reached pilot at least "
    "6 (12) months ago, the share that were in use or embedded 6 (12) months after reaching it."
)
STOP_RULE = _l(
    "Paused or ended: the share of deployments that ever paused or ended. The rate counts the moves into "
    "the phase per 100 years deployments could have made them, shown from one deployment-year up."
)


def words() -> dict:
    """What the pages' phase-history macros (deployments/_phase_metrics.html) print with."""
    return {
        "median_rule": MEDIAN_RULE,
        "stall_rule": STALL_RULE,
        "retention_rule": RETENTION_RULE,
        "stop_rule": STOP_RULE,
        "reason_label": reason_label,
        "reason_order": reason_order,
        "phase_label": phase_label,
        "phases": PHASES,
    }
