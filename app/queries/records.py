"""Documents about one record: a trainee's guidance attestation, an event's sign-in sheet.

Plain functions over a Session (no Flask). The attestation lists exactly the sessions
the trainee page lists (live sessions the trainee attended through a live attendance
row) and its totals are app.queries.guidance.trainee_totals, the trainee page's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Event, GuidanceSession, Method, SessionTrainee, Trainee, Unit
from app.queries.common import get_live, live
from app.queries.events import event_methods, event_units
from app.queries.guidance import Totals, trainee_totals


@dataclass(frozen=True)
class Attestation:
    trainee: Trainee
    method: Method
    unit: Unit | None  # None without a unit, or when the unit was deleted
    sessions: list[GuidanceSession]  # oldest first
    totals: Totals


def attended_sessions(s: Session, trainee_id: str) -> list[GuidanceSession]:
    """The live sessions a trainee attended, oldest first (the trainee page's rows, in date order)."""
    attended = select(SessionTrainee.session_id).where(SessionTrainee.trainee_id == trainee_id, live(SessionTrainee.deleted))
    stmt = (
        select(GuidanceSession)
        .where(GuidanceSession.id.in_(attended), live(GuidanceSession.deleted))
        .order_by(GuidanceSession.date, GuidanceSession.created_at, GuidanceSession.id)
    )
    return list(s.scalars(stmt))


def attestation(s: Session, trainee_id: str) -> Attestation | None:
    """A live trainee's attestation data, or None when there is no such trainee."""
    trainee = get_live(s, Trainee, trainee_id)
    if trainee is None:
        return None
    unit = get_live(s, Unit, trainee.unit_id) if trainee.unit_id else None
    method = s.get(Method, trainee.method_id)
    assert method is not None  # trainees.method_id is a foreign key
    return Attestation(
        trainee=trainee,
        method=method,
        unit=unit,
        sessions=attended_sessions(s, trainee.id),
        totals=trainee_totals(s, [trainee.id])[trainee.id],
    )


@dataclass(frozen=True)
class SignIn:
    event: Event
    units: list[Unit]  # by name
    methods: list[Method]


def signin(s: Session, event_id: str) -> SignIn | None:
    event = get_live(s, Event, event_id)
    if event is None:
        return None
    return SignIn(event, [unit for _eu, unit in event_units(s, event.id)], event_methods(s, event.id))
