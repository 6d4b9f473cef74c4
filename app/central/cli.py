"""`koordi central`: the central office's own Koordi, and its reporting table.

    koordi central [--db TARGET] [--data-dir D]           the office's window (no display: serve)
    koordi central serve [--db TARGET] [--port N] [--data-dir D]
    koordi central reporting [--db TARGET] [--from YYYY-MM --to YYYY-MM] [--format table|csv]

TARGET is the merged database (an SQLite file or postgresql://…), as `koordi merge --into`
takes it. Given once, it is remembered for the next start (app.central.remember, in
<data folder>/central/office.json); the office's window has its own lock and logs there, so
a coordinator's Koordi can run beside it on the same laptop.
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from app import i18n
from app.central import completeness as C
from app.central import remember
from app.central.reporting import Filters, reporting_grid
from app.central.schema import TargetError, describe_target_error, is_url, open_target, reason_of, shown
from app.cli.common import (
    KoordiError,
    _,
    _l,
    cli_language,
    data_dir_option,
    has_display,
    hold_lock,
    option,
    resolve_data_dir,
)
from app.core import csvfmt
from app.core.clock import today
from app.core.geography import AREA_BY_KEY, area_name, county_name

db_option = option(
    "--db",
    "db",
    default=None,
    metavar="TARGET",
    help=_l(
        "The merged database: an SQLite file or a URL such as postgresql://user@host/database (default: the one given last time)."
    ),
)


def _folder(data_dir: Path | None) -> Path:
    try:
        return remember.office_folder(resolve_data_dir(data_dir))
    except OSError as exc:
        raise KoordiError(_("Cannot use the data folder %(path)s: %(reason)s", path=str(data_dir), reason=exc.strerror)) from exc


def _target(db: str | None, folder: Path) -> str:
    """--db, else the one remembered; remembered anew when given."""
    if db:
        return db
    known = remember.load(folder).get("target")
    if not known:
        raise KoordiError(
            _(
                "Which merged database? Give it once with --db (an SQLite file, e.g. kansallinen.sqlite3, "
                "or a postgresql:// address); Koordi remembers it for the next start."
            )
        )
    return known


def _keep(folder: Path, target: str) -> None:
    try:
        remember.remember(folder, target=target)
    except OSError:
        pass  # remembering only saves typing next time


def _check(target: str, *, must_exist: bool = False) -> None:
    """The target opens (an older one is upgraded), or one sentence says why."""
    if must_exist and not is_url(target) and not Path(target).expanduser().is_file():
        raise KoordiError(describe_target_error(TargetError(TargetError.NOT_FOUND, target=target), _))
    try:
        open_target(target).dispose()
    except TargetError as exc:
        raise KoordiError(describe_target_error(exc, _)) from exc


def _factory(target: str):
    def make(config: dict):
        from app.central.app import create_central_app

        return create_central_app(target, config)

    return make


@click.group(
    "central",
    invoke_without_command=True,
    help=_l("The central office's Koordi: who has reported, the national picture, merging files."),
)
@db_option
@data_dir_option
@click.pass_context
def central(ctx: click.Context, db: str | None, data_dir: Path | None) -> None:
    if ctx.invoked_subcommand is not None:
        return
    if not has_display():
        ctx.invoke(serve, db=db, port=0, data_dir=data_dir)
        return
    folder = _folder(data_dir)
    try:
        target = _target(db, folder)
        _check(target)
    except KoordiError as exc:
        from app import desktop

        desktop.show_message(_("Error: %(message)s", message=exc.format_message()))  # a windowed build has no console
        raise
    _keep(folder, target)
    from app import desktop

    sys.exit(desktop.run(folder, factory=_factory(target), title=_("Koordi central office")))


@central.command("serve", help=_l("Serve the office's Koordi on 127.0.0.1 without a window; print the address to open."))
@db_option
@option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help=_l("0 picks a free port."))
@data_dir_option
def serve(db: str | None, port: int, data_dir: Path | None) -> None:
    from app.central.app import create_central_app, dispose
    from app.server import LocalServer

    folder = _folder(data_dir)
    target = _target(db, folder)
    lock = hold_lock(folder)
    server = app = None
    try:
        try:
            app = create_central_app(target, {"DATA_DIR": folder})
        except TargetError as exc:
            raise KoordiError(describe_target_error(exc, _)) from exc
        _keep(folder, target)
        try:
            server = LocalServer(app, port)
        except OSError as exc:
            raise KoordiError(_("Cannot listen on port %(port)s: %(reason)s", port=port, reason=exc.strerror)) from exc
        app.config["ON_QUIT_REQUEST"] = server.request_stop
        lock.publish(server.launch_url, app.config["ACCESS_TOKEN"], window=False)
        click.echo(server.launch_url)
        sys.stdout.flush()
        signal.signal(signal.SIGTERM, _stop)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.close()
        if app is not None:
            dispose(app)
        lock.release()


def _stop(_signum, _frame):
    raise KeyboardInterrupt


HEADER = ["coordinator", "county", "area", "period", "status", "declared", "file", "exported_at"]


@central.command(
    "reporting",
    help=_l(
        "One row per coordinator and period: status (on_time, late, gap, missing, open, not_expected), "
        "the first file that covered the period and when it was made."
    ),
)
@db_option
@option("--from", "first", default=None, metavar="YYYY-MM", help=_l("First month (default: twelve periods back)."))
@option("--to", "last", default=None, metavar="YYYY-MM", help=_l("Last month (default: the current one)."))
@option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv"]),
    default="table",
    show_default=True,
    help=_l("csv: Koordi's CSV dialect."),
)
@data_dir_option
def reporting(db: str | None, first: str | None, last: str | None, fmt: str, data_dir: Path | None) -> None:
    start, end = _month("--from", first), _month("--to", last)
    if start and end and end < start:
        raise KoordiError(_("--to (%(end)s) is before --from (%(start)s).", start=first, end=last))
    folder = _folder(data_dir)
    target = _target(db, folder)
    _check(target, must_exist=True)
    _keep(folder, target)
    engine = open_target(target)
    try:
        with engine.connect() as conn:
            grid = reporting_grid(conn, today(), Filters(first=start, last=end))
    except SQLAlchemyError as exc:
        raise KoordiError(
            _("Cannot read the database %(target)s: %(reason)s", target=shown(target), reason=reason_of(exc))
        ) from exc
    finally:
        engine.dispose()
    if fmt == "csv":
        click.echo(csvfmt.write_csv(HEADER, list(_rows(grid, iso=True))).decode("utf-8"), nl=False)
        return
    rows = list(_rows(grid, iso=False))
    _table([_("Coordinator"), _("County"), _("Area"), _("Period"), _("Status"), _("Declared"), _("File"), _("Made")], rows)


def _month(option: str, value: str | None):
    if value is None:
        return None
    month = C.parse_month(value)
    if month is None:
        raise KoordiError(_("%(option)s: %(value)s is not a month; write it as YYYY-MM.", option=option, value=value))
    return month


def _rows(grid: C.Grid, iso: bool):
    """The CSV has the export time as ISO UTC (for a program); the table on Helsinki's wall."""
    lang = cli_language()
    for row in grid.rows:
        p = row.person
        area = area_name(p.area, lang) if p.area in AREA_BY_KEY else p.area
        for c in row.cells:
            made = ""
            if c.file is not None:
                at = c.file.exported_at.replace(tzinfo=dt.UTC)
                made = at.strftime("%Y-%m-%dT%H:%M:%SZ") if iso else i18n.format_local_datetime(at, lang)
            yield [
                p.name,
                county_name(p.county, lang),
                area,
                c.period.key,
                c.status,
                "1" if c.declared else "0",
                c.file.file_name if c.file else "",
                made,
            ]


def _table(header: list[str], rows: list[list[str]]) -> None:
    table = [header, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for r in table:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip())
