"""The phase-history figures where a coordinator sees them: the method page, the unit page, the
deployments page, and the stall setting on the settings page."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.clock import today
from app.deployments import ops
from app.models import Setting
from tests.common import COOL_KIDS, IPC, add, db, get, squash, unit_row
from tests.deployments.helpers import field_error, text


def deployment(s, unit_id: str, method_id: str, *steps) -> str:
    """steps: (phase, days before today[, reason, text])."""
    t = today()
    (phase, ago, *_), *moves = steps
    d = ops.create(s, ops.DeploymentData(unit_id=unit_id, method_id=method_id), phase, t - dt.timedelta(days=ago))
    for phase, ago, *reason in moves:
        ops.move(s, d, phase, t - dt.timedelta(days=ago), *reason)
    return d.id


@pytest.fixture
def county(app):
    """IPC in three units: to pilot in 60, 90 and 120 days, to in use in 150 and 200 (too few for a
    median); one in use for 250 days and one paused for 230 days: stalled. Cool Kids: just planned."""
    units = add(app, *(unit_row(name) for name in ("Aura", "Bäckby", "Cedervik", "Dalsbruk")))
    with db(app) as s:
        ids = {
            "a": deployment(s, units[0], IPC, ("planned", 400), ("pilot", 340), ("in_use", 250)),
            "b": deployment(s, units[1], IPC, ("planned", 400), ("pilot", 310), ("in_use", 200), ("embedded", 20)),
            "c": deployment(
                s, units[2], IPC, ("planned", 400), ("pilot", 280), ("paused", 230, "staff_turnover", "Kaksi lähti.")
            ),
            "d": deployment(s, units[3], COOL_KIDS, ("planned", 10)),
        }
    return units, ids


def part(page: str, start: str, end: str) -> str:
    plain = squash(page)
    return plain[plain.index(start) : plain.index(end, plain.index(start))]


def test_the_method_page_shows_its_medians_stalled_retention_and_reasons(en, county):
    _units, ids = county
    page = text(en.get(f"/methods/{IPC}"))
    figures = part(page, "Phase history", "Follow-up")
    assert "Planned → pilot, median 90 days (n = 3)" in figures
    assert "Planned → in use, median – (n = 2)" in figures
    assert "Stalled 2 deployments in the same phase for over 6 months" in figures
    assert "In use or embedded 6 months after the pilot 67 % (2 of 3)" in figures
    assert "In use or embedded 12 months after the pilot – (n = 0)" in figures  # none piloted a year ago
    # One pause in 400 + 400 + 170 days that could have paused: 2,7 years.
    assert "Ever paused 33 % (1 of 3); 37,7 per 100 deployment-years (1 in 2,7 deployment-years)" in figures
    assert "Why deployments paused or ended Reason Pauses Ends Trained staff left 1 0" in figures
    # The stalled ones, longest first, each linking to its deployment.
    assert "Stalled deployments Unit Phase Since Days in phase Aura In use" in figures
    assert figures.index("Aura In use") < figures.index("Cedervik Paused")
    assert f'href="/deployments/{ids["a"]}">Aura</a>' in page
    assert "Embedded and ended deployments never count as stalled." in figures


def test_the_unit_page_shows_days_in_each_phase_and_whether_stalled(en, county):
    units, _ids = county
    figures = part(text(en.get(f"/units/{units[0]}")), "Days in each phase", "Events")
    assert "Method Planned Training Pilot In use Embedded Paused Ended Stalled" in figures
    assert "Interpersonal counselling IPC 60 – 90 250 – – – Yes, 250 days" in figures


def test_the_deployments_page_sums_up_every_deployment_with_links_to_the_stalled(en, county):
    _units, ids = county
    page = text(en.get("/deployments?method=" + COOL_KIDS))  # the summary is of every deployment, whatever the filter
    figures = part(page, "Phase history of all deployments", "Embedded and ended")
    assert "Planned → pilot, median 90 days (n = 3)" in figures
    assert "Stalled 2 deployments in the same phase for over 6 months" in figures
    assert "Stalled the longest Unit Method Phase Since Days in phase Aura" in figures
    assert f'href="/deployments/{ids["c"]}">Cedervik' in page


@pytest.mark.parametrize("bad", ["0", "61", "x"])
def test_the_stall_setting_is_validated(en, app, bad):
    resp = en.post(
        "/settings/dashboard", {"no_contact_weeks": "6", "nomad_months": "", "stall_months": bad}, csrf_from="/settings/dashboard"
    )
    assert resp.status_code == 422
    assert field_error(text(resp), "stall_months")
    assert get(app, Setting, "stall_months") is None


def test_the_stall_setting_changes_what_counts_as_stalled(en, app, county):
    page = text(en.get("/settings/dashboard"))
    assert 'id="stall_months"' in page and 'value="6"' in page.split('id="stall_months"', 1)[1].split(">", 1)[0]
    resp = en.post(
        "/settings/dashboard", {"no_contact_weeks": "6", "nomad_months": "", "stall_months": "8"}, csrf_from="/settings/dashboard"
    )
    assert resp.status_code == 302
    assert get(app, Setting, "stall_months").value == "8"
    figures = squash(text(en.get(f"/methods/{IPC}")))
    # In use for 250 days is over 8 months; paused for 230 days is not.
    assert "Stalled 1 deployment in the same phase for over 8 months" in figures
    # Empty is the default again.
    en.post(
        "/settings/dashboard", {"no_contact_weeks": "6", "nomad_months": "", "stall_months": ""}, csrf_from="/settings/dashboard"
    )
    assert get(app, Setting, "stall_months").value == "6"
