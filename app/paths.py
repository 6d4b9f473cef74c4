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

from app import catalogs

APP_NAME = "Koordi"
ENV_DATA_DIR = "KOORDI_DATA_DIR"

# When frozen by PyInstaller the package's files sit under sys._MEIPASS/app; from
# source they sit beside this module. Path(__file__) is right in both cases.
PACKAGE_DIR = Path(__file__).resolve().parent
# Fonts: beside the package from source, and beside it under _internal/ when frozen; an
# installed wheel has no folder beside the package, so its build copies them into app/assets.
ASSETS_DIR = PACKAGE_DIR / "assets" if (PACKAGE_DIR / "assets").is_dir() else PACKAGE_DIR.parent / "assets"
# Koordi's licence and the third-party notices, which the bundle carries (installer.spec).
LICENSE_FILE = PACKAGE_DIR.parent / "LICENSE"
NOTICES_FILE = PACKAGE_DIR.parent / "THIRD_PARTY_NOTICES.txt"


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
    """Default folder for files Koordi hands to the user (PDFs, exports). On managed laptops
    OneDrive often syncs Documents (Known Folder Move): the settings page says so (in_onedrive)."""
    return Path(platformdirs.user_documents_dir()) / APP_NAME


ONEDRIVE_VARIABLES = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")


def in_onedrive(folder: str | os.PathLike[str]) -> bool:
    """Does OneDrive sync this folder to the cloud? Its roots are in the OneDrive* environment
    variables on Windows; its folders are named "OneDrive" or "OneDrive - <organisation>"."""
    path = Path(folder).expanduser()
    roots = [Path(os.environ[name]) for name in ONEDRIVE_VARIABLES if os.environ.get(name)]
    if any(path == root or root in path.parents for root in roots):
        return True
    return any(part.casefold().startswith("onedrive") for part in path.parts)


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def translations_dir() -> Path:
    """Where the compiled catalogs (.mo) are read from. The bundle and a wheel carry them
    compiled (a wheel without the .po files); a source checkout compiles the missing or
    stale ones at start, so `python -m app` speaks Finnish without build/dev.py: beside
    the .po files when the package folder is writable, else in the user's cache folder."""
    source = PACKAGE_DIR / "translations"
    if is_frozen() or not catalogs.stale(source):
        return source
    if os.access(source, os.W_OK):
        try:
            catalogs.compile_catalogs(source)
            return source
        except OSError:  # a read-only file system answers os.access with yes
            pass
    cache = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "translations"
    catalogs.compile_catalogs(source, cache)
    return cache
