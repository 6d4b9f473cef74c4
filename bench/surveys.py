"""Follow-up survey results: page times at bench scale, the period report at normal scale, and
importing a survey tool's file of 2,000 respondents, each beside its target (issue 12).

    .venv/bin/python bench/surveys.py [--runs 20] [--pdf-runs 5] [--import-runs 5]
                                      [--data-root /tmp/koordi-bench-surveys] [--respondents 2000]

The demo data sets (`koordi demo`, with its survey rounds) are built once into
<data-root>/normal and <data-root>/bench and reused while they have records (the bench one
takes a minute or two). Then:

- pages (bench scale): the results page (/surveys) and the unit page of the unit with the
  most survey rounds, rendered through Flask's test client as bench/pages.py does, `--warmup`
  times, then `--runs` times measured; target: median < 50 ms;
- the period report PDF of this year (normal scale, with its results section), made as
  `koordi report period` makes it (a read-only session, app.reports.build); target < 1 s;
- a survey file of `--respondents` answers to NoMAD (20 items + the 3 general items),
  written by this script as a Webropol-style CSV (`;`, UTF-8 with BOM, Finnish labels) and as
  XLSX: read with app.core.survey_file.read (the remembered mapping naming the columns that
  are not items), then its counts saved as a new round with app.surveys.ops.save_imported
  (what the import page's "Save" does), into a scratch copy of the normal data set; target
  read + save < 2 s.

Not a test: the figures depend on the machine (and on what else it is doing). See README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import random
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: `app` is imported from the repo

PAGE_TARGET = 0.050
PDF_TARGET = 1.0
IMPORT_TARGET = 2.0
NOMAD = "nomad-20"


@dataclass
class Figure:
    label: str
    target: float  # seconds
    times: list[float] = field(default_factory=list)
    note: str = ""
    parts: dict[str, list[float]] = field(default_factory=dict)  # read / save of an import


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def data_set(root: Path, scale: str, seed: int) -> Path:
    from app import demo
    from app.store import DB_NAME, Store

    folder = root / scale
    if demo.existing_records(folder / DB_NAME):
        print(f"{scale}: using the data in {folder}")
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    store = Store.open(folder)
    try:
        summary = demo.fill(store, scale, seed)
    finally:
        store.dispose()
    print(
        f"{scale}: built {folder} in {time.perf_counter() - started:.0f} s ({summary.units} units, "
        f"{summary.deployments} deployments, {summary.events} events)"
    )
    return folder


def survey_rows(folder: Path) -> str:
    import sqlite3

    from app.store import DB_NAME

    conn = sqlite3.connect(f"{(folder / DB_NAME).resolve().as_uri()}?mode=ro", uri=True)
    try:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("survey_rounds", "survey_counts", "survey_means", "survey_skips")
        }
    finally:
        conn.close()
    return ", ".join(f"{n} {t}" for t, n in counts.items())


# -- pages at bench scale -----------------------------------------------------------------------


def pages(folder: Path, runs: int, warmup: int) -> list[Figure]:
    from flask import url_for
    from sqlalchemy import func, select

    from app import create_app
    from app.models import SurveyRoundUnit

    app = create_app({"DATA_DIR": folder, "ALLOWED_HOSTS": ["localhost"]})
    client = app.test_client()
    client.get("/?token=" + app.config["ACCESS_TOKEN"])  # the launch URL sets the session cookie
    store = app.extensions["koordi.store"]
    try:
        with store.Session() as s:  # the worst case: the unit with the most rounds
            unit_id = s.execute(
                select(SurveyRoundUnit.unit_id)
                .where(SurveyRoundUnit.deleted.is_(False))
                .group_by(SurveyRoundUnit.unit_id)
                .order_by(func.count().desc(), SurveyRoundUnit.unit_id)
                .limit(1)
            ).scalar()
        out = []
        for label, endpoint, args in (
            ("results page", "surveys.results", {}),
            ("unit page with results", "units.detail", {"id": unit_id}),
        ):
            figure = Figure(f"{label} (bench)", PAGE_TARGET)
            out.append(figure)
            if endpoint not in app.view_functions or any(v is None for v in args.values()):
                figure.note = f"no {endpoint} or no record to show: skipped"
                continue
            with app.test_request_context():
                url = url_for(endpoint, **args)
            figure.label += f" {url}"
            for i in range(warmup + runs):
                started = time.perf_counter()
                response = client.get(url)
                response.get_data()
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    figure.note = f"HTTP {response.status_code}"
                    break
                if i == 0:  # the first render after start, before any cache the page keeps is warm
                    figure.note = f"first render {ms(elapsed)} ms"
                if i >= warmup:
                    figure.times.append(elapsed)
        return out
    finally:
        store.dispose()


# -- the period report at normal scale ------------------------------------------------------------


def period_report(folder: Path, runs: int, lang: str) -> Figure:
    from sqlalchemy.orm import Session

    from app.core import periods
    from app.i18n import HELSINKI
    from app.reports import build
    from app.store import DB_NAME
    from app.store.engine import make_engine

    today = dt.datetime.now(HELSINKI).date()
    year = periods.year(today.year)
    figure = Figure("period report PDF, this year (normal)", PDF_TARGET)
    engine = make_engine(folder / DB_NAME, read_only=True)
    try:
        with Session(engine) as s:
            rendered = build.period_pdf(s, year, lang, today)  # warm-up: fonts, statement caches
            for _ in range(runs):
                started = time.perf_counter()
                rendered = build.period_pdf(s, year, lang, today)
                figure.times.append(time.perf_counter() - started)
        figure.note = f"{rendered.pages} pages, {len(rendered.data) // 1024} KiB"
        (folder.parent / "period-report.pdf").write_bytes(rendered.data)
    finally:
        engine.dispose()
    return figure


# -- importing a survey tool's file ---------------------------------------------------------------

EXTRA_COLUMNS = ("Vastaajan tunnus", "Aloitettu", "Vastattu")  # what Webropol puts first; no items


def survey_file_rows(respondents: int, seed: int) -> tuple[list[str], list[list[str]]]:
    """A Webropol-style export: a row per respondent, answers as Finnish labels (NoMAD part B)
    or digits (the general items), a few left empty, in the order the survey showed them."""
    from app.core.instruments import SEEDED, Scale, options

    instrument = next(i for i in SEEDED if i.key == NOMAD)
    rng = random.Random(seed)
    header = [*EXTRA_COLUMNS, *(f"{item.code}. {item.labels['fi']}" for item in instrument.items)]
    choices = []
    for item in instrument.items:
        labels = [o.labels["fi"] for o in options(item)]
        if item.scale is Scale.NOMAD:  # mostly agreeing, some "not relevant"
            weights = [25, 40, 15, 7, 3, 3, 5, 2]
        else:
            weights = [1 + min(v, 10 - v) + v for v in range(len(labels))]
        choices.append((labels, weights))
    start = dt.datetime(2026, 6, 1, 8, 0)
    rows = []
    for n in range(respondents):
        began = start + dt.timedelta(minutes=7 * n)
        answers = ["" if rng.random() < 0.02 else rng.choices(labels, weights)[0] for labels, weights in choices]
        rows.append([str(100_000 + n), f"{began:%d.%m.%Y %H:%M}", f"{began + dt.timedelta(minutes=6):%d.%m.%Y %H:%M}", *answers])
    return header, rows


def as_csv(header: list[str], rows: list[list[str]]) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def as_xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    """The workbook as Excel and the survey tools write one: text cells in a shared-strings
    table, numbers as numbers. (openpyxl writes every text as an inline string instead, which
    openpyxl reads back about twice as slowly: see as_xlsx_inline.)"""
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    strings: dict[str, int] = {}
    sheet = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="'
        'http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    for r, row in enumerate([header, *rows], start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            ref = f"{get_column_letter(c)}{r}"
            if value.isdigit():
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif value:
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
        sheet.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet.append("</sheetData></worksheet>")
    shared = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/'
        'relationships"><sheets><sheet name="Vastaukset" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": "".join(sheet),
        "xl/sharedStrings.xml": f'<sst xmlns="{ns}/spreadsheetml/2006/main" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{shared}</sst>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def as_xlsx_inline(header: list[str], rows: list[list[str]]) -> bytes:
    """The workbook as openpyxl (and pandas through it) writes one: every text an inline string."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Vastaukset")
    sheet.append(header)
    for row in rows:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def importing(normal: Path, root: Path, runs: int, respondents: int, seed: int) -> list[Figure]:
    from sqlalchemy import select

    from app.core import survey_file
    from app.models import Deployment, Instrument
    from app.models.surveys import to_instrument
    from app.store import DB_NAME, Store
    from app.surveys import importing as survey_import
    from app.surveys import ops

    scratch = root / "import-scratch"  # a copy: the rounds saved here stay out of the data sets
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    shutil.copy(normal / DB_NAME, scratch / DB_NAME)
    header, rows = survey_file_rows(respondents, seed)
    files = {
        "CSV": ("vastaukset.csv", as_csv(header, rows)),
        "XLSX": ("vastaukset.xlsx", as_xlsx(header, rows)),
        "XLSX by openpyxl": ("vastaukset-openpyxl.xlsx", as_xlsx_inline(header, rows)),
    }
    mapping = dict.fromkeys(EXTRA_COLUMNS)  # remembered: these columns are not items
    store = Store.open(scratch)
    out = []
    try:
        with store.Session() as s:
            row = s.scalars(select(Instrument).where(Instrument.key == NOMAD)).one()
            instrument, instrument_id = to_instrument(row), row.id
            ids = survey_import.item_ids(s, row)
            deployment = s.scalars(select(Deployment).where(Deployment.deleted.is_(False)).order_by(Deployment.id)).first()
            assert deployment is not None
            unit_id, method_id = deployment.unit_id, deployment.method_id
        for kind, (name, data) in files.items():
            figure = Figure(f"import {respondents} respondents, {kind} {len(data) // 1024} KiB (read + save)", IMPORT_TARGET)
            figure.parts = {"read": [], "save": []}
            out.append(figure)
            for _ in range(runs):
                started = time.perf_counter()
                result = survey_file.read(data, name, instrument, columns=mapping)
                read = time.perf_counter()
                if result.problems or result.respondents != respondents or result.unmapped_columns:
                    figure.note = (
                        f"read {result.respondents} respondents, {len(result.problems)} problems, "
                        f"{len(result.unmapped_columns)} columns unmapped"
                    )
                    break
                with store.WriteSession() as s:
                    ops.save_imported(
                        s,
                        survey_import.counts_by_id(ids, result.counts),
                        result.respondents,
                        data=ops.RoundData(
                            instrument_id=instrument_id,
                            date=dt.date(2026, 6, 12),
                            answered=0,
                            unit_ids=[unit_id],
                            method_id=method_id,
                            tool="webropol",
                        ),
                    )
                done = time.perf_counter()
                figure.times.append(done - started)
                figure.parts["read"].append(read - started)
                figure.parts["save"].append(done - read)
    finally:
        store.dispose()
    shutil.rmtree(scratch, ignore_errors=True)
    return out


# -- the report ----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def report(figures: list[Figure]) -> int:
    width = max(len(f.label) for f in figures)
    print()
    print(f"{'figure':<{width}}  {'median ms':>9}  {'p95 ms':>7}  {'target ms':>9}  ok")
    print("-" * (width + 38))
    missed = 0
    for f in figures:
        if not f.times:
            print(f"{f.label:<{width}}  {'-':>9}  {'-':>7}  {ms(f.target):>9}  -   ({f.note})")
            continue
        median = statistics.median(f.times)
        ok = median < f.target
        missed += not ok
        extra = "  ".join(f"{k} {ms(statistics.median(v))} ms" for k, v in f.parts.items() if v)
        extra = "  ".join(x for x in (f.note, extra) if x)
        print(f"{f.label:<{width}}  {ms(median):>9}  {ms(p95(f.times)):>7}  {ms(f.target):>9}  {'yes' if ok else 'NO '}  {extra}")
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="page renders measured")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--pdf-runs", type=int, default=5)
    parser.add_argument("--import-runs", type=int, default=5)
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--data-root", type=Path, default=Path("/tmp/koordi-bench-surveys"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lang", default="fi")
    parser.add_argument("--skip", default="", help="comma-separated: pages, pdf, import")
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    args.data_root.mkdir(parents=True, exist_ok=True)
    figures: list[Figure] = []
    normal = None if {"pdf", "import"} <= skip else data_set(args.data_root, "normal", args.seed)
    if "pages" not in skip:
        bench = data_set(args.data_root, "bench", args.seed)
        print(f"bench: {survey_rows(bench)}")
        figures += pages(bench, args.runs, args.warmup)
    if normal is not None:
        print(f"normal: {survey_rows(normal)}")
        if "pdf" not in skip:
            figures.append(period_report(normal, args.pdf_runs, args.lang))
        if "import" not in skip:
            figures += importing(normal, args.data_root, args.import_runs, args.respondents, args.seed)
    if not figures:
        return 0
    return report(figures)


if __name__ == "__main__":
    sys.exit(main())
