"""Forms of the guidance feature: trainee, session, and the choice labels they use."""

from __future__ import annotations

from typing import ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import (
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.labels.guidance import KIND_LABELS, MODE_LABELS, STATUS_LABELS  # noqa: F401 - the form's choices
from app.models import Trainee
from app.models.guidance import SESSION_KINDS, SESSION_MODES
from app.web.confirm import YEAR, DateWindow
from app.web.fields import DateField, SelectField
from app.web.forms import KoordiForm
from app.web.validators import Email, NoIdentityCode

MAX_DURATION = 600


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs, e.g. from method_choices(), as WTForms wants them."""
    return [SelectChoice(value, label) for value, label in pairs]


class Chosen:
    """The value is one of the field's choices; a stale or forged id gets a message naming the field."""

    def __call__(self, form, field):
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_("Choose %(field)s from the list.", field=field.label.text))


class TraineeForm(KoordiForm):
    date_windows = {"start_date": DateWindow(), "end_date": DateWindow(ahead=3 * YEAR)}

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120), NoIdentityCode()])
    email = StringField(
        _l("Email"),
        description=_l("Optional. Shown only on the trainee's own page."),
        validators=[Optional(), Length(max=254), Email()],
    )
    profession = StringField(_l("Profession"), validators=[Length(max=100), NoIdentityCode()])
    unit_id = SelectField(_l("Unit"), validate_choice=False, validators=[Chosen()])
    method_id = SelectField(_l("Method"), validate_choice=False, validators=[InputRequired(), Chosen()])
    cohort = StringField(
        _l("Training cohort"),
        description=_l("For example “Autumn 2026 group”."),
        validators=[Length(max=100), NoIdentityCode()],
    )
    start_date = DateField(_l("Training starts"), validators=[Optional()])
    end_date = DateField(_l("Training ends"), validators=[Optional()])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_("Training ends before it starts: check the dates."))


class QuickTraineeForm(TraineeForm):
    """The session form's "New trainee" fieldset (app/guidance/trainee_adder.py): the trainee
    form's own fields and checks, minus what the session gives (the method) or can wait."""

    date_windows: ClassVar[dict[str, DateWindow]] = {}
    # None removes an inherited field (WTForms' way); mypy sees a field's type changed.
    email = None
    method_id = None  # type: ignore[assignment]
    start_date = None  # type: ignore[assignment]
    end_date = None  # type: ignore[assignment]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort_names: list[str] = []  # the cohort field's suggestions (a datalist)
        self.done = ""  # what an add did, for the page (app/guidance/trainee_adder.py)


class SessionForm(KoordiForm):
    # A session is logged after it was held: a date weeks ahead is most likely a typo.
    date_windows = {"date": DateWindow(ahead=31)}

    date = DateField(_l("Date"), validators=[InputRequired()])
    method = SelectField(_l("Method"), validate_choice=False, validators=[InputRequired(), Chosen()])
    kind = RadioField(
        _l("Group or individual"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in SESSION_KINDS], validators=[InputRequired()]
    )
    trainees = SelectMultipleField(_l("Trainees present"), validate_choice=False)
    duration_minutes = IntegerField(
        _l("Duration in minutes"),
        description=_l("Whole minutes, 1–600."),
        validators=[
            InputRequired(),
            NumberRange(min=1, max=MAX_DURATION, message=_l("The duration must be 1–600 minutes.")),
        ],
        render_kw={"min": 1, "max": MAX_DURATION, "inputmode": "numeric"},
    )
    mode = RadioField(
        _l("On-site or remote"), choices=[SelectChoice(k, MODE_LABELS[k]) for k in SESSION_MODES], validators=[InputRequired()]
    )
    cases_discussed = IntegerField(
        _l("Anonymous cases discussed"),
        description=_l("A count only: no client details."),
        validators=[Optional(), NumberRange(min=0, max=999, message=_l("The number of cases must be 0–999."))],
        render_kw={"min": 0, "max": 999, "inputmode": "numeric"},
    )
    topics = TextAreaField(_l("Topics"), validators=[Length(max=2000), NoIdentityCode()], render_kw={"rows": 2})
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000), NoIdentityCode()], render_kw={"rows": 3})

    def __init__(self, *args, db: Session, present: set[str] | frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.db = db
        self.present = set(present)  # already present at the session being edited

    def validate_trainees(self, field):
        ids = list(dict.fromkeys(i for i in (field.data or []) if i))
        field.data = ids
        if self.kind.data == "group" and not ids:
            raise ValidationError(_("Tick at least one trainee: a group session needs someone present."))
        found = {t.id: t for t in self.db.scalars(select(Trainee).where(Trainee.id.in_(ids)))} if ids else {}
        method = self.method.data
        for trainee_id in ids:
            if trainee_id in self.present and trainee_id in found:
                continue  # keeping someone who was there is always allowed
            trainee = found.get(trainee_id)
            if trainee is None or trainee.deleted:
                raise ValidationError(_("A ticked trainee no longer exists. Tick the trainees again."))
            if trainee.erased_at is not None:
                raise ValidationError(_("A ticked trainee's data was erased: they cannot be added to a session."))
            if method and trainee.method_id != method:
                raise ValidationError(
                    _(
                        "%(name)s trains in another method. Press “Show the method's trainees” and tick again.",
                        name=trainee.name,
                    )
                )
