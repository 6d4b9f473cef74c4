"""The period's guidance figures are read once for the reports page and the PDF of the same
period asked for next (kept until the data next changes: app.queries.survey_cache's memo of
the whole database), and neither ever shows them stale after a write."""

from __future__ import annotations

import re

import pytest

from app import create_app
from app.queries import periods
from tests.conftest import AuthClient
from tests.guidance.helpers import add_session, add_trainee
from tests.reports.conftest import copy_data
from tests.reports.pdftools import lines


@pytest.fixture
def client(demo_dir, tmp_path):
    app = create_app({"DATA_DIR": copy_data(demo_dir, tmp_path / "data"), "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    yield AuthClient(app)
    app.extensions["koordi.store"].dispose()


@pytest.fixture
def reads(monkeypatch) -> list[object]:
    """Each read of a period's guidance, as it happens."""
    made: list[object] = []
    read = periods.period_guidance

    def counted(s, period):
        made.append(period)
        return read(s, period)

    monkeypatch.setattr(periods, "period_guidance", counted)
    return made


def shown(client, query: str) -> tuple[str, str]:
    """The guidance figure of the reports page and of the period PDF asked for from it."""
    page = client.get(f"/reports?{query}").get_data(as_text=True)
    on_page = re.search(r'data-figure="guidance">([^<]+)<', page).group(1)
    pdf = client.post(f"/reports/period.pdf?{query}", {}, csrf_from=f"/reports?{query}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = lines(pdf.data)
    in_pdf = text[text.index("Menetelmäohjaus") + 1]
    return on_page, in_pdf


def sessions(figure: str) -> int:
    """279 of "279 ohjauskertaa, 342,8 h" (thousands grouped with a no-break space)."""
    return int(figure.split(" ohjauskertaa")[0].replace("\u00a0", "").replace(" ", ""))


def test_the_pdf_after_the_page_reuses_its_guidance_and_both_follow_a_write(client, reads, today):
    query = f"kind=year&year={today.year}"
    page, pdf = shown(client, query)
    assert page == pdf and sessions(page) > 0
    assert len(reads) == 1  # the PDF took the page's reading

    trainee = add_trainee(client, "Kerttu Kirjanpito")
    add_session(client, [trainee], date=today.isoformat(), duration_minutes="60")
    page_after, pdf_after = shown(client, query)
    assert page_after == pdf_after and sessions(page_after) == sessions(page) + 1
    assert len(reads) == 2  # read again once after the write, then kept for the PDF
