"""The editable catalogue of methods, and its seeded entries with stable ids."""

import datetime as dt
import uuid

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin

TARGET_GROUPS = ("adult", "child_youth")
# uuid5(this namespace, key): the same id for a seeded method in every install, so the
# central office groups one method across all coordinators and a restore meets the same rows.
SEED_NAMESPACE = uuid.UUID("5f0c6a53-8f0e-4a55-9d0e-6b6f6f72646b")
# The catalogue's own date: a seeded row's updated_at, never the install time.
SEED_DATE = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def seed_id(key: str) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, key))


class Method(SyncedMixin, Base):
    __tablename__ = "methods"

    key: Mapped[str | None] = mapped_column(String(64), unique=True)  # seeded entries only
    name_fi: Mapped[str] = mapped_column(String(200), nullable=False)
    name_sv: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    name_en: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    target_group: Mapped[str] = mapped_column(String(16), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    retired: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    def name(self, lang: str) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(lang) or self.name_fi


# (key, target group, fi, sv, en, description in English) — DOMAIN.md's list.
SEED_METHODS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "terapianavigaattori",
        "adult",
        "Terapianavigaattori ja ensijäsennys",
        "Terapinavigatorn och första strukturering",
        "Therapy Navigator and first assessment",
        "Assessment tool for choosing the right level of care.",
    ),
    ("ohjattu-omahoito", "adult", "Ohjattu omahoito", "Guidad egenvård", "Guided self-care", "1–5 guided contacts."),
    ("nettiterapiat", "adult", "Nettiterapiat", "Nätterapier", "Internet therapies", "Mielenterveystalo internet therapies."),
    ("ipc", "adult", "Interpersonaalinen ohjanta IPC", "Interpersonell rådgivning IPC", "Interpersonal counselling IPC", ""),
    (
        "kognitiivinen-lyhytterapia",
        "adult",
        "Kognitiivinen lyhytterapia",
        "Kognitiv korttidsterapi",
        "Cognitive brief therapy",
        "5–10 contacts.",
    ),
    ("ipt", "adult", "Interpersonaalinen terapia IPT", "Interpersonell terapi IPT", "Interpersonal therapy IPT", ""),
    (
        "nuorten-lasten-navi",
        "child_youth",
        "Nuorten navi / Lasten navi ja ensijäsennys",
        "Ungas navi / Barnens navi och första strukturering",
        "Youth / Child navigator and first assessment",
        "Intervention navigator.",
    ),
    (
        "nuorten-ohjattu-omahoito",
        "child_youth",
        "Nuorten ohjattu omahoito",
        "Guidad egenvård för unga",
        "Guided self-care for youth",
        "",
    ),
    (
        "lasten-ohjattu-omahoito",
        "child_youth",
        "Lasten ohjattu omahoito",
        "Guidad egenvård för barn",
        "Guided self-care for children",
        "",
    ),
    (
        "pienten-lasten-ohjattu-omahoito",
        "child_youth",
        "Pienten lasten ohjattu omahoito",
        "Guidad egenvård för små barn",
        "Guided self-care for young children",
        "",
    ),
    (
        "ahdistuksen-lyhytinterventio",
        "child_youth",
        "Ahdistuksen kognitiivinen lyhytinterventio",
        "Kognitiv kortintervention vid ångest",
        "Brief cognitive intervention for anxiety",
        "",
    ),
    ("ipc-n", "child_youth", "IPC nuorille (IPC-N)", "IPC för unga (IPC-N)", "IPC for adolescents (IPC-A)", "3–6 meetings."),
    ("cool-kids", "child_youth", "Cool Kids", "Cool Kids", "Cool Kids", "Ages 7–17, about 10 sessions."),
    (
        "kognitiivinen-lyhytterapia-nuoret",
        "child_youth",
        "Kognitiivinen lyhytterapia nuorille / lapsille",
        "Kognitiv korttidsterapi för unga / barn",
        "Cognitive brief therapy for youth / children",
        "",
    ),
    ("ipt-nuoret", "child_youth", "IPT nuorille", "IPT för unga", "IPT for adolescents", ""),
    (
        "motivoiva-haastattelu",
        "adult",
        "Motivoiva haastattelu",
        "Motiverande samtal",
        "Motivational interviewing",
        "Training a county may track.",
    ),
    (
        "akuutin-kriisin-kohtaaminen",
        "adult",
        "Akuutin kriisin kohtaaminen",
        "Att möta en akut kris",
        "Meeting an acute crisis",
        "Training a county may track.",
    ),
)
