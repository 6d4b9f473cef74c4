"""Every speed figure beside its floor, in one run (issue 17).

    .venv/bin/python bench/all.py                      # some 10 minutes on a quiet machine; data sets cached
    .venv/bin/python bench/all.py --quick              # one run each, no window: a couple of minutes
    .venv/bin/python bench/all.py --only startup,export --runs 5
    .venv/bin/python bench/all.py --no-pg --json /tmp/figures.json

Data sets are built once in `--data-root` (default /tmp/koordi-bench-all) and reused:
the demo's normal and bench scales (`koordi demo`), and 60 coordinators' exports for the
central office's merge (bench/merge.py). Every measurement runs in a process of its
own, so its peak memory (VmHWM, not ru_maxrss: see _hwm_mb) is its own; a figure and its floor run alternately
(figure, floor, figure, floor...) and the median of `--runs` is printed, because the
machine is shared and its speed drifts. Each timing excludes the interpreter's start and
the imports, except start-up, which is all about them.

The table: figure, its median, the floor it is compared with, the ratio, the goal and
whether it is met. Exit 0 always: the figures are for a person to read (no timed
assertion anywhere in the test suite). See bench/README.md for what each floor is.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(BENCH))

SECTIONS = ("startup", "window", "pages", "export", "import", "merge", "pdf")


# -- what is printed -----------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    value: float | None  # seconds (or ms for pages: see unit)
    floor: float | None = None
    floor_label: str = ""
    goal: str = ""  # e.g. "<= 1.5x", "< 1 s", "<= 200 MB"
    met: bool | None = None
    peak_mb: float | None = None
    floor_peak_mb: float | None = None
    unit: str = "s"
    note: str = ""
    cpu_ratio: float | None = None  # the same ratio by the processes' CPU time (a busy machine)

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.value is not None and self.floor else None


@dataclass
class Results:
    figures: list[Figure] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(_row(figure), flush=True)
        return figure


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value * 1000:.1f} ms" if unit == "ms" else f"{value:.2f} s"


def _row(f: Figure) -> str:
    ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
    cpu = f"{f.cpu_ratio:.2f}x" if f.cpu_ratio is not None else "-"
    met = {True: "met", False: "NOT MET", None: ""}[f.met]
    peak = f"{f.peak_mb:.0f}" if f.peak_mb is not None else "-"
    floor_peak = f"{f.floor_peak_mb:.0f}" if f.floor_peak_mb is not None else "-"
    line = (
        f"{f.label:<44} {_fmt(f.value, f.unit):>10}  {f.floor_label:<30} {_fmt(f.floor, f.unit):>10} "
        f"{ratio:>7} {cpu:>7}  {f.goal:<14} {met:<8} {peak:>5}/{floor_peak:<5} MB"
    )
    return line + (f"  {f.note}" if f.note else "")


HEADER = f"{'figure':<44} {'median':>10}  {'floor':<30} {'floor':>10} {'ratio':>7} {'by cpu':>7}  {'goal':<14} {'':<8} peak/floor"


# -- running one measurement in a process of its own ---------------------------------------------


def worker(*args: str, timeout: float = 900) -> dict:
    """Run `all.py --worker ARGS` and return its JSON (with "peak_mb": its own peak, _hwm_mb)."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__)), "--worker", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env=_env(),
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"worker {args[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def _env(**extra: str) -> dict[str, str]:
    drop = ("DISPLAY", "WAYLAND_DISPLAY", "KOORDI_DATA_DIR", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    # Compiled modules are cached, as in an install (the bundle ships them; a source start writes
    # them): a start that compiles every module from source measures the compiler. Kept out of
    # the source tree.
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "koordi-bench-pycache"))
    env.update({"PYTHONUNBUFFERED": "1", "KOORDI_LANG": "en"})
    env.update(extra)
    return env


def _hwm_mb(pid: int | str = "self") -> float | None:
    """The process's own peak resident memory (VmHWM), or None where /proc has none.

    Not ru_maxrss: Linux carries the parent's peak into a child's ru_maxrss (exec records the
    hiwater mark of the memory it replaces, which under vfork is the parent's), and wait4 and
    RUSAGE_CHILDREN report the same, so every worker read as big as the run's own process
    (650 MB in --quick). VmHWM belongs to the memory exec made: the child's alone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def _peak_mb() -> float:
    import resource

    own = _hwm_mb()
    return own if own is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _emit(**values) -> None:
    print(json.dumps({**values, "peak_mb": _peak_mb()}), flush=True)


def alternate(runs: int, *makers) -> list[list[dict]]:
    """Each maker() once per round, in turn, `runs` rounds: the runs of each."""
    out: list[list[dict]] = [[] for _ in makers]
    for _ in range(runs):
        for i, make in enumerate(makers):
            out[i].append(make())
    return out


CLOCK = {"name": "wall"}  # --clock: "cpu" compares the processes' own CPU time (a busy machine)


class Stopwatch:
    """Wall and process CPU time since the last lap."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> dict[str, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        out = {"wall": wall - self.wall, "cpu": cpu - self.cpu}
        self.wall, self.cpu = wall, cpu
        return out


def med(results: list[dict], key: str = "seconds", clock: str | None = None) -> float:
    """The median of a timing over runs, by --clock (a plain number is wall time only)."""
    values = [r[key] if isinstance(r[key], (int, float)) else r[key][clock or CLOCK["name"]] for r in results]
    return statistics.median(values)


def peak(results: list[dict]) -> float:
    return max(r["peak_mb"] for r in results)


# -- data sets -----------------------------------------------------------------------------------


def demo_data(root: Path, scale: str) -> Path:
    """The demo data set of a scale, built once (and upgraded by Store.open when the schema moved)."""
    from app import demo
    from app.store import DB_NAME, Store

    folder = root / scale
    folder.mkdir(parents=True, exist_ok=True)
    built = demo.existing_records(folder / DB_NAME)
    if not built:
        print(f"building the {scale} demo data set in {folder} ...", flush=True)
    store = Store.open(folder)
    try:
        if not built:
            demo.fill(store, scale, seed=1)
    finally:
        store.dispose()
    return folder


def merge_exports(folder: Path) -> Path:
    """60 coordinators' exports (bench/merge.py), made again when the export format has moved on."""
    import merge as merge_bench

    from app.exchange.reader import read_export

    made = sorted((folder / "exports").glob("*.zip"))
    if made and not read_export(made[0].read_bytes(), dangling_ok=True).ok:
        print(f"the exports in {folder} are of an older format: making them again", flush=True)
        shutil.rmtree(folder)
    return merge_bench.build_exports(folder, 60, 10)[0].parent


def empty_template(root: Path) -> Path:
    """An empty, migrated database (the install an import lands in), made again each run."""
    from app.store import DB_NAME, Store

    folder = root / "empty"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    Store.open(folder).dispose()
    return folder / DB_NAME


# -- start-up and the window ---------------------------------------------------------------------


def _first_200(command: list[str]) -> dict:
    """Seconds from Popen to the first 200 of its printed URL (and the process's CPU time, to its
    exit a few ms later), and the process's peak MB."""
    import http.cookiejar
    import urllib.request

    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"{command} printed no URL: {url!r}")
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with opener.open(url, timeout=60) as response:  # Koordi: ?token= -> cookie -> redirect -> 200
            response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}")
        seconds = time.perf_counter() - started
        own_peak = _hwm_mb(proc.pid)  # at its first 200, while it runs (see _hwm_mb)
    finally:
        proc.terminate()
    _pid, _status, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped here (for its CPU time), not by Popen
    peak_mb = own_peak if own_peak is not None else usage.ru_maxrss / 1024
    return {"seconds": {"wall": seconds, "cpu": usage.ru_utime + usage.ru_stime}, "peak_mb": peak_mb}


def koordi_command() -> list[str]:
    """The installed `koordi` command (the console script beside this interpreter), as the issue
    and a user name it; `python -m app` where the project is not installed. Both start through
    app.__main__.run."""
    script = Path(sys.executable).with_name("koordi.exe" if os.name == "nt" else "koordi")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "app"]


STARTUP_ROUNDS = 15


def bench_startup(res: Results, data: Path, runs: int) -> None:
    koordi = [*koordi_command(), "serve", "--data-dir", str(data)]
    bare = [sys.executable, str(BENCH / "bare.py"), "serve", str(data)]
    _first_200(koordi)  # warm-up: the start-up backup, the files in the OS cache
    _first_200(bare)
    # More rounds than --runs: a start is some 0.3 s, and a shared machine moves a median of a few
    # by 2-3 % either way, as much as the goal's margin (15 rounds: about 10 s).
    rounds = max(STARTUP_ROUNDS, runs)
    k, b = alternate(rounds, lambda: _first_200(koordi), lambda: _first_200(bare))
    ratio_goal = 1.5
    # Wall time whatever --clock says: a start is waited for, and the CPU time of a process runs on
    # past the 200 to its exit (Koordi's PRAGMA optimize at close); the CPU ratio is shown beside.
    value, floor = med(k, clock="wall"), med(b, clock="wall")
    res.add(
        Figure(
            "start-up: koordi serve to first 200",
            value,
            floor,
            "bare Flask+ORM+Jinja, waitress",
            f"<= {ratio_goal}x",
            value / floor <= ratio_goal,
            peak(k),
            peak(b),
            note=f"normal data set, {rounds} runs each",
            cpu_ratio=med(k, clock="cpu") / med(b, clock="cpu"),
        )
    )


def _window_once(command: list[str], log: Path | None, display: str) -> tuple[float, float]:
    """Seconds from Popen to (the window's first page painted, Koordi's first page loaded).

    Koordi logs "start page shown" (its own start page, app.desktop_start) and then "window
    loaded"; bare.py prints "loaded" for its one page, which is both.
    """
    env = _env(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu",
        QTWEBENGINE_DISABLE_SANDBOX="1",
    )
    offset = log.stat().st_size if log is not None and log.exists() else 0
    started = time.perf_counter()
    first: float | None = None
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    try:
        deadline = started + 90
        while time.perf_counter() < deadline:
            if log is None:
                assert proc.stdout is not None
                line = proc.stdout.readline()  # bare.py prints "loaded ..." then closes its window
                if line.startswith("loaded"):
                    done = time.perf_counter() - started
                    return done, done
                if not line:
                    break
            elif log.exists():
                with log.open("rb") as fh:
                    fh.seek(offset)
                    text = fh.read()
                if first is None and b"start page shown" in text:
                    first = time.perf_counter() - started
                if b"window loaded" in text:
                    done = time.perf_counter() - started
                    return (done if first is None else first), done
            if proc.poll() is not None:
                break
            time.sleep(0.01)
        raise RuntimeError(f"{command}: the window did not load")
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _xvfb() -> tuple[str, subprocess.Popen] | None:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        return None
    for n in range(150, 260):
        if Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
            continue
        proc = subprocess.Popen([xvfb, f":{n}", "-nolisten", "tcp", "-screen", "0", "1600x1000x24"], stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None and not Path(f"/tmp/.X11-unix/X{n}").exists():
            time.sleep(0.05)
        if proc.poll() is None:
            return f":{n}", proc
    return None


def bench_window(res: Results, data: Path, runs: int) -> None:
    started = _xvfb()
    if started is None:
        res.add(Figure("window: launch to page loaded", None, note="no Xvfb: not measured"))
        return
    display, xvfb = started
    folder = Path(tempfile.mkdtemp(prefix="koordi-bench-window-"))
    try:
        shutil.copytree(data, folder / "data")
        koordi = [*koordi_command(), "--data-dir", str(folder / "data")]
        bare = [sys.executable, str(BENCH / "bare.py"), "window"]
        log = folder / "data" / "logs" / "koordi.log"
        _window_once(koordi, log, display)  # warm-up (the start-up backup of the copy)
        k, b = alternate(runs, lambda: _window_once(koordi, log, display), lambda: _window_once(bare, None, display))
        floor = statistics.median(t for _, t in b)
        for label, times in (
            ("window: launch to its first page painted", [first for first, _ in k]),
            ("window: launch to Koordi's page loaded", [done for _, done in k]),
        ):
            res.add(
                Figure(
                    label,
                    statistics.median(times),
                    floor,
                    "bare pywebview window, one line",
                    "measured",
                    note="Qt WebEngine under Xvfb",
                )
            )
    finally:
        xvfb.terminate()
        xvfb.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


# -- pages ---------------------------------------------------------------------------------------


def bench_pages(res: Results, data: Path, runs: int) -> None:
    out = worker("pages", str(data), str(max(5, runs * 4)))
    goal = 0.035
    worst = max(out["pages"], key=lambda p: p["median"])
    for page in out["pages"]:
        res.add(
            Figure(
                f"page: {page['label']}",
                page["median"],
                page["raw"],
                "raw SQL (sqlite3) of its rows",
                "< 35 ms",
                page["median"] < goal,
                unit="ms",
                note=f"p95 {page['p95'] * 1000:.0f} ms",
            )
        )
    res.add(
        Figure(
            "pages: the slowest median",
            worst["median"],
            worst["raw"],
            worst["label"],
            "< 35 ms",
            worst["median"] < goal,
            out["peak_mb"],
            unit="ms",
        )
    )


def w_pages(data_dir: str, runs: str) -> None:
    import pages

    if os.environ.get("KOORDI_BENCH_CLOCK") == "cpu":
        pages.CLOCK = time.process_time
    results = pages.run(Path(data_dir), int(runs), 3, "terveysasema")
    _emit(
        pages=[
            {"label": r.label, "median": statistics.median(r.render), "p95": pages.p95(r.render), "raw": statistics.median(r.raw)}
            for r in results
            if r.render
        ]
    )


# -- export --------------------------------------------------------------------------------------


def bench_export(res: Results, normal: Path, bench: Path, runs: int, scratch: Path) -> Path:
    """Export everything at bench scale beside the stdlib's zip of the same tables; returns the zip."""
    out = scratch / "bench-everything.zip"
    small = worker("export", str(normal), str(scratch / "normal-everything.zip"))
    e, r = alternate(
        runs, lambda: worker("export", str(bench), str(out)), lambda: worker("rawzip", str(bench), str(scratch / "raw.zip"))
    )
    ratio_goal = 1.5
    value, floor = med(e), med(r)
    res.add(
        Figure(
            "export everything (bench scale)",
            value,
            floor,
            "stdlib sqlite3+csv+zipfile",
            f"<= {ratio_goal}x",
            value / floor <= ratio_goal,
            peak(e),
            peak(r),
            note=f"{e[0]['rows']:,} rows, {e[0]['zip_mb']:.1f} MB zip",
            cpu_ratio=med(e, clock="cpu") / med(r, clock="cpu"),
        )
    )
    # Memory that does not grow with the data: the bench export's peak beside the normal one's
    # (a bench file holds 80 times the rows; SQLite's page cache is bounded by cache_size).
    growth = peak(e) - small["peak_mb"]
    res.add(
        Figure(
            "export memory: bench peak - normal peak",
            None,
            note=f"{growth:.0f} MB more for {e[0]['rows'] / max(1, small['rows']):.0f}x the rows (goal < 100 MB, "
            f"SQLite's 64 MB page cache included): {'met' if growth < 100 else 'NOT MET'}",
            peak_mb=peak(e),
            floor_peak_mb=small["peak_mb"],
        )
    )
    return out


def w_export(data_dir: str, out: str) -> None:
    from app.store import Store
    from app.sync.export import build_export

    store = Store.attach(Path(data_dir))
    try:
        assert store.Session is not None
        with store.Session() as s:
            watch = Stopwatch()
            result = build_export(s, full=True, include_notes=True, include_names=True)
            Path(out).write_bytes(result.data)
            seconds = watch.lap()
    finally:
        store.dispose()
    _emit(seconds=seconds, rows=sum(result.rows.values()), zip_mb=len(result.data) / 1e6)


def w_rawzip(data_dir: str, out: str) -> None:
    """The floor: each exported table's columns straight from sqlite3 through csv.writer into a
    deflated zip member (streamed) of a file: no checks, no conversion of any cell."""
    import csv
    import io
    import sqlite3
    import zipfile

    tables = json.loads(os.environ["KOORDI_BENCH_TABLES"])
    watch = Stopwatch()
    conn = sqlite3.connect(f"file:{data_dir}/koordi.sqlite3?mode=ro", uri=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, columns, _nullable in tables:
            with zf.open(f"{name}.csv", "w") as member, io.TextIOWrapper(member, "utf-8", newline="") as text:
                writer = csv.writer(text)
                writer.writerow(columns)
                cursor = conn.execute(f"SELECT {', '.join(columns)} FROM {name} ORDER BY id")
                while rows := cursor.fetchmany(2000):
                    writer.writerows(rows)
    conn.close()
    _emit(seconds=watch.lap())


def _tables_json() -> str:
    from app.exchange import format as fmt

    return json.dumps([(spec.name, spec.header, [c.name for c in spec.columns if c.nullable]) for spec in fmt.TABLES])


# -- import --------------------------------------------------------------------------------------


def bench_import(res: Results, zip_path: Path, template: Path, runs: int, scratch: Path) -> None:
    def fresh(name: str) -> Path:
        folder = scratch / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        shutil.copy(template, folder / template.name)
        return folder

    i, r = alternate(
        runs,
        lambda: worker("import", str(zip_path), str(fresh("import"))),
        lambda: worker("rawimport", str(zip_path), str(fresh("raw"))),
    )
    ratio_goal = 1.2
    value, floor = med(i), med(r)
    res.add(
        Figure(
            "import into an empty install (bench scale)",
            value,
            floor,
            "raw executemany, same schema",
            f"<= {ratio_goal}x",
            value / floor <= ratio_goal,
            max(x["import_peak"] for x in i),
            peak(r),
            note=f"{i[0]['rows']:,} rows",
            cpu_ratio=med(i, clock="cpu") / med(r, clock="cpu"),
        )
    )
    import_peak = max(x["import_peak"] for x in i)
    res.add(Figure("import: peak memory", import_peak, goal="<= 200 MB", met=import_peak <= 200, unit="MB", note="VmHWM"))
    res.add(Figure("import the same file again", med(i, "again"), note="all unchanged, nothing written"))


def w_import(zip_path: str, folder: str) -> None:
    from app.store import Store
    from app.sync.importer import apply_import, plan_import, read_for_import

    store = Store.attach(Path(folder))
    try:
        assert store.Session is not None
        watch = Stopwatch()
        with store.Session() as s:
            plan = plan_import(s, read_for_import(s, Path(zip_path)))
        assert plan.ok, plan.problems[:3]
        apply_import(store, plan)
        seconds = watch.lap()
        rows = sum(x.created for x in plan.summaries)
        import_peak = _peak_mb()  # before the second import, which reads the file a second time
        del plan
        watch.lap()
        with store.Session() as s:
            again = plan_import(s, read_for_import(s, Path(zip_path)))
        apply_import(store, again)
        again_seconds = watch.lap()
        assert not again.has_changes
    finally:
        store.dispose()
    _emit(seconds=seconds, again=again_seconds, rows=rows, import_peak=import_peak)


def w_rawimport(zip_path: str, folder: str) -> None:
    """The floor: the file's rows read with csv and inserted as they are (text cells, name_key
    folded) with sqlite3's executemany into the same schema, search triggers and all, one
    transaction: no checks, no conversion, no merge."""
    import csv
    import io
    import sqlite3
    import zipfile

    tables = json.loads(os.environ["KOORDI_BENCH_TABLES"])
    derived = {"units": ("name_key", "name"), "trainees": ("name_key", "name")}
    watch = Stopwatch()
    conn = sqlite3.connect(f"{folder}/koordi.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA cache_size=-262144")
    conn.execute("BEGIN IMMEDIATE")
    with zipfile.ZipFile(zip_path) as zf:
        for name, _columns, nullable in tables:
            with zf.open(f"{name}.csv") as member, io.TextIOWrapper(member, "utf-8-sig", newline="") as text:
                reader = csv.reader(text, delimiter=";")
                header = next(reader)
                extra = derived.get(name)
                columns = header + ([extra[0]] if extra else [])
                source = header.index(extra[1]) if extra else 0
                empty_is_null = [column in nullable for column in header]  # text columns hold ""
                sql = f"INSERT OR REPLACE INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
                batch: list = []
                for row in reader:
                    values = [None if cell == "" and null else cell for cell, null in zip(row, empty_is_null)]
                    if extra:
                        values.append(row[source].casefold())
                    batch.append(values)
                    if len(batch) == 5000:
                        conn.executemany(sql, batch)
                        batch = []
                conn.executemany(sql, batch)
    conn.execute("COMMIT")
    conn.close()
    _emit(seconds=watch.lap())


# -- merge ---------------------------------------------------------------------------------------


def bench_merge(res: Results, exports: Path, runs: int, scratch: Path, pg: bool) -> None:
    targets: list[tuple[str, callable]] = [("SQLite", lambda name: str(scratch / f"{name}-{time.monotonic_ns()}.sqlite3"))]
    stop = None
    if pg:
        try:
            from tests.postgres import NoServer, create_database, start_server

            try:
                server, stop = start_server()
                targets.append(("PostgreSQL", lambda _name: create_database(server)))
            except NoServer as exc:
                res.add(Figure("merge into PostgreSQL", None, note=f"not measured: {exc}"))
        except ImportError as exc:
            res.add(Figure("merge into PostgreSQL", None, note=f"not measured: {exc}"))
    try:
        for label, target in targets:
            m, r = alternate(
                runs,
                lambda target=target: worker("merge", target("merge"), str(exports)),
                lambda target=target: worker("rawmerge", target("raw"), str(exports)),
            )
            merge_goal, again_goal = 3.0, 1.3
            # PostgreSQL's work is in its own server process: its figures are always wall time.
            clock = "wall" if label == "PostgreSQL" else None
            read = med(m, "read", clock)
            res.add(Figure(f"{label}: read + check of 60 files", read, peak_mb=peak(m), note=f"{m[0]['rows']:,} rows"))
            res.add(
                Figure(
                    f"{label}: merge 60 exports",
                    med(m, clock=clock),
                    med(r, clock=clock),
                    "raw executemany of the rows",
                    f"<= {merge_goal}x",
                    med(m, clock=clock) / med(r, clock=clock) <= merge_goal,
                    peak(m),
                    peak(r),
                    note="read and check included",
                    cpu_ratio=med(m, clock="cpu") / med(r, clock="cpu") if clock is None else None,
                )
            )
            res.add(
                Figure(
                    f"{label}: merge the same files again",
                    med(m, "again", clock),
                    read,
                    "read + check alone",
                    f"<= {again_goal}x",
                    med(m, "again", clock) / read <= again_goal,
                    cpu_ratio=med(m, "again", "cpu") / med(m, "read", "cpu") if clock is None else None,
                )
            )
    finally:
        if stop is not None:
            stop()


def _sqlite_or_url(target: str) -> str:
    return target if "://" in target else f"sqlite:///{target}"


def w_merge(target: str, exports: str) -> None:
    import merge as merge_bench

    from app.central.merge import merge_files
    from app.central.schema import open_target

    paths = sorted(Path(exports).glob("*.zip"))
    watch = Stopwatch()
    reads = merge_bench.read_all(paths)
    read = watch.lap()
    rows = sum(len(rows) for r in reads for rows in r.tables.values())
    del reads
    engine = open_target(target)
    try:
        watch.lap()
        report = merge_files(engine, paths)
        seconds = watch.lap()
        assert not report.refused
        again = merge_files(engine, paths)
        again_seconds = watch.lap()
        assert all(f.total("created") == f.total("updated") == 0 for f in again.files)
    finally:
        engine.dispose()
    _emit(seconds=seconds, again=again_seconds, read=read, rows=rows)


def w_rawmerge(target: str, exports: str) -> None:
    import merge as merge_bench

    paths = sorted(Path(exports).glob("*.zip"))
    rows = merge_bench.raw_rows(paths, merge_bench.read_all(paths))
    cpu: dict = {}
    wall = merge_bench.raw_executemany(_sqlite_or_url(target), rows, cpu)
    _emit(seconds={"wall": wall, "cpu": cpu["seconds"]})


# -- PDFs and the reports page -------------------------------------------------------------------


def bench_pdf(res: Results, bench: Path, runs: int) -> None:
    out = worker("pdf", str(bench), str(runs))
    for key, label, note in (
        ("pdf", "year report PDF (bench scale), figures kept", out["pages"]),
        ("after_write", "year report PDF, after a guidance session is saved", "the figures any write makes stale read again"),
        ("cold", "year report PDF, first after a start", "a new engine: nothing kept, every statement compiled"),
        ("page", "reports page, whole year (bench scale)", "each the first after a guidance session is saved"),
    ):
        peak = out["peak_mb"] if key == "pdf" else None  # one process made them all
        res.add(Figure(label, out[key], goal="< 1 s", met=out[key] < 1, peak_mb=peak, note=note))


# A write that changes nothing (a guidance session's topics set to what they are) and moves on
# every figure the app keeps that any write makes stale (app.queries.survey_cache).
NO_CHANGE = "UPDATE guidance_sessions SET topics = topics WHERE rowid = (SELECT min(rowid) FROM guidance_sessions)"


def w_pdf(data_dir: str, runs: str) -> None:
    import datetime as dt

    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from app import create_app
    from app.core import periods
    from app.i18n import HELSINKI
    from app.reports import build
    from app.store import DB_NAME
    from app.store.engine import make_engine

    today = dt.datetime.now(HELSINKI).date()
    year = periods.year(today.year)
    engine = make_engine(Path(data_dir) / DB_NAME, read_only=True)
    times = []
    try:
        with Session(engine) as s:
            rendered = build.period_pdf(s, year, "fi", today)  # warm-up: fonts, caches
            for _ in range(int(runs)):
                watch = Stopwatch()
                rendered = build.period_pdf(s, year, "fi", today)
                times.append(watch.lap())
    finally:
        engine.dispose()
    # After a write: the app's one engine, which has kept the survey rounds' scores (a guidance
    # session's save leaves them: app.queries.survey_cache), and NO_CHANGE.
    after_write = []
    engine = make_engine(Path(data_dir) / DB_NAME)
    try:
        with Session(engine) as s:
            build.period_pdf(s, year, "fi", today)
        for _ in range(int(runs)):
            with Session(engine) as s:
                s.execute(text(NO_CHANGE))
                s.commit()
            with Session(engine) as s:
                watch = Stopwatch()
                build.period_pdf(s, year, "fi", today)
                after_write.append(watch.lap())
    finally:
        engine.dispose()
    # The first report after a start: a new engine has none of the figures the app keeps until
    # the data changes, and SQLAlchemy compiles each statement for the first time.
    cold = []
    for _ in range(int(runs)):
        engine = make_engine(Path(data_dir) / DB_NAME, read_only=True)
        try:
            with Session(engine) as s:
                watch = Stopwatch()
                build.period_pdf(s, year, "fi", today)
                cold.append(watch.lap())
        finally:
            engine.dispose()
    app = create_app({"DATA_DIR": Path(data_dir), "ALLOWED_HOSTS": ["localhost"]})
    client = app.test_client()
    client.get("/?token=" + app.config["ACCESS_TOKEN"])
    url = f"/reports?kind=year&year={today.year}"
    page_times = []
    store = app.extensions["koordi.store"]
    try:
        for i in range(int(runs) + 1):
            with store.Session() as s:  # each view the first after a write, as above
                s.execute(text(NO_CHANGE))
                s.commit()
            watch = Stopwatch()
            response = client.get(url)
            response.get_data()
            assert response.status_code == 200, response.status_code
            if i:
                page_times.append(watch.lap())
    finally:
        app.extensions["koordi.store"].dispose()
    clock = os.environ.get("KOORDI_BENCH_CLOCK", "wall")
    _emit(
        pdf=statistics.median(t[clock] for t in times),
        cold=statistics.median(t[clock] for t in cold),
        after_write=statistics.median(t[clock] for t in after_write),
        pages=f"{rendered.pages} pages",
        page=statistics.median(t[clock] for t in page_times),
    )


# -- the run -------------------------------------------------------------------------------------

WORKERS = {
    "pages": w_pages,
    "export": w_export,
    "rawzip": w_rawzip,
    "import": w_import,
    "rawimport": w_rawimport,
    "merge": w_merge,
    "rawmerge": w_rawmerge,
    "pdf": w_pdf,
}


def main() -> int:
    if sys.argv[1:2] == ["--worker"]:
        WORKERS[sys.argv[2]](*sys.argv[3:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-root", type=Path, default=Path("/tmp/koordi-bench-all"))
    parser.add_argument("--runs", type=int, default=2, help="alternating runs of each figure and its floor")
    parser.add_argument("--quick", action="store_true", help="one run each, no window")
    parser.add_argument("--only", default="", help=f"comma-separated: {','.join(SECTIONS)}")
    parser.add_argument("--no-pg", action="store_true", help="merge into SQLite only")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="cpu: compare the processes' CPU time (PostgreSQL merges: always wall)",
    )
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    CLOCK["name"] = args.clock
    os.environ["KOORDI_BENCH_CLOCK"] = args.clock  # the workers' (pages: its clock)
    sections = [s for s in args.only.split(",") if s] or [s for s in SECTIONS if not (args.quick and s == "window")]
    started = time.perf_counter()
    root = args.data_root
    root.mkdir(parents=True, exist_ok=True)
    os.environ["KOORDI_BENCH_TABLES"] = _tables_json()
    normal = demo_data(root, "normal")
    bench = demo_data(root, "bench") if set(sections) & {"pages", "export", "import", "pdf"} else None
    exports = None
    if "merge" in sections:
        exports = merge_exports(root / "merge")
    res = Results()
    print(f"\n{runs} alternating run(s) each, medians of {args.clock} time; peak = VmHWM of the process itself (figure/floor)\n")
    print(HEADER)
    with tempfile.TemporaryDirectory(prefix="koordi-bench-all-") as tmp:
        scratch = Path(tmp)
        if "startup" in sections:
            bench_startup(res, normal, max(runs, 5))
        if "window" in sections:
            bench_window(res, normal, runs)
        if "pages" in sections:
            assert bench is not None
            bench_pages(res, bench, runs)
        zip_path = None
        if "export" in sections or "import" in sections:
            assert bench is not None
            zip_path = bench_export(res, normal, bench, runs, scratch) if "export" in sections else None
            if zip_path is None:
                zip_path = scratch / "bench-everything.zip"
                worker("export", str(bench), str(zip_path))
        if "import" in sections:
            assert zip_path is not None
            bench_import(res, zip_path, empty_template(scratch), runs, scratch)
        if "merge" in sections:
            assert exports is not None
            bench_merge(res, exports, runs, scratch, not args.no_pg)
        if "pdf" in sections:
            assert bench is not None
            bench_pdf(res, bench, max(runs, 3))
    met = [f for f in res.figures if f.met is not None]
    print(f"\ngoals met: {sum(f.met for f in met)} of {len(met)}; {time.perf_counter() - started:.0f} s in all")
    for f in met:
        if not f.met:
            print(f"  not met: {f.label} ({_fmt(f.value, f.unit)}, goal {f.goal})")
    if args.json:
        args.json.write_text(json.dumps([asdict(f) for f in res.figures], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
