"""Every write of a deployment and its phase history, each in one transaction.

A refused change raises Refused (which field, why) and writes nothing; the views
turn the reason into a translated message at that field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core import phases
from app.core.clock import today
from app.models import Deployment, PhaseChange
from app.queries.deployments import active_duplicate, phase_history
from app.queries.methods import live_method
from app.queries.units import live_unit
from app.store import write

UNIT_UNKNOWN = "unit_unknown"
METHOD_UNKNOWN = "method_unknown"
DUPLICATE_ACTIVE = "duplicate_active"
NEGATIVE_TRAINED = "negative_trained"


class Refused(Exception):
    """A change the rules do not allow. `field` is the form field the message belongs to."""

    def __init__(self, field: str, reason: str, **params):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.params = params


@dataclass
class DeploymentData:
    unit_id: str
    method_id: str
    professionals_trained: int = 0
    pilot_start: dt.date | None = None
    pilot_end: dt.date | None = None
    notes: str = ""


def _check(s: Session, data: DeploymentData, phase: str, exclude_id: str | None = None) -> None:
    unit = live_unit(s, data.unit_id) if data.unit_id else None
    if unit is None:
        raise Refused("unit_id", UNIT_UNKNOWN)
    method = live_method(s, data.method_id) if data.method_id else None
    if method is None:
        raise Refused("method_id", METHOD_UNKNOWN)
    if data.professionals_trained is not None and data.professionals_trained < 0:
        raise Refused("professionals_trained", NEGATIVE_TRAINED)
    problem = phases.pilot_problem(data.pilot_start, data.pilot_end)
    if problem:
        raise Refused("pilot_end", problem)
    if phases.is_active(phase):
        other = active_duplicate(s, unit.id, method.id, exclude_id)
        if other is not None:
            raise Refused("method_id", DUPLICATE_ACTIVE, existing=other)


def _apply(deployment: Deployment, data: DeploymentData) -> None:
    deployment.unit_id = data.unit_id
    deployment.method_id = data.method_id
    deployment.professionals_trained = data.professionals_trained or 0
    deployment.pilot_start = data.pilot_start
    deployment.pilot_end = data.pilot_end
    deployment.notes = (data.notes or "").strip()


def create(
    s: Session,
    data: DeploymentData,
    phase: str = "planned",
    since: dt.date | None = None,
    *,
    reason: str | None = None,
    reason_text: str = "",
) -> Deployment:
    """A new deployment in `phase` from `since`; its history starts with that phase.

    The new form asks why one starts paused or ended, as a move does: with `reason` given
    (the form's, "" when unanswered) the move's rule applies and the first history row keeps
    it. None is a caller that does not ask (demo data): no reason is stored."""
    if phase not in phases.PHASES:
        raise Refused("phase", phases.UNKNOWN_PHASE)
    since = since or today()
    _check(s, data, phase)
    if reason is not None:
        problem = phases.reason_problem(phase, reason)
        if problem:
            raise Refused("reason", problem, phase=phase)
    if reason is None or phase not in phases.STOP_PHASES:
        reason = reason_text = ""
    with write(s):
        deployment = Deployment(phase=phase, phase_since=since)
        _apply(deployment, data)
        s.add(deployment)
        s.flush()  # the id, for the history row
        s.add(
            PhaseChange(
                deployment_id=deployment.id, phase=phase, changed_on=since, reason=reason, reason_text=(reason_text or "").strip()
            )
        )
    return deployment


def update(s: Session, deployment: Deployment, data: DeploymentData) -> Deployment:
    """Edit everything but the phase (phases change only through move(), so history stays whole)."""
    _check(s, data, deployment.phase, exclude_id=deployment.id)
    with write(s):
        _apply(deployment, data)
    return deployment


def move(s: Session, deployment: Deployment, phase: str, on: dt.date, reason: str = "", reason_text: str = "") -> PhaseChange:
    """Enter `phase` on day `on`: the deployment's phase changes and the history gets a row.

    A pause or an end also records why (`reason` from phases.STOP_REASONS, required, and
    optional words); a move into any other phase records no reason."""
    problem = phases.move_problem(deployment.phase, deployment.phase_since, phase, on)
    if problem == phases.BEFORE_CURRENT:
        raise Refused("changed_on", problem, since=deployment.phase_since, phase=deployment.phase)
    if problem:
        raise Refused("phase", problem)
    problem = phases.reason_problem(phase, reason)
    if problem:
        raise Refused("reason", problem, phase=phase)
    if phase not in phases.STOP_PHASES:
        reason = reason_text = ""
    # Taking an ended deployment back into use must not make a second active one.
    if not phases.is_active(deployment.phase) and phases.is_active(phase):
        other = active_duplicate(s, deployment.unit_id, deployment.method_id, deployment.id)
        if other is not None:
            raise Refused("phase", DUPLICATE_ACTIVE, existing=other)
    with write(s):
        change = PhaseChange(
            deployment_id=deployment.id, phase=phase, changed_on=on, reason=reason, reason_text=(reason_text or "").strip()
        )
        s.add(change)
        deployment.phase = phase
        deployment.phase_since = on
    return change


def restore_problem(s: Session, deployment: Deployment) -> Deployment | None:
    """The active deployment that a restore would duplicate, if any (the restore is then refused)."""
    if not phases.is_active(deployment.phase):
        return None
    return active_duplicate(s, deployment.unit_id, deployment.method_id, deployment.id)


NOT_LATEST = "not_latest"


def undo_move(s: Session, deployment: Deployment, change_id: str) -> PhaseChange:
    """Take back the deployment's latest move (the map's Undo): its history row is soft-deleted
    (so the undo travels to the central office too) and the phase before it is current again.
    Only the latest move can be taken back, and never the first phase a deployment started in."""
    history = phase_history(s, deployment.id)
    if len(history) < 2 or history[-1].id != change_id:
        raise Refused("phase", NOT_LATEST)
    latest, previous = history[-1], history[-2]
    if not phases.is_active(deployment.phase) and phases.is_active(previous.phase):
        other = active_duplicate(s, deployment.unit_id, deployment.method_id, deployment.id)
        if other is not None:
            raise Refused("phase", DUPLICATE_ACTIVE, existing=other)
    with write(s):
        latest.soft_delete()
        deployment.phase = previous.phase
        deployment.phase_since = previous.changed_on
    return previous
