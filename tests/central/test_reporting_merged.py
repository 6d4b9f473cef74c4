"""The scripted year sent as real export files (the coordinator's export code, complete_through
in the manifest), merged by the central office's merge, and the grid read from the database."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.central.reporting import Filters, reporting_grid
from app.central.schema import merged_files, open_target
from app.core import clock
from tests.central.pages import cells_of
from tests.central.scripted import EXPECTED, SCRIPTS, SYMBOL, TODAY

YEAR = Filters(first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31))


def test_the_merged_year_gives_the_scripted_grid(scripted_db, scripted_files):
    engine = open_target(str(scripted_db), read_only=True)
    try:
        with engine.connect() as conn:
            grid = reporting_grid(conn, TODAY, YEAR)
            declared = conn.scalars(select(merged_files.c.complete_through).where(merged_files.c.complete_through.is_not(None)))
            assert sorted(set(declared)) == [f"2026-{m:02d}" for m in range(1, 13)]
    finally:
        engine.dispose()
    names = {s.name[:5]: key for key, s in SCRIPTS.items()}
    got = {names[row.person.name[:5]]: "".join(SYMBOL[c.status] for c in row.cells) for row in grid.rows}
    assert got == EXPECTED
    fanni = next(row for row in grid.rows if row.person.name.startswith("Fanni"))
    assert all(c.declared for c in fanni.cells)
    assert len(scripted_files.lost) == 2


def test_the_grid_page_filtered_to_ita_suomi_shows_who_is_late_and_links_their_files(scripted_client):
    r = scripted_client.get("/reporting?from=2026-01&to=2026-12&area=ita-suomi")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    for name in ("Aino Ajallaan", "Bertta Myöhä", "Fanni Valmis", "Hilkka Tulossa"):
        assert f">{name}</a></th>" in html
    assert "Cecilia" not in html and "Dora" not in html  # other areas
    assert cells_of(html, "Bertta Myöhä")[2] == "late"
    assert cells_of(html, "Hilkka Tulossa") == ["not_expected"] * 9 + ["missing"] * 3
    assert '<th scope="col" class="period">3/2026</th>' in html
    # Every status has its word, not only its colour; Fanni's months carry the declaration.
    assert '<span aria-hidden="true">!</span> myöhässä' in html and '<span aria-hidden="true">✗</span> puuttuu' in html
    assert html.count("ilmoitettu valmiiksi</span>") == 12
    # Itä-Suomi: 39 due, 36 reported (92 %), 35 on time (90 %).
    assert (
        '<td class="num">39</td><td class="num">35</td><td class="num">1</td><td class="num">0</td><td class="num">3</td><td class="num">92 %</td><td class="num">90 %</td>'
        in html
    )
    row = re.search(r"<tr>\s*<th scope=\"row\"><a [^>]*>Bertta Myöhä</a></th>.*?</tr>", html, re.S).group(0)
    bertta = re.search(r'href="(/reporting/coordinator/[^"?#]+)[^"]*#period-2026-03"', row).group(1)
    page = scripted_client.get(bertta + "?from=2026-01&to=2026-12").get_data(as_text=True)
    assert "<h1>Bertta Myöhä</h1>" in page and '<tr id="period-2026-03">' in page
    march = re.search(r'<tr id="period-2026-03">(.*?)</tr>', page, re.S).group(1)
    assert "myöhässä" in march and "14.4.2026" in march and "25.4.2026" in march
    sha = re.search(r'href="#file-([0-9a-f]{64})"', march).group(1)
    assert f'<tr id="file-{sha}">' in page


def test_a_bad_filter_is_named_and_the_grid_still_shows(scripted_client):
    r = scripted_client.get("/reporting?from=2026-13&area=nowhere")
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Ensimmäinen kuukausi: kirjoita kuukausi muodossa kk/vvvv" in html
    assert "Valitse yhteistyöalue luettelosta." in html
    assert "Bertta Myöhä" in html


def test_the_month_fields_take_months_as_typed_in_finland(scripted_client):
    """Text fields, not the web engine's month picker (which shows its own language's format):
    3/2026, 03.2026 and a link's 2026-03 all read; the fields show 3/2026; garbage is named."""

    def month_inputs(html: str) -> dict[str, str]:
        return dict(re.findall(r'<input type="text" id="filter-(from|to)" name="\1" value="([^"]*)"', html))

    typed = scripted_client.get("/reporting?from=1/2026&to=03.2026")
    html = typed.get_data(as_text=True)
    assert typed.status_code == 200, html
    assert 'type="month"' not in html
    assert month_inputs(html) == {"from": "1/2026", "to": "3/2026"}
    assert 'placeholder="kk/vvvv"' in html and "Kuukaudet muodossa kk/vvvv, esim. 3/2026" in html
    linked = re.findall(r'href="[^"]*#period-([\d-]+)"', html)
    assert linked and set(linked) <= {"2026-01", "2026-02", "2026-03"}  # just the three months typed
    assert "from=2026-01&amp;to=2026-03" in html  # links carry the month as YYYY-MM
    assert month_inputs(scripted_client.get("/reporting?from=2026-01").get_data(as_text=True))["from"] == "1/2026"
    bad = scripted_client.get("/reporting?from=maaliskuu&to=13/2026")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Ensimmäinen kuukausi: kirjoita kuukausi muodossa kk/vvvv, esimerkiksi 3/2026." in html
    assert "Viimeinen kuukausi: kirjoita kuukausi muodossa kk/vvvv, esimerkiksi 3/2026." in html
    assert month_inputs(html) == {"from": "maaliskuu", "to": "13/2026"}  # kept as typed, to correct


def test_koordi_central_reporting_prints_one_row_per_coordinator_and_period(scripted_db, tmp_path):
    from click.testing import CliRunner

    from app.cli import cli
    from app.core import csvfmt

    runner = CliRunner()
    args = ["central", "reporting", "--db", str(scripted_db), "--from", "2026-01", "--to", "2026-10"]
    result = runner.invoke(cli, [*args, "--format", "csv", "--data-dir", str(tmp_path / "d")], env={"KOORDI_LANG": "en"})
    assert result.exit_code == 0, result.output
    parsed = csvfmt.read_csv(result.output.encode("utf-8"))
    assert parsed.header == ["coordinator", "county", "area", "period", "status", "declared", "file", "exported_at"]
    rows = {(cells[0], cells[3]): cells for _line, cells in parsed.records}
    assert len(rows) == 8 * 10
    bertta = rows[("Bertta Myöhä", "2026-03")]
    assert bertta[1:6] == ["Etelä-Savo", "Itä-Suomi", "2026-03", "late", "0"]
    assert bertta[6].startswith("B_20260425_") and bertta[7] == "2026-04-25T08:00:00Z"
    assert rows[("Dora Aukko", "2026-05")][4] == "gap"
    assert rows[("Greta Lähtijä", "2026-07")][4] == "not_expected"
    assert rows[("Hilkka Tulossa", "2026-10")][4:7] == ["missing", "0", ""]
    assert rows[("Fanni Valmis", "2026-04")][4:6] == ["on_time", "1"]
    # The table, in Finnish by default, with the database remembered from the last run.
    table = runner.invoke(
        cli, ["central", "reporting", "--from", "2026-03", "--to", "2026-03", "--data-dir", str(tmp_path / "d")]
    )
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split()[:3] == ["Koordinaattori", "Hyvinvointialue", "Alue"]
    assert any(line.startswith("Bertta Myöhä") and " late " in line and "25.4.2026" in line for line in lines)


def test_the_home_page_names_who_has_not_reported_the_newest_period_due(scripted_client):
    html = scripted_client.get("/").get_data(as_text=True)
    overview = re.search(r'<section class="card reporting-overview".*?</section>', html, re.S).group(0)
    assert "Raportointi jaksolta 12/2026" in overview  # the deadline of December passed on 14 January
    assert re.findall(r"<li><a [^>]*>([^<]+)</a></li>", overview) == ["Hilkka Tulossa", "Cecilia Poissa"]  # by county
    assert "Raportoitu: 71 % erääntyneistä jaksoista (7); ajoissa: 71 %." in overview  # 5 of 7: G has left


def test_a_span_reads_only_the_files_it_needs_and_shows_what_all_of_them_show(scripted_db):
    """The grid reads a span's files and each coordinator's first and last before it, not their whole
    history (five years of monthly files at the office): every span of the scripted year, by month
    and by quarter, gives the statuses, declarations and covering files that all the files give."""
    from app.central import completeness as C
    from app.central.reporting import COUNTY_ORDER, people

    def shown(grid):
        return [(row.person.key, [(c.status, c.declared, c.file) for c in row.cells]) for row in grid.rows]

    engine = open_target(str(scripted_db), read_only=True)
    try:
        with engine.connect() as conn:
            everyone = people(conn)
            spans = [(C.MONTH, m, m) for m in range(1, 13)] + [(C.MONTH, 3, 5), (C.MONTH, 7, 12)]
            spans += [(C.QUARTER, m, m) for m in (1, 4, 7, 10)] + [(C.QUARTER, 4, 12)]
            for kind, first, last in spans:
                periods = C.periods_between(kind, dt.date(2026, first, 1), dt.date(2026, last, 1))
                read = people(conn, periods[0])
                whole = C.build_grid(everyone, periods, 14, TODAY, COUNTY_ORDER)
                assert shown(C.build_grid(read, periods, 14, TODAY, COUNTY_ORDER)) == shown(whole), (kind, first, last)
            december = people(conn, C.period_of(C.MONTH, dt.date(2026, 12, 1)))
            assert sum(len(p.files) for p in december) < sum(len(p.files) for p in everyone) / 2
    finally:
        engine.dispose()


def test_a_kept_grid_is_made_again_when_a_file_is_merged_or_the_roster_changes(central_db):
    """The grid is kept between views (app.central.reporting.KeptGrids) only while nothing it shows
    has changed: a file merged (from the window or by `koordi merge` beside it) or a roster change
    shows at once."""
    from app.central import office
    from app.central.reporting import KeptGrids

    engine = open_target(str(central_db))
    kept, day, year = KeptGrids(), clock.today(), Filters()
    try:
        with engine.connect() as conn:
            first = kept.grid(conn, day, year)
            assert kept.grid(conn, day, year) is first and len(first.rows) == 4
        office.add_expected(engine, "Kainuun koordinaattori", "kainuu", day.replace(day=1))
        with engine.connect() as conn:
            second = kept.grid(conn, day, year)
            assert second is not first and len(second.rows) == 5
        with engine.begin() as conn:
            row = conn.execute(select(merged_files).limit(1)).one()._asdict()
            later = row["exported_at"] + dt.timedelta(days=40)
            conn.execute(merged_files.insert().values(row | {"sha256": "f" * 64, "export_id": "x", "exported_at": later}))
        with engine.connect() as conn:
            third = kept.grid(conn, day, year)
            assert third is not second
            assert sum(len(r.person.files) for r in third.rows) == sum(len(r.person.files) for r in second.rows) + 1
    finally:
        engine.dispose()
