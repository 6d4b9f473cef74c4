"""Survey instruments as the scoring and the survey-file reader see them: items, their answer
options, and what each option scores. Pure data, no Flask, no database: app.models.surveys
stores the editable catalogue and turns its rows into these (see `Instrument.from_rows`
there); the seeded instruments (NoMAD, SUS, UMUX-Lite) are declared in SEEDED below.

An answer option has a code (what Koordi stores counts under), a score (None: not relevant /
not applicable — counted and shown, never scored) and labels in fi/sv/en by which a survey
tool's export is mapped (never by the tool's numbers: tools code answers in any direction).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.text import fold


class Scale(StrEnum):
    NOMAD = "nomad"  # strongly agree … strongly disagree + three "not relevant" options (NoMAD part B)
    ZERO_TEN = "zero_ten"  # 0 … 10 (NoMAD part A, the general items)
    POINTS = "points"  # 1 … points (SUS: 5, UMUX-Lite: 7, custom instruments: 2 … 11)


class Kind(StrEnum):
    NOMAD = "nomad"
    SUS = "sus"  # odd items positive, even items negative (Brooke 1996)
    SUS_POSITIVE = "sus_positive"  # the all-positive version: every item x - 1
    UMUX_LITE = "umux_lite"
    CUSTOM = "custom"


# NoMAD part B's option codes, in the order a survey shows them.
NOMAD_CODES = ("sa", "a", "n", "d", "sd", "nr_role", "nr_stage", "nr_intervention")
NOT_RELEVANT = ("nr_role", "nr_stage", "nr_intervention")
NOT_APPLICABLE = "na"  # a custom item's optional "not applicable"
# Not an answer option: a respondent of the round who left the item empty (counted, never scored).
BLANK = "blank"
CONSTRUCTS = ("coherence", "cognitive_participation", "collective_action", "reflexive_monitoring")
GENERAL = "general"  # NoMAD part A: G1-G3 on 0-10, scored item by item, never pooled
LANGS = ("fi", "sv", "en")


@dataclass(frozen=True)
class Option:
    """One answer option of an item: its code, its score and its wordings."""

    code: str
    score: float | None  # None: not relevant / not applicable (excluded from scores, counted)
    labels: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # fi/sv/en and synonyms
    # Other wordings survey tools print for this option, per language ("" = any language: digits).
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Item:
    """One question of an instrument: its scale, whether it is scored reversed, its wording."""

    code: str  # "CO1", "SUS3", "Q4"
    group: str  # NoMAD construct ("coherence"…, "general"), or a custom instrument's group ("" for none)
    scale: Scale
    points: int = 5  # for Scale.POINTS
    reversed: bool = False  # negatively worded: scored (low + high) - v (NoMAD CA2; custom items)
    not_applicable: bool = False  # a custom item's "not applicable" option
    labels: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # the item's wording, fi/sv/en


@dataclass(frozen=True)
class Instrument:
    """A survey instrument (NoMAD, SUS, UMUX-Lite or the coordinator's own) and its items."""

    key: str  # stable: "nomad-20", "nomad-fi-16", "sus", "sus-positive", "umux-lite", or a custom one's id
    kind: Kind
    items: tuple[Item, ...]
    names: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)


# Privacy of staff (FOLLOWUP.md, a design decision): a round with fewer respondents than this is
# shown to its coordinator, but none of its figures leave the laptop un-asked (the coordinator
# may tick that it can), nor appear in the central office's views.
SMALL_ROUND = 5


# --- Answer options ------------------------------------------------------------------------------
# Every wording Koordi recognises for an answer, per language: the first is the option's label,
# the rest synonyms that survey tools (Webropol, Zef, LimeSurvey, Forms) or translations print.
# Ours where no source exists (the Finnish and Swedish "not relevant" wordings); edit here only.
Words = dict[str, tuple[str, ...]]

AGREE5: dict[str, Words] = {
    "sa": {
        "fi": ("Täysin samaa mieltä", "Vahvasti samaa mieltä"),
        "sv": ("Helt av samma åsikt", "Instämmer helt", "Håller helt med", "Helt enig"),
        "en": ("Strongly agree", "Completely agree", "Fully agree"),
    },
    "a": {
        "fi": ("Samaa mieltä", "Jokseenkin samaa mieltä", "Osittain samaa mieltä"),
        "sv": ("Av samma åsikt", "Delvis av samma åsikt", "Instämmer", "Instämmer delvis", "Håller med", "Enig", "Delvis enig"),
        "en": ("Agree", "Somewhat agree", "Partly agree"),
    },
    "n": {
        "fi": ("Ei samaa eikä eri mieltä", "Ei samaa mieltä eikä eri mieltä", "Neutraali"),
        "sv": (
            "Varken av samma eller annan åsikt",
            "Varken eller",
            "Varken instämmer eller tar avstånd",
            "Varken enig eller oenig",
            "Neutral",
        ),
        "en": ("Neither agree nor disagree", "Neither agree or disagree", "Neutral", "Undecided"),
    },
    "d": {
        "fi": ("Eri mieltä", "Jokseenkin eri mieltä", "Osittain eri mieltä"),
        "sv": (
            "Av annan åsikt",
            "Delvis av annan åsikt",
            "Tar avstånd",
            "Tar delvis avstånd",
            "Instämmer inte",
            "Håller inte med",
            "Oenig",
            "Delvis oenig",
        ),
        "en": ("Disagree", "Somewhat disagree", "Partly disagree"),
    },
    "sd": {
        "fi": ("Täysin eri mieltä", "Vahvasti eri mieltä"),
        "sv": ("Helt av annan åsikt", "Instämmer inte alls", "Tar helt avstånd", "Håller inte alls med", "Helt oenig"),
        "en": ("Strongly disagree", "Completely disagree"),
    },
    # NoMAD's three "not relevant" answers, kept apart (FOLLOWUP.md).
    "nr_role": {
        "fi": ("Ei koske minun rooliani", "Ei koske rooliani", "Ei relevantti roolini kannalta"),
        "sv": ("Inte relevant för min roll", "Gäller inte min roll", "Ej relevant för min roll"),
        "en": ("Not relevant to my role",),
    },
    "nr_stage": {
        "fi": ("Ei koske tätä vaihetta", "Ei ajankohtainen tässä vaiheessa", "Ei relevantti tässä vaiheessa"),
        "sv": ("Inte relevant i detta skede", "Gäller inte detta skede", "Inte relevant i nuläget", "Ej relevant i detta skede"),
        "en": ("Not relevant at this stage",),
    },
    "nr_intervention": {
        "fi": (
            "Ei koske tätä menetelmää",
            "Ei koske menetelmää",
            "Ei koske tätä interventiota",
            "Ei relevantti tämän menetelmän kannalta",
        ),
        "sv": (
            "Inte relevant för metoden",
            "Gäller inte denna metod",
            "Inte relevant för interventionen",
            "Ej relevant för metoden",
        ),
        "en": ("Not relevant to the intervention", "Not relevant to the method", "Not relevant to this method"),
    },
}
# A 5-point POINTS item (SUS, custom agreement items) reads the same agreement words as 1-5.
AGREE5_POINTS = {5: "sa", 4: "a", 3: "n", 2: "d", 1: "sd"}

AGREE7: dict[int, Words] = {
    7: {"fi": ("Täysin samaa mieltä",), "sv": ("Helt av samma åsikt", "Instämmer helt"), "en": ("Strongly agree",)},
    6: {"fi": ("Samaa mieltä",), "sv": ("Av samma åsikt", "Instämmer"), "en": ("Agree",)},
    5: {
        "fi": ("Jokseenkin samaa mieltä", "Osittain samaa mieltä"),
        "sv": ("Delvis av samma åsikt", "Instämmer delvis"),
        "en": ("Somewhat agree",),
    },
    4: {
        "fi": ("Ei samaa eikä eri mieltä", "Neutraali"),
        "sv": ("Varken av samma eller annan åsikt", "Varken eller", "Neutral"),
        "en": ("Neither agree nor disagree", "Neither agree or disagree", "Neutral"),
    },
    3: {
        "fi": ("Jokseenkin eri mieltä", "Osittain eri mieltä"),
        "sv": ("Delvis av annan åsikt", "Tar delvis avstånd"),
        "en": ("Somewhat disagree",),
    },
    2: {"fi": ("Eri mieltä",), "sv": ("Av annan åsikt", "Tar avstånd"), "en": ("Disagree",)},
    1: {
        "fi": ("Täysin eri mieltä",),
        "sv": ("Helt av annan åsikt", "Instämmer inte alls", "Tar helt avstånd"),
        "en": ("Strongly disagree",),
    },
}
# NoMAD part A's end and middle labels (G1: very new … completely familiar; G2, G3: not at all,
# somewhat, completely); harmless on any 0-10 item, as no two of them name different points.
ZERO_TEN_ANCHORS: dict[int, Words] = {
    0: {
        "fi": ("Edelleen hyvin uusi", "Ei lainkaan"),
        "sv": ("Fortfarande mycket ny", "Inte alls"),
        "en": ("Still feels very new", "Not at all"),
    },
    5: {"fi": ("Jonkin verran",), "sv": ("Till viss del",), "en": ("Somewhat",)},
    10: {"fi": ("Täysin tuttu", "Täysin"), "sv": ("Helt välbekant", "Helt"), "en": ("Feels completely familiar", "Completely")},
}
# A custom item's "not applicable"; the usual "don't know" opt-out is excluded from scores alike.
NA_WORDS: Words = {
    "fi": ("Ei koske minua", "Ei sovellu", "En osaa sanoa"),
    "sv": ("Ej tillämpligt", "Inte tillämpligt", "Gäller inte mig", "Vet inte", "Kan inte säga"),
    "en": ("Not applicable", "N/A", "NA", "Does not apply", "Don't know"),
}

NOMAD_SCORES = {"sa": 5, "a": 4, "n": 3, "d": 2, "sd": 1}


def _worded(code: str, score: float | None, words: Words, digit: str | None = None) -> Option:
    if digit is not None:  # a point of a numeric scale: the digit is its label, words are synonyms
        labels = dict.fromkeys(LANGS, digit)
        synonyms = {lang: words.get(lang, ()) for lang in LANGS}
    else:
        labels = {lang: words[lang][0] for lang in LANGS}
        synonyms = {lang: words[lang][1:] for lang in LANGS}
    return Option(code, score, labels, synonyms)


def bounds(item: Item) -> tuple[int, int]:
    """The lowest and highest score of the item's scale (a reversed item scores low + high - v)."""
    if item.scale is Scale.NOMAD:
        return 1, 5
    if item.scale is Scale.ZERO_TEN:
        return 0, 10
    return 1, item.points


def options(item: Item) -> tuple[Option, ...]:
    """The item's answer options in the order a survey shows them, each with its score as answered
    (before reversal: app.core.scoring reverses negatively worded items)."""
    return _options(item.scale, item.points, item.not_applicable)


@functools.lru_cache(maxsize=64)
def _options(scale: Scale, points: int, not_applicable: bool) -> tuple[Option, ...]:
    if scale is Scale.NOMAD:
        return tuple(_worded(code, NOMAD_SCORES.get(code), AGREE5[code]) for code in NOMAD_CODES)
    low, high = (0, 10) if scale is Scale.ZERO_TEN else (1, points)
    if scale is Scale.ZERO_TEN:
        words = ZERO_TEN_ANCHORS
    elif points == 5:
        words = {v: AGREE5[code] for v, code in AGREE5_POINTS.items()}
    elif points == 7:
        words = AGREE7
    else:
        words = {}
    result = [_worded(str(v), v, words.get(v, {}), digit=str(v)) for v in range(low, high + 1)]
    if not_applicable:
        result.append(_worded(NOT_APPLICABLE, None, NA_WORDS))
    return tuple(result)


def normalise_label(text: str) -> str:
    """The key an answer label is matched by: case folded, whitespace squashed, accents kept
    ("Täysin  SAMAA mieltä " -> "täysin samaa mieltä"; ä stays a letter of its own)."""
    return " ".join(fold(text).split())


# How tools print a numbered point with its words: "5 = Täysin samaa mieltä", "5 - …", "5. …".
_NUMBERED = (" ", " = ", " - ", " – ", ". ", ": ", ") ")


def label_index(item: Item, lang: str | None = None) -> dict[str, str]:
    """Normalised answer label -> option code, for mapping a survey file's answers by label.

    `lang` limits the words to one language (None: fi, sv and en together). A point of a
    numeric scale is known by its digit, its words, and the two together ("4 = Agree"); a
    NoMAD answer never by a number, as tools number them in either direction.
    """
    langs = LANGS if lang is None else (lang,)
    index: dict[str, str] = {}

    def add(label: str, code: str) -> None:
        key = normalise_label(label)
        if index.setdefault(key, code) != code:  # the tables above must never allow this
            raise ValueError(f"answer label {label!r} names both {index[key]!r} and {code!r}")

    for option in options(item):
        words = [option.labels[lg] for lg in langs if lg in option.labels]
        words += [w for lg in (*langs, "") for w in option.synonyms.get(lg, ())]
        for word in words:
            add(word, option.code)
            if option.code.isdigit() and word != option.code:
                for sep in _NUMBERED:
                    add(f"{option.code}{sep}{word}", option.code)
    return index


# --- The seeded instruments ----------------------------------------------------------------------
# Item labels are ours: short, after FOLLOWUP.md's table, not the licensed wordings; the
# coordinator pastes their survey's wording beside them. Codes are what a survey file's header
# is matched by (CO1 … RM5, SUS1 … SUS10).
_NOMAD_PART_B = (
    ("CO1", "coherence", "Eroaa tavallisesta työstä", "Skiljer sig från det vanliga arbetet", "Differs from usual work"),
    (
        "CO2",
        "coherence",
        "Yhteinen käsitys tarkoituksesta",
        "Gemensam förståelse av syftet",
        "Shared understanding of its purpose",
    ),
    (
        "CO3",
        "coherence",
        "Ymmärrän, miten se vaikuttaa työhöni",
        "Jag förstår hur den påverkar mitt arbete",
        "I understand how it affects my work",
    ),
    (
        "CO4",
        "coherence",
        "Näen sen arvon työlleni",
        "Jag ser dess värde för mitt arbete",
        "I see its potential value for my work",
    ),
    (
        "CP1",
        "cognitive_participation",
        "Avainhenkilöt vievät sitä eteenpäin",
        "Nyckelpersoner driver den framåt",
        "Key people drive it forward",
    ),
    (
        "CP2",
        "cognitive_participation",
        "Kuuluu perustellusti työhöni",
        "En legitim del av min roll",
        "A legitimate part of my role",
    ),
    (
        "CP3",
        "cognitive_participation",
        "Olen avoin uusille työtavoille",
        "Jag är öppen för nya arbetssätt",
        "I am open to working in new ways",
    ),
    (
        "CP4",
        "cognitive_participation",
        "Tuen sitä jatkossakin",
        "Jag kommer att fortsätta stödja den",
        "I will continue to support it",
    ),
    (
        "CA1",
        "collective_action",
        "Sopii helposti osaksi työtäni",
        "Passar lätt in i mitt arbete",
        "Integrates easily into my work",
    ),
    ("CA2", "collective_action", "Haittaa työsuhteita", "Stör arbetsrelationerna", "Disrupts working relationships"),
    (
        "CA3",
        "collective_action",
        "Luotan muiden osaamiseen sen käytössä",
        "Jag litar på andras förmåga att använda den",
        "Confidence in others' ability to use it",
    ),
    (
        "CA4",
        "collective_action",
        "Työ on jaettu oikealle osaamiselle",
        "Arbetet fördelas efter rätt kompetens",
        "Work assigned to the right skills",
    ),
    ("CA5", "collective_action", "Koulutusta on riittävästi", "Tillräcklig utbildning", "Sufficient training"),
    ("CA6", "collective_action", "Resursseja on riittävästi", "Tillräckliga resurser", "Sufficient resources"),
    ("CA7", "collective_action", "Johto tukee riittävästi", "Ledningen stöder tillräckligt", "Sufficient management support"),
    (
        "RM1",
        "reflexive_monitoring",
        "Tiedän raporteista sen vaikutuksista",
        "Jag känner till rapporter om dess effekter",
        "Aware of reports on its effects",
    ),
    (
        "RM2",
        "reflexive_monitoring",
        "Työntekijät pitävät sitä hyödyllisenä",
        "Personalen anser att den är värd mödan",
        "Staff agree it is worthwhile",
    ),
    (
        "RM3",
        "reflexive_monitoring",
        "Arvostan sen vaikutuksia työhöni",
        "Jag värdesätter dess effekter på mitt arbete",
        "I value its effects on my work",
    ),
    (
        "RM4",
        "reflexive_monitoring",
        "Palautteella voi parantaa sitä",
        "Återkoppling kan förbättra den",
        "Feedback can improve it",
    ),
    (
        "RM5",
        "reflexive_monitoring",
        "Voin muokata tapaani tehdä sitä",
        "Jag kan anpassa hur jag arbetar med den",
        "I can modify how I work with it",
    ),
)
_NOMAD_REVERSED = {"CA2"}  # negatively worded (FOLLOWUP.md)

_NOMAD_GENERAL = (
    ("G1", "Kuinka tutulta menetelmä tuntuu", "Hur välbekant känns metoden", "How familiar does it feel"),
    ("G2", "Onko se nyt normaali osa työtäsi", "Är den nu en normal del av ditt arbete", "Is it a normal part of your work now"),
    (
        "G3",
        "Tuleeko siitä normaali osa työtäsi",
        "Kommer den att bli en normal del av ditt arbete",
        "Will it become a normal part of your work",
    ),
)
# The Finnish 16-question version (Kasvuntuki / Innokylä) is not public item by item: this subset
# is our reading (all of coherence and cognitive participation, four items each of collective
# action, keeping the reversed CA2, and reflexive monitoring), with the general items. The
# coordinator edits it in the catalogue to match the survey they actually used.
_NOMAD_FI_16 = ("CO1", "CO2", "CO3", "CO4", "CP1", "CP2", "CP3", "CP4", "CA1", "CA2", "CA5", "CA7", "RM1", "RM2", "RM3", "RM4")

_SUS = (
    ("Haluaisin käyttää tätä usein", "Jag skulle vilja använda det ofta", "I would like to use it frequently"),
    ("Tarpeettoman monimutkainen", "Onödigt komplicerat", "Unnecessarily complex"),
    ("Helppokäyttöinen", "Lätt att använda", "Easy to use"),
    ("Tarvitsisin teknistä tukea", "Jag skulle behöva teknisk hjälp", "I would need technical support"),
    ("Toiminnot sopivat hyvin yhteen", "Funktionerna är väl integrerade", "Functions well integrated"),
    ("Liian epäjohdonmukainen", "För mycket inkonsekvens", "Too much inconsistency"),
    ("Useimmat oppisivat sen nopeasti", "De flesta skulle lära sig det snabbt", "Most people would learn it quickly"),
    ("Hankala käyttää", "Krångligt att använda", "Cumbersome to use"),
    ("Tunsin oloni varmaksi käyttäessäni sitä", "Jag kände mig säker när jag använde det", "I felt confident using it"),
    ("Piti opetella paljon ennen käyttöä", "Jag behövde lära mig mycket först", "I needed to learn a lot first"),
)
# Sauro & Lewis (2011): every item worded positively, so every item scores x - 1.
_SUS_POSITIVE = (
    ("Haluaisin käyttää tätä usein", "Jag skulle vilja använda det ofta", "I would like to use it frequently"),
    ("Yksinkertainen", "Enkelt", "Simple"),
    ("Helppokäyttöinen", "Lätt att använda", "Easy to use"),
    ("Pärjäisin ilman teknistä tukea", "Jag skulle klara mig utan teknisk hjälp", "I could use it without technical support"),
    ("Toiminnot sopivat hyvin yhteen", "Funktionerna är väl integrerade", "Functions well integrated"),
    ("Johdonmukainen", "Konsekvent", "Consistent"),
    ("Useimmat oppisivat sen nopeasti", "De flesta skulle lära sig det snabbt", "Most people would learn it quickly"),
    ("Luonteva käyttää", "Intuitivt", "Intuitive to use"),
    ("Tunsin oloni varmaksi käyttäessäni sitä", "Jag kände mig säker när jag använde det", "I felt confident using it"),
    (
        "Osasin käyttää sitä opettelematta uutta",
        "Jag kunde använda det utan att lära mig nytt",
        "I could use it without learning anything new",
    ),
)
_UMUX_LITE = (
    ("UL1", "Ominaisuudet vastaavat tarpeitani", "Funktionerna motsvarar mina behov", "Its capabilities meet my requirements"),
    ("UL2", "Helppokäyttöinen", "Lätt att använda", "Easy to use"),
)


def _labels(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


def _nomad(key: str, codes: tuple[str, ...] | None, names: dict[str, str]) -> Instrument:
    general = tuple(Item(code, GENERAL, Scale.ZERO_TEN, labels=_labels(*text)) for code, *text in _NOMAD_GENERAL)
    part_b = tuple(
        Item(code, group, Scale.NOMAD, reversed=code in _NOMAD_REVERSED, labels=_labels(fi, sv, en))
        for code, group, fi, sv, en in _NOMAD_PART_B
        if codes is None or code in codes
    )
    return Instrument(key, Kind.NOMAD, general + part_b, names)


def _sus(key: str, kind: Kind, texts: tuple[tuple[str, str, str], ...], names: dict[str, str]) -> Instrument:
    items = tuple(
        # Standard SUS: the even items are worded negatively (Brooke 1996).
        Item(f"SUS{n}", "", Scale.POINTS, points=5, reversed=kind is Kind.SUS and n % 2 == 0, labels=_labels(*text))
        for n, text in enumerate(texts, start=1)
    )
    return Instrument(key, kind, items, names)


SEEDED: tuple[Instrument, ...] = (
    _nomad("nomad-20", None, _labels("NoMAD (20 väittämää)", "NoMAD (20 påståenden)", "NoMAD (20 items)")),
    _nomad(
        "nomad-fi-16",
        _NOMAD_FI_16,
        _labels(
            "NoMAD, suomenkielinen 16 kysymyksen versio",
            "NoMAD, finsk version med 16 frågor",
            "NoMAD, Finnish 16-question version",
        ),
    ),
    _sus(
        "sus",
        Kind.SUS,
        _SUS,
        _labels("SUS (System Usability Scale)", "SUS (System Usability Scale)", "SUS (System Usability Scale)"),
    ),
    _sus(
        "sus-positive",
        Kind.SUS_POSITIVE,
        _SUS_POSITIVE,
        _labels("SUS, myönteisesti muotoiltu versio", "SUS, positivt formulerad version", "SUS, all-positive version"),
    ),
    Instrument(
        "umux-lite",
        Kind.UMUX_LITE,
        tuple(Item(code, "", Scale.POINTS, points=7, labels=_labels(*text)) for code, *text in _UMUX_LITE),
        _labels("UMUX-Lite", "UMUX-Lite", "UMUX-Lite"),
    ),
)
