"""Running totals per trainee and per method, the period sums the dashboard and reports use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.queries.guidance import (
    Totals,
    active_trainees,
    method_totals,
    minutes_between,
    trainee_totals,
)
from tests.guidance.helpers import (
    COOL_KIDS,
    IPC,
    add_session,
    add_trainee,
    add_unit,
    db,
    text,
    today,
)


def test_hours_are_rounded_half_up_to_a_tenth():
    assert Totals(1, 45).hours == Decimal("0.8")
    assert Totals(1, 15).hours == Decimal("0.3")
    assert Totals(2, 750).hours == Decimal("12.5")
    assert Totals().hours == Decimal("0.0")


def test_totals_are_exact_and_follow_delete_and_restore(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    bertil = add_trainee(profiled, "Bertil Björk")
    cecilia = add_trainee(profiled, "Cecilia Cool", method=COOL_KIDS)
    d = dt.date(2026, 3, 2)
    add_session(profiled, [anna, bertil], date=d.isoformat(), duration_minutes="90")
    add_session(profiled, [anna], date=(d + dt.timedelta(days=21)).isoformat(), duration_minutes="60", kind="individual")
    third = add_session(profiled, [anna, bertil], date=(d + dt.timedelta(days=42)).isoformat(), duration_minutes="120")
    add_session(profiled, [cecilia], date="2026-04-01", duration_minutes="45", method=COOL_KIDS)

    with db(app) as s:
        assert trainee_totals(s, [anna, bertil, cecilia]) == {
            anna: Totals(3, 270),
            bertil: Totals(2, 210),
            cecilia: Totals(1, 45),
        }
        assert method_totals(s) == {IPC: Totals(3, 270), COOL_KIDS: Totals(1, 45)}
        assert method_totals(s, dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == {IPC: Totals(2, 150)}

    # The trainee page and the totals page say the same, hours with a decimal comma.
    page = text(profiled.get(f"/guidance/trainees/{anna}"))
    assert 'data-total="sessions">3<' in page and "270 min" in page and "4,5 h" in page
    totals_page = text(profiled.get("/guidance/totals?start=&end="))  # all time
    assert "All sessions ever logged." in totals_page
    assert "4,5 h" in totals_page and "0,8 h" in totals_page and "5,3 h" in totals_page  # 315 min in all
    march = text(profiled.get("/guidance/totals?start=2026-03-01&end=2026-03-31"))
    assert "Sessions dated 1.3.2026–31.3.2026." in march and "2,5 h" in march and "Cool Kids" not in march

    # A deleted session drops out of every total...
    resp = profiled.post(f"/guidance/sessions/{third}/delete", csrf_from=f"/guidance/sessions/{third}")
    assert resp.status_code == 302
    with db(app) as s:
        assert trainee_totals(s, [anna, bertil]) == {anna: Totals(2, 150), bertil: Totals(1, 90)}
        assert method_totals(s)[IPC] == Totals(2, 150)
    assert "2,5 h" in text(profiled.get(f"/guidance/trainees/{anna}"))

    # ...and counts again once restored (the Undo in the flash).
    resp = profiled.post(f"/guidance/sessions/{third}/restore")
    assert resp.headers["Location"] == f"/guidance/sessions/{third}"
    with db(app) as s:
        assert trainee_totals(s, [anna, bertil]) == {anna: Totals(3, 270), bertil: Totals(2, 210)}
        assert method_totals(s)[IPC] == Totals(3, 270)


def test_totals_page_shows_this_year_by_default(profiled):
    anna = add_trainee(profiled, "Anna Aalto")
    this_year = today().year
    add_session(profiled, [anna], date=f"{this_year}-01-01", duration_minutes="60")
    add_session(profiled, [anna], date=f"{this_year - 1}-12-31", duration_minutes="600")
    page = text(profiled.get("/guidance/totals"))
    assert f"Sessions dated 1.1.{this_year}–31.12.{this_year}." in page
    assert "1,0 h" in page and "11,0 h" not in page


def test_trainee_totals_without_ids_and_with_nobody(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    idle = add_trainee(profiled, "Ilona Idle")
    add_session(profiled, [anna], duration_minutes="30")
    with db(app) as s:
        assert trainee_totals(s) == {anna: Totals(1, 30)}
        assert trainee_totals(s, [idle]) == {idle: Totals()}
        assert trainee_totals(s, []) == {}


def test_minutes_between_counts_each_session_once_per_unit(profiled, app):
    north = add_unit(app, "Pohjoinen terveysasema")
    south = add_unit(app, "Eteläinen terveysasema")
    a = add_trainee(profiled, "Anna Aalto", unit_id=north)
    b = add_trainee(profiled, "Bertil Björk", unit_id=north)
    c = add_trainee(profiled, "Cecilia Cool", unit_id=south)
    add_session(profiled, [a, b], date="2026-05-04", duration_minutes="90")  # two of north: counted once
    add_session(profiled, [a, c], date="2026-05-25", duration_minutes="60")
    add_session(profiled, [c], date="2026-06-01", duration_minutes="45")
    with db(app) as s:
        may = (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
        assert minutes_between(s, *may) == 150
        assert minutes_between(s, *may, unit_id=north) == 150
        assert minutes_between(s, *may, unit_id=south) == 60
        assert minutes_between(s, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 195
        assert minutes_between(s, dt.date(2026, 6, 1), dt.date(2026, 6, 1)) == 45  # both ends inclusive


def test_active_trainees_leave_out_ended_erased_deleted_and_other_methods(profiled, app):
    day = today()
    current = add_trainee(profiled, "Anna Aalto")
    ending_today = add_trainee(profiled, "Bertil Björk", end_date=day.isoformat())
    ended = add_trainee(profiled, "Ended Eeva", start_date="2025-01-01", end_date=(day - dt.timedelta(days=1)).isoformat())
    erased = add_trainee(profiled, "Erased Erkki")
    deleted = add_trainee(profiled, "Deleted Dan")
    add_trainee(profiled, "Cool Cecilia", method=COOL_KIDS)
    profiled.post(f"/guidance/trainees/{erased}/erase", csrf_from=f"/guidance/trainees/{erased}/erase")
    profiled.post(f"/guidance/trainees/{deleted}/delete", csrf_from=f"/guidance/trainees/{deleted}")
    with db(app) as s:
        assert [t.id for t in active_trainees(s, IPC)] == [current, ending_today]
        assert ended in [t.id for t in active_trainees(s, IPC, on=day - dt.timedelta(days=1))]
