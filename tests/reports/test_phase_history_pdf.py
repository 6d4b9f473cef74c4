"""The period report's "Phase history" section, read back from the PDF: hand-made histories whose
figures are worked out by hand (app.core.phase_metrics' rules), in Finnish numbers and dates."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import periods
from app.deployments import ops
from app.models import Setting
from app.reports.build import period_pdf
from tests.common import COOL_KIDS, IPC, add, db, unit_row
from tests.reports.pdftools import lines, section

D = dt.date
TODAY = D(2026, 12, 31)


def deployment(s, unit_id: str, method_id: str, steps) -> None:
    (phase, on, *_), *moves = steps
    d = ops.create(s, ops.DeploymentData(unit_id=unit_id, method_id=method_id), phase, on)
    for phase, on, *reason in moves:
        ops.move(s, d, phase, on, *reason)


@pytest.fixture
def report(app):
    units = add(app, *(unit_row(f"Yksikkö {c}") for c in "ABCDE"))
    with db(app) as s:
        # IPC: to pilot 59, 90 and 120 days; to in use 151 and 243 (too few for a median).
        deployment(s, units[0], IPC, [("planned", D(2025, 1, 1)), ("pilot", D(2025, 3, 1)), ("in_use", D(2025, 6, 1))])
        deployment(
            s,
            units[1],
            IPC,
            [("planned", D(2025, 1, 1)), ("pilot", D(2025, 4, 1)), ("in_use", D(2025, 9, 1)), ("embedded", D(2026, 6, 1))],
        )
        deployment(
            s,
            units[2],
            IPC,
            [("planned", D(2025, 1, 1)), ("pilot", D(2025, 5, 1)), ("paused", D(2025, 7, 1), "staff_turnover", "Lähti.")],
        )
        # Cool Kids: one still young, one recorded directly in use (no planning time), ended.
        deployment(s, units[3], COOL_KIDS, [("planned", D(2026, 10, 1)), ("training", D(2026, 11, 1))])
        deployment(s, units[4], COOL_KIDS, [("in_use", D(2026, 1, 1)), ("ended", D(2026, 12, 1), "replaced")])
        # A move after the report's day is not counted.
        deployment(s, add(app, unit_row("Yksikkö F"))[0], COOL_KIDS, [("planned", D(2027, 1, 5))])
        return lines(period_pdf(s, periods.year(2026), "fi", TODAY).data)


def test_the_phase_history_section_has_the_figures_worked_out_by_hand(report):
    # The lines of the section, page furniture left out, joined: a long label wraps onto two lines.
    part = [line for line in section(report, "Vaiheiden historia", "Yksiköittäin") if not line.startswith("sivu ")]
    text = " ".join(part)
    assert "Käyttöönottojen vaiheiden historia 31.12.2026 tilanteen mukaan." in text
    assert "Käyttöönotot 5 " in text  # the one planned for 5.1.2027 is not there yet
    assert "Suunniteltu → pilotti, mediaani 90 päivää (n = 3)" in text
    assert "Suunniteltu → käytössä, mediaani – (n = 2)" in text
    assert "Pysähtyneet (samassa vaiheessa yli 6 kuukautta) 2 " in text  # in use since 1.6.2025, paused since 1.7.2025
    assert "Käytössä tai vakiintunut 6 kuukautta pilotin alusta 75 % (3 / 4)" in text
    assert "Käytössä tai vakiintunut 12 kuukautta pilotin alusta 67 % (2 / 3)" in text
    # One pause in 2 064 days that could have paused (5,65 years): 17,7 per 100; one end in 2 612 days.
    assert "Ollut tauolla 20 % (1 / 5); 17,7 / 100 käyttöönottovuotta (1 kertaa 5,7 käyttöönottovuodessa)" in text
    assert "Päättynyt 20 % (1 / 5); 14,0 / 100 käyttöönottovuotta (1 kertaa 7,2 käyttöönottovuodessa)" in text

    table = part[part.index("Vaiheiden historia menetelmittäin") :]
    row = table.index("Interpersonaalinen ohjanta IPC")
    assert table[row + 1 : row + 9] == ["3", "90 (3)", "– (2)", "2", "67 % (2/3)", "67 % (2/3)", "33 % (1/3)", "0 % (0/3)"]
    row = table.index("Cool Kids")
    assert table[row + 1 : row + 9] == ["2", "– (0)", "– (0)", "0", "100 % (1/1)", "–", "0 % (0/2)", "50 % (1/2)"]
    row = table.index("Kaikki menetelmät")
    assert table[row + 1 : row + 9] == ["5", "90 (3)", "– (2)", "2", "75 % (3/4)", "67 % (2/3)", "20 % (1/5)", "20 % (1/5)"]

    reasons = table[table.index("Miksi käyttöönotot jäivät tauolle tai päättyivät") :]
    assert reasons[reasons.index("Koulutettu henkilöstö lähti") + 1 :][:2] == ["1", "0"]
    assert reasons[reasons.index("Korvattiin toisella menetelmällä") + 1 :][:2] == ["0", "1"]
    assert "Pysähtynyt: samassa vaiheessa yli 6 kuukautta (asetus)." in text


def test_the_stall_setting_changes_the_count(app, report):
    with db(app) as s:
        s.merge(Setting(key="stall_months", value="24"))
        s.commit()
        text = " ".join(lines(period_pdf(s, periods.year(2026), "fi", TODAY).data))
    assert "Pysähtyneet (samassa vaiheessa yli 24 kuukautta) 0 " in text
