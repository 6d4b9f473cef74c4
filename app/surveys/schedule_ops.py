"""Writes of the schedule of due rounds: closing one as not done, with the reason, and opening
it again (each one transaction)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.exchange.format import NOTES_MAX
from app.models import SurveySkip
from app.store import write

REASON_MAX = NOTES_MAX  # what the export file allows (app.exchange.format: survey_skips.reason)


def skip_round(s: Session, deployment_id: str, due_key: str, reason: str) -> SurveySkip:
    """Close the due round `due_key` of the deployment as not done (a second reason replaces the first)."""
    with write(s):
        skip = s.scalars(
            select(SurveySkip).where(
                SurveySkip.deployment_id == deployment_id, SurveySkip.due_key == due_key, SurveySkip.deleted.is_(False)
            )
        ).first() or SurveySkip(deployment_id=deployment_id, due_key=due_key)
        skip.reason = reason.strip()
        s.add(skip)
    return skip


def reopen_round(s: Session, deployment_id: str, due_key: str) -> bool:
    """Take the "not done" back (the skip is soft-deleted, so the change travels in an export)."""
    with write(s):
        skips = list(
            s.scalars(
                select(SurveySkip).where(
                    SurveySkip.deployment_id == deployment_id, SurveySkip.due_key == due_key, SurveySkip.deleted.is_(False)
                )
            )
        )
        for skip in skips:
            skip.deleted = True
    return bool(skips)
