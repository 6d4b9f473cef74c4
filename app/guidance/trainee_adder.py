"""Adding a trainee without leaving the session form, and ticking a whole cohort at once.

Issue 15: the first session took 16 clicks and a detour through the trainee form that never
came back. The session form holds an "Add a trainee" fieldset (field names prefixed `new-`)
and a second submit button named `add_trainee`:

- without JavaScript that button posts the whole session form: the server adds the trainee to
  the form's method and shows the session form again, everything typed kept and the newcomer
  ticked. Nothing else is saved: the session waits for its own Save;
- guidance.js posts the same form with fetch (X-Requested-With) and gets JSON back: the
  checkboxes and the fieldset rendered here, to swap in, and a sentence for the status region.

The fields and their checks are the trainee form's (QuickTraineeForm): a name is required and an
identity code is refused, at the field. The session view calls this module; nothing here saves
a session.
"""

from __future__ import annotations

import datetime as dt

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.core.text import fold
from app.guidance import ops, reads
from app.guidance.forms import QuickTraineeForm, as_choices
from app.models import Trainee
from app.queries.guidance import active_trainees
from app.queries.units import unit_choices

PRESSED = "add_trainee"  # the fieldset's submit button
PREFIX = "new-"
TICK_COHORT = "tick_cohort"  # the no-JS "Tick the whole group" button (a GET, like the method switch)


def make_form(s: Session) -> QuickTraineeForm:
    """The fieldset's form, read from the post, or from the query string a no-JS GET carried."""
    if request.method == "POST":
        form = QuickTraineeForm(prefix=PREFIX, meta={"csrf": False})
    else:
        carried = any(k.startswith(PREFIX) for k in request.args)
        form = QuickTraineeForm(formdata=request.args if carried else None, prefix=PREFIX, meta={"csrf": False})
    units = unit_choices(s)
    form.unit_id.choices = as_choices([("", _("No unit"))] + units)
    if form.unit_id.data is None and len(units) == 1:
        form.unit_id.data = units[0][0]  # a first week's one unit: whose else would the trainee be
    form.cohort_names = reads.cohorts(s)  # the cohort field's suggestions: one spelling, one group
    if form.cohort_names:
        form.cohort.render_kw = {"list": "new-cohort-names", "autocomplete": "off"}
    return form


def pressed() -> bool:
    return request.method == "POST" and PRESSED in request.form


def wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def refuse_unadded(adder: QuickTraineeForm) -> bool:
    """Save pressed (or Enter) with a name typed in the fieldset but never added: say so at the
    field rather than save the session without the person the coordinator meant to add."""
    if not adder.name.data:
        return False
    adder.name.errors = [_("Press “Add trainee” to add %(name)s first, or empty this field.", name=adder.name.data)]
    return True


def add(s: Session, adder: QuickTraineeForm, method_id: str | None, allowed: list[str], day: dt.date) -> Trainee | None:
    """The trainee the fieldset names, added to the session's method; None with messages at the fields.
    The sentence for the page is left on `adder.done`.

    A live, active trainee of the method with the same name is ticked instead of added again: a
    reload of the page re-sends the post, and a double press must not make twins.
    """
    if not adder.validate():
        return None
    if not method_id or method_id not in allowed:
        adder.name.errors = [_("Choose the session's method first: the trainee is added to it.")]
        return None
    key = fold(adder.name.data)
    twin = next((t for t in active_trainees(s, method_id, day) if t.name_key == key), None)
    if twin is not None:
        adder.done = _("%(name)s was already a trainee of this method: ticked present.", name=twin.name)
        return twin
    adder.done = _("%(name)s added to the method's trainees and ticked present.", name=adder.name.data)
    return ops.save_trainee(
        s,
        ops.TraineeData(
            name=adder.name.data,
            method_id=method_id,
            profession=adder.profession.data or "",
            unit_id=adder.unit_id.data or None,
            cohort=adder.cohort.data or "",
        ),
    )


def cleared(adder: QuickTraineeForm) -> QuickTraineeForm:
    """The fieldset after an add: name and profession empty for the next person; unit and cohort
    kept, as a group's trainees often share both."""
    fresh = QuickTraineeForm(formdata=None, prefix=PREFIX, meta={"csrf": False})
    fresh.unit_id.choices = adder.unit_id.choices
    fresh.unit_id.data = adder.unit_id.data
    fresh.cohort.data = adder.cohort.data
    fresh.cohort_names, fresh.cohort.render_kw = adder.cohort_names, adder.cohort.render_kw
    return fresh


def context(adder: QuickTraineeForm, added: Trainee | None, offered: list[Trainee]) -> dict:
    """What the session form's template needs of the fieldset. It is open when the method has no
    one to tick yet (the first session), after an add (the next person) and with a message; the
    name field takes the focus after an add or a refusal."""
    busy = added is not None or bool(adder.errors)
    return {
        "adder": cleared(adder) if added is not None else adder,
        "adder_open": busy or not offered or bool(adder.name.data),
        "adder_focus": busy,
        "added_note": adder.done if added is not None else "",
    }


def json_reply(adding: dict, offered: list[Trainee], ticked: list[str], method_id: str | None):
    """guidance.js's answer: the checkboxes (the newcomer ticked) and the fieldset, or the fieldset
    with its messages (422)."""
    adder = adding["adder"]
    fieldset = render_template("guidance/_trainee_adder.html", **{**adding, "adder_focus": False})
    if not adding["added_note"]:
        message = " ".join(str(e) for f in adder for e in f.errors)
        return jsonify(ok=False, adder=fieldset, message=message), 422
    options = render_template("guidance/_trainee_options.html", offered=offered, ticked=ticked, method_id=method_id)
    return jsonify(ok=True, adder=fieldset, options=options, message=adding["added_note"])


def cohort_ids(s: Session, method_id: str, cohort: str, day: dt.date, session_id: str | None) -> list[str]:
    """The ids a no-JS "Tick the whole group" adds: the offered trainees of that cohort."""
    return [t.id for t in reads.offered_trainees(s, method_id or None, day, session_id) if t.cohort == cohort]
