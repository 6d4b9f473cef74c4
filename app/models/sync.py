"""The sync history: every export made and every file imported on this install. Never exported."""

import datetime as dt

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime

# central: sent to the central office; the next incremental export starts from the newest one.
# copy: moving to another computer or keeping a copy; never moves where incrementals start.
# import: a file imported here; one that changed data makes the next central export full.
PURPOSES = ("central", "copy", "import")


class SyncRecord(Base):
    __tablename__ = "sync_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)  # exported or imported, UTC
    purpose: Mapped[str] = mapped_column(String(16), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # full | incremental (of the file)
    since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # an incremental file's start
    notes_included: Mapped[bool] = mapped_column(Boolean, nullable=False)
    names_included: Mapped[bool] = mapped_column(Boolean, nullable=False)
    recipient: Mapped[str] = mapped_column(String(254), nullable=False, default="")  # central sends only
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    export_id: Mapped[str] = mapped_column(String(36), nullable=False)  # the manifest's export_id
    coordinator_id: Mapped[str] = mapped_column(String(36), nullable=False)  # the file's coordinator
    rows: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON: file name -> rows in the file
    # JSON, imports only: file name -> {"created", "updated", "unchanged", "deleted"}
    changes: Mapped[str | None] = mapped_column(Text)
