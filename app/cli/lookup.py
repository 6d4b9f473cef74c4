"""Records named on the command line (--unit, --trainee, --method): by id, else by name, with one
sentence for no match and one listing the matches when the name is ambiguous."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli.common import KoordiError, _, cli_language
from app.core.text import fold
from app.models import Method, Trainee
from app.queries.common import by_name, by_surname, contains, get_live

MAX_LISTED = 10  # an ambiguous name lists at most this many matches


def find_record(s: Session, model, ref: str, none_message: str):
    """A live record by id, else by name: exact (case-insensitive) first, then part of a name."""
    ref = ref.strip()
    record = get_live(s, model, ref)
    if record is not None:
        return record
    live = [model.deleted.is_(False)]
    if model is Trainee:
        live.append(Trainee.erased_at.is_(None))
    key = fold(ref)
    matches: list[Any] = list(s.scalars(select(model).where(*live, model.name_key == key).order_by(model.id)))
    if not matches:
        order = by_surname if model is Trainee else by_name  # people by surname (app.core.names)
        stmt = select(model).where(*live, contains(model.name_key, key)).order_by(order(model.name_key), model.id)
        matches = list(s.scalars(stmt.limit(MAX_LISTED + 1)))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise KoordiError(none_message)
    listed = "; ".join(f"{m.name} ({m.id})" for m in matches[:MAX_LISTED]) + ("; …" if len(matches) > MAX_LISTED else "")
    raise KoordiError(_("%(ref)s matches several: %(matches)s. Give more of the name, or the id.", ref=ref, matches=listed))


def find_method(s: Session, ref: str) -> Method:
    """A live method by id or seeded key, else by name in any language: exact first, then part of one."""
    ref = ref.strip()
    found = s.get(Method, ref)
    if found is not None and not found.deleted:
        return found
    methods = list(s.scalars(select(Method).where(Method.deleted.is_(False)).order_by(by_name(Method.name_fi), Method.id)))
    key = fold(ref)
    names = [(m, [fold(n) for n in (m.name_fi, m.name_sv, m.name_en, m.key or "") if n]) for m in methods]
    matches = [m for m, ns in names if key in ns] or [m for m, ns in names if any(key in n for n in ns)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise KoordiError(_("No method matches %(ref)s.", ref=ref))
    listed = "; ".join(f"{m.name(cli_language())} ({m.id})" for m in matches[:10])
    raise KoordiError(_("%(ref)s matches several: %(matches)s. Give more of the name, or the id.", ref=ref, matches=listed))
