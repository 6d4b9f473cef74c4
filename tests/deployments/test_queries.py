"""The shared reads: counts by phase, phase changes in a period, and lists that stay one query."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from app.deployments import ops
from app.models import Method, Unit
from app.queries import deployments as q
from tests.deployments.helpers import COOL_KIDS, IPC, IPT, add_unit

D = dt.date


@pytest.fixture
def s(app):
    with app.extensions["koordi.store"].Session() as session:
        yield session


def new(s, unit, method, phase="planned", since=D(2026, 1, 5)):
    return ops.create(s, ops.DeploymentData(unit, method), phase, since)


def test_count_by_phase(app, s):
    a, b, gone = (add_unit(app, n) for n in ("A", "B", "Gone"))
    new(s, a, COOL_KIDS)
    pilot = new(s, a, IPC)
    ops.move(s, pilot, "training", D(2026, 2, 1))
    ops.move(s, pilot, "pilot", D(2026, 3, 1))
    new(s, b, COOL_KIDS, "pilot")
    new(s, b, IPT, "ended")
    deleted = new(s, b, IPC)
    deleted.deleted = True
    new(s, gone, IPT)
    s.get(Unit, gone).deleted = True  # a deleted unit's deployments count nowhere
    s.commit()

    counts = q.count_by_phase(s)
    assert list(counts) == ["planned", "training", "pilot", "in_use", "embedded", "paused", "ended"]
    assert counts == {"planned": 1, "training": 0, "pilot": 2, "in_use": 0, "embedded": 0, "paused": 0, "ended": 1}
    assert q.count_by_phase(s, unit_id=a) == {**dict.fromkeys(counts, 0), "planned": 1, "pilot": 1}
    assert q.count_by_phase(s, method_id=COOL_KIDS) == {**dict.fromkeys(counts, 0), "planned": 1, "pilot": 1}
    assert q.count_by_phase(s, unit_id=b, method_id=IPT)["ended"] == 1
    assert sum(q.count_by_phase(s, unit_id=gone).values()) == 0


def test_count_by_phase_leaves_out_deleted_methods(app, s):
    unit = add_unit(app, "A")
    method = Method(name_fi="Oma menetelmä", target_group="adult")
    s.add(method)
    s.commit()
    new(s, unit, method.id)
    assert q.count_by_phase(s)["planned"] == 1
    method.deleted = True
    s.commit()
    assert q.count_by_phase(s)["planned"] == 0


def test_phase_changes_between(app, s):
    a, b = add_unit(app, "Alfa"), add_unit(app, "Beta")
    one = new(s, a, COOL_KIDS, since=D(2026, 1, 5))
    ops.move(s, one, "training", D(2026, 2, 1))
    ops.move(s, one, "pilot", D(2026, 3, 31))
    two = new(s, b, IPC, since=D(2026, 2, 1))
    ops.move(s, two, "training", D(2026, 4, 1))

    rows = q.phase_changes_between(s, D(2026, 2, 1), D(2026, 3, 31))
    assert [(r.changed_on, r.deployment.unit.name, r.phase) for r in rows] == [
        (D(2026, 2, 1), "Alfa", "training"),
        (D(2026, 2, 1), "Beta", "planned"),  # created in the period: its first phase counts
        (D(2026, 3, 31), "Alfa", "pilot"),
    ]
    assert rows[0].deployment.method.name("fi") == "Cool Kids"
    two.deleted = True
    s.commit()
    assert [r.phase for r in q.phase_changes_between(s, D(2026, 1, 1), D(2026, 12, 31))] == ["planned", "training", "pilot"]


def test_ops_refuse_what_the_form_would(app, s):
    unit = add_unit(app, "A")
    with pytest.raises(ops.Refused) as refused:
        ops.create(s, ops.DeploymentData(unit, COOL_KIDS, professionals_trained=-1))
    assert refused.value.field == "professionals_trained"
    with pytest.raises(ops.Refused) as refused:
        ops.create(s, ops.DeploymentData(unit, COOL_KIDS, pilot_start=D(2026, 5, 2), pilot_end=D(2026, 5, 1)))
    assert refused.value.field == "pilot_end"
    with pytest.raises(ops.Refused) as refused:
        ops.create(s, ops.DeploymentData(unit, COOL_KIDS), phase="done")
    assert refused.value.field == "phase"
    assert q.count_by_phase(s) == dict.fromkeys(q.PHASES, 0)


def test_list_and_board_are_a_fixed_number_of_queries(app, en):
    """No N+1: the pages ask the database the same number of times for 3 or 60 deployments."""
    from app.models.methods import SEED_METHODS, seed_id

    engine = app.extensions["koordi.store"].engine
    statements: list[str] = []

    def count(*_args):
        statements.append(_args[2])

    def queries_for(path: str) -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert en.get(path).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    with app.extensions["koordi.store"].Session() as s:
        for i in range(3):
            new(s, add_unit(app, f"U{i}"), COOL_KIDS)
        small = {p: queries_for(p) for p in ("/deployments", "/deployments/board")}
        for i in range(4):
            unit = add_unit(app, f"V{i}")
            for key, *_ in SEED_METHODS[:15]:
                new(s, unit, seed_id(key), "pilot" if i % 2 else "training")
    large = {p: queries_for(p) for p in ("/deployments", "/deployments/board")}
    assert large == small
