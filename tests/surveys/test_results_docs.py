"""The survey results in the documents (the unit summary and the period report, read back with
pypdf) and `koordi results` (table and Koordi's CSV)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.core import csvfmt, periods, scoring
from app.core import instruments as core
from app.i18n import format_number
from app.models import Unit
from app.reports.build import period_pdf, unit_pdf
from tests.common import IPC, db
from tests.reports.pdftools import lines
from tests.surveys.results_data import NOMAD, SUS, all_constructs, deployment, survey_round, sus_counts, unit
from tests.surveys.test_results import WORKED

D = dt.date
NOMAD_20 = next(i for i in core.SEEDED if i.key == NOMAD)
YEAR = periods.year(2025)


def fi(value: float, digits: int = 2) -> str:
    return format_number(value, "fi", digits)


@pytest.fixture
def data(app):
    lohja = unit(app, "Lohjan perheneuvola")
    vihti = unit(app, "Vihdin nuorisoasema")
    deployment(app, lohja, IPC, (D(2025, 1, 10), "pilot"))
    deployment(app, vihti, IPC, (D(2025, 2, 1), "pilot"))
    survey_round(app, NOMAD, D(2025, 6, 12), [lohja], IPC, WORKED)
    survey_round(app, NOMAD, D(2025, 10, 8), [lohja], IPC, all_constructs({"a": 12}))
    survey_round(app, SUS, D(2025, 3, 1), [lohja], IPC, sus_counts([4, 2, 4, 1, 4, 2, 5, 2, 4, 2], n=6))
    # Small rounds: one left private, one the coordinator marked as shareable.
    survey_round(app, SUS, D(2025, 3, 3), [vihti], IPC, sus_counts([5, 1, 5, 1, 5, 1, 5, 1, 5, 1], n=3))
    survey_round(app, NOMAD, D(2025, 10, 9), [vihti], IPC, all_constructs({"sa": 4}), share_small=True)
    return {"lohja": lohja, "vihti": vihti}


def test_the_unit_summary_has_a_results_section(app, data):
    with db(app) as s:
        pdf = unit_pdf(s, s.get(Unit, data["lohja"]), YEAR, "fi", D(2026, 1, 15))
    text = lines(pdf.data)
    start = text.index("Seurantakyselyjen tulokset")
    section = " ".join(text[start:])
    assert "NoMAD-rakenteet menetelmittäin" in section
    # Pooled over the year's two rounds from their counts (the worked example and 12 × agree).
    pooled = scoring.score_counts(NOMAD_20, scoring.pool_counts([WORKED, all_constructs({"a": 12})]))
    coherence = pooled.group("coherence")
    assert f"{fi(coherence.mean)} ({coherence.n})" in section
    assert "NoMAD-rakenteet puolivuosittain" in section  # the trend chart's heading
    assert "Käytettävyyskierrokset" in section and "80,0" in section
    assert "Koordin sääntö:" in section


def test_small_rounds_stay_out_of_documents_unless_marked_shareable(app, data):
    with db(app) as s:
        pdf = unit_pdf(s, s.get(Unit, data["vihti"]), YEAR, "en", D(2026, 1, 15))
    section = " ".join(lines(pdf.data)[lines(pdf.data).index("Follow-up survey results") :])
    assert "3.3.2025" not in section  # the private 3-respondent SUS round
    assert "Survey rounds with fewer than 5 respondents left out of this document: 1." in section
    assert f"{format_number(5, 'en', 2)} (16)" in section  # the shared 4-respondent round: 4 answers × 4 items


def test_the_period_report_has_a_results_section(app, data):
    with db(app) as s:
        pdf = period_pdf(s, YEAR, "en", D(2026, 1, 15))
    text = lines(pdf.data)
    section = " ".join(text[text.index("Follow-up survey results") :])
    assert "NoMAD constructs by method" in section and "Interpersonal counselling IPC" in section
    assert "NoMAD constructs by half-year" in section
    assert "Usability pooled over the period" in section
    assert "Koordi's rule: NoMAD answers score strongly agree 5" in section
    assert "Survey rounds with fewer than 5 respondents left out of this document: 1." in section


def test_a_document_without_rounds_has_no_results_section(app):
    lone = unit(app, "Karkkilan koulu")
    with db(app) as s:
        pdf = unit_pdf(s, s.get(Unit, lone), YEAR, "en", D(2026, 1, 15))
    assert "Follow-up survey results" not in lines(pdf.data)


@pytest.fixture
def run(app, data_dir, monkeypatch):
    monkeypatch.setenv("KOORDI_LANG", "en")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["results", *args, "--data-dir", str(data_dir)])

    return invoke


def test_koordi_results_prints_every_round_as_a_table(run, data):
    result = run()
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert out[0].split()[:2] == ["Date", "Units"]
    rows = [line for line in out if re.match(r"\d{1,2}\.\d{1,2}\.\d{4} ", line)]
    assert len(rows) == 5 and rows[0].startswith("1.3.2025")
    expected = scoring.score_counts(NOMAD_20, WORKED)
    june = next(line for line in rows if line.startswith("12.6.2025"))
    assert "Lohjan perheneuvola" in june and format_number(expected.group("coherence").mean, "en", 2) in june
    tiny = next(line for line in rows if line.startswith("3.3.2025"))
    assert " yes " in tiny  # under 5: printed, marked
    assert "Rounds with fewer than 5 respondents: 2." in result.output
    assert "Koordi's rule:" in result.output


def test_koordi_results_as_csv_with_filters(run, data):
    result = run("--unit", "lohjan", "--from", "2025-06-01", "--format", "csv")
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    assert raw.startswith(csvfmt.BOM_BYTES) and raw.endswith(b"\r\n")
    header, *rows = [line.split(";") for line in raw[len(csvfmt.BOM_BYTES) :].decode("utf-8").split("\r\n")[:-1]]
    assert header[:4] == ["Date", "Units", "Method", "Instrument"]
    assert [r[0] for r in rows] == ["2025-06-12", "2025-10-08"]  # Lohja's, from June on
    coherence = header.index("Coherence")
    expected = scoring.score_counts(NOMAD_20, WORKED).group("coherence").mean
    assert rows[0][coherence] == format_number(expected, "en", 2)  # a decimal comma: Excel reads a number
    assert rows[1][coherence] == "4,00"
    assert rows[0][header.index("Phase on the day")] == "Pilot"


def test_koordi_results_errors(run, data):
    assert run("--method", "no such method").exit_code == 1
    result = run("--from", "2025-13-01")
    assert result.exit_code == 1 and "is not a date" in result.output
    by_method = run("--method", "ipc")
    assert by_method.exit_code == 0 and "Lohjan perheneuvola" in by_method.output
