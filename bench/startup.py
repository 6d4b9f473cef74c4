"""Start-up time: process start to the first HTTP 200 of the dashboard, with the token.

    .venv/bin/python bench/startup.py [--runs 5]      (after python3 build/dev.py test or run)

Measures `koordi serve` from source (the installed console script; `python -m app serve`
without it) and, if dist/Koordi exists (python3
build/dev.py bundle), the bundle's `koordi-cli serve`: each on an existing data
folder (the everyday start) and on an empty one (the first start: database created
and migrated). Prints the median (and min-max) of N runs after one warm-up run,
and the bundle's size. Not a test: the figures depend on the machine.

--window: the window's first paint too: `koordi` (Qt WebEngine) under a private Xvfb,
from launch to the page's load event (Koordi logs "window loaded"), beside an empty pywebview
window (bench/bare.py window), alternately. bench/all.py has both with their floors.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "Koordi"
EXE = ".exe" if os.name == "nt" else ""


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "KOORDI_DATA_DIR")}
    e.update({"PYTHONUNBUFFERED": "1", "KOORDI_LANG": "en"})
    return e


def one_start(command: list[str], data_dir: Path) -> float:
    """Seconds from Popen to the dashboard's (or first-run page's) 200."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "--data-dir", str(data_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), cwd=ROOT
    )
    try:
        url = proc.stdout.readline().strip()
        if not url.startswith("http://"):
            proc.wait(10)
            raise RuntimeError(f"{command[0]} printed no URL: {url!r} {proc.stderr.read()[-2000:]}")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with opener.open(url, timeout=60) as response:  # ?token= -> cookie -> redirect -> 200
            response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}")
        return time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure(command: list[str], runs: int, fresh: bool) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="koordi-bench-") as tmp:
        existing = Path(tmp) / "existing"
        one_start(command, existing)  # warm-up; creates the database the everyday runs reuse
        times = []
        for i in range(runs):
            data = Path(tmp) / f"fresh{i}" if fresh else existing
            times.append(one_start(command, data))
        return times


def window(runs: int) -> None:
    import all as figures  # bench/all.py: the same measurement, kept in one place

    started = figures._xvfb()
    if started is None:
        print("(no Xvfb: the window is not measured)")
        return
    display, xvfb = started
    try:
        with tempfile.TemporaryDirectory(prefix="koordi-bench-window-") as tmp:
            data = Path(tmp) / "data"
            koordi = [*figures.koordi_command(), "--data-dir", str(data)]
            bare = [sys.executable, str(ROOT / "bench" / "bare.py"), "window"]
            log = data / "logs" / "koordi.log"
            figures._window_once(koordi, log, display)  # warm-up: the database made
            k, b = figures.alternate(
                runs, lambda: figures._window_once(koordi, log, display), lambda: figures._window_once(bare, None, display)
            )
            print(f"window: launch to the page's load event, median of {runs}: Koordi {statistics.median(k):.2f} s, ", end="")
            print(f"an empty pywebview window {statistics.median(b):.2f} s")
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--window", action="store_true", help="also the window's launch to its page's load event")
    args = parser.parse_args()
    if args.window:
        window(args.runs)

    import all as figures

    variants = [("source: koordi serve", [*figures.koordi_command(), "serve"])]
    cli = BUNDLE / ("koordi-cli" + EXE)
    if cli.exists():
        variants.append(("bundle: koordi-cli serve", [str(cli), "serve"]))
    else:
        print(f"(no bundle at {BUNDLE.relative_to(ROOT)}: python3 build/dev.py bundle)")

    print(f"start-up to the first 200 with the token, median of {args.runs} (min-max), after one warm-up:")
    for name, command in variants:
        for label, fresh in (("existing data", False), ("first start  ", True)):
            t = measure(command, args.runs, fresh)
            print(f"  {name:30} {label}  {statistics.median(t):6.2f} s  ({min(t):.2f}-{max(t):.2f})", flush=True)
    if BUNDLE.exists():
        files = sum(1 for p in BUNDLE.rglob("*") if p.is_file())
        print(f"bundle size: {tree_size(BUNDLE) / 2**20:.0f} MiB in {files} files ({BUNDLE.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
