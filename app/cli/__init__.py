"""koordi — the command line's root group.

    koordi [--data-dir D]              the window (or, with no display, serve)
    koordi serve | window | check | backup | restore | demo     app.cli.system
    koordi export | import                                     app.sync.cli
    koordi report …                                            app.reports.cli
    koordi merge                                               app.central.merge_cli
    koordi central [serve | reporting]                         app.central.cli

The root imports no command module: each is loaded when its name is invoked (click's
documented LazyGroup pattern), so `koordi serve` never loads reportlab or the central
office's code, and command modules can import app.cli.common without a cycle.
"""

from __future__ import annotations

import logging
import sys
from typing import cast

import click

from app import gcpause
from app.cli.common import LazyGroup, LazyHelpOption, _, _l, data_dir_option, has_display
from app.version import __version__

# name -> "module:attribute"; the order is the order of `koordi --help`.
COMMANDS = {
    "serve": "app.cli.system:serve",
    "window": "app.cli.system:window",
    "check": "app.cli.system:check",
    "backup": "app.cli.system:backup",
    "restore": "app.cli.system:restore",
    "demo": "app.cli.system:demo",
    "export": "app.sync.cli:export_command",
    "import": "app.sync.cli:import_command",
    "report": "app.reports.cli:report",
    "merge": "app.central.merge_cli:merge_command",
    "central": "app.central.cli:central",
    "results": "app.surveys.results_cli:results",
    "survey": "app.surveys.cli:survey",
}


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_l("Koordi: the desktop app of Terapiat etulinjaan coordinators."),
)
@data_dir_option
@click.version_option(
    package_name=None,
    version=__version__,
    prog_name="Koordi",
    # In the CLI's language ("Koordi, versio 0.1.0"), looked up when it is printed.
    message=cast(str, _l("%(prog)s, version %(version)s")),  # a lazy text: click formats it with %
    help=_l("Show the version and exit."),
    cls=LazyHelpOption,
)
@click.pass_context
def cli(ctx: click.Context, data_dir) -> None:
    """Koordi: the desktop app of Terapiat etulinjaan coordinators."""
    if ctx.invoked_subcommand not in (None, "serve", "window"):
        gcpause.resume()  # only a server's start waits for its first page (app.gcpause)
    if ctx.invoked_subcommand is None:
        command = cli.get_command(ctx, "window" if has_display() else "serve")
        assert command is not None  # both are commands of the group
        ctx.invoke(command, data_dir=data_dir)


def main() -> None:
    gcpause.pause()
    try:
        cli(prog_name="koordi")
    except Exception as exc:  # the last line of defence: a sentence and the log, never a traceback
        from app import logs

        if logging.getLogger().handlers:  # with none, logging's last resort would print the traceback
            logging.getLogger(__name__).exception("unexpected error in the command line")
        path = logs.written()
        if path is not None:
            message = _("something unexpected happened; see the log file %(path)s.", path=str(path))
        else:  # no log file, or one that could not be written (a full disk): the reason itself
            message = _("something unexpected happened: %(reason)s", reason=str(exc) or type(exc).__name__)
        click.echo(_("Error: %(message)s", message=message), err=True)
        sys.exit(1)
