"""What every `koordi` command shares: the language of its messages, its one-sentence error,
the data folder option, the single-instance lock and the YYYY-MM-DD option parser.

Feature command modules (app.sync.cli, app.reports.cli, app.central.cli…) import this module;
the root group (app.cli) imports none of them, so there is no cycle between the CLI and the
features.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, overload

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types
from babel.support import LazyProxy

from app import i18n, paths
from app.diskio import free_name, write_file
from app.store import DB_NAME
from app.store.disk import problem
from app.store.errors import AlreadyRunning, StoreError
from app.store.lock import InstanceLock, running_instance

if TYPE_CHECKING:
    from app.store import Store


def cli_language() -> str:
    """The language of the CLI's messages and of documents without --lang: KOORDI_LANG, else Finnish."""
    return i18n.normalise(os.environ.get("KOORDI_LANG"))


def messages_language() -> str:
    """The language of the CLI's own sentences (a separate hook, so a test can read them in English
    while the documents keep their default)."""
    return cli_language()


def _(msgid: str, /, **values) -> str:
    """A CLI message in the CLI's language (read at each call: tests and `koordi` set KOORDI_LANG)."""
    return i18n.translator(messages_language())(msgid, **values)


def _l(msgid: str) -> LazyProxy:
    """A help text translated when click shows it, in the CLI's language of that moment."""
    return LazyProxy(lambda: _(msgid), enable_cache=False)


class LazyHelpOption(click.Option):
    """An option whose help (an `_l` text) stays lazy: click's Option cleans its help text up
    when it is made, which would fix it in the language of the moment the module was imported."""

    def __init__(self, *args, help=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.help = help

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        return None if record is None else (record[0], str(record[1]))  # the text now, in today's language


def option(*param_decls: str, **attrs):
    """click.option with a lazily translated help: `@option("--full", help=_l("…"))`."""
    attrs.setdefault("cls", LazyHelpOption)
    return click.option(*param_decls, **attrs)


# Click's own words that `koordi --help` and its usage errors show. Click looks them up with
# the standard library's gettext (the process locale, no catalog of ours), so its modules get
# Koordi's lookup instead (speak_click_in_cli_language); listed here to be in the catalogs.
CLICK_WORDS = (
    _l("Usage:"),
    _l("Options"),
    _l("Commands"),
    _l("Show this message and exit."),
    _l("Show the version and exit."),
    _l("Error: {message}"),
    _l("Try '{command} {option}' for help."),
    _l("No such command {name!r}."),
    _l("No such option {name!r}."),
    _l("Missing option"),
    _l("Missing argument"),
    _l("Missing command."),
    _l("Invalid value for {param_hint}: {message}"),
    _l("default: {default}"),
    _l("Aborted!"),
)


def _click_gettext(message: str) -> str:
    return i18n.translator(messages_language())(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.translator(messages_language()).ngettext(singular, plural, n)


def speak_click_in_cli_language() -> None:
    """Click's headings, its --help and --version texts and its usage errors in the CLI's language."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        module._ = _click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]


def number(n: float | int, digits: int = 0) -> str:
    """A figure as the CLI's language writes it ("20 000")."""
    return i18n.format_number(n, cli_language(), digits)


class KoordiError(click.ClickException):
    """The one way a command fails: a translated sentence on stderr, exit 1, never a traceback."""

    def show(self, file=None) -> None:
        click.echo(_("Error: %(message)s", message=self.format_message()), err=True)


@overload
def option_date(option: str, value: str, default: dt.date | None = None) -> dt.date: ...
@overload
def option_date(option: str, value: str | None, default: dt.date) -> dt.date: ...
@overload
def option_date(option: str, value: str | None, default: None = None) -> dt.date | None: ...
def option_date(option: str, value: str | None, default: dt.date | None = None) -> dt.date | None:
    """A YYYY-MM-DD option's date (`default` when not given), or the error naming the option."""
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise KoordiError(_("%(option)s: %(value)s is not a date; write it as YYYY-MM-DD.", option=option, value=value)) from exc


data_dir_option = option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=_l("Data folder (default: KOORDI_DATA_DIR or the per-user data folder)."),
)


def resolve_data_dir(value: Path | None) -> Path:
    """The data folder to use (created when missing), or the sentence saying why it cannot be."""
    try:
        return paths.resolve_data_dir(value)
    except OSError as exc:
        raise KoordiError(_("Cannot use the data folder %(path)s: %(reason)s", path=str(value), reason=exc.strerror)) from exc


def cannot_write(path: Path, exc: OSError) -> KoordiError:
    """The sentence for a file that could not be written: a full disk or a read-only folder says
    what to do (free space, another folder); anything else gives the system's reason."""
    worded = problem(exc, path.parent)
    if worded is not None:
        return KoordiError(worded.describe(_))
    return KoordiError(_("Cannot write %(path)s: %(reason)s", path=str(path), reason=exc.strerror or str(exc)))


def hold_lock(data_dir: Path) -> InstanceLock:
    """The data folder's single-instance lock, or the sentence naming the running Koordi."""
    lock = InstanceLock(data_dir)
    try:
        acquired = lock.acquire()
    except StoreError as exc:  # a read-only or full data folder
        raise KoordiError(exc.describe(_)) from exc
    if not acquired:
        info = running_instance(data_dir) or {}
        raise KoordiError(AlreadyRunning(data_dir, info.get("url")).describe(_))
    return lock


def has_display() -> bool:
    """Whether a window can open: always on Windows and macOS, with X11 or Wayland on Linux."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def __init__(self, *args, lazy_commands: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def main(self, *args, **kwargs):
        # Click's own words in the CLI's language from the moment the command line runs, not from its
        # import: click's decorators look their default texts up as they run (texts Koordi gives
        # itself), and through Koordi's lookup that loaded a whole catalog at every start (issue 17).
        speak_click_in_cli_language()
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy_commands, *sorted(set(super().list_commands(ctx)) - set(self.lazy_commands))]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            module_name, attribute = self.lazy_commands[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


def document_language(value: str | None) -> str:
    """A --lang option's language (default: the CLI's), or the sentence saying what it may be."""
    if value is None:
        return cli_language()
    if value not in i18n.LANGUAGES:
        raise KoordiError(_("--lang must be fi, sv or en; %(value)s is not.", value=value))
    return value


def save_document(rendered, out: str | None) -> None:
    """A made document to --out (or a free name in the current folder), and the line saying where."""
    target = Path(out).expanduser() if out else free_name(Path.cwd() / rendered.filename)
    try:
        write_file(target, rendered.data)
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    click.echo(_("Saved %(path)s (pages: %(pages)s).", path=str(target), pages=rendered.pages))


def open_beside(folder: Path, missing: str) -> tuple[Store, InstanceLock | None]:
    """The data's store for a command that may run while Koordi is open: opened (with the lock,
    which the caller releases) when Koordi is not running, attached beside it when it is.
    `missing` is the sentence for a folder with no database yet."""
    from app.store import Store  # the ORM and the models: only for the commands that read the data

    if not (folder / DB_NAME).exists():
        raise KoordiError(missing)
    lock = InstanceLock(folder)
    try:
        if lock.acquire():
            return Store.open(folder), lock
        return Store.attach(folder), None
    except StoreError as exc:
        lock.release()
        raise KoordiError(exc.describe(_)) from exc
