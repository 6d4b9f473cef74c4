"""Rows every install starts with: the method catalogue of DOMAIN.md, with stable ids."""

from __future__ import annotations

import sqlalchemy as sa

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
