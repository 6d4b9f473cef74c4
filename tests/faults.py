"""kill -9 trials against a real `koordi serve` (issue 11): start it, write over HTTP as the
window would, kill it at a random moment, start it again, and check what a coordinator relies on:

- every acknowledged write (the form's 302) is there after the restart, in every later trial too;
- `PRAGMA integrity_check` says ok;
- the restart needs no help: it serves the app, not the recovery page, and prints no error;
- no unfinished backup (*.part) is left behind once it has started.

Some writes are backups (POST /backups), so kills land inside a backup's copy as well; some
trials kill the restart itself while it starts (opening, checking, the start-up backup).

tests/test_faults.py runs a few trials in the suite; bench/faults.py runs many and prints the figures.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PROFILE = {
    "name": "Testi Koordinaattori",
    "role": "therapy",
    "county": "lansi-uusimaa",
    "central_office_email": "keskus@example.org",
}
UNIT = {"service_line": "health_station", "age_group": "adults", "status": "active", "municipality": "Testilä"}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Tally:
    trials: int = 0
    acknowledged: int = 0  # writes that got their 302
    lost: int = 0  # acknowledged writes missing after a restart
    integrity_failures: int = 0
    restarts_needing_help: int = 0  # no URL, an error printed, or the recovery page
    parts_left: int = 0  # *.part files found after a restart had started
    kills_during_start: int = 0
    start_seconds: list[float] = field(default_factory=list)  # each restart, Popen to its printed address
    problems: list[str] = field(default_factory=list)

    def ok(self) -> bool:
        return not (self.lost or self.integrity_failures or self.restarts_needing_help or self.parts_left)


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "KOORDI_DATA_DIR")}
    e.update({"PYTHONUNBUFFERED": "1", "KOORDI_LANG": "en"})
    return e


class Server:
    """One `koordi serve` process and a session on it (token login, CSRF token)."""

    def __init__(self, data_dir: Path, timeout: float = 60):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--data-dir", str(data_dir)],
            cwd=ROOT,
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.url = self._read_url(timeout)
        self.cookie = ""
        self.csrf = ""

    def _read_url(self, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith("http://"):
                return line.strip()
            if not line and self.proc.poll() is not None:
                return None
        return None

    @property
    def port(self) -> int:
        return int(re.match(r"http://127\.0\.0\.1:(\d+)/", self.url).group(1))

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            headers = {"Host": f"127.0.0.1:{self.port}", "Cookie": self.cookie}
            body = None
            if fields is not None:
                body = urlencode({**fields, "csrf_token": self.csrf})
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            html = resp.read().decode("utf-8", "replace")
            for value in resp.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookie = f"{name}={morsel.value}"
            return resp.status, resp.headers.get("Location", ""), html
        finally:
            conn.close()

    def login(self) -> str:
        """Log in with the launch token; where the app then sends the coordinator."""
        token = self.url.split("?token=", 1)[1]
        self.request("GET", f"/?token={token}")
        status, location, html = self.request("GET", "/")
        if status == 302 and location.endswith("/setup"):
            status, location, html = self.request("GET", "/setup")
        m = CSRF.search(html) or CSRF.search(self.request("GET", "/about")[2])
        self.csrf = m.group(1) if m else ""
        return location or "/"

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.close_pipes()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.close_pipes()

    def stderr(self) -> str:
        return self.proc.stderr.read() if self.proc.poll() is not None else ""

    def close_pipes(self) -> None:
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe:
                pipe.close()


def _writer(
    server: Server, names: list[str], acknowledged: set[str], lock: threading.Lock, stop: threading.Event, rng: random.Random
) -> None:
    """POST units (and now and then a backup) until stopped or the server is gone."""
    while not stop.is_set():
        try:
            if rng.random() < 0.1:
                server.request("POST", "/backups", {})
                continue
            with lock:
                name = f"Vikayksikkö {len(names) + 1}"
                names.append(name)
            status, _, _ = server.request("POST", "/units/new", {**UNIT, "name": name})
        except (OSError, http.client.HTTPException):
            return  # killed mid-request: not acknowledged
        if status == 302:
            with lock:
                acknowledged.add(name)


def _check(data_dir: Path, acknowledged: set[str], tally: Tally) -> None:
    conn = sqlite3.connect(f"{(data_dir / 'koordi.sqlite3').as_uri()}?mode=ro", uri=True)
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            tally.integrity_failures += 1
            tally.problems.append(f"trial {tally.trials}: integrity_check: {result[:3]}")
        present = {r[0] for r in conn.execute("SELECT name FROM units")}
    finally:
        conn.close()
    missing = acknowledged - present
    if missing:
        tally.lost += len(missing)
        tally.problems.append(f"trial {tally.trials}: lost {sorted(missing)[:5]}")
        acknowledged -= missing  # counted once
    parts = sorted(p.name for p in data_dir.rglob("*.part"))
    if parts:
        tally.parts_left += len(parts)
        tally.problems.append(f"trial {tally.trials}: unfinished files left: {parts}")


def _restart(data_dir: Path, tally: Tally) -> Server | None:
    started = time.monotonic()
    server = Server(data_dir)
    tally.start_seconds.append(time.monotonic() - started)
    if server.url is None:
        tally.restarts_needing_help += 1
        tally.problems.append(f"trial {tally.trials}: the restart did not start: {server.stderr()[-500:]}")
        server.stop()
        return None
    if server.login().endswith("/recovery"):
        tally.restarts_needing_help += 1
        tally.problems.append(f"trial {tally.trials}: the restart opened the recovery page")
        server.stop()
        return None
    return server


def run_trials(
    data_dir: Path, trials: int, seed: int = 1, max_write_s: float = 0.6, start_kill_every: int = 6, progress=None
) -> Tally:
    """Trials on one data folder; each restart is the next trial's running server."""
    rng = random.Random(seed)
    tally = Tally()
    acknowledged: set[str] = set()
    names: list[str] = []
    data_dir.mkdir(parents=True, exist_ok=True)
    server = Server(data_dir)
    if server.url is None:
        raise RuntimeError(f"koordi serve did not start: {server.stderr()}")
    server.login()
    status, _, html = server.request("POST", "/setup", PROFILE)
    if status != 302:
        server.stop()
        raise RuntimeError(f"profile setup failed: {status} {html[:500]}")
    server.login()
    try:
        for n in range(trials):
            tally.trials = n + 1
            lock, stop = threading.Lock(), threading.Event()
            writers = [
                threading.Thread(target=_writer, args=(server, names, acknowledged, lock, stop, random.Random(rng.random())))
                for _ in range(2)
            ]
            for w in writers:
                w.start()
            time.sleep(rng.uniform(0.02, max_write_s))
            server.kill()  # kill -9: no handler runs, nothing is flushed or closed
            stop.set()
            for w in writers:
                w.join(30)
            if start_kill_every and n % start_kill_every == start_kill_every - 1:
                # The next start killed while it opens, checks and backs up the data.
                starting = subprocess.Popen(
                    [sys.executable, "-m", "app", "serve", "--data-dir", str(data_dir)],
                    cwd=ROOT,
                    env=env(),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                time.sleep(rng.uniform(0.3, 2.5))
                starting.kill()
                starting.wait()
                tally.kills_during_start += 1
            server = _restart(data_dir, tally)
            if server is None:
                break  # a data folder that needs help: the figures stop here
            tally.acknowledged = len(acknowledged) + tally.lost
            _check(data_dir, acknowledged, tally)
            if progress is not None:
                progress(tally)
    finally:
        if server is not None:
            server.stop()
    tally.acknowledged = len(acknowledged) + tally.lost
    return tally
