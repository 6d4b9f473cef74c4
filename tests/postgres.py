"""A real, throwaway PostgreSQL server for the tests of `koordi merge --into postgresql://…`.

    postgres_server (session): initdb into a temporary folder, pg_ctl start on 127.0.0.1 and a
    free port (trust authentication for the test user, no fsync: it is thrown away), stopped
    and deleted at the end of the session.
    pg_url (function): a new, empty database on that server for one test; its URL.

Debian's `postgresql` package (build/apt-packages.txt) puts the binaries in
/usr/lib/postgresql/<version>/bin. PostgreSQL refuses to run as root, so as root (CI)
the server runs as the `postgres` system user, in a folder that user owns. Missing
binaries fail the tests that need them with a clear message: never a silent skip.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

USER = "koordi_test"


def _binaries() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    which = shutil.which("pg_ctl")
    return Path(which).resolve().parent if which else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"


class NoServer(RuntimeError):
    """PostgreSQL could not be started; the message says why."""


def start_server() -> tuple[Server, callable]:
    """A running throwaway server and the function that stops and deletes it (bench/merge.py uses it too)."""
    bin_dir = _binaries()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        raise NoServer(
            "PostgreSQL's initdb and pg_ctl were not found (looked in /usr/lib/postgresql/*/bin and PATH): "
            "install the Debian package postgresql (build/apt-packages.txt; `python3 build/dev.py test` "
            "does it as root)"
        )
    prefix: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="koordi-pg-"))
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder, ignore_errors=True)
            raise NoServer(
                "running as root, and there is no `postgres` system user to run PostgreSQL as (it refuses root)"
            ) from None
        os.chown(folder, account.pw_uid, account.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    log = folder / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        result = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise NoServer(f"{Path(args[0]).name} failed: {result.stderr or result.stdout}\n{tail}")

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale", "-N")
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    )
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start")

    def stop() -> None:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60
        )
        shutil.rmtree(folder, ignore_errors=True)

    return Server(port, folder), stop


def create_database(server: Server) -> str:
    """A new, empty database on the server; its URL."""
    import psycopg

    name = f"merge_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"host=127.0.0.1 port={server.port} user={USER} dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.url(name)


@pytest.fixture(scope="session")
def postgres_server():
    try:
        server, stop = start_server()
    except NoServer as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        stop()


@pytest.fixture
def pg_url(postgres_server):
    """pg_url() -> the URL of a new, empty database (each call another one)."""
    return lambda: create_database(postgres_server)
