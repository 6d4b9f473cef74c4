"""The national summary as a CSV file (`koordi merge --summary OUT.csv`), from the same rows as the PDF.

The dialect of every Koordi CSV (app.core.csvfmt: UTF-8 with BOM, `;`, CRLF, RFC 4180
quoting, the formula guard), so Excel on a Finnish laptop opens it by double-click.
Column names are stable English keys (a script at the central office can rely on
them); county and method names are in the summary's language. Whole numbers only:
guidance as minutes, not hours (no decimal mark to misread).

One row per `level`:
- `county`: a county's totals (each event, unit and trainee once), then its
  `county_method` rows, one per method with any figure;
- `method`: a method's totals over the whole country;
- `country`: everything, once.
An event may name several methods and a unit use several, so a county's events, units,
attendance and trainees guided are not the sum of its method rows.
"""

from __future__ import annotations

from app.central.summary import CentralRow, CentralSummary
from app.core import csvfmt
from app.core.phases import PHASES
from app.pdf.text import Texts

HEADER = [
    "level",
    "county",
    "county_name",
    "method_id",
    "method_key",
    "method_name",
    "coordinators",
    "units",
    "deployments",
    *(f"deployments_{p}" for p in PHASES),
    "events_held",
    "events_planned",
    "attendance",
    "attendance_professionals",
    "attendance_supervisors",
    "attendance_others",
    "guidance_sessions",
    "guidance_minutes",
    "trainees_guided",
    "trainees_active",
]


def _cells(level: str, row: CentralRow, texts: Texts, coordinators: int | None) -> list[str]:
    figures = [
        row.units,
        row.deployments,
        *(row.phases.get(p, 0) for p in PHASES),
        row.events_held,
        row.events_planned,
        row.attendance,
        row.attendance_professionals,
        row.attendance_supervisors,
        row.attendance_others,
        row.guidance_sessions,
        row.guidance_minutes,
        row.trainees_guided,
        row.trainees_active,
    ]
    return [
        level,
        row.county,
        texts.county(row.county) if row.county else "",
        row.method_id,
        row.method_key or "",
        row.method,
        "" if coordinators is None else str(coordinators),
        *(str(int(n)) for n in figures),
    ]


def summary_csv(summary: CentralSummary, lang: str) -> bytes:
    texts = Texts(lang)
    rows = []
    by_county: dict[str, list[CentralRow]] = {}
    for row in summary.rows:
        by_county.setdefault(row.county, []).append(row)
    for county in summary.counties:
        rows.append(_cells("county", county, texts, summary.coordinators.get(county.county, 0)))
        rows += [_cells("county_method", r, texts, None) for r in by_county.get(county.county, [])]
    rows += [_cells("method", r, texts, None) for r in summary.methods]
    rows.append(_cells("country", summary.total, texts, sum(summary.coordinators.values())))
    return csvfmt.write_csv(HEADER, rows)
