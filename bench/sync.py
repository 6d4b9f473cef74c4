"""Export and import times at the demo's normal and benchmark scales.

    .venv/bin/python bench/sync.py [--scale normal|bench|both] [--data-dir D] [--runs 3]

For each scale it uses the demo data set in `--data-dir`/<scale> (built there with the
demo generator when that folder has no records yet: about a minute at bench scale, so
pass a folder under /tmp to build it once), then measures, `--runs` times each, and
prints the median:

- export, minimal (what goes to the central office: full, no notes, no names) and
  everything ("Move to another computer": full, notes and names);
- read: unzip, parse and check every cell of the everything-export, references looked
  up in an empty database (what a dry run reads);
- dry run: read + plan against an empty database (`koordi import --dry-run`);
- import: read + plan + backup + write into an empty database (`koordi import`);
- import again: the same file into the database it was just imported into (everything
  unchanged, nothing written).

Not a test: the figures depend on the machine. The merge benchmark joins this script
later. See bench/README.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: `app` is imported from the repo


def timed(runs: int, fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def demo_folder(base: Path, scale: str) -> Path:
    from app import demo
    from app.store import DB_NAME, Store

    folder = base / scale
    folder.mkdir(parents=True, exist_ok=True)
    if not demo.existing_records(folder / DB_NAME):
        print(f"building the {scale} demo data set in {folder} ...", flush=True)
        store = Store.open(folder)
        try:
            demo.fill(store, scale)
        finally:
            store.dispose()
    return folder


def bench(folder: Path, runs: int, scratch: Path) -> list[tuple[str, float, str]]:
    from app.store import Store
    from app.sync.export import build_export
    from app.sync.importer import apply_import, plan_import, read_for_import

    rows: list[tuple[str, float, str]] = []
    source = Store.open(folder)
    try:
        with source.Session() as s:
            t, minimal = timed(runs, lambda: build_export(s, full=True, include_notes=False, include_names=False))
            rows.append(("export, minimal", t, f"{sum(minimal.rows.values()):,} rows, {len(minimal.data) / 1e6:.1f} MB zip"))
            t, everything = timed(runs, lambda: build_export(s, full=True, include_notes=True, include_names=True))
            rows.append(("export, everything", t, f"{len(everything.data) / 1e6:.1f} MB zip"))
    finally:
        source.dispose()
    data = everything.data

    empty = scratch / "empty"
    empty.mkdir()
    Store.open(empty).dispose()
    template = empty / "koordi.sqlite3"

    def fresh(name: str) -> Store:
        target = scratch / name
        target.mkdir()
        shutil.copy(template, target / "koordi.sqlite3")
        return Store.attach(target)

    target = fresh("dry")
    try:
        with target.Session() as s:
            t, read = timed(runs, lambda: read_for_import(s, data))
            assert read.ok, read.problems[:3]
            rows.append(("read and check", t, ""))
            t, plan = timed(runs, lambda: plan_import(s, read_for_import(s, data)))
            rows.append(("dry run (read + plan)", t, f"{sum(x.created for x in plan.summaries):,} to create"))
    finally:
        target.dispose()

    times = []
    for i in range(runs):
        target = fresh(f"import-{i}")
        try:
            started = time.perf_counter()
            with target.Session() as s:
                plan = plan_import(s, read_for_import(s, data))
            apply_import(target, plan)
            times.append(time.perf_counter() - started)
            if i == runs - 1:
                again_time, again = timed(runs, lambda: _plan_again(target, data))  # noqa: B023 - called at once
        finally:
            target.dispose()
    rows.append(("import into an empty folder", statistics.median(times), "backup + one transaction"))
    rows.append(("import the same file again", again_time, f"{sum(x.unchanged for x in again.summaries):,} unchanged"))
    return rows


def _plan_again(store, data):
    from app.sync.importer import apply_import, plan_import, read_for_import

    with store.Session() as s:
        plan = plan_import(s, read_for_import(s, data))
    apply_import(store, plan)  # nothing to change: writes nothing
    return plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["normal", "bench", "both"], default="both")
    parser.add_argument("--data-dir", type=Path, default=None, help="where the demo data sets are kept (<dir>/<scale>)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base_tmp = None
    if args.data_dir is None:
        base_tmp = tempfile.TemporaryDirectory(prefix="koordi-bench-sync-")
        args.data_dir = Path(base_tmp.name)
    scales = ["normal", "bench"] if args.scale == "both" else [args.scale]
    try:
        for scale in scales:
            folder = demo_folder(args.data_dir, scale)
            with tempfile.TemporaryDirectory(prefix="koordi-bench-sync-") as scratch:
                rows = bench(folder, args.runs, Path(scratch))
            print(f"\n{scale} scale ({folder}), median of {args.runs} runs")
            for label, seconds, note in rows:
                print(f"  {label:<30} {seconds:8.2f} s   {note}")
    finally:
        if base_tmp is not None:
            base_tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
