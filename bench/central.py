"""The central office's pages at national scale, beside the raw SQL for their rows.

    .venv/bin/python bench/central.py [--cache-dir D] [--coordinators 60] [--years 5]
                                      [--runs 15] [--warmup 2] [--cold 3] [--rebuild] [--no-pg]
                                      [--only TEXT ...]

Data: a merged database of `--coordinators` fictional coordinators over `--years` years,
built once and kept in `--cache-dir` (default: koordi-bench-central under the system's temp
folder; rebuilt when the central schema or the export format changed, or with --rebuild).
Each coordinator is a real Koordi data folder filled by the demo generator over the whole
span (units, deployments with their phase histories, events, method guidance, survey rounds
as counts), exported in full and read back with the app's own reader; the rows go into the
central tables with executemany, as a merge would write them (merging 3 600 zips would
take longer than the pages it is for). merged_files gets each coordinator's monthly files:
a full first export, then one incremental a month, sent a few days after the month's end.

Measured on SQLite (the cached file) and on PostgreSQL (a throwaway server started from
Debian's binaries, as tests/postgres.py does, loaded from the SQLite file), unless --no-pg:
every GET page of the office's app without URL arguments, and the national picture's pages
with their filters (the default twelve months by county, five years by quarter, by
coordinator, one method, one area) and the rows behind a figure, each through Flask's test
client logged in with the launch token: `--warmup` renders, then the median of `--runs`.
Before them, the default views are prepared as the end of a merge prepares them (timed); each
picture page's first view is measured twice (`--cold` renders, nothing kept in the process):
computed (nothing stored either) and read from the figures stored in the merged database.
Beside each picture page: the median of hand-written SQL for the rows it stands on, run
with the driver directly (the floor under the page). Goal: every page's median < 100 ms.
Not a test: the figures depend on the machine. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: `app` is imported from the repo

GOAL_MS = 100.0


# -- the merged database -------------------------------------------------------------------------


def signature(coordinators: int, years: int) -> str:
    """What the cached database was built for: its size and every table's columns."""
    from app.central import schema
    from app.exchange import format as fmt

    # A derived table (the picture's cache) holds no data the build writes: the database stays good.
    derived = getattr(schema, "DERIVED_TABLES", set())
    tables = {name: list(t.c.keys()) for name, t in sorted(schema.metadata.tables.items()) if name not in derived}
    text = json.dumps([coordinators, years, schema.SCHEMA_VERSION, fmt.SCHEMA_VERSION, tables], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def build(cache: Path, coordinators: int, years: int) -> Path:
    db = cache / "central.sqlite3"
    stamp = cache / "built.json"
    wanted = signature(coordinators, years)
    if db.exists() and stamp.exists() and json.loads(stamp.read_text()).get("signature") == wanted:
        return db
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    started = time.perf_counter()
    rows, people, files = _coordinators(cache / "work", coordinators, years)
    _load(db, rows, people, files)
    shutil.rmtree(cache / "work", ignore_errors=True)
    stamp.write_text(json.dumps({"signature": wanted, "built": dt.datetime.now(dt.UTC).isoformat()}))
    total = sum(len(r) for r in rows.values())
    print(f"built {db} in {time.perf_counter() - started:.0f} s: {total:,} rows, {len(files):,} merged files")
    return db


def _coordinators(work: Path, count: int, years: int):
    """Every coordinator's rows as the merge would write them, their coordinators row and files."""
    from app.core.geography import COUNTIES
    from app.demo import SCALES, context, fill
    from app.demo.context import Scale
    from app.exchange.reader import read_export
    from app.models import CoordinatorProfile
    from app.store import DB_NAME, Store
    from app.sync.export import prepare_export
    from bench.merge import raw_rows

    normal = SCALES["normal"]
    per_year = 0.5  # the normal scale is two years of work
    SCALES["bench-central"] = Scale(
        units=normal.units + 5 * years,  # units join over the years
        events=int(normal.events * per_year * years),
        sessions=int(normal.sessions * per_year * years),
        cohorts_per_term=normal.cohorts_per_term,
        goals=normal.goals,
    )
    context.YEARS_BACK_DAYS = 365 * years  # the demo's calendar window (read when it is built)
    template = work / "template"
    template.mkdir(parents=True)
    Store.open(template).dispose()
    rng = random.Random(14)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rows: dict[str, list[tuple]] = {}
    people, files = [], []
    for i in range(count):
        county = COUNTIES[i % len(COUNTIES)]
        folder = work / f"{i:02d}"
        folder.mkdir()
        shutil.copy(template / DB_NAME, folder / DB_NAME)
        store = Store.attach(folder)
        try:
            with store.Session() as s:
                profile = CoordinatorProfile(
                    name=f"Koordinaattori {i:02d}",
                    role=("therapy", "intervention", "both")[i % 3],
                    county=county.key,
                    central_office_email="keskus@example.org",
                )
                s.add(profile)
                s.commit()
                cid, name = profile.id, profile.name
            fill(store, "bench-central", seed=3000 + i)
            with store.Session() as s:
                result = prepare_export(s, "central", full=True)
        finally:
            store.dispose()
        path = work / f"{i:02d}_{result.file_name}"
        path.write_bytes(result.data)
        read = read_export(result.data, dangling_ok=True)
        assert read.ok, read.problems[:3]
        for table, found in raw_rows([path], [read]).items():
            rows.setdefault(table, []).extend(found)
        path.unlink()
        shutil.rmtree(folder)
        people.append((cid, name, county))
        files += _monthly_files(cid, county.key, years, now, rng)
        print(f"  coordinator {i + 1}/{count} ({county.key})", end="\r", flush=True)
    print()
    return rows, people, files


def _monthly_files(cid: str, county: str, years: int, now: dt.datetime, rng: random.Random) -> list[dict]:
    """A full export first, then an incremental one a month, sent 1-25 days after the month ended."""
    out = []
    month = dt.date(now.year - years, now.month, 1)
    previous = None
    while month < now.date().replace(day=1):
        nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        sent = dt.datetime.combine(nxt, dt.time(9), dt.UTC) + dt.timedelta(days=rng.randint(1, 25), minutes=rng.randint(0, 480))
        export_id = str(uuid.uuid4())
        out.append(
            {
                "sha256": hashlib.sha256(export_id.encode()).hexdigest(),
                "export_id": export_id,
                "file_name": f"koordi_{county}_{sent:%Y-%m-%d}.zip",
                "coordinator_id": cid,
                "county": county,
                "kind": "incremental" if previous else "full",
                "since": previous,
                "exported_at": sent.replace(tzinfo=None),
                "notes_included": False,
                "names_included": False,
                "merged_at": (sent + dt.timedelta(days=2)).replace(tzinfo=None),
                "result": "merged",
                "rows": rng.randint(20, 400),
            }
        )
        previous = sent.replace(tzinfo=None)
        month = nxt
    return out


def _neutral(column):
    from sqlalchemy import Boolean, Integer

    if column.nullable:
        return None
    return {Boolean: False, Integer: 0}.get(type(column.type), "")


def _load(db: Path, rows: dict[str, list[tuple]], people, files: list[dict]) -> None:
    from sqlalchemy import insert

    from app.central.schema import DATA, coordinators, merged_files, open_target

    engine = open_target(str(db))
    try:
        with engine.begin() as conn:
            for name, table_rows in rows.items():
                table = DATA[name]
                columns = list(table.c.keys())
                for i in range(0, len(table_rows), 5000):
                    conn.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in table_rows[i : i + 5000]])
            last = {}
            for f in files:
                last[f["coordinator_id"]] = f
            conn.execute(
                coordinators.insert(),
                [
                    {c.name: _neutral(c) for c in coordinators.c}
                    | {"id": cid, "name": name, "role": "therapy", "county": county.key, "cooperation_area": county.area}
                    | {"central_office_email": "keskus@example.org", "last_export_id": last[cid]["export_id"]}
                    | {"last_exported_at": last[cid]["exported_at"], "last_file": last[cid]["file_name"]}
                    | {"first_merged_at": files[0]["merged_at"], "merged_at": last[cid]["merged_at"]}
                    for cid, name, county in people
                ],
            )
            conn.execute(merged_files.insert(), [{c.name: _neutral(c) for c in merged_files.c} | f for f in files])
    finally:
        engine.dispose()


def copy_to(url: str, db: Path) -> float:
    """The cached SQLite database's rows into an empty PostgreSQL database; seconds taken."""
    from sqlalchemy import insert, select

    from app.central.schema import metadata, open_target

    source = open_target(str(db), read_only=True)
    target = open_target(url)  # creates the tables
    started = time.perf_counter()
    try:
        with source.connect() as read, target.begin() as write:
            for table in metadata.sorted_tables:
                if table.name == "koordi_central":
                    continue
                batch = []
                for row in read.execute(select(table)):
                    batch.append(row._asdict())
                    if len(batch) == 5000:
                        write.execute(insert(table), batch)
                        batch = []
                if batch:
                    write.execute(insert(table), batch)
            write.exec_driver_sql("ANALYZE")
    finally:
        source.dispose()
        target.dispose()
    return time.perf_counter() - started


# -- the pages and their raw SQL ---------------------------------------------------------------


def month_expr(dialect: str, column: str) -> str:
    return f"strftime('%Y-%m', {column})" if dialect == "sqlite" else f"to_char({column}, 'YYYY-MM')"


def pages(today: dt.date, sample: dict) -> list[tuple[str, str, list[str]]]:
    """(label, URL, [raw SQL with {m:col} month placeholders]) of the national picture's pages."""
    first = dt.date(today.year - 1, today.month, 1)
    span = f"from={first:%Y-%m}&to={today:%Y-%m}"
    five = f"from={today.year - 5}-{today.month:02d}&to={today:%Y-%m}"
    lo, hi = f"'{first.isoformat()}'", f"'{today.isoformat()}'"
    five_lo = f"'{dt.date(today.year - 5, today.month, 1).isoformat()}'"
    deployments = [
        "SELECT d.coordinator_id, d.id, d.county, d.method_id, d.phase, d.phase_since FROM deployments d "
        "JOIN units u ON u.coordinator_id = d.coordinator_id AND u.id = d.unit_id "
        "JOIN methods m ON m.coordinator_id = d.coordinator_id AND m.id = d.method_id "
        "WHERE NOT d.deleted AND NOT u.deleted AND NOT m.deleted",
        "SELECT coordinator_id, deployment_id, changed_on, phase FROM deployment_phases WHERE NOT deleted "
        "ORDER BY changed_on, created_at, id",
    ]

    def events(lo: str) -> list[str]:
        return [
            f"SELECT coordinator_id, county, {{m:date}}, count(*), sum(CASE WHEN status = 'held' THEN 1 ELSE 0 END) "
            f"FROM events WHERE NOT deleted AND date BETWEEN {lo} AND {hi} GROUP BY 1, 2, 3",
            "SELECT e.coordinator_id, e.county, {m:e.date}, sum(coalesce(a.professionals, 0) + coalesce(a.supervisors, 0) "
            "+ coalesce(a.others, 0)) FROM events e JOIN event_attendance a ON a.coordinator_id = e.coordinator_id "
            f"AND a.event_id = e.id WHERE NOT e.deleted AND NOT a.deleted AND e.status = 'held' AND e.date BETWEEN {lo} "
            f"AND {hi} GROUP BY 1, 2, 3",
        ]

    def guidance(lo: str) -> list[str]:
        return [
            f"SELECT coordinator_id, county, {{m:date}}, count(*), sum(duration_minutes) FROM guidance_sessions "
            f"WHERE NOT deleted AND date BETWEEN {lo} AND {hi} GROUP BY 1, 2, 3",
            "SELECT s.coordinator_id, s.county, {m:s.date}, count(DISTINCT a.trainee_id) FROM guidance_sessions s "
            "JOIN guidance_attendance a ON a.coordinator_id = s.coordinator_id AND a.session_id = s.id "
            f"WHERE NOT s.deleted AND NOT a.deleted AND s.date BETWEEN {lo} AND {hi} GROUP BY 1, 2, 3",
        ]

    def surveys(lo: str) -> list[str]:
        return [
            "SELECT r.instrument_id, {m:r.date}, c.item_id, c.option, sum(c.count) FROM survey_rounds r "
            "JOIN survey_counts c ON c.coordinator_id = r.coordinator_id AND c.round_id = r.id "
            f"WHERE NOT r.deleted AND NOT c.deleted AND r.answered >= 5 AND r.date BETWEEN {lo} AND {hi} "
            "GROUP BY 1, 2, 3, 4",
        ]

    rows_events = [
        f"SELECT coordinator_id, id, county, date, title, status FROM events WHERE NOT deleted AND date BETWEEN {lo} "
        f"AND {hi} ORDER BY date, coordinator_id, id LIMIT 50"
    ]
    method, area = sample["method"], sample["area"]
    return [
        # The views an office opens first: no filters (Scope.default), prepared at the end of a merge.
        ("picture: default overview (map)", "/picture", deployments),
        ("picture: default deployments", "/picture/deployments", deployments),
        ("picture: default events", "/picture/events", events(lo)),
        ("picture: default guidance", "/picture/guidance", guidance(lo)),
        ("picture: default surveys", "/picture/surveys", surveys(lo)),
        ("picture: default indicators", "/picture/indicators", []),
        ("picture: overview (map)", f"/picture?{span}", deployments),
        ("picture: deployments", f"/picture/deployments?{span}", deployments),
        ("picture: deployments, 5 y by quarter", f"/picture/deployments?{five}&grain=quarter", deployments),
        ("picture: events", f"/picture/events?{span}", events(lo)),
        ("picture: events, 5 y by quarter", f"/picture/events?{five}&grain=quarter", events(five_lo)),
        ("picture: events by method", f"/picture/events?{span}&level=method", events(lo)),
        ("picture: events, one method", f"/picture/events?{span}&method={method}", events(lo)),
        ("picture: guidance", f"/picture/guidance?{span}", guidance(lo)),
        ("picture: guidance, 5 y by year", f"/picture/guidance?{five}&grain=year", guidance(five_lo)),
        ("picture: guidance by coordinator", f"/picture/guidance?{span}&level=coordinator", guidance(lo)),
        ("picture: surveys", f"/picture/surveys?{span}", surveys(lo)),
        ("picture: surveys, 5 y by quarter", f"/picture/surveys?{five}&grain=quarter", surveys(five_lo)),
        ("picture: surveys, one area", f"/picture/surveys?{span}&area={area}&level=county", surveys(lo)),
        ("picture: indicators", f"/picture/indicators?{span}", []),
        ("picture: rows of events", f"/picture/rows?{span}&figure=events", rows_events),
        ("picture: rows of deployments", f"/picture/rows?{span}&figure=deployments&phase=in_use", deployments),
        ("picture: rows of guidance", f"/picture/rows?{span}&figure=guidance", []),
        ("picture: rows of surveys", f"/picture/rows?{span}&figure=surveys", []),
    ]


def other_pages(app) -> list[tuple[str, str, list[str]]]:
    """Every other GET page of the office's app that takes no URL arguments."""
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static" or rule.endpoint.startswith("picture."):
            continue
        if rule.rule.startswith("/_") or rule.rule.endswith((".csv", ".pdf")):
            continue
        found.append((f"{rule.endpoint}", rule.rule, []))
    return sorted(found)


def _median_ms(fn, warmup: int, runs: int) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def prepare_defaults(target: str) -> float:
    """Seconds the end of a merge takes to compute and store the default views (app.central.picture.prepare),
    from an empty picture_cache (the bench's database never saw a merge)."""
    from app.central.picture.prepare import prepare
    from app.central.schema import open_target, picture_cache
    from app.core.clock import today

    write, read = open_target(target), open_target(target, read_only=True)
    try:
        with write.begin() as conn:
            conn.execute(picture_cache.delete())
        started = time.perf_counter()
        prepare(read, write, today(), "fi")
        return time.perf_counter() - started
    finally:
        read.dispose()
        write.dispose()


def measure(label: str, target: str, raw, dialect: str, args) -> list[tuple[str, float, float, float, float | None]]:
    from unittest import mock

    from app.central.app import create_central_app, dispose
    from app.central.picture import cache

    prepared_s = prepare_defaults(target)

    folder = Path(tempfile.mkdtemp(prefix="koordi-bench-office-"))
    app = create_central_app(target, {"DATA_DIR": folder, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    client = app.test_client()
    client.get("/?token=" + app.config["ACCESS_TOKEN"])
    today = dt.date.today()
    with app.extensions["koordi.central.read"].connect() as conn:
        from sqlalchemy import text

        sample = {
            "method": conn.execute(text("SELECT method_id FROM deployments GROUP BY method_id ORDER BY count(*) DESC")).scalar(),
            "area": "ita-suomi",
        }
    results = []
    try:
        for name, url, sqls in pages(today, sample) + other_pages(app):
            if args.only and not any(part in name for part in args.only):
                continue

            def render(url: str = url) -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            def cold(url: str = url) -> None:
                app.extensions.pop("koordi.picture.memo", None)  # nothing kept in the process: a new launch
                app.extensions.pop("koordi.reporting.kept", None)  # nor the reporting grids (app.central.reporting)
                render(url)

            # computed: no figures stored either (what every first view cost before, and a scope not stored
            # costs now); stored: read from picture_cache (the default views after a merge, any view seen
            # since the last merge after a restart). One cold render first stores what was not prepared.
            with mock.patch.object(cache, "read", lambda *a: None), mock.patch.object(cache, "store", lambda *a, **k: True):
                computed_ms = _median_ms(cold, 0, args.cold)
            cold_ms = _median_ms(cold, 1, args.cold)
            page_ms = _median_ms(render, args.warmup, args.runs)
            raw_ms = None
            if sqls:
                statements = [_month(s, dialect) for s in sqls]
                raw_ms = _median_ms(lambda st=statements: [raw(s) for s in st], args.warmup, args.runs)
            results.append((name, computed_ms, cold_ms, page_ms, raw_ms))
    finally:
        dispose(app)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{label}: median of {args.runs} renders (after {args.warmup}); goal < {GOAL_MS:.0f} ms")
    print(f"  the default views prepared at the end of a merge in {prepared_s:.1f} s (app.central.picture.prepare)")
    print("  computed: a first view with no figures kept or stored (median of --cold renders); stored: a first view")
    print("  reading the figures stored in the merged database (the default views right after a merge); page: as")
    print("  the office sees it again (the figures kept until the next merge); raw SQL: the page's rows by hand")
    print(f"  {'page':40s} {'computed ms':>12s} {'stored ms':>10s} {'page ms':>9s} {'raw SQL ms':>11s}")
    for name, computed_ms, cold_ms, page_ms, raw_ms in results:
        flag = "" if page_ms < GOAL_MS else "  over the goal"
        raw_text = f"{raw_ms:11.1f}" if raw_ms is not None else f"{'–':>11s}"
        print(f"  {name:40s} {computed_ms:12.1f} {cold_ms:10.1f} {page_ms:9.1f} {raw_text}{flag}")
    return results


def _month(sql: str, dialect: str) -> str:
    import re

    return re.sub(r"\{m:([\w.]+)\}", lambda m: month_expr(dialect, m.group(1)), sql)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "koordi-bench-central")
    parser.add_argument("--coordinators", type=int, default=60)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--cold", type=int, default=3, help="renders with the kept figures dropped first")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument(
        "--only", action="append", metavar="TEXT", help="only the pages whose name holds TEXT (repeatable), e.g. office."
    )
    args = parser.parse_args()
    if args.rebuild:
        shutil.rmtree(args.cache_dir, ignore_errors=True)
    db = build(args.cache_dir, args.coordinators, args.years)

    import sqlite3

    lite = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    counts = {
        t: lite.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ("events", "guidance_sessions", "survey_counts")
    }
    print(f"{db}: {db.stat().st_size / 1e6:,.0f} MB; " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    measure("SQLite", str(db), lambda sql: lite.execute(sql).fetchall(), "sqlite", args)
    lite.close()
    if args.no_pg:
        return 0
    from tests.postgres import NoServer, create_database, start_server

    try:
        server, stop = start_server()
    except NoServer as exc:
        print(f"\nPostgreSQL: not measured ({exc})")
        return 0
    try:
        url = create_database(server)
        print(f"\nPostgreSQL: loaded in {copy_to(url, db):.0f} s")
        import psycopg

        pg = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
        measure("PostgreSQL", url, lambda sql: pg.execute(sql).fetchall(), "postgresql", args)
        pg.close()
    finally:
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
