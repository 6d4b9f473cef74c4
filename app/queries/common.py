"""Rules every read shares."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from sqlalchemy.orm import Session

from app.core import collation, names
from app.models import SyncedMixin

T = TypeVar("T", bound=SyncedMixin)


def live(deleted_column):
    """Not soft-deleted. One rule for every list, total and choice.

    (The flag has no index of its own: see SyncedMixin.deleted.)
    """
    return deleted_column.is_(False)


def chunks(ids: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    """Ids a batch at a time for IN (...): SQLite limits the number of bound parameters, and a
    year's calendar or a county's survey rounds have thousands."""
    for i in range(0, len(ids), size):
        yield list(ids[i : i + size])


def get_live(s: Session, model: type[T], record_id: str) -> T | None:
    """The record with this id, or None when it does not exist or is soft-deleted."""
    record = s.get(model, record_id)
    return record if record is not None and not record.deleted else None


# SQLite refuses a LIKE pattern longer than this ("LIKE or GLOB pattern too complex"); a search
# box's text is cut to it, which still matches everything a person could mean by it.
LIKE_MAX = 1000


def contains(column, text: str):
    """`column` contains `text` literally: % and _ typed by the user are letters, not wildcards."""
    escaped = text[:LIKE_MAX].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def by_name(column):
    """ORDER BY a name in Finnish/Swedish order (… Z, Å, Ä, Ö; É as E, Ü as Y): app.core.collation,
    registered on every connection by app.store.engine. SQLite's own order puts Ä before Å and
    É, Ü after Ö. Coordinator side only: the central office's PostgreSQL has no such collation."""
    return column.collate(collation.NAME)


def by_surname(column):
    """ORDER BY a person's name by surname, then first names (app.core.names: the surname is the
    last word), in Finnish/Swedish order. Every list of trainees uses it. Coordinator side only."""
    return column.collate(names.SURNAME)
