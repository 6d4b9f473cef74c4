"""Units (yksiköt): the care units a coordinator supports."""

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin

SERVICE_LINES = (
    "health_station",
    "mental_health_substance",
    "adult_social_work",
    "school_student_health",
    "family_counselling",
    "child_health_clinic",
    "other",
)
AGE_GROUPS = ("adults", "children_youth", "both")


class Unit(SyncedMixin, Base):
    __tablename__ = "units"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # casefold(name): SQLite's lower() folds only ASCII, and "äänekoski" must sort and match "Äänekoski".
    name_key: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    service_line: Mapped[str] = mapped_column(String(32), nullable=False)
    age_group: Mapped[str] = mapped_column(String(16), nullable=False)
    municipality: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    supervisor_name: Mapped[str] = mapped_column(String(120), nullable=False, default="")  # personal data
    supervisor_email: Mapped[str] = mapped_column(String(254), nullable=False, default="")  # personal data
    professionals: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
