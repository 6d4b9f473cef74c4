"""Where things live: the user's data directory and the app's own resources.

Data never goes next to the executable (Program Files is read-only for a user
without admin rights, and a reinstall must not touch it); it goes to the per-user
data directory, unless the user or a test names another with --data-dir or
KOORDI_DATA_DIR.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Koordi"
ENV_DATA_DIR = "KOORDI_DATA_DIR"

# When frozen by PyInstaller the package's files sit under sys._MEIPASS/app; from
# source they sit beside this module. Path(__file__) is right in both cases.
PACKAGE_DIR = Path(__file__).resolve().parent
# Fonts and icons: beside the package from source, and beside it under _internal/ when frozen.
ASSETS_DIR = PACKAGE_DIR.parent / "assets"


def default_data_dir() -> Path:
    # roaming=False: %LOCALAPPDATA% on Windows. A SQLite file in a roaming profile
    # gets copied around by the domain at logon/logoff, which corrupts a live WAL.
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir beats KOORDI_DATA_DIR beats the platform default."""
    chosen = explicit or os.environ.get(ENV_DATA_DIR) or default_data_dir()
    path = Path(chosen).expanduser().resolve()
    # A new data folder is its user's alone (POSIX; see app.store.disk); an existing one keeps its mode.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def documents_dir() -> Path:
    """Default folder for files Koordi hands to the user (PDFs, exports)."""
    return Path(platformdirs.user_documents_dir()) / APP_NAME


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))
