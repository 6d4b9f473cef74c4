"""Forms of the instrument catalogue, survey rounds, their entry and the survey-file import."""

from __future__ import annotations

import re
from collections.abc import Collection

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, Form, IntegerField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.instruments import CONSTRUCTS, GENERAL
from app.core.survey_table import MAX_BYTES
from app.labels.surveys import GROUP_LABELS, KIND_LABELS, SCALE_LABELS, TOOL_LABELS
from app.models.surveys import POINTS_MAX, POINTS_MIN
from app.web.confirm import DateWindow
from app.web.fields import DateField, SelectField
from app.web.forms import KoordiForm
from app.web.validators import NoIdentityCode

MAX_PEOPLE = 100_000  # invited / answered: far beyond any unit; keeps "9"*30 out of SQLite
CODE = re.compile(r"[A-Za-z0-9ÅÄÖåäö][A-Za-z0-9ÅÄÖåäö_.-]*")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def values_of(choices) -> set[str]:
    """The values of a field's choices: SelectChoice objects or (value, label) pairs."""
    return {str(c.value if isinstance(c, SelectChoice) else c[0]) for c in choices or ()}


class Chosen:
    """The value is one of the field's choices; a stale or forged id gets a message naming the field."""

    def __call__(self, form, field):
        if field.data and field.data not in values_of(field.choices):
            raise ValidationError(_("Choose %(field)s from the list.", field=field.label.text))


class Checkboxes(SelectMultipleField):
    """Checkboxes whose every value must be one of the choices."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        known = values_of(self.choices)
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_("%(field)s: one of the choices is unknown. Choose from the list.", field=self.label.text))


class Sensible:
    """A date a survey round could have: the year 2000-2100 (a typo like 0202 gets a message)."""

    def __call__(self, form, field):
        if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(
                _(
                    "Check the year: %(field)s must be in %(first)s–%(last)s.",
                    field=field.label.text,
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                )
            )


def _names():
    return (
        StringField(_l("Name in Finnish"), validators=[DataRequired(), Length(max=200), NoIdentityCode()]),
        StringField(
            _l("Name in Swedish"),
            description=_l("Leave empty to show the Finnish name."),
            validators=[Length(max=200), NoIdentityCode()],
        ),
        StringField(
            _l("Name in English"),
            description=_l("Leave empty to show the Finnish name."),
            validators=[Length(max=200), NoIdentityCode()],
        ),
    )


class InstrumentForm(KoordiForm):
    name_fi, name_sv, name_en = _names()
    kind = RadioField(
        _l("Scored as"),
        description=_l(
            "Choose NoMAD, SUS or UMUX-Lite only for a version of that instrument: it is scored by that "
            "instrument's rule. Anything else is a custom instrument: item means, and group means."
        ),
        choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()],
        default="custom",
        validators=[InputRequired()],
    )
    description = TextAreaField(_l("Short description"), validators=[Length(max=2000), NoIdentityCode()], render_kw={"rows": 3})


class ItemForm(KoordiForm):
    code = StringField(
        _l("Code"),
        description=_l(
            "Short, as the survey file's column header names the item: for example Q1 or CO1. Letters, digits, - _ and ."
        ),
        validators=[InputRequired(), Length(max=32), NoIdentityCode()],
    )
    label_fi = StringField(_l("Label in Finnish"), validators=[DataRequired(), Length(max=300), NoIdentityCode()])
    label_sv = StringField(
        _l("Label in Swedish"),
        description=_l("Leave empty to show the Finnish label."),
        validators=[Length(max=300), NoIdentityCode()],
    )
    label_en = StringField(
        _l("Label in English"),
        description=_l("Leave empty to show the Finnish label."),
        validators=[Length(max=300), NoIdentityCode()],
    )
    group_key = StringField(
        _l("Group"),
        description=_l("Items of one group get a pooled mean. Leave empty for none."),
        validators=[Length(max=64), NoIdentityCode()],
    )
    scale = RadioField(
        _l("Scale"), choices=[SelectChoice(k, v) for k, v in SCALE_LABELS.items()], default="points", validators=[InputRequired()]
    )
    points = IntegerField(
        _l("Scale points"),
        description=_l("For a scale of points: how many, 2–11 (5 for answers 1–5)."),
        validators=[Optional(), NumberRange(min=POINTS_MIN, max=POINTS_MAX, message=_l("The scale must have 2–11 points."))],
        render_kw={"min": POINTS_MIN, "max": POINTS_MAX, "inputmode": "numeric"},
    )
    reversed = BooleanField(_l("Negatively worded: scored in reverse"))
    not_applicable = BooleanField(_l("Has a “not applicable” option (never scored)"), description=_l("For a scale of points."))
    wording = TextAreaField(
        _l("The wording your survey used"),
        description=_l("Paste the item's text from your survey: a survey file's column with this text is read as this item."),
        validators=[Length(max=2000), NoIdentityCode()],
        render_kw={"rows": 3},
    )

    def __init__(self, *args, taken: Collection[str] = frozenset(), kind: str = "custom", answered_as=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = {t.casefold() for t in taken}  # other items' codes in the instrument
        self.kind = kind
        # (scale, points, not applicable) when rounds hold answers to the item: those answers keep their meaning.
        self.answered_as = answered_as

    def validate_code(self, field):
        if field.data and not CODE.fullmatch(field.data):
            raise ValidationError(_("Use letters, digits, - _ and . only, no spaces."))
        if field.data and field.data.casefold() in self.taken:
            raise ValidationError(_("Another item of this instrument has the code %(code)s.", code=field.data))

    def validate_group_key(self, field):
        if self.kind == "nomad" and field.data not in (*CONSTRUCTS, GENERAL):
            names = ", ".join(f"{k} ({GROUP_LABELS[k]})" for k in (*CONSTRUCTS, GENERAL))
            raise ValidationError(_("A NoMAD item's group is one of: %(groups)s.", groups=names))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # Not an inline validator: Optional() ends an empty field's checks before those run.
        if self.scale.data == "points" and self.points.data is None and not self.points.errors:
            self.points.errors.append(_("Give the number of points (2–11)."))
            ok = False
        return ok

    def validate_scale(self, field):
        if self.answered_as is None:
            return
        scale, points, _na = self.answered_as
        if field.data != scale or (scale == "points" and self.points.data not in (None, points)):
            raise ValidationError(_("Rounds hold answers to this item: its scale cannot change."))

    def validate_not_applicable(self, field):
        if self.answered_as is not None and self.answered_as[2] and not field.data:
            raise ValidationError(_("Rounds hold answers to this item: its “not applicable” option stays."))


class WordingForm(KoordiForm):
    wording = ItemForm.wording


class RoundForm(KoordiForm):
    date_windows = {"date": DateWindow()}

    instrument_id = SelectField(_l("Instrument"), validate_choice=False, validators=[InputRequired(), Chosen()])
    method_id = SelectField(
        _l("Method"), description=_l("Optional: the method the survey was about."), validate_choice=False, validators=[Chosen()]
    )
    units = Checkboxes(_l("Units"), description=_l("One unit, or all the units of a survey about a method."), choices=[])
    date = DateField(_l("Date"), description=_l("The day the survey closed."), validators=[InputRequired(), Sensible()])
    invited = IntegerField(
        _l("Invited"),
        description=_l("Optional: how many were asked to answer."),
        validators=[Optional(), NumberRange(min=0, max=MAX_PEOPLE, message=_l("Give a number 0–100 000."))],
        render_kw={"min": 0, "max": MAX_PEOPLE, "inputmode": "numeric"},
    )
    answered = IntegerField(
        _l("Answered"),
        description=_l("How many answered: the respondents of the round."),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_PEOPLE, message=_l("Give a number 0–100 000."))],
        render_kw={"min": 0, "max": MAX_PEOPLE, "inputmode": "numeric"},
    )
    tool = SelectField(
        _l("Survey tool"),
        choices=[SelectChoice(k, v) for k, v in TOOL_LABELS.items()],
        default="other",
        validators=[InputRequired()],
    )
    means_only = BooleanField(
        _l("Means only"),
        description=_l("Tick when the survey tool gave only each item's mean and number of answers, not the counts per answer."),
    )
    share_small = BooleanField(
        _l("Share this small round with the central office"),
        description=_l(
            "Only matters when fewer than 5 answered. Such a round stays on this laptop: in a small team its "
            "figures could show what each person answered. Tick this only if the respondents agreed."
        ),
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000), NoIdentityCode()], render_kw={"rows": 3})

    def __init__(self, *args, answered_at_least: int = 0, has_counts: bool = False, has_means: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.answered_at_least = answered_at_least  # the most answers an item of the round has
        self.has_counts, self.has_means = has_counts, has_means

    def validate_units(self, field):
        if not field.data:
            raise ValidationError(_("Tick at least one unit."))

    def validate_answered(self, field):
        if field.data is None:
            return
        if self.invited.data is not None and field.data > self.invited.data:
            raise ValidationError(_("More answered than were invited: check the numbers."))
        if field.data < self.answered_at_least:
            raise ValidationError(
                _("An item of this round has %(n)s answers: the number answered cannot be smaller.", n=self.answered_at_least)
            )

    def validate_means_only(self, field):
        if field.data and self.has_counts:
            raise ValidationError(_("The round has counts entered: clear them first (save an empty grid), then tick this."))
        if not field.data and self.has_means:
            raise ValidationError(_("The round has means entered: clear them first (save an empty grid), then untick this."))


class RoundFilterForm(Form):
    """GET filters of the rounds list: no CSRF (nothing is written)."""

    unit = SelectField(_l("Unit"), validate_choice=False)
    method = SelectField(_l("Method"), validate_choice=False)
    instrument = SelectField(_l("Instrument"), validate_choice=False)
    year = SelectField(_l("Year"), validate_choice=False)


class EntryForm(KoordiForm):
    """The grid's form: its cells are read from the request by the view (one per item and option)."""


class FileLimit:
    def __call__(self, form, field):
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError(_("Choose the survey file: a CSV or Excel (.xlsx) file of individual answers."))


def file_field():
    return FileField(
        _l("Survey file"),
        description=_l(
            "The survey tool's export of individual answers, as CSV or Excel (.xlsx): a row per respondent, "
            "a column per question. Koordi counts the answers and keeps only the counts: the file is not saved."
        ),
        validators=[FileLimit()],
    )


def _limit_attributes(field) -> None:
    # The file is refused here before sending when larger than a survey export can be (koordi.js).
    limit = min(MAX_BYTES, current_app.config["MAX_CONTENT_LENGTH"] - 64 * 1024)
    field.render_kw = {
        "accept": ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "data-max-bytes": limit,
        "data-too-large": _(
            "The file is larger than %(limit)s MB: a survey export is far smaller. Check that you picked the right file.",
            limit=limit // (1024 * 1024),
        ),
    }


class ImportForm(KoordiForm):
    """A survey file for an existing round (round_id) or for a new round described here."""

    file = file_field()
    instrument_id = RoundForm.instrument_id
    units = Checkboxes(_l("Units"), description=_l("One unit, or all the units of a survey about a method."), choices=[])
    method_id = RoundForm.method_id
    date = DateField(_l("Date"), description=_l("The day the survey closed."), validators=[Optional(), Sensible()])
    tool = RoundForm.tool
    invited = RoundForm.invited

    def __init__(self, *args, for_round: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_round = for_round
        _limit_attributes(self.file)
        if for_round:  # the round says all of this
            for name in ("instrument_id", "units", "method_id", "date", "tool", "invited"):
                delattr(self, name)

    def validate_units(self, field):
        if not field.data:
            raise ValidationError(_("Tick at least one unit."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # Not an inline validator: Optional() ends an empty field's checks before those run.
        if not self.for_round and self.date.data is None and not self.date.errors:
            self.date.errors.append(_("Give the date the survey closed."))
            ok = False
        return ok


def mapping_form(
    columns: list[tuple[str, str]], answers: list[tuple[str, str, list[tuple[str, str]]]], item_choices: list[tuple[str, str]]
) -> type[KoordiForm]:
    """The questions a survey file left: which item each unmapped column is, and which option each
    unmapped answer is. columns: [(field name, header)]; answers: [(field name, answer, choices)]."""

    class MappingForm(KoordiForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            _limit_attributes(self.file)

    MappingForm.file = file_field()
    for name, header in columns:
        setattr(
            MappingForm,
            name,
            SelectField(
                header, choices=[SelectChoice("", _l("Ignore this column"))] + [SelectChoice(v, t) for v, t in item_choices]
            ),
        )
    for name, answer, choices in answers:
        setattr(
            MappingForm,
            name,
            SelectField(
                answer, choices=[SelectChoice("", _l("Count as not answered"))] + [SelectChoice(v, t) for v, t in choices]
            ),
        )
    return MappingForm


def year_of(value: str | None) -> int | None:
    """A year filter's value, or None for anything that is not a sensible year."""
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None
