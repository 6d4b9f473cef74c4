"""The charts: one Drawing for the PDF and the web page; the SVG obeys the page's CSP and
carries its text alternative; the numbers in it are the report's."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

from app.core import periods
from app.pdf.charts import MonthFigures, events_chart, guidance_chart, month_labels
from app.pdf.text import Texts
from app.queries.period_report import period_report
from app.reports.period import month_figures

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_has_no_inline_style_and_names_itself(demo_session, today):
    report = period_report(demo_session, periods.year(today.year), today, "fi")
    texts = Texts("fi")
    for chart in (events_chart(month_figures(report), texts), guidance_chart(month_figures(report), texts)):
        root = ET.fromstring(str(chart.svg()))
        assert all("style" not in el.attrib for el in root.iter())  # style-src 'self' refuses style="..."
        assert root.get("role") == "img"
        ids = root.get("aria-labelledby").split()
        named = {el.get("id"): (el.text or "") for el in root.iter() if el.get("id") in ids}
        assert named[f"{chart.key}-title"] == chart.title and named[f"{chart.key}-desc"] == chart.description
        assert all(el.get("id", "").startswith(chart.key) for el in root.iter() if el.get("id"))
        assert all(el.get("font-family", "").startswith('"DejaVu Sans"') for el in root.iter(f"{SVG}text"))
        assert len(chart.rows) == 12 and len(chart.columns) == len(chart.rows[0])


def test_the_figures_are_the_reports(demo_session, today):
    report = period_report(demo_session, periods.year(today.year), today, "fi")
    chart = events_chart(month_figures(report), Texts("fi"))
    assert [int(r[1].replace("\u00a0", "")) for r in chart.rows] == [m.events.planned for m in report.months]
    assert [int(r[2].replace("\u00a0", "")) for r in chart.rows] == [m.events.held for m in report.months]
    assert f"{report.events.planned} events were planned" not in chart.description  # it is Finnish
    assert str(report.events.held) in chart.description
    hours = guidance_chart(month_figures(report), Texts("sv"))
    assert hours.title == "Metodhandledningstimmar per månad"
    assert [r[1] for r in hours.rows] == [Texts("sv").hours(m.guidance.hours) for m in report.months]


def test_labels_and_an_empty_period():
    fi = Texts("fi")
    year = [dt.date(2026, m, 1) for m in range(1, 13)]
    assert month_labels(year, fi)[:3] == ["tammi", "helmi", "maalis"]
    across = periods.custom(dt.date(2025, 1, 1), dt.date(2026, 12, 31)).months()
    labels = month_labels(across, fi)
    assert labels[0] == "1/2025" and "" in labels and len(labels) == 24  # thinned to about twelve
    empty = [MonthFigures(m, 0, 0, Decimal(0)) for m in year]
    chart = events_chart(empty, fi)
    assert "Kaudella ei ole tapahtumia." in str(chart.svg())  # said in the chart, not a blank frame


def test_the_construct_profile_makes_room_for_its_longest_name():
    # "Reflexiv uppföljning (reflexive monitoring)" ran past the chart's left edge (a fixed margin).
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from app.pdf.charts import ProfileBar, construct_profile_chart
    from app.pdf.document import FONT

    names = ["Begriplighet (coherence)", "Reflexiv uppföljning (reflexive monitoring)", "Hyvin " * 12 + "pitkä nimi"]
    chart = construct_profile_chart([ProfileBar(n, 3.5, 10, 0.1) for n in names], Texts("sv"), "profile")
    (bars,) = [c for c in chart.drawing.contents if hasattr(c, "categoryAxis")]
    shown = list(reversed(bars.categoryAxis.categoryNames))
    assert [" ".join(s.split()) for s in shown] == [" ".join(n.split()) for n in names]  # only wrapped
    assert "\n" in shown[2] and "\n" not in shown[1]  # a name wider than 45 % wraps, the others do not
    labels = bars.categoryAxis.labels
    for name in shown:  # each line, anchored at its right end, starts inside the drawing
        assert all(bars.x + labels.dx - stringWidth(line, FONT, 8) >= 0 for line in name.split("\n")), name
    assert bars.x <= chart.drawing.width * 0.45
