"""The national picture's pages and exports in the office's app, on the small scripted merged
database (tests/central/picture_data.py) in SQLite and in PostgreSQL: every page answers, a
figure's link lists the rows it counts, the long-format CSV and the PDF read back."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest

from app.central.app import create_central_app, dispose
from app.core import csvfmt
from tests.central import picture_data as pd
from tests.central.conftest import OfficeClient, office_config
from tests.reports.pdftools import after, lines, section

SPAN = urlencode(pd.SPAN)
PAGES = [
    f"/picture?{SPAN}",
    f"/picture?{SPAN}&level=coordinator",
    f"/picture/deployments?{SPAN}&grain=quarter",
    f"/picture/events?{SPAN}&level=area",
    f"/picture/events?{SPAN}&level=method&grain=year",
    f"/picture/guidance?{SPAN}&level=coordinator&county=helsinki",
    f"/picture/surveys?{SPAN}&level=area",
    f"/picture/indicators?{SPAN}",
    f"/picture/rows?{SPAN}&figure=deployments&phase=pilot",
    f"/picture/rows?{SPAN}&figure=events&level=area&row=ita-suomi",
    f"/picture/rows?{SPAN}&figure=guidance&period=2026-01",
    f"/picture/rows?{SPAN}&figure=surveys&instrument={pd.NOMAD}",
    f"/picture/rows?{SPAN}&figure=indicators&indicator={pd.TRAINED}&period=2026-02",
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def office(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"picture-{request.param}")
    if request.param == "sqlite":
        target = str(folder / "kansallinen.sqlite3")
    else:
        from tests.postgres import create_database

        target = create_database(request.getfixturevalue("postgres_server"))
    pd.build(target).dispose()
    app = create_central_app(target, office_config(folder))
    yield OfficeClient(app)
    dispose(app)


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_every_picture_page_answers_with_its_figures(office):
    for path in PAGES:
        response = office.get(path)
        assert response.status_code == 200, path
        assert 'role="img"' in response.get_data(as_text=True) or "/rows" in path or "indicators" in path, path
    events = text_of(office.get(f"/picture/events?{SPAN}&level=area").get_data(as_text=True))
    assert "Etelä-Suomi 5 3 25" in events and "Itä-Suomi 1 1 2" in events and "Yhteensä 6 4 27" in events
    guidance = text_of(office.get(f"/picture/guidance?{SPAN}").get_data(as_text=True))
    assert "Yhteensä 5 5,8 4" in guidance  # 345 minutes; four people, though five by month
    surveys = text_of(office.get(f"/picture/surveys?{SPAN}").get_data(as_text=True))
    assert "3,93 (n 61)" in surveys and "60,0 (n 15)" in surveys  # pooled from counts, small round out
    figures = text_of(office.get(f"/picture/indicators?{SPAN}&level=area").get_data(as_text=True))
    assert "Etelä-Suomi 12 3 1 1 0 0" in figures and "Yhteensä 13 4 2 1 1 0" in figures  # value, figures, goals
    assert "Koko maa – (" in figures or "Yhteensä – (" in figures  # two units' medians: no value, and why
    assert office.get(f"/picture/rows?{SPAN}&figure=planets").status_code == 404


def test_a_figures_link_lists_the_rows_behind_it(office):
    html = office.get(f"/picture/events?{SPAN}&level=area").get_data(as_text=True)
    row = re.search(r"<tr><th scope=\"row\">Itä-Suomi</th>(.*?)</tr>", html).group(1)
    held = unescape(re.findall(r'href="([^"]+)"', row)[1])  # the Held cell
    listed = office.get(held)
    assert listed.status_code == 200
    page = text_of(listed.get_data(as_text=True))
    assert "Tapahtuma e8" in page and "Cecilia Kokeilu" in page and "Pohjois-Savo" in page and "Yksikkö uC1" in page
    assert "Tapahtuma e1" not in page  # another area's
    assert "Cecilia_20260701.zip" in page  # the file it came from
    # The map's cell of Helsinki x Menetelmä Kaksi lists the one deployment in training.
    overview = office.get(f"/picture?{SPAN}").get_data(as_text=True)
    cell = re.search(r"<th scope=\"row\">Helsingin kaupunki</th><td>Menetelmä Kaksi</td>(.*?)</tr>", overview)
    assert cell is not None
    training = unescape(re.findall(r'href="([^"]+)"', cell.group(1))[0])
    assert "county=helsinki" in training or "row=helsinki" in training
    page = text_of(office.get(training).get_data(as_text=True))
    assert "Yksikkö uA2" in page and "Koulutus" in page and "Yksikkö uA1" not in page


def test_the_long_csv_reads_back_with_each_levels_figures(office):
    response = office.post(f"/picture/export?{SPAN}&grain=quarter", {"kind": "long"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    data = csvfmt.read_csv(response.data)
    assert data.header == ["period", "level", "area", "method", "indicator", "value", "n"] and not data.problems
    rows = {tuple(r[:5]): tuple(r[5:]) for _line, r in data.records}
    assert rows[("2026-Q1", "country", "", "", "events_planned")] == ("4", "4")
    areas = [v for k, v in rows.items() if k[0] == "2026-Q1" and k[1] == "area" and k[3] == "" and k[4] == "events_planned"]
    assert sum(int(v[0]) for v in areas) == 4  # the country is the sum of its areas
    assert rows[("2026-Q1", "county", "helsinki", "m-yksi", "events_planned")] == ("2", "2")
    assert rows[("2026-Q2", "country", "", "", "deployments_ended")] == ("1", "1")
    assert rows[("2026-Q1", "country", "", "", "nomad-20.coherence")] == ("4,00", "37")
    assert rows[("2026-Q2", "area", "ita-suomi", "", "nomad-20.coherence")] == ("3,83", "24")
    assert ("2026-Q2", "area", "etela-suomi", "", "nomad-20.coherence") not in rows  # only a 4-person round there
    assert rows[("2026-Q2", "country", "", "", "sus.score")] == ("50,0", "10")
    assert rows[("2026-Q1", "country", "", "", "guidance_hours")] == ("3,00", "3")
    assert rows[("2026-Q1", "country", "", "", "indicator.professionals_trained")] == ("12", "3")
    assert rows[("2026-Q1", "county", "hus", "m-yksi", "indicator.median_days_to_start")] == ("10,0", "1")
    assert ("2026-Q1", "country", "", "", "indicator.median_days_to_start") not in rows  # never combined


def test_the_summary_csv_and_the_pdf_with_the_trends(office):
    summary = office.post(f"/picture/export?{SPAN}", {"kind": "summary"})
    assert summary.status_code == 200 and csvfmt.read_csv(summary.data).header[:3] == ["level", "county", "county_name"]
    pdf = office.post(f"/picture/export?{SPAN}", {"kind": "pdf"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = lines(pdf.data)
    assert "Kehitys 1.1.2026–30.6.2026, kuukausittain" in text
    events = section(text, "Pidetyt ja suunnitellut tapahtumat jaksoittain", "Menetelmäohjauksen tunnit jaksoittain")
    table = events[len(events) - 1 - events[::-1].index("1/2026") :]  # the table after the chart's axis
    assert table[:4] == ["1/2026", "2", "1", "6"]  # planned, held, people in January
    assert "4,00 (n 37)" in text and "80,0 (n 5)" in text
    # Who has reported: A's January and June files on time, February to May late; B and C began in July.
    grid = section(text, "Raportointi 1.1.2026–30.6.2026", "Raportointiasteet")
    assert after(grid, "Anna Testinen", 7) == ["Helsingin kaupunki", "✓", "!", "!", "!", "!", "✓"]
    assert after(grid, "Bertil Provsson", 7) == ["HUS-yhtymä", *["–"] * 6]
    rates = section(text, "Raportointiasteet")
    assert after(rates, "Helsingin kaupunki", 7) == ["6", "2", "4", "0", "0", "100,0 %", "33,3 %"]


def test_the_span_is_typed_as_months_in_finland_and_a_bad_one_is_named(office):
    """Text fields, not the web engine's month picker: 1/2026 and 03.2026 read, shown 1/2026 and
    3/2026, and every link keeps the span; a month that is not one is named at its field."""

    def months_shown(html: str) -> dict[str, str]:
        return dict(re.findall(r'<input type="text" id="f-(from|to)" name="\1" value="([^"]*)"', html))

    html = office.get("/picture/events?from=1/2026&to=03.2026&level=area").get_data(as_text=True)
    assert 'type="month"' not in html and months_shown(html) == {"from": "1/2026", "to": "3/2026"}
    assert "from=2026-01&amp;to=2026-03" in html  # the figures' links: the span typed
    assert "Kuukaudet muodossa kk/vvvv, esim. 3/2026" in html
    bad = office.get("/picture/events?from=maaliskuu&to=2026-03").get_data(as_text=True)
    assert "Alkukuukausi: kirjoita kuukausi muodossa kk/vvvv, esimerkiksi 3/2026." in bad
    assert months_shown(bad) == {"from": "maaliskuu", "to": "3/2026"}  # kept as typed, to correct
    assert 'aria-invalid="true"' in bad
