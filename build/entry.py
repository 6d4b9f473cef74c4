"""PyInstaller's entry script for both executables of the bundle (installer.spec):
Koordi (windowed: no arguments opens the window) and koordi-cli (console:
serve, check, backup, restore...). Both are `koordi`, app.__main__.run()."""

import multiprocessing

if __name__ == "__main__":
    # Harmless when nothing uses multiprocessing; required in a frozen app if anything ever does.
    multiprocessing.freeze_support()
    from app.__main__ import run  # the collector paused before the app's imports, as `python -m app`

    run()
