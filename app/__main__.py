"""`python -m app`, the installed `koordi` command (pyproject's console script) and the bundle's
entry (build/entry.py): all three start here, so that the cyclic garbage collector is paused
before the command line's imports (app.gcpause). The console script used to call
app.cli.main itself, after importing SQLAlchemy and the models with the collector running:
`koordi serve` took ~40 ms (a tenth) longer than `python -m app serve` to its first page.
Importing this module imports nothing else of Koordi's."""

from app import gcpause


def run() -> None:
    gcpause.pause()  # before the imports of the command line and the app
    from app.cli import main

    main()


if __name__ == "__main__":
    run()
