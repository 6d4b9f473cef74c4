"""Shared by the entry tests (catalogue, rounds, grid, import, CLI): a profiled client reading
English, the seeded instruments' ids, units, and rounds made through the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core import hetu
from app.models import Instrument, InstrumentItem, SurveyCount, SurveyRound
from app.store.seeds import instrument_id, item_id
from tests.common import add, db, in_english, text, unit_row

NOMAD = instrument_id("nomad-20")
SUS = instrument_id("sus")
UMUX = instrument_id("umux-lite")
CODE = hetu.generate(dt.date(1985, 4, 12), 238)  # made here: never a real person's
DAY = dt.date(2026, 6, 15)


@pytest.fixture
def c(profiled):
    in_english(profiled)
    return profiled


def unit(app, name: str = "Kivikylän terveysasema", **kw) -> str:
    (unit_id,) = add(app, unit_row(name, **kw))
    return unit_id


def nomad_item(code: str) -> str:
    return item_id("nomad-20", code)


def new_round(c, units: list[str], instrument: str = NOMAD, answered: int = 10, **kw) -> str:
    """A round made through its form; returns its id."""
    data = {
        "instrument_id": instrument,
        "method_id": "",
        "units": units,
        "date": DAY.isoformat(),
        "invited": "",
        "answered": str(answered),
        "tool": "webropol",
        "notes": "",
        **kw,
    }
    r = c.post("/surveys/rounds/new", data, csrf_from="/surveys/rounds/new")
    assert r.status_code == 302, text(r)[:3000]
    return re.search(r"/surveys/rounds/([^/]+)/answers", r.headers["Location"]).group(1)


def live_counts(app, round_id: str) -> dict[str, dict[str, int]]:
    """{item code: {option: count}} of the round's live counts."""
    with db(app) as s:
        rows = s.query(SurveyCount, InstrumentItem).join(InstrumentItem, InstrumentItem.id == SurveyCount.item_id)
        out: dict[str, dict[str, int]] = {}
        for count, item in rows.filter(SurveyCount.round_id == round_id, SurveyCount.deleted.is_(False)):
            out.setdefault(item.code, {})[count.option] = count.count
        return out


def all_count_rows(app, round_id: str) -> list[SurveyCount]:
    with db(app) as s:
        return s.query(SurveyCount).filter(SurveyCount.round_id == round_id).all()


def get_round(app, round_id: str) -> SurveyRound:
    with db(app) as s:
        return s.get(SurveyRound, round_id)


def get_instrument(app, instrument_id_: str) -> Instrument:
    with db(app) as s:
        row = s.get(Instrument, instrument_id_)
        _ = row.items  # loaded before the session closes
        return row


def data_files(folder) -> set[str]:
    """Every file under the data folder (relative paths), to see that an import wrote none."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
