"""The 23 organisers of health and social services and their five cooperation areas (YTA).

Keys are stable ASCII slugs: they go into exports and file names, so they must never
change even if a display name does. Names are given in Finnish and Swedish; English
uses the Finnish names, as the counties' own English pages do.
"""

from __future__ import annotations

from typing import NamedTuple


class Area(NamedTuple):
    """A cooperation area (YTA) of the organisers of health and social services."""

    key: str
    fi: str
    sv: str


class County(NamedTuple):
    """An organiser of health and social services (a wellbeing county), its area, its names."""

    key: str
    area: str
    fi: str
    sv: str
    university_hospital: bool = False

    def name(self, lang: str) -> str:
        return self.sv if lang == "sv" else self.fi


AREAS: tuple[Area, ...] = (
    Area("etela-suomi", "Etelä-Suomi", "Södra Finland"),
    Area("lansi-suomi", "Länsi-Suomi", "Västra Finland"),
    Area("sisa-suomi", "Sisä-Suomi", "Inre Finland"),
    Area("ita-suomi", "Itä-Suomi", "Östra Finland"),
    Area("pohjois-suomi", "Pohjois-Suomi", "Norra Finland"),
)

COUNTIES: tuple[County, ...] = (
    County("helsinki", "etela-suomi", "Helsingin kaupunki", "Helsingfors stad"),
    County("hus", "etela-suomi", "HUS-yhtymä", "HUS-sammanslutningen", True),
    County("etela-karjala", "etela-suomi", "Etelä-Karjala", "Södra Karelen"),
    County("ita-uusimaa", "etela-suomi", "Itä-Uusimaa", "Östra Nyland"),
    County("keski-uusimaa", "etela-suomi", "Keski-Uusimaa", "Mellersta Nyland"),
    County("kymenlaakso", "etela-suomi", "Kymenlaakso", "Kymmenedalen"),
    County("lansi-uusimaa", "etela-suomi", "Länsi-Uusimaa", "Västra Nyland"),
    County("paijat-hame", "etela-suomi", "Päijät-Häme", "Päijänne-Tavastland"),
    County("vantaa-kerava", "etela-suomi", "Vantaa–Kerava", "Vanda och Kervo"),
    County("varsinais-suomi", "lansi-suomi", "Varsinais-Suomi", "Egentliga Finland", True),
    County("satakunta", "lansi-suomi", "Satakunta", "Satakunta"),
    County("pohjanmaa", "lansi-suomi", "Pohjanmaa", "Österbotten"),
    County("pirkanmaa", "sisa-suomi", "Pirkanmaa", "Birkaland", True),
    County("kanta-hame", "sisa-suomi", "Kanta-Häme", "Egentliga Tavastland"),
    County("etela-pohjanmaa", "sisa-suomi", "Etelä-Pohjanmaa", "Södra Österbotten"),
    County("pohjois-savo", "ita-suomi", "Pohjois-Savo", "Norra Savolax", True),
    County("keski-suomi", "ita-suomi", "Keski-Suomi", "Mellersta Finland"),
    County("etela-savo", "ita-suomi", "Etelä-Savo", "Södra Savolax"),
    County("pohjois-karjala", "ita-suomi", "Pohjois-Karjala", "Norra Karelen"),
    County("pohjois-pohjanmaa", "pohjois-suomi", "Pohjois-Pohjanmaa", "Norra Österbotten", True),
    County("keski-pohjanmaa", "pohjois-suomi", "Keski-Pohjanmaa", "Mellersta Österbotten"),
    County("kainuu", "pohjois-suomi", "Kainuu", "Kajanaland"),
    County("lappi", "pohjois-suomi", "Lappi", "Lappland"),
)

COUNTY_BY_KEY = {c.key: c for c in COUNTIES}
AREA_BY_KEY = {a.key: a for a in AREAS}

ROLES = ("therapy", "intervention", "both")


def county_name(key: str, lang: str) -> str:
    """The county's name in `lang`; a key Koordi does not know (a newer file's) as it is."""
    county = COUNTY_BY_KEY.get(key)
    return county.name(lang) if county else key


def area_name(key: str, lang: str) -> str:
    area = AREA_BY_KEY[key]
    return area.sv if lang == "sv" else area.fi


def counties_by_area() -> list[tuple[Area, list[County]]]:
    return [(a, [c for c in COUNTIES if c.area == a.key]) for a in AREAS]
