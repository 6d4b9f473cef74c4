"""PyInstaller's entry script for both executables of the bundle (installer.spec):
Koordi (windowed: no arguments opens the window) and koordi-cli (console:
serve, check, backup, restore...). Both are `koordi`, app.cli.main()."""

import multiprocessing

if __name__ == "__main__":
    # Harmless when nothing uses multiprocessing; required in a frozen app if anything ever does.
    multiprocessing.freeze_support()
    from app import gcpause

    gcpause.pause()  # before the command line's and the app's imports (app.gcpause), as app/__main__.py
    from app.cli import main

    main()
