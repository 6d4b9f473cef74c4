"""The floors Koordi's start-up is measured against (bench/startup.py, bench/all.py).

    .venv/bin/python bench/bare.py serve DATA_DIR     the bare stack: prints its URL, serves
    .venv/bin/python bench/bare.py window             an empty pywebview window: prints when loaded

`serve`: the stack of the design card and nothing else: Flask, SQLAlchemy's ORM on the
same SQLite file, and a Jinja page listing 20 units, served by waitress on 127.0.0.1 as
`koordi serve` is (the same server, so the gap is Koordi's own start). It prints its
address once it listens, as `koordi serve` does.

`window`: pywebview's Qt window on a one-line page, nothing else; it prints the seconds
since the process started when the page has loaded (pywebview's `loaded` event), the
same event Koordi's window logs ("window loaded"). Not a test: see bench/README.md.
"""

from __future__ import annotations

import sys
import time

PAGE = """<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Yksiköt</title></head>
<body><h1>Yksiköt</h1><ul>{% for unit in units %}<li>{{ unit.name }}</li>{% endfor %}</ul></body></html>"""


def serve(data_dir: str) -> None:
    from flask import Flask, render_template_string
    from sqlalchemy import String, create_engine, select
    from sqlalchemy.orm import DeclarativeBase, Session, mapped_column
    from waitress.server import create_server

    class Base(DeclarativeBase):
        pass

    class Unit(Base):
        __tablename__ = "units"
        # Untyped columns: the annotations of a class inside a function cannot be resolved.
        id = mapped_column(String(36), primary_key=True)
        name = mapped_column(String(200))
        name_key = mapped_column(String(200))

    engine = create_engine(f"sqlite:///{data_dir}/koordi.sqlite3")
    app = Flask(__name__)

    @app.get("/")
    def index():
        with Session(engine) as s:
            units = s.scalars(select(Unit).order_by(Unit.name_key, Unit.id).limit(20)).all()
            return render_template_string(PAGE, units=units)

    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    print(f"http://127.0.0.1:{server.effective_port}/", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass


def window() -> None:
    started = time.monotonic()
    import webview

    shown = webview.create_window("bare", html="<!doctype html><html><body><h1>Koordi</h1></body></html>")
    assert shown is not None

    def loaded(w) -> None:
        if w.events.loaded.wait(60):
            print(f"loaded {time.monotonic() - started:.3f}", flush=True)
        w.destroy()

    webview.start(loaded, (shown,), gui="qt", private_mode=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(sys.argv[2])
    elif sys.argv[1:2] == ["window"]:
        window()
    else:
        sys.exit(__doc__)
