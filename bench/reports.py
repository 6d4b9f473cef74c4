"""PDF generation times and page counts at `--scale normal` and `--scale bench`.

    .venv/bin/python bench/reports.py [--scales normal,bench] [--runs 5] [--data-root /tmp/koordi-bench-reports]

For each scale it builds the demo data set once into <data-root>/<scale> (what
`koordi demo --scale ...` makes; an existing folder with records is reused), then makes
every document the way `koordi report` does (a read-only session, app.reports.build):
the year report of this year, the unit summary of the busiest unit for the year, the
attestation of the trainee with the most sessions, and a sign-in sheet of 40 rows. Each
is made once to warm up, then `--runs` times; the median, the slowest, the page count
and the file size are printed, and the page-1 PNG of each is written beside the data
(pdftoppm) for a look. Not a test: the figures depend on the machine. See README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: `app` is imported from the repo

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import demo  # noqa: E402
from app.core import periods  # noqa: E402
from app.i18n import HELSINKI  # noqa: E402
from app.models import Event, EventUnit, SessionTrainee, Unit  # noqa: E402
from app.reports import build  # noqa: E402
from app.store import DB_NAME, Store  # noqa: E402
from app.store.engine import make_engine  # noqa: E402


def data_set(folder: Path, scale: str) -> None:
    if demo.existing_records(folder / DB_NAME):
        print(f"{scale}: using the data in {folder}")
        return
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    store = Store.open(folder)
    try:
        summary = demo.fill(store, scale, seed=1)
    finally:
        store.dispose()
    print(
        f"{scale}: built {folder} in {time.perf_counter() - started:.1f} s "
        f"({summary.units} units, {summary.events} events, {summary.sessions} sessions)"
    )


def busiest(s: Session, today: dt.date) -> tuple[Unit, str, str]:
    year = periods.year(today.year)
    unit_id = s.execute(
        select(EventUnit.unit_id)
        .join(Event, Event.id == EventUnit.event_id)
        .where(Event.date >= year.start, Event.date <= year.end, Event.deleted.is_(False))
        .group_by(EventUnit.unit_id)
        .order_by(func.count().desc())
        .limit(1)
    ).scalar_one()
    trainee_id = s.execute(
        select(SessionTrainee.trainee_id).group_by(SessionTrainee.trainee_id).order_by(func.count().desc()).limit(1)
    ).scalar_one()
    event_id = s.execute(select(Event.id).where(Event.date <= today).order_by(Event.date.desc()).limit(1)).scalar_one()
    return s.get(Unit, unit_id), trainee_id, event_id


def measure(label: str, make, runs: int, png_dir: Path) -> None:
    rendered = make()  # warm-up: fonts, statement caches, the file in the OS cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rendered = make()
        times.append(time.perf_counter() - started)
    pdf = png_dir / f"{label.replace(' ', '-')}.pdf"
    pdf.write_bytes(rendered.data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(pdf.with_suffix(""))], check=False
    )
    print(
        f"  {label:<22} {statistics.median(times) * 1000:8.0f} {max(times) * 1000:8.0f} {rendered.pages:6d} "
        f"{len(rendered.data) / 1024:8.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="normal,bench")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-root", type=Path, default=Path("/tmp/koordi-bench-reports"))
    parser.add_argument("--lang", default="fi")
    args = parser.parse_args()
    today = dt.datetime.now(HELSINKI).date()
    year = periods.year(today.year)
    for scale in args.scales.split(","):
        folder = args.data_root / scale
        data_set(folder, scale)
        engine = make_engine(folder / DB_NAME, read_only=True)
        try:
            with Session(engine) as s:
                unit, trainee_id, event_id = busiest(s, today)
                print(f"\n{scale} scale, {args.runs} runs each, language {args.lang}")
                print(f"  {'document':<22} {'median ms':>8} {'max ms':>8} {'pages':>6} {'KiB':>8}")
                # Each lambda runs before the next line: binding the loop's values is not needed.
                measure(f"{scale} year report", lambda: build.period_pdf(s, year, args.lang, today), args.runs, folder)
                measure(f"{scale} unit summary", lambda: build.unit_pdf(s, unit, year, args.lang, today), args.runs, folder)  # noqa: B023
                measure(f"{scale} attestation", lambda: build.attestation_pdf(s, trainee_id, args.lang, today), args.runs, folder)  # noqa: B023
                measure(f"{scale} sign-in sheet", lambda: build.signin_pdf(s, event_id, args.lang, today, 40), args.runs, folder)  # noqa: B023
        finally:
            engine.dispose()
        print(f"  (page-1 PNGs and the PDFs in {folder})")


if __name__ == "__main__":
    main()
