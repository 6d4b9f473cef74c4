"""The operating system's own tools for a saved file: open it, show it in its folder.

app.files hands files over through the app's SHELL (None in a browser, where files are downloads);
the desktop window's shell subclasses this one with the native save dialog (app.desktop). Kept
apart from app.files, which needs Flask: the window imports this before the app is made.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


class OsShell:
    """Opening and revealing files with the operating system's own tools.

    The desktop window subclasses this and adds the native save dialog.
    """

    def ask_save_path(self, folder: Path, filename: str) -> Path | None:
        return None  # no dialog without a window: callers use the folder instead

    def open_path(self, path: Path) -> None:
        if sys.platform == "win32":
            os.startfile(path)
        elif sys.platform == "darwin":
            subprocess.Popen(["open", str(path)])
        else:
            subprocess.Popen(["xdg-open", str(path)])

    def reveal(self, path: Path) -> None:
        if sys.platform == "win32":
            subprocess.Popen(["explorer", "/select,", str(path)])
        elif sys.platform == "darwin":
            subprocess.Popen(["open", "-R", str(path)])
        else:
            subprocess.Popen(["xdg-open", str(path.parent)])


__all__ = ["OsShell"]
