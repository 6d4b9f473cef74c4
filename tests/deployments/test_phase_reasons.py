"""Why a deployment pauses or ends: asked in the move form, stored on the move, shown in the history."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core import hetu
from app.models import PhaseChange
from tests.common import db, squash
from tests.deployments.helpers import IPC, add_unit, deployments, field_error, form, phase_change_count, text
from tests.deployments.test_deployments import create, move


def changes(app, deployment_id: str) -> list[tuple[str, str, str]]:
    with db(app) as s:
        rows = s.query(PhaseChange).filter_by(deployment_id=deployment_id).order_by(PhaseChange.changed_on).all()
        return [(c.phase, c.reason, c.reason_text) for c in rows]


@pytest.fixture
def started(en, app) -> str:
    did = create(en, add_unit(app, "Inkoon terveysasema"), phase_since="2026-01-12")
    assert move(en, did, "in_use", "2026-03-02").status_code == 302
    return did


def test_the_move_form_asks_why_from_the_catalogue(en, started):
    page = text(en.get(f"/deployments/{started}/move?phase=paused"))
    box = page.split('<fieldset class="stop-reason"', 1)[1].split("</fieldset>", 1)[0]
    assert 'data-show-for-phase="paused ended"' in box
    assert "Why the deployment pauses or ends" in box and "Asked only when the new phase is Paused or Ended." in box
    options = re.findall(r'<option (?:selected )?value="(\w*)">([^<]*)</option>', box)
    assert options[0] == ("", "Choose a reason")
    assert ("staff_turnover", "Trained staff left") in options and ("other", "Other reason") in options
    assert len(options) == 9
    assert 'name="reason_text"' in box
    # The reason is asked for a pause or an end, so not marked optional; the words are, once.
    labels = [squash(re.sub(r"<[^>]+>", " ", label)) for label in re.findall(r"<label[^>]*>(.*?)</label>", box, re.S)]
    assert labels == ["Reason", "The reason in your own words (optional)"], labels


@pytest.mark.parametrize(
    "phase, message", [("paused", "Choose why the deployment pauses."), ("ended", "Choose why the deployment ends.")]
)
def test_pausing_or_ending_without_a_reason_is_refused_at_the_field(en, app, started, phase, message):
    before = phase_change_count(app)
    resp = move(en, started, phase, "2026-05-04", reason="", reason_text="Ei tekijöitä")
    assert resp.status_code == 422
    page = text(resp)
    assert field_error(page, "reason") == message
    assert 'href="#reason">Reason: ' + message in page  # the summary links to the field
    assert phase_change_count(app) == before
    (d,) = deployments(app)
    assert d.phase == "in_use"
    # The text typed stays in the form.
    assert "Ei tekijöitä</textarea>" in page


def test_an_unknown_reason_is_refused(en, started):
    resp = move(en, started, "ended", "2026-05-04", reason="bored")
    assert resp.status_code == 422
    assert field_error(text(resp), "reason") == "Choose a reason from the list."


def test_the_reason_is_stored_on_the_move_and_shown_in_the_history(en, app, started):
    resp = move(en, started, "paused", "2026-05-04", reason="staff_turnover", reason_text="  Kaksi koulutettua lähti.  ")
    assert resp.status_code == 302
    assert move(en, started, "in_use", "2026-08-03", reason="resources", reason_text="ignored").status_code == 302
    assert move(en, started, "ended", "2026-10-05", reason="replaced").status_code == 302
    assert changes(app, started) == [
        ("planned", "", ""),
        ("in_use", "", ""),
        ("paused", "staff_turnover", "Kaksi koulutettua lähti."),
        ("in_use", "", ""),  # not asked for other phases: nothing stored
        ("ended", "replaced", ""),
    ]
    page = text(en.get(f"/deployments/{started}"))
    table = squash(page.split('<table class="history">', 1)[1].split("</table>", 1)[0])
    assert "Phase Entered on Days in phase Reason" in table
    assert "Paused 4.5.2026 91 Trained staff left: Kaksi koulutettua lähti." in table
    assert "Ended current 5.10.2026" in table and "Replaced by another method" in table


def test_no_reason_column_before_any_pause_or_end(en, started):
    page = text(en.get(f"/deployments/{started}"))
    table = page.split('<table class="history">', 1)[1].split("</table>", 1)[0]
    assert ">Reason<" not in table


def test_an_identity_code_in_the_reason_text_is_refused(en, app, started):
    code = hetu.generate(dt.date(1985, 4, 12), 123)
    resp = move(en, started, "ended", "2026-05-04", reason="other", reason_text=f"Asiakas {code}")
    assert resp.status_code == 422
    assert field_error(text(resp), "reason_text")
    assert changes(app, started)[-1][0] == "in_use"


# -- a deployment recorded straight into a pause or an end asks the same -------------------


def test_the_new_form_has_the_reason_fieldset_without_scripts(en):
    page = text(en.get("/deployments/new"))
    form = page.split('<form method="post"', 1)[1].split("</form>", 1)[0]
    # In the page's HTML, not hidden: without JS it is simply always there (deployments.js hides it).
    box = form.split('<fieldset class="stop-reason"', 1)[1].split("</fieldset>", 1)[0]
    assert 'data-show-for-phase="paused ended"' in box
    assert 'name="reason"' in box and 'name="reason_text"' in box and "hidden" not in box.split(">", 1)[0]
    assert len(re.findall(r"<option (?:selected )?value=\"\w*\">", box)) == 9
    assert form.index('name="phase_since"') < form.index("stop-reason")


@pytest.mark.parametrize(
    "phase, message", [("paused", "Choose why the deployment pauses."), ("ended", "Choose why the deployment ends.")]
)
def test_creating_paused_or_ended_without_a_reason_is_refused_at_the_field(en, app, phase, message):
    unit = add_unit(app, "Siuntion terveysasema")
    resp = en.post(
        "/deployments/new", form(unit, phase=phase, reason="", reason_text="Ei tekijöitä"), csrf_from="/deployments/new"
    )
    assert resp.status_code == 422
    page = text(resp)
    assert field_error(page, "reason") == message
    assert 'href="#reason">Reason: ' + message in page
    assert "Ei tekijöitä</textarea>" in page
    assert deployments(app) == [] and phase_change_count(app) == 0
    resp = en.post("/deployments/new", form(unit, phase=phase, reason="bored"), csrf_from="/deployments/new")
    assert field_error(text(resp), "reason") == "Choose a reason from the list."


def test_the_reason_of_a_deployment_created_paused_is_on_its_first_phase_row(en, app):
    unit = add_unit(app, "Karkkilan terveysasema")
    did = create(en, unit, phase="paused", phase_since="2026-02-02", reason="resources", reason_text="  Ei resursseja.  ")
    assert changes(app, did) == [("paused", "resources", "Ei resursseja.")]
    table = squash(text(en.get(f"/deployments/{did}")).split('<table class="history">', 1)[1].split("</table>", 1)[0])
    assert "Paused current 2.2.2026" in table and "Ei resursseja." in table
    # Other phases store none, whatever was sent (the fieldset is there without scripts).
    other = create(en, unit, IPC, phase="planned", reason="resources", reason_text="ignored")
    assert changes(app, other) == [("planned", "", "")]
