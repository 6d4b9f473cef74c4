"""Alembic environment: always handed a connection by app.store.migrate."""

from alembic import context

from app.models import Base
from app.store.migrate import include_object

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through app.store.migrate (koordi starts them itself)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
    render_as_batch=True,
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
