"""The national picture's first views computed at the end of a merge, not by the first visitor.

    prepare(read_engine, write_engine, today, lang)

Every section's default view (Scope.default: the twelve months up to this one, rows by county,
trends by month) in the office's language, computed from one state of the merged database and
stored under its generation (app.central.picture.cache); the rows of older generations go.
Figures already stored for this generation are not computed again (a merge that changed
nothing). Run by `koordi merge` and by the window's merge job after their files; a failure is
logged and the merge stands: the pages compute what is not stored.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import Engine

from app.central.picture import deployments
from app.central.picture.cache import generation_text, key, store, stored_keys
from app.central.picture.memo import generation
from app.central.picture.names import Names, PictureTexts
from app.central.picture.scope import Scope
from app.central.picture.sections import SECTIONS, Values, compute

log = logging.getLogger(__name__)


def prepare(read_engine: Engine, write_engine: Engine, today: dt.date, lang: str) -> int:
    """How many sections' figures were computed and stored (0 also when it failed)."""
    texts = PictureTexts(lang)
    scope = Scope.default(today)
    try:
        # One read transaction: every section from the same state as the generation it is stored under.
        with read_engine.connect() as conn:
            gen = generation_text(generation(conn))
            have = stored_keys(conn, gen)
            names = Names(conn, texts)
            kept: list[deployments.Timeline] | None = None

            def lines() -> list[deployments.Timeline]:
                nonlocal kept  # the map and the deployments page share the timelines
                if kept is None:
                    kept = deployments.timelines(conn, scope)
                return kept

            entries: list[tuple[str, Values]] = []
            for section in SECTIONS:
                k = key(section, scope, texts.lang, today)
                if k not in have:
                    entries.append((k, compute(section, conn, scope, names, texts, today, lines)))
    except Exception:
        log.exception("the national picture's figures were not prepared after a merge")
        return 0
    return len(entries) if store(write_engine, gen, entries, wait=True, purge=True) else 0
