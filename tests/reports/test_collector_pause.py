"""app.gcpause.paused_while_making: a report is made with Python's cyclic collector paused
(issue 17: its automatic collections walked the process's long-lived objects again and again),
which always comes back after, also when the making fails or two reports are made at once."""

from __future__ import annotations

import gc
import threading

import pytest

from app import gcpause
from app.core import periods
from app.reports import build
from app.reports import period as period_doc


@pytest.fixture
def collecting():
    assert gc.isenabled()
    yield
    gc.enable()  # whatever a failed test left


def test_a_year_report_is_made_without_collections_and_they_resume_after(collecting, demo_session, today, monkeypatch):
    seen = []
    render = period_doc.render

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return render(*args, **kwargs)

    monkeypatch.setattr(period_doc, "render", watched)
    made = build.period_pdf(demo_session, periods.year(today.year), "fi", today)
    assert made.pages > 1 and seen == [False] and gc.isenabled()

    def broken(*args, **kwargs):
        raise RuntimeError("a font went missing")

    monkeypatch.setattr(period_doc, "render", broken)
    with pytest.raises(RuntimeError):
        build.period_pdf(demo_session, periods.year(today.year), "fi", today)
    assert gc.isenabled()


def test_reports_made_at_once_share_one_pause_that_the_last_ends(collecting):
    first_in, second_done = threading.Event(), threading.Event()
    during: list[bool] = []

    def first():
        with gcpause.paused_while_making():
            first_in.set()
            second_done.wait(10)
            during.append(gc.isenabled())  # the second report ended, this one has not

    worker = threading.Thread(target=first)
    worker.start()
    assert first_in.wait(10)
    with gcpause.paused_while_making():
        assert not gc.isenabled()
    second_done.set()
    worker.join(10)
    assert during == [False] and gc.isenabled()


def test_a_collector_someone_else_paused_stays_paused(collecting):
    gc.disable()  # a profiler's or the start's choice
    with gcpause.paused_while_making():
        pass
    assert not gc.isenabled()
