"""Helpers every test package shares: rows written straight to the database, pages read as text."""

from __future__ import annotations

import re

from app.core.clock import today  # noqa: F401 - the tests' "today" is the app's
from app.core.text import fold
from app.models import Method, Unit
from app.models.methods import seed_id

IPC = seed_id("ipc")
COOL_KIDS = seed_id("cool-kids")


def text(resp) -> str:
    return resp.get_data(as_text=True)


def in_english(client) -> None:
    """Assertions read the English msgids: the catalogs are merged centrally, later."""
    client.post("/language", {"lang": "en", "next": "/about"})


def db(app):
    return app.extensions["koordi.store"].Session()


def add(app, *rows) -> list[str]:
    with db(app) as s:
        s.add_all(rows)
        s.commit()
        return [r.id for r in rows]


def unit_row(name: str, **kw) -> Unit:
    values = {"service_line": "health_station", "age_group": "adults", "municipality": "", **kw}
    return Unit(name=name, name_key=fold(name), **values)


def get(app, model, id_):
    with db(app) as s:
        return s.get(model, id_)


def all_rows(app, model) -> list:
    with db(app) as s:
        return s.query(model).all()


def method_name(app, method_id: str) -> str:
    return get(app, Method, method_id).name_en


def errors_of(page: str) -> dict[str, str]:
    """{field id: message} shown at the fields (not the summary)."""
    return dict(re.findall(r'<p class="error" id="([\w-]+)-error">(.*?)</p>', page, re.S))


def squash(html: str) -> str:
    """The page's text without tags, whitespace squashed: what a reader sees."""
    plain = re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("\xa0", " ")
    return re.sub(r"\s+", " ", plain).strip()


def statements_of(app, client, path: str) -> int:
    """How many SQL statements a GET of `path` sends (the N+1 checks: the same for 3 rows or 60)."""
    from sqlalchemy import event

    engine = app.extensions["koordi.store"].engine
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200, path
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)
