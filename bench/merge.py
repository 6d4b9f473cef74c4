"""`koordi merge` of 60 coordinators' exports, beside a raw executemany of the same rows.

    .venv/bin/python bench/merge.py [--data-dir D] [--files 60] [--big 6] [--pg URL | --no-pg]

Data: `--files` fictional coordinators spread over the 23 counties, each a data folder
filled by the demo generator with its own seed: normal scale (about 4 000 rows, a
coordinator's two years), and every tenth one three times that (`--big`: a busy county).
Each is exported in full, as the first file to the central office is. The folders
and the zips are kept in `--data-dir` (built once, about a minute; reused later).

Measured, into a fresh SQLite file (and a PostgreSQL database: a throwaway server
started from Debian's binaries, or `--pg URL`, unless `--no-pg`):

- read + check: read_export of every file (unzip, every cell, references);
- merge: `merge_files`, what `koordi merge` does (read, check, plan, write, the
  reference and gap checks), one transaction per file;
- raw executemany: the same rows, already parsed, inserted with the driver's
  executemany into the same (empty) tables: the floor for writing them;
- merge again: the same 60 files into the database they were just merged into
  (every row unchanged, nothing written);
- summary: the national summary query; central PDF: `koordi report central` (time and pages).

Not a test: the figures depend on the machine. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_exports(base: Path, files: int, big_every: int) -> list[Path]:
    from app.core.geography import COUNTIES
    from app.demo import SCALES, fill
    from app.demo.context import Scale
    from app.models import CoordinatorProfile
    from app.store import DB_NAME, Store
    from app.sync.export import prepare_export

    out = base / "exports"
    done = sorted(out.glob("*.zip")) if out.is_dir() else []
    if len(done) == files:
        return done
    shutil.rmtree(base, ignore_errors=True)
    out.mkdir(parents=True)
    normal = SCALES["normal"]
    SCALES["big"] = Scale(
        units=normal.units * 3,
        events=normal.events * 3,
        sessions=normal.sessions * 3,
        cohorts_per_term=normal.cohorts_per_term * 3,
        goals=normal.goals * 3,
    )
    template = base / "template"
    template.mkdir()
    Store.open(template).dispose()
    started = time.perf_counter()
    for i in range(files):
        county = COUNTIES[i % len(COUNTIES)]
        folder = base / "coordinators" / f"{i:02d}"
        folder.mkdir(parents=True)
        shutil.copy(template / DB_NAME, folder / DB_NAME)
        store = Store.attach(folder)
        try:
            with store.Session() as s:
                s.add(
                    CoordinatorProfile(
                        name=f"Koordinaattori {i:02d}",
                        role=("therapy", "intervention", "both")[i % 3],
                        county=county.key,
                        central_office_email="keskus@example.org",
                    )
                )
                s.commit()
            fill(store, "big" if big_every and i % big_every == big_every - 1 else "normal", seed=1000 + i)
            with store.Session() as s:
                result = prepare_export(s, "central", full=True)
            (out / f"{i:02d}_{result.file_name}").write_bytes(result.data)
        finally:
            store.dispose()
    print(f"made {files} exports in {time.perf_counter() - started:.0f} s")
    return sorted(out.glob("*.zip"))


def read_all(paths: list[Path]):
    from app.exchange.reader import read_export

    results = [read_export(p.read_bytes(), dangling_ok=True) for p in paths]
    assert all(r.ok for r in results), [r.problems[:3] for r in results if not r.ok]
    return results


def raw_rows(paths: list[Path], reads) -> dict[str, list[tuple]]:
    """Every row as the merge would insert it (same columns, same values), ready for executemany."""
    from app.central.merge_rows import Source, _Groups, _new_row, naive
    from app.central.schema import DATA
    from app.exchange import format as fmt

    rows: dict[str, list[tuple]] = {spec.name: [] for spec in fmt.TABLES}
    now = naive(dt.datetime.now(dt.UTC))
    for path, read in zip(paths, reads):
        source = Source(read.manifest, path.name, now, False, False)
        provenance = {
            "county": read.manifest.coordinator.county,
            "export_id": read.manifest.export_id,
            "exported_at": source.exported_at,
            "source_file": path.name,
        }
        for spec in fmt.TABLES:
            groups = _Groups(spec)
            names = list(DATA[spec.name].c.keys())
            for row in read.tables[spec.name]:
                values = dict(row.values)
                for name in groups.timestamps:
                    values[name] = naive(values[name])
                new = _new_row(values, groups, source, provenance)
                rows[spec.name].append(tuple(new.get(n) for n in names))
    return rows


def raw_executemany(url: str, rows: dict[str, list[tuple]], cpu: dict | None = None) -> float:
    """The rows into empty central tables through the DB-API's executemany, one transaction;
    the wall time (and in cpu["seconds"], when given, this process's CPU time)."""
    from sqlalchemy import create_engine

    from app.central.schema import DATA, metadata

    engine = create_engine(url)
    metadata.drop_all(engine)  # --pg URL: the same database the merge was measured in, emptied
    metadata.create_all(engine)
    dialect = engine.dialect
    converted = {}
    for name, table_rows in rows.items():  # each value as the column's SQLAlchemy type binds it (not timed)
        table = DATA[name]
        processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.c]
        converted[name] = [tuple(p(v) if p else v for p, v in zip(processors, row)) for row in table_rows]
    raw = engine.raw_connection()
    try:
        marker = "?" if dialect.name == "sqlite" else "%s"
        started, cpu_started = time.perf_counter(), time.process_time()
        cur = raw.cursor()
        for name, table_rows in converted.items():
            columns = list(DATA[name].c.keys())
            sql = f'INSERT INTO "{name}" ({", ".join(columns)}) VALUES ({", ".join([marker] * len(columns))})'
            for i in range(0, len(table_rows), 5000):
                cur.executemany(sql, table_rows[i : i + 5000])
        raw.commit()
        if cpu is not None:
            cpu["seconds"] = time.process_time() - cpu_started
        return time.perf_counter() - started
    finally:
        raw.close()
        engine.dispose()


def bench_target(label: str, target: str, raw_url: str, paths: list[Path], rows, scratch: Path) -> None:
    from app.central.merge import merge_files
    from app.central.schema import open_target
    from app.central.summary import Span, central_summary
    from app.reports.build import central_pdf

    engine = open_target(target)
    started = time.perf_counter()
    report = merge_files(engine, paths)
    merge_time = time.perf_counter() - started
    assert not report.refused
    started = time.perf_counter()
    again = merge_files(engine, paths)
    again_time = time.perf_counter() - started
    assert all(f.total("created") == f.total("updated") == 0 for f in again.files)
    today = dt.date.today()
    with engine.connect() as conn:
        started = time.perf_counter()
        summary = central_summary(conn, Span(), today, "fi")
        summary_time = time.perf_counter() - started
        started = time.perf_counter()
        pdf = central_pdf(conn, Span(), "fi", today)
        pdf_time = time.perf_counter() - started
    engine.dispose()
    raw_time = raw_executemany(raw_url, rows)
    total = sum(len(r) for r in rows.values())
    (scratch / f"central-{label}.pdf").write_bytes(pdf.data)
    print(f"\n{label}: {len(paths)} files, {total:,} rows, {len(summary.rows)} county x method rows")
    print(f"  merge (read, check, plan, write)   {merge_time:8.2f} s   {total / merge_time:10,.0f} rows/s")
    print(f"  raw executemany of the same rows    {raw_time:8.2f} s   {total / raw_time:10,.0f} rows/s")
    print(f"  merge the same files again          {again_time:8.2f} s   (all unchanged, nothing written)")
    print(f"  national summary query              {summary_time:8.2f} s")
    print(f"  central PDF (koordi report central) {pdf_time:8.2f} s   {pdf.pages} pages, {len(pdf.data) / 1e3:,.0f} KB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="where the coordinators and their exports are kept")
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--big", type=int, default=10, help="every Nth coordinator is three times normal (0: none)")
    parser.add_argument("--pg", default=None, help="a PostgreSQL URL to merge into (its database must be empty)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    base_tmp = None
    if args.data_dir is None:
        base_tmp = tempfile.TemporaryDirectory(prefix="koordi-bench-merge-")
        args.data_dir = Path(base_tmp.name)
    stop_pg = None
    try:
        paths = build_exports(args.data_dir, args.files, args.big)
        started = time.perf_counter()
        reads = read_all(paths)
        read_time = time.perf_counter() - started
        rows = raw_rows(paths, reads)
        del reads
        size = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} exports, {size / 1e6:.1f} MB of zips; read + check of all: {read_time:.2f} s")
        with tempfile.TemporaryDirectory(prefix="koordi-bench-merge-") as scratch:
            scratch = Path(scratch)
            db = scratch / "central.sqlite3"
            bench_target("SQLite", str(db), f"sqlite:///{scratch / 'raw.sqlite3'}", paths, rows, scratch)
            if not args.no_pg:
                targets = (args.pg, args.pg) if args.pg else None
                if targets is None:
                    from tests.postgres import NoServer, create_database, start_server

                    try:
                        server, stop_pg = start_server()
                        targets = (create_database(server), create_database(server))
                    except NoServer as exc:
                        print(f"\nPostgreSQL: not measured ({exc})")
                if targets:
                    bench_target("PostgreSQL", targets[0], targets[1], paths, rows, scratch)
            shutil.copy(scratch / "central-SQLite.pdf", args.data_dir / "central-SQLite.pdf")
            print(f"\nThe PDF: {args.data_dir / 'central-SQLite.pdf'}")
    finally:
        if stop_pg is not None:
            stop_pg()
        if base_tmp is not None:
            base_tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
