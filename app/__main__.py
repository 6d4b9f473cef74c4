from app import gcpause

gcpause.pause()  # before the imports of the command line and the app (app.gcpause)

from app.cli import main  # noqa: E402

main()
