"""Words the demo data is made of: fictional people and places, real municipalities.

Data, not UI text: nothing here goes through gettext. Person names are common
Finnish and Finland-Swedish first and last names drawn at random, so any match
with a real person is chance. Unit names are built from invented village names
("Kivikylä") and never name a real unit. No text here contains a run of six
digits, so no identity code can arise from it.
"""

from __future__ import annotations

FIRST_NAMES_FI = (
    "Aino",
    "Anna",
    "Elina",
    "Hanna",
    "Heidi",
    "Johanna",
    "Katja",
    "Laura",
    "Liisa",
    "Maria",
    "Minna",
    "Noora",
    "Paula",
    "Riikka",
    "Sanna",
    "Satu",
    "Suvi",
    "Tiina",
    "Tuula",
    "Veera",
    "Eveliina",
    "Jenni",
    "Kaisa",
    "Marjut",
    "Outi",
    "Päivi",
    "Sari",
    "Mikko",
    "Juha",
    "Antti",
    "Jari",
    "Matti",
    "Pekka",
    "Timo",
    "Ville",
    "Tuomas",
    "Janne",
    "Lauri",
    "Olli",
    "Eero",
    "Joonas",
    "Sami",
    "Jukka",
    "Markus",
    "Teemu",
    "Heikki",
    "Aleksi",
    "Henna",
    "Essi",
    "Iida",
)
FIRST_NAMES_SV = (
    "Annika",
    "Camilla",
    "Ulrika",
    "Linnea",
    "Maja",
    "Sofia",
    "Ebba",
    "Nina",
    "Tove",
    "Ida",
    "Johan",
    "Mikael",
    "Fredrik",
    "Henrik",
    "Anders",
    "Niklas",
    "Patrik",
    "Kristian",
    "Stefan",
    "Jonas",
)
LAST_NAMES_FI = (
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
    "Leinonen",
    "Kallio",
    "Hiltunen",
    "Miettinen",
    "Väisänen",
    "Pitkänen",
    "Aaltonen",
    "Manninen",
    "Hyvönen",
    "Ylönen",
)
LAST_NAMES_SV = (
    "Lindqvist",
    "Lindholm",
    "Nyberg",
    "Lindström",
    "Holmström",
    "Sjöberg",
    "Forsman",
    "Backman",
    "Ekholm",
    "Granqvist",
    "Blomqvist",
    "Åberg",
    "Söderholm",
    "Wikström",
    "Grönroos",
    "Strandberg",
)
# Invented villages: (nominative, genitive) for Finnish unit names, built from a first
# part and an ending; the Swedish ones stand as they are ("Strandby hälsostation").
PLACE_STARTS = (
    "Kivi",
    "Koivu",
    "Mänty",
    "Leppä",
    "Haapa",
    "Lehto",
    "Kallio",
    "Pelto",
    "Saari",
    "Salmi",
    "Kuusi",
    "Tammi",
    "Pihlaja",
    "Kataja",
    "Niitty",
    "Rasta",
    "Karhu",
    "Joutsen",
    "Kettu",
    "Vaahtera",
)
PLACE_ENDS = (
    ("kylä", "kylän"),
    ("mäki", "mäen"),
    ("niemi", "niemen"),
    ("vaara", "vaaran"),
    ("lahti", "lahden"),
    ("harju", "harjun"),
    ("ranta", "rannan"),
    ("koski", "kosken"),
    ("lampi", "lammen"),
    ("notko", "notkon"),
)
# Combinations that are real, well-known districts with their own health stations: never generated.
REAL_PLACES = frozenset({"Leppävaara", "Koivukylä", "Pihlajamäki", "Kuusiniemi", "Mäntymäki", "Haapaniemi"})
PLACES_SV = (
    "Strandby",
    "Björkby",
    "Furuvik",
    "Granvik",
    "Sjöberga",
    "Ängsby",
    "Lindö",
    "Ekbacka",
    "Tallnäs",
    "Backby",
    "Solvik",
    "Havsö",
)
# service line -> (Finnish name after a genitive, Swedish name after a place, age groups it serves)
UNIT_KINDS = {
    "health_station": ("terveysasema", "hälsostation", ("adults", "both")),
    "mental_health_substance": ("mielenterveys- ja päihdeyksikkö", "mentalvårds- och missbruksenhet", ("adults",)),
    "adult_social_work": ("aikuissosiaalityö", "vuxensocialarbete", ("adults",)),
    "school_student_health": ("koulu- ja opiskeluterveydenhuolto", "skol- och studerandehälsovård", ("children_youth",)),
    "family_counselling": ("perheneuvola", "familjerådgivning", ("children_youth",)),
    "child_health_clinic": ("lastenneuvola", "barnrådgivning", ("children_youth",)),
    "other": ("nuorisoasema", "ungdomsstation", ("children_youth", "both")),
}

# Real municipalities of each wellbeing services county (a few each is enough for demo data).
MUNICIPALITIES = {
    "helsinki": ("Helsinki",),
    "hus": ("Helsinki", "Espoo", "Vantaa", "Kauniainen"),
    "etela-karjala": ("Lappeenranta", "Imatra", "Lemi", "Luumäki", "Parikkala", "Ruokolahti", "Savitaipale"),
    "ita-uusimaa": ("Porvoo", "Loviisa", "Sipoo", "Askola", "Myrskylä", "Pukkila", "Lapinjärvi"),
    "keski-uusimaa": ("Hyvinkää", "Järvenpää", "Tuusula", "Nurmijärvi", "Mäntsälä", "Pornainen"),
    "kymenlaakso": ("Kotka", "Kouvola", "Hamina", "Pyhtää", "Miehikkälä", "Virolahti"),
    "lansi-uusimaa": (
        "Espoo",
        "Kauniainen",
        "Lohja",
        "Kirkkonummi",
        "Vihti",
        "Raasepori",
        "Hanko",
        "Inkoo",
        "Siuntio",
        "Karkkila",
    ),
    "paijat-hame": ("Lahti", "Heinola", "Hollola", "Orimattila", "Asikkala", "Sysmä", "Padasjoki", "Hartola"),
    "vantaa-kerava": ("Vantaa", "Kerava"),
    "varsinais-suomi": ("Turku", "Salo", "Kaarina", "Raisio", "Naantali", "Uusikaupunki", "Loimaa", "Parainen"),
    "satakunta": ("Pori", "Rauma", "Ulvila", "Kankaanpää", "Harjavalta", "Eura", "Huittinen"),
    "pohjanmaa": ("Vaasa", "Mustasaari", "Pietarsaari", "Kristiinankaupunki", "Närpiö", "Uusikaarlepyy", "Laihia"),
    "pirkanmaa": ("Tampere", "Nokia", "Ylöjärvi", "Kangasala", "Lempäälä", "Pirkkala", "Valkeakoski", "Sastamala"),
    "kanta-hame": ("Hämeenlinna", "Riihimäki", "Forssa", "Janakkala", "Hattula", "Loppi"),
    "etela-pohjanmaa": ("Seinäjoki", "Lapua", "Kauhava", "Kurikka", "Alavus", "Ilmajoki", "Kauhajoki"),
    "pohjois-savo": ("Kuopio", "Iisalmi", "Varkaus", "Siilinjärvi", "Suonenjoki", "Leppävirta"),
    "keski-suomi": ("Jyväskylä", "Äänekoski", "Jämsä", "Laukaa", "Muurame", "Keuruu", "Saarijärvi"),
    "etela-savo": ("Mikkeli", "Savonlinna", "Pieksämäki", "Juva", "Kangasniemi"),
    "pohjois-karjala": ("Joensuu", "Kitee", "Lieksa", "Nurmes", "Outokumpu", "Kontiolahti", "Liperi"),
    "pohjois-pohjanmaa": ("Oulu", "Raahe", "Kuusamo", "Ylivieska", "Kempele", "Nivala", "Haapavesi"),
    "keski-pohjanmaa": ("Kokkola", "Kannus", "Kaustinen", "Veteli", "Perho", "Toholampi"),
    "kainuu": ("Kajaani", "Kuhmo", "Sotkamo", "Suomussalmi", "Paltamo", "Hyrynsalmi"),
    "lappi": ("Rovaniemi", "Tornio", "Kemi", "Kemijärvi", "Sodankylä", "Inari", "Kittilä"),
}
DEFAULT_COUNTY = "lansi-uusimaa"  # 12 % Swedish-speaking: the Finland-Swedish names fit

PROFESSIONS = (
    "psykologi",
    "sairaanhoitaja",
    "psykiatrinen sairaanhoitaja",
    "sosiaalityöntekijä",
    "terveydenhoitaja",
    "kuraattori",
    "lääkäri",
    "psykoterapeutti",
    "sosiaaliohjaaja",
    "koulupsykologi",
    "perheterapeutti",
)
UNIT_NOTES = (
    "",
    "",
    "",
    "",
    "Yhteyshenkilö vaihtui syksyllä.",
    "Tiimipalaverit tiistaisin; esittelyt sinne.",
    "Pilotti käynnistyi keväällä, seuranta Zef-kyselyllä.",
    "Uusi esihenkilö aloittaa vuodenvaihteessa.",
    "Tilat remontissa, tapaamiset etänä.",
)
# Short method names for cohort labels (by seeded method key); other methods use name_fi.
METHOD_SHORT = {
    "ipc": "IPC",
    "kognitiivinen-lyhytterapia": "Kognitiivinen lyhytterapia",
    "ipt": "IPT",
    "ohjattu-omahoito": "Ohjattu omahoito",
    "ipc-n": "IPC-N",
    "cool-kids": "Cool Kids",
    "ahdistuksen-lyhytinterventio": "Ahdistuksen lyhytinterventio",
    "kognitiivinen-lyhytterapia-nuoret": "Lasten ja nuorten lyhytterapia",
    "ipt-nuoret": "IPT-nuoret",
    "nuorten-ohjattu-omahoito": "Nuorten ohjattu omahoito",
}
# Methods taught with a year of group method guidance (DOMAIN.md: IPC, Cool Kids, brief therapy…).
GUIDED_METHODS = tuple(METHOD_SHORT)

EVENT_TITLES = {
    "workshop": (
        "Työpaja: palvelupolun kuvaaminen",
        "Työpaja: ohjatun omahoidon käynnistäminen",
        "Työpaja: Terapianavigaattori vastaanotolla",
        "Työpaja: hoitoonpääsyn seuranta",
        "Työpaja: nuorten terapiatakuu käytännössä",
        "Työpaja: menetelmä osaksi arkea",
        "Arbetsverkstad: guidad egenvård i praktiken",
    ),
    "support_meeting": ("Tukitapaaminen", "Tukitapaaminen", "Stödmöte"),
    "peer_mentoring": ("Vertaismentorointiryhmä", "Vertaismentorointiryhmä: haastavat tilanteet"),
    "management_sparring": ("Tiedolla johtamisen sparri", "Tiedolla johtamisen sparri: esihenkilöt"),
    "network_meeting": (
        "Alueen koordinaattorien verkostotapaaminen",
        "Verkostotapaaminen: koulut ja oppilashuolto",
        "Verkostotapaaminen: perheneuvolat",
        "Verkostotapaaminen: aikuisten mielenterveyspalvelut",
    ),
    "training": (
        "Koulutus: Terapianavigaattori ja ensijäsennys",
        "Koulutus: ohjattu omahoito",
        "Cool Kids -peruskoulutus",
        "IPC-peruskoulutus",
        "Koulutus: motivoiva haastattelu",
        "Koulutus: akuutin kriisin kohtaaminen",
    ),
    "other": (
        "Infotilaisuus: Terapiat etulinjaan",
        "Esittely johtoryhmälle",
        "Messuosasto: hyvinvointipäivä",
    ),
}
EVENT_THEMES = {
    "workshop": ("Palvelupolut", "Käyttöönoton suunnittelu", "Hoitoonpääsy", "Yhteiskehittäminen"),
    "support_meeting": (
        "Pilotin väliarvio",
        "Käyttöönoton eteneminen",
        "Zef-kyselyn tulokset",
        "NoMAD-kyselyn tulokset",
        "Ohjausten järjestäminen",
    ),
    "guidance_group": ("Menetelmäohjaus",),
    "peer_mentoring": ("Kokemusten jakaminen", "Haastavat tilanteet ohjauksessa", "Oma jaksaminen"),
    "management_sparring": (
        "Hoitoonpääsyn luvut",
        "Odotusajat ja jonot",
        "Käyttöönottojen tilannekuva",
        "Vaikuttavuuden seuranta",
    ),
    "network_meeting": ("Yhteistyö ja työnjako", "Ajankohtaiset", "Alueen tilannekuva"),
    "training": ("Peruskoulutus", "Täydennyskoulutus"),
    "other": ("Viestintä", "Esittely"),
}
EVENT_NOTES = (
    "",
    "",
    "",
    "",
    "",
    "",
    "Muistio lähetetty osallistujille.",
    "Diat jaettu Teamsissa.",
    "Seuraavalla kerralla käydään läpi kyselyn tulokset.",
    "Osallistujat toivoivat lisää harjoittelua.",
)
MEETING_ROOMS = ("neuvotteluhuone", "kokoushuone 2", "auditorio", "kahvihuone")
REMOTE_PLACE = "Teams"

GUIDANCE_TOPICS = (
    "tapausohjaus: hoidon aloitus",
    "interpersonaaliset ongelma-alueet",
    "kotitehtävien käyttö",
    "hoidon päättäminen",
    "mittarit (PHQ-9, GAD-7)",
    "vanhempien osallistaminen",
    "altistusharjoitukset",
    "roolipeliharjoitus",
    "terapiasuhteen katkokset",
    "menetelmäuskollisuus",
    "tavoitteiden asettaminen",
    "ryhmän vetäminen",
)
SESSION_NOTES = ("", "", "", "", "Seuraavaksi nauhoitteen käsittely.", "Ohjattava pyysi lisämateriaalia.")

# (title, metric, target range, with a unit?, with a method?)
GOAL_TEMPLATES = (
    ("Ammattilaisia koulutettu menetelmään", "koulutetut ammattilaiset (lkm)", (5, 20), True, True),
    ("Nuorten hoito alkaa 28 vuorokaudessa", "hoidon aloitus 28 vrk:ssa (%)", (80, 95), False, False),
    ("Menetelmällä aloitettuja hoitoja", "aloitetut hoidot (lkm)", (20, 80), True, True),
    ("NoMAD-kysely toteutettu", "vastanneet (lkm)", (10, 30), True, False),
    ("Terapianavigaattori käytössä terveysasemilla", "yksiköt (lkm)", (3, 12), False, False),
    ("Menetelmä käytössä yksiköissä", "yksiköt, joissa käytössä (lkm)", (2, 10), False, True),
    ("Odotusaika hoitoon enintään kuukausi", "hoidon 28 vrk:ssa aloittaneet (%)", (75, 95), True, False),
    ("Yhteisasiakkuus alkaa 13 päivässä", "toteutuneet (%)", (70, 90), False, False),
    ("Menetelmäohjaus järjestetty kaikille kouluttautujille", "ohjauskerrat (lkm)", (15, 40), False, True),
    ("Käyttäjäpalaute kerätty yksiköstä", "vastaukset (lkm)", (8, 25), True, False),
)
GOAL_NOTES = ("", "", "Sovittu alueen ohjausryhmässä.", "Seuranta puolivuosittain.", "Sovittu esihenkilöiden kanssa.")
UPDATE_NOTES = ("", "", "", "Luku raportoitu keskukselle.", "Tilanne tarkistettu yksikön kanssa.")

COORDINATOR_ROLE = "both"
CENTRAL_OFFICE_EMAIL = "keskus@example.org"

# Why a demo deployment paused or ended (app.core.phases.STOP_REASONS): how common each reason is,
# and what a coordinator might write beside it.
STOP_REASON_WEIGHTS = {
    "paused": {
        "staff_turnover": 30,
        "resources": 25,
        "training_missing": 15,
        "no_clients": 10,
        "organisation_change": 10,
        "other": 10,
    },
    "ended": {
        "replaced": 20,
        "not_suitable": 20,
        "staff_turnover": 15,
        "resources": 15,
        "organisation_change": 15,
        "no_clients": 10,
        "other": 5,
    },
}
STOP_REASON_NOTES = {
    "staff_turnover": ("Molemmat koulutetut työntekijät siirtyivät muihin tehtäviin.", "Koulutettu psykologi jäi perhevapaalle."),
    "resources": ("Ei resurssia ryhmien vetämiseen tänä syksynä.", "Henkilöstövaje: vastaanottoajat ensin."),
    "no_clients": ("Kohderyhmän asiakkaita ohjautui liian vähän.",),
    "training_missing": ("Seuraava koulutus alkaa vasta ensi vuonna.",),
    "organisation_change": ("Yksikkö yhdistyi naapuriyksikön kanssa.",),
    "replaced": ("Korvattiin hyvinvointialueen yhteisellä mallilla.",),
    "not_suitable": ("Menetelmä ei sopinut yksikön asiakaskuntaan.",),
    "other": ("Odotetaan hyvinvointialueen linjausta.",),
}
