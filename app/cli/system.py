"""The commands of the install itself: koordi serve | window | check | backup | restore | demo.

Every command calls the same operations as the UI; nothing here is a second
implementation. Failures are one translated sentence and a non-zero exit, never
a traceback.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from app import i18n
from app.cli.common import KoordiError, _, _l, cli_language, data_dir_option, hold_lock, option, resolve_data_dir
from app.store import DiskFull, StoreError
from app.store.disk import folder_problem
from app.store.files import inspect_file


def _create_app(data_dir: Path, **config):
    from app import create_app

    try:
        return create_app({"DATA_DIR": data_dir, **config})
    except StoreError as exc:
        raise KoordiError(exc.describe(_)) from exc


@click.command(help=_l("Serve on 127.0.0.1 without a window; print the address to open."))
@option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help=_l("0 picks a free port."))
@data_dir_option
def serve(port: int, data_dir: Path | None) -> None:
    """Serve on 127.0.0.1 without a window; print the address to open."""
    folder = resolve_data_dir(data_dir)
    lock = hold_lock(folder)
    server = None
    app = None
    try:
        app = _create_app(folder)
        # After the app: create_app imports Flask while SQLite checks the file (app.store.files).
        from app.server import LocalServer

        try:
            server = LocalServer(app, port)
        except OSError as exc:
            raise KoordiError(_("Cannot listen on port %(port)s: %(reason)s", port=port, reason=exc.strerror)) from exc
        app.config["ON_QUIT_REQUEST"] = server.request_stop  # the pages' "Close Koordi"
        lock.publish(server.launch_url, app.config["ACCESS_TOKEN"], window=False)
        click.echo(server.launch_url)
        sys.stdout.flush()
        signal.signal(signal.SIGTERM, _stop)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        from app.server import shut_down

        shut_down(app, server)
        lock.release()


def _stop(_signum, _frame):
    raise KeyboardInterrupt


@click.command(help=_l("Open Koordi in its own window."))
@data_dir_option
def window(data_dir: Path | None) -> None:
    """Open Koordi in its own window."""
    from app import desktop

    sys.exit(desktop.run(resolve_data_dir(data_dir)))


@click.command(help=_l("Check the database's integrity and schema version (exit 0 ok, 1 not)."))
@data_dir_option
def check(data_dir: Path | None) -> None:
    """Check the database's integrity and schema version (exit 0 ok, 1 not)."""
    from app.store import migrate  # SQLAlchemy: imported by the commands that use it, not by `koordi window`

    folder = resolve_data_dir(data_dir)
    db = folder / "koordi.sqlite3"
    if not db.exists():
        click.echo(_("No database yet in %(path)s: it is created at the first start.", path=str(folder)))
        return
    state = inspect_file(db, full=True)
    _refuse_a_full_disk(folder, state)
    head = migrate.head()
    click.echo(_("Database: %(path)s", path=str(db)))
    click.echo(_("Integrity: %(result)s", result=state.detail))
    if not state.ok:
        raise SystemExit(1)
    click.echo(_("Schema version: %(revision)s (this app: %(head)s)", revision=state.revision or "-", head=head))
    if state.revision and not migrate.is_known(state.revision):
        click.echo(_("The database is newer than this app. Install the newer Koordi."), err=True)
        raise SystemExit(1)
    if state.folder is not None:  # the data is fine; Koordi cannot start on it where it is
        click.echo(_("Error: %(message)s", message=state.folder.describe(_)), err=True)
        raise SystemExit(1)
    if state.revision != head:
        click.echo(_("The database will be upgraded at the next start, after a backup."))


def _refuse_a_full_disk(folder: Path, state) -> None:
    """A file that cannot even be read because the disk is full (SQLite needs room for its
    shared-memory file) says so, rather than blaming the data's integrity."""
    if not state.ok and isinstance(state.folder, DiskFull):
        raise KoordiError(state.folder.describe(_))


@click.command(help=_l("Take a backup now (safe while Koordi is open)."))
@data_dir_option
def backup(data_dir: Path | None) -> None:
    """Take a backup now (safe while Koordi is open)."""
    from app.store import backups

    folder = resolve_data_dir(data_dir)
    db = folder / "koordi.sqlite3"
    if not db.exists():
        raise KoordiError(_("No database in %(path)s to back up.", path=str(folder)))
    trouble = folder_problem(folder)  # a read-only or full folder: the data is not to blame
    if trouble is not None:
        raise KoordiError(trouble.describe(_))
    state = inspect_file(db)
    if state.folder is not None:
        raise KoordiError(state.folder.describe(_))
    if not state.ok:
        raise KoordiError(_("The database in %(path)s fails its integrity check; it cannot be backed up.", path=str(folder)))
    try:
        taken = backups.take_backup(db, folder / "backups", "manual")
    except StoreError as exc:  # the disk filled up during the copy: nothing of it is left
        raise KoordiError(exc.describe(_)) from exc
    click.echo(str(taken.path))


@click.command(help=_l("Replace the data with a backup FILE (the current data is backed up first)."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@data_dir_option
def restore(file: Path, data_dir: Path | None) -> None:
    """Replace the data with a backup FILE (the current data is backed up first)."""
    from app.store import restore_file

    folder = resolve_data_dir(data_dir)
    lock = hold_lock(folder)  # never under a running Koordi
    try:
        restore_file(folder, file)
    except StoreError as exc:
        raise KoordiError(exc.describe(_)) from exc
    finally:
        lock.release()
    click.echo(_("Restored from %(name)s.", name=str(file)))


@click.command(help=_l("Fill an empty data folder with fictional demo data."))
@option(
    "--scale",
    type=click.Choice(["normal", "bench"]),
    default="normal",
    show_default=True,
    help=_l("normal: one coordinator's two years; bench: 500 units, 20 000 events, 100 000 sessions."),
)
@option("--seed", type=int, default=1, show_default=True, help=_l("The same seed gives the same data."))
@data_dir_option
def demo(scale: str, seed: int, data_dir: Path | None) -> None:
    """Fill an empty data folder with fictional demo data."""
    import time

    from app import demo as demo_data
    from app.store import DB_NAME, Store

    folder = resolve_data_dir(data_dir)
    lock = hold_lock(folder)  # never under a running Koordi
    store = None
    try:
        # Refused before the store opens it: opening could upgrade or back up, and a refusal changes nothing.
        if demo_data.existing_records(folder / DB_NAME):
            raise demo_data.NotEmpty(1)
        started = time.perf_counter()
        store = Store.open(folder)
        summary = demo_data.fill(store, scale, seed)
        seconds = time.perf_counter() - started
    except StoreError as exc:
        raise KoordiError(exc.describe(_)) from exc
    except demo_data.NotEmpty as exc:
        raise KoordiError(
            _(
                "The data folder %(path)s already has records. Demo data goes only into an empty data folder; "
                "nothing was changed.",
                path=str(folder),
            )
        ) from exc
    except demo_data.NoMethods as exc:
        raise KoordiError(_("Every method in the catalogue is deleted or retired; demo data needs at least one method.")) from exc
    finally:
        if store is not None:
            store.dispose()
        lock.release()
    lang = cli_language()

    def number(n: int) -> str:
        return i18n.format_number(n, lang, 0)  # "20 000", as Finnish and Swedish write it

    click.echo(
        _(
            "Demo data added to %(path)s in %(seconds)s s: %(units)s units, %(events)s events, %(trainees)s trainees, "
            "%(sessions)s guidance sessions, %(goals)s goals.",
            path=str(folder),
            seconds=i18n.format_number(seconds, lang, 1),
            units=number(summary.units),
            events=number(summary.events),
            trainees=number(summary.trainees),
            sessions=number(summary.sessions),
            goals=number(summary.goals),
        )
    )
