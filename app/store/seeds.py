"""Rows every install starts with: the method catalogue of DOMAIN.md and the survey instruments of
FOLLOWUP.md, with stable ids."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.indicators import SEEDED as SEEDED_INDICATORS
from app.core.instruments import SEEDED
from app.models.methods import SEED_DATE, SEED_METHODS, seed_id


def seed_methods(conn: sa.Connection) -> int:
    """Insert the seeded methods that are missing; never touch one the coordinator edited."""
    have = {row[0] for row in conn.execute(sa.text("SELECT key FROM methods WHERE key IS NOT NULL"))}
    stamp = SEED_DATE.replace(tzinfo=None)  # naive UTC, as UTCDateTime stores it
    rows = [
        {
            "id": seed_id(key),
            "key": key,
            "target_group": group,
            "name_fi": fi,
            "name_sv": sv,
            "name_en": en,
            "description": description,
            "retired": False,
            "created_at": stamp,
            "updated_at": stamp,
            "deleted": False,
        }
        for key, group, fi, sv, en, description in SEED_METHODS
        if key not in have
    ]
    if rows:
        cols = ", ".join(rows[0])
        params = ", ".join(f":{c}" for c in rows[0])
        conn.execute(sa.text(f"INSERT INTO methods ({cols}) VALUES ({params})"), rows)
    return len(rows)


def instrument_id(key: str) -> str:
    return seed_id(f"instrument:{key}")


def item_id(instrument_key: str, code: str) -> str:
    return seed_id(f"instrument:{instrument_key}:{code}")


def seed_instruments(conn: sa.Connection) -> int:
    """Insert the seeded instruments that are missing, with their items; never touch one the
    coordinator edited (or deleted: a seeded key stays taken)."""
    have = {row[0] for row in conn.execute(sa.text("SELECT key FROM instruments WHERE key IS NOT NULL"))}
    stamp = SEED_DATE.replace(tzinfo=None)
    sync = {"created_at": stamp, "updated_at": stamp, "deleted": False}
    added = 0
    for instrument in SEEDED:
        if instrument.key in have:
            continue
        conn.execute(
            sa.text(
                "INSERT INTO instruments (id, key, kind, name_fi, name_sv, name_en, description, retired, created_at, "
                "updated_at, deleted) VALUES (:id, :key, :kind, :fi, :sv, :en, '', 0, :created_at, :updated_at, :deleted)"
            ),
            {
                "id": instrument_id(instrument.key),
                "key": instrument.key,
                "kind": instrument.kind.value,
                "fi": instrument.names.get("fi", instrument.key),
                "sv": instrument.names.get("sv", ""),
                "en": instrument.names.get("en", ""),
                **sync,
            },
        )
        conn.execute(
            sa.text(
                "INSERT INTO instrument_items (id, instrument_id, code, position, group_key, scale, points, reversed, "
                "not_applicable, label_fi, label_sv, label_en, wording, created_at, updated_at, deleted) VALUES (:id, "
                ":instrument_id, :code, :position, :group_key, :scale, :points, :reversed, :not_applicable, :fi, :sv, "
                ":en, '', :created_at, :updated_at, :deleted)"
            ),
            [
                {
                    "id": item_id(instrument.key, item.code),
                    "instrument_id": instrument_id(instrument.key),
                    "code": item.code,
                    "position": position,
                    "group_key": item.group,
                    "scale": item.scale.value,
                    "points": item.points,
                    "reversed": item.reversed,
                    "not_applicable": item.not_applicable,
                    "fi": item.labels.get("fi", item.code),
                    "sv": item.labels.get("sv", ""),
                    "en": item.labels.get("en", ""),
                    **sync,
                }
                for position, item in enumerate(instrument.items, start=1)
            ],
        )
        added += 1
    return added


def indicator_id(key: str) -> str:
    return seed_id(f"indicator:{key}")


def seed_indicators(conn: sa.Connection) -> int:
    """Insert the seeded indicators that are missing; never touch one the coordinator edited."""
    have = {row[0] for row in conn.execute(sa.text("SELECT key FROM indicators WHERE key IS NOT NULL"))}
    stamp = SEED_DATE.replace(tzinfo=None)
    rows = [
        {
            "id": indicator_id(spec.key),
            "key": spec.key,
            "name_fi": spec.names["fi"],
            "name_sv": spec.names["sv"],
            "name_en": spec.names["en"],
            "measure": spec.measure.value,
            "direction": spec.direction.value,
            "additive": spec.additive,
            "per_method": spec.per_method,
            "takes_days": spec.takes_days,
            "description": "",
            "retired": False,
            "created_at": stamp,
            "updated_at": stamp,
            "deleted": False,
        }
        for spec in SEEDED_INDICATORS
        if spec.key not in have
    ]
    if rows:
        cols = ", ".join(rows[0])
        params = ", ".join(f":{c}" for c in rows[0])
        conn.execute(sa.text(f"INSERT INTO indicators ({cols}) VALUES ({params})"), rows)
    return len(rows)
