"""Smoke test of a built bundle, with the standard library only (the Windows workflow runs it).

    python build/smoke_bundle.py [dist/Koordi]

1. `koordi-cli serve` on an empty data folder: the printed address (with its one-launch
   token) answers 200 with a Finnish page, after the token has become a cookie;
2. `koordi-cli demo`, then `koordi-cli report period`: a PDF of several pages' worth;
3. `koordi-cli check`: exit 0.
Prints each step and exits 1 at the first failure. tests/test_bundle.py checks much more,
on Linux; this is what a Windows runner can show without a browser.
"""

from __future__ import annotations

import http.cookiejar
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = ".exe" if os.name == "nt" else ""
START_TIMEOUT = 120  # a first start on Windows waits for the antivirus to scan every file


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("KOORDI_DATA_DIR", "KOORDI_LANG", "DISPLAY", "WAYLAND_DISPLAY")}
    e["PYTHONUNBUFFERED"] = "1"
    return e


def step(message: str) -> None:
    print(f"smoke: {message}", flush=True)


def run(cli: Path, *args: str) -> str:
    command = [str(cli), *args]
    done = subprocess.run(command, env=env(), capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"smoke: FAILED: koordi-cli {' '.join(args)} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def serve(cli: Path, data: Path) -> None:
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(cli), "serve", "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env(),
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    try:
        url = ""
        while not url.startswith("http://"):
            url = proc.stdout.readline().strip()
            if not url and proc.poll() is not None:
                raise SystemExit(f"smoke: FAILED: serve exited {proc.returncode}: {proc.stderr.read()}")
            if time.monotonic() - started > START_TIMEOUT:
                raise SystemExit("smoke: FAILED: serve printed no address in time")
        if "?token=" not in url:
            raise SystemExit(f"smoke: FAILED: the address has no token: {url}")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with opener.open(url, timeout=60) as response:  # ?token= -> session cookie -> redirect -> 200
            status, page = response.status, response.read().decode("utf-8")
        if status != 200 or '<html lang="fi"' not in page:
            raise SystemExit(f"smoke: FAILED: {status} from {url}: {page[:500]}")
        step(f"serve: 200 from the token address in {time.monotonic() - started:.1f} s")
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: list[str]) -> int:
    bundle = Path(argv[0]) if argv else ROOT / "dist" / "Koordi"
    cli = bundle / ("koordi-cli" + EXE)
    if not cli.is_file():
        raise SystemExit(f"smoke: FAILED: no {cli}")
    with tempfile.TemporaryDirectory(prefix="koordi-smoke-", ignore_cleanup_errors=True) as tmp:
        serve(cli, Path(tmp) / "served")
        data = Path(tmp) / "demo"
        step("demo: " + run(cli, "demo", "--data-dir", str(data)).strip())
        pdf = Path(tmp) / "period.pdf"
        step("report period: " + run(cli, "report", "period", "--out", str(pdf), "--data-dir", str(data)).strip())
        head = pdf.read_bytes()[:5] if pdf.is_file() else b""
        if head != b"%PDF-" or pdf.stat().st_size < 10_000:
            raise SystemExit(f"smoke: FAILED: {pdf} is not a PDF of a report")
        run(cli, "check", "--data-dir", str(data))
        step("check: exit 0")
    step("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
