"""Deployment forms, the phases' labels, and the messages for refused changes."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.core import phases
from app.core.clock import today
from app.deployments import ops
from app.i18n import format_date
from app.labels.deployments import PHASE_LABELS, STOP_REASON_LABELS, phase_label
from app.models.deployments import PHASES
from app.web.confirm import YEAR, DateWindow
from app.web.fields import DateField, SelectField
from app.web.forms import KoordiForm
from app.web.validators import NoIdentityCode

MAX_TRAINED = 100_000
MAX_NOTES = 5_000
MAX_REASON_TEXT = 1_000


def phase_choices() -> list[tuple[str, object]]:
    return [(phase, PHASE_LABELS[phase]) for phase in PHASES]


class DeploymentForm(KoordiForm):
    """Editing a deployment: everything but its phase (that changes through "Move to phase")."""

    date_windows = {"pilot_start": DateWindow(), "pilot_end": DateWindow(ahead=2 * YEAR)}

    # validate_choice=False: an unknown id gets our own message (ops.Refused), not WTForms' generic one.
    unit_id = SelectField(_l("Unit"), validate_choice=False, validators=[InputRequired(message=_l("Choose the unit."))])
    method_id = SelectField(_l("Method"), validate_choice=False, validators=[InputRequired(message=_l("Choose the method."))])
    professionals_trained = IntegerField(
        _l("Professionals trained"),
        default=0,
        description=_l("How many of the unit's professionals have been trained in the method so far."),
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("The number of professionals trained cannot be negative.")),
            NumberRange(max=MAX_TRAINED, message=_l("The number of professionals trained is too large.")),
        ],
    )
    pilot_start = DateField(_l("Pilot start"), validators=[Optional()])
    pilot_end = DateField(_l("Pilot end"), validators=[Optional()])
    notes = TextAreaField(
        _l("Notes"),
        description=_l("No client details: Koordi holds no client data."),
        validators=[Length(max=MAX_NOTES), NoIdentityCode()],
    )

    def validate_pilot_end(self, field):
        problem = phases.pilot_problem(self.pilot_start.data, field.data)
        if problem:
            raise ValidationError(refusal_message(problem, start=self.pilot_start.data, end=field.data))

    def data_for_ops(self) -> ops.DeploymentData:
        return ops.DeploymentData(
            unit_id=self.unit_id.data or "",
            method_id=self.method_id.data or "",
            professionals_trained=self.professionals_trained.data or 0,
            pilot_start=self.pilot_start.data,
            pilot_end=self.pilot_end.data,
            notes=self.notes.data or "",
        )


def reason_choices() -> list[tuple[str, object]]:
    return [("", _l("Choose a reason")), *((reason, STOP_REASON_LABELS[reason]) for reason in phases.STOP_REASONS)]


# Why a deployment pauses or ends: the move form and the new form (one made paused or ended) ask
# alike. A function, so each form's fields keep their own order.
class AskedForStopPhases:
    """Flags the reason as required for a pause or an end only (the form's label then carries no
    "(optional)"); the rule itself is ops' (phases.STOP_PHASES), as it depends on the phase chosen."""

    field_flags = {"conditional": True}

    def __call__(self, form, field) -> None:
        return None


def reason_field() -> SelectField:
    return SelectField(_l("Reason"), choices=reason_choices, validate_choice=False, validators=[AskedForStopPhases()])


def reason_text_field() -> TextAreaField:
    return TextAreaField(
        _l("The reason in your own words"),
        description=_l("No client details: Koordi holds no client data."),
        validators=[Length(max=MAX_REASON_TEXT), NoIdentityCode()],
    )


class NewDeploymentForm(DeploymentForm):
    """A new deployment also says which phase it starts in, and since when (and why, when it starts
    paused or ended: the first phase row keeps the reason as a move's row does)."""

    date_windows = {**DeploymentForm.date_windows, "phase_since": DateWindow()}

    phase = SelectField(_l("Phase"), choices=phase_choices, default="planned", validators=[InputRequired()])
    phase_since = DateField(
        _l("In this phase since"),
        default=today,
        validators=[InputRequired(message=_l("Give the date the deployment entered this phase."))],
    )
    reason = reason_field()
    reason_text = reason_text_field()


class MoveForm(KoordiForm):
    date_windows = {"changed_on": DateWindow()}

    phase = SelectField(_l("New phase"), choices=phase_choices, validators=[InputRequired()])
    changed_on = DateField(
        _l("Date of the change"),
        default=today,
        validators=[InputRequired(message=_l("Give the date of the change."))],
    )
    # Asked for a pause or an end only (ops.move checks it, and stores none for other phases).
    reason = reason_field()
    reason_text = reason_text_field()


def refusal_message(reason: str, **params) -> str:
    """The message a coordinator sees for a refused change (see ops.Refused and app.core.phases)."""
    if reason == ops.UNIT_UNKNOWN:
        return _("The unit does not exist or has been deleted. Choose a unit from the list.")
    if reason == ops.METHOD_UNKNOWN:
        return _("The method does not exist or has been deleted. Choose a method from the list.")
    if reason == ops.NEGATIVE_TRAINED:
        return _("The number of professionals trained cannot be negative.")
    if reason == ops.DUPLICATE_ACTIVE:
        existing = params["existing"]
        return _(
            "%(unit)s already has an active deployment of this method (phase: %(phase)s). "
            "Open that deployment instead, or end it first.",
            unit=existing.unit.name,
            phase=phase_label(existing.phase),
        )
    if reason == phases.PILOT_END_BEFORE_START:
        return _(
            "The pilot end (%(end)s) is before the pilot start (%(start)s).",
            end=format_date(params.get("end")),
            start=format_date(params.get("start")),
        )
    if reason == phases.SAME_PHASE:
        return _("The deployment is already in this phase. Choose another phase.")
    if reason == ops.NOT_LATEST:
        return _("Only the latest phase change can be undone, and it has changed since. See the history.")
    if reason == phases.BEFORE_CURRENT:
        return _(
            "The date is before %(date)s, when the current phase (%(phase)s) began. Give that day or a later one.",
            date=format_date(params["since"]),
            phase=phase_label(params["phase"]),
        )
    if reason == phases.REASON_MISSING:
        if params.get("phase") == "paused":
            return _("Choose why the deployment pauses.")
        return _("Choose why the deployment ends.")
    if reason == phases.UNKNOWN_REASON:
        return _("Choose a reason from the list.")
    return _("Choose a phase from the list.")
