"""What the keys of the national picture name: areas, counties, coordinators and methods, in
the reader's language, and the order their rows are shown in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Connection, select

from app.central.schema import coordinators
from app.central.summary import _method_names
from app.core.geography import AREAS, COUNTIES, COUNTY_BY_KEY, area_name, counties_by_area, county_name
from app.core.text import fold
from app.i18n import format_number
from app.pdf.text import Texts

AREA_ORDER = {a.key: i for i, a in enumerate(AREAS)}
COUNTY_ORDER = {c.key: i for i, c in enumerate(COUNTIES)}


@dataclass(frozen=True)
class Coordinator:
    id: str
    name: str
    county: str


class Names:
    """Read once per page: the coordinators merged and every method's name in `texts`' language."""

    def __init__(self, conn: Connection, texts: Texts):
        self.texts = texts
        stmt = select(coordinators.c.id, coordinators.c.name, coordinators.c.county)
        self.coordinators = {row.id: Coordinator(row.id, row.name, row.county) for row in conn.execute(stmt)}
        self.methods: dict[str, tuple[str | None, str]] = _method_names(conn, texts.lang)

    def method(self, method_id: str) -> str:
        _ = self.texts
        return self.methods.get(method_id, (None, method_id))[1] if method_id else _("All methods")

    def method_key(self, method_id: str) -> str:
        """The national catalogue's key (what a national report names a method by), else the id."""
        key = self.methods.get(method_id, (None, ""))[0]
        return key or method_id

    def coordinator(self, coordinator_id: str) -> str:
        found = self.coordinators.get(coordinator_id)
        return found.name if found else coordinator_id

    def county_of(self, coordinator_id: str) -> str:
        found = self.coordinators.get(coordinator_id)
        return found.county if found else ""

    def area_of_county(self, county: str) -> str:
        found = COUNTY_BY_KEY.get(county)
        return found.area if found else ""

    def label(self, level: str, key: str) -> str:
        """A row's name at `level` (an unknown key as it is: a newer file's county)."""
        _ = self.texts
        if level == "country" or (not key and level != "method"):
            return _("Whole country") if level == "country" else "–"
        if level == "area":
            return area_name(key, self.texts.lang) if key in AREA_ORDER else key
        if level == "county":
            return county_name(key, self.texts.lang)
        if level == "coordinator":
            county = self.county_of(key)
            return f"{self.coordinator(key)} ({county_name(county, self.texts.lang)})" if county else self.coordinator(key)
        return self.method(key)

    def order(self, level: str, key: str) -> tuple:
        """Areas and counties in the geography's order, coordinators by county then name, methods by name."""
        if level == "area":
            return (AREA_ORDER.get(key, len(AREA_ORDER)), key)
        if level == "county":
            return (COUNTY_ORDER.get(key, len(COUNTY_ORDER)), key)
        if level == "coordinator":
            county = self.county_of(key)
            return (COUNTY_ORDER.get(county, len(COUNTY_ORDER)), fold(self.coordinator(key)), key)
        if level == "method":
            return (fold(self.method(key)), key)
        return ()

    def sorted(self, level: str, keys) -> list[str]:
        return sorted(keys, key=lambda k: self.order(level, k))


def areas_for_form(lang: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(area key, its name, [(county key, its name)]) for the filters' choices."""
    return [(a.key, area_name(a.key, lang), [(c.key, c.name(lang)) for c in found]) for a, found in counties_by_area()]


@lru_cache(maxsize=8192)
def _whole(lang: str, value: int) -> str:
    return format_number(value, lang, 0)


class PictureTexts(Texts):
    """Texts whose whole numbers are formatted once: a national table has thousands of counts, and
    babel's formatting of each was most of a page's time."""

    def number(self, value, digits: int = 0) -> str:
        if digits == 0 and type(value) is int:
            return _whole(self.lang, value)
        return super().number(value, digits)
