"""Full-text search over the FTS5 tables search_index and search_index_folded (migrations
0003 and 0009). No Flask.

What the coordinator types is never handed to FTS5 as query syntax: it is cut into
words (letters and digits), and each word becomes a quoted term, "word" or "word"*.
Quotes, *, -, parentheses, AND/OR/NOT/NEAR are then plain text or separators, so no
input can make a syntax error; words are ANDed; the last one need not be finished.

Case folds through the unicode61 tokenizer ("äänekoski" finds "Äänekoski"). search_index
keeps diacritics (ä and ö are letters of their own), search_index_folded drops them, so
"aanekoski" finds "Äänekoski" too, ranked after what matches as typed; a Finnish word's
inflected forms are found through its stems (app.core.finnish): "haapakoski" finds
"Haapakosken", "lehtomäki" "Lehtomäen". When nothing is found, suggest() offers the nearest
indexed names ("Did you mean …?").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Result, TextClause, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.core import finnish, spelling
from app.models import Deployment, Event, GuidanceSession, Method, Unit

KINDS = ("unit", "event", "trainee", "guidance", "goal", "deployment")  # the order groups are shown in
PER_KIND = 20  # results shown per kind; the total is told
MAX_QUERY = 200  # characters of the query looked at
MAX_TERMS = 8
MAX_TERM = 64  # characters of one word
WORD = re.compile(r"[^\W_]+")  # letters and digits of any script: what unicode61 keeps as tokens
MARK_START, MARK_END = "\x02", "\x03"  # around matched words in highlight()/snippet(); never in stored text


def terms(q: str) -> list[str]:
    """The words of a query, as the index tokenises them: NFC, letters and digits only."""
    q = unicodedata.normalize("NFC", (q or "")[:MAX_QUERY])
    return [w[:MAX_TERM] for w in WORD.findall(q)][:MAX_TERMS]


def kind_expression(kind: str, tier: Tier) -> str:
    """A pass restricted to one kind's live rows, in its columns (kind and deleted are indexed
    as words to filter by inside the index, never searched as text)."""
    return f'kind : "{kind}" AND deleted : "0" AND {tier.columns} : ({tier.words})'


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool


LINE_BREAKS = re.compile(r"\s*\n[\s\n]*")


def segments(marked: str) -> list[Segment]:
    """highlight()/snippet() output as plain pieces, matched or not (the template escapes them).

    The indexed body joins a record's fields (theme, place, notes...) with line breaks;
    a result shows them on one line, parted by " · ".
    """
    out: list[Segment] = []
    marked = LINE_BREAKS.sub(" · ", (marked or "").strip())
    for i, part in enumerate(re.split(f"[{MARK_START}{MARK_END}]", marked)):
        if part:
            out.append(Segment(part, i % 2 == 1))
    return out


@dataclass
class Hit:
    kind: str
    ref_id: str
    title: list[Segment]
    snippet: list[Segment]
    date: dt.date | None = None  # events and guidance sessions
    extra: str = ""  # a guidance session's method


@dataclass
class Group:
    kind: str
    total: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.hits)


EXACT, FOLDED = "search_index", "search_index_folded"  # ä kept as ä / every diacritic folded away (0009)
TITLE, ANYWHERE = "{title}", "{title body}"  # the columns a pass looks in


@dataclass(frozen=True)
class Tier:
    """One pass of a search: an FTS table, a MATCH expression over it, and the columns."""

    table: str
    words: str
    columns: str = ANYWHERE


def _quoted(word: str) -> str:
    # Quoting makes each word a string: FTS5 keywords and operators lose their meaning.
    return '"' + word.replace('"', '""') + '"'


def _any_form(word: str) -> str:
    """The word as a prefix, or any of its stems as one (app.core.finnish)."""
    forms = [word, *finnish.stems(word)]
    if len(forms) == 1:
        return _quoted(word) + "*"
    return "(" + " OR ".join(_quoted(f) + "*" for f in forms) + ")"


def tiers(q: str) -> list[Tier]:
    """The passes of a search, best first; the last one finds everything any of them finds.

    1. every word whole, as typed (ä is not a);  2. every word as a prefix;
    3. any inflected form (Finnish stems: haapakoski ~ Haapakosken);
    4. and 5. the same two without diacritics (aanekoski ~ Äänekoski, lehtomaki ~ Lehtomäen);
    each in the name or title first, then anywhere. A pass that could find nothing new (no word
    has stems) is left out.
    """
    words = terms(q)
    if not words:
        return []
    # Explicit AND: FTS5 takes a bare sequence of phrases as AND, but not a parenthesised group.
    whole = " AND ".join(_quoted(w) for w in words)
    prefix = " AND ".join(_quoted(w) + "*" for w in words)
    inflected = " AND ".join(_any_form(w) for w in words)
    out = [
        Tier(table, expression, columns)
        for table, expression in ((EXACT, whole), (EXACT, prefix), (EXACT, inflected), (FOLDED, prefix), (FOLDED, inflected))
        for columns in (TITLE, ANYWHERE)
    ]
    return list(dict.fromkeys(out))  # without stems, 3 = 2 and 5 = 4


def _count(table: str) -> TextClause:
    return text(f"SELECT count(*) FROM {table} WHERE {table} MATCH :q")


def _shown(table: str, skip: set[int]) -> TextClause:
    """The rows to show, newest first, matched words marked; highlight() and snippet() run for
    those rows only. Not FTS5's bm25 rank: it reads the whole list of every phrase of the query
    for its statistics, "deleted : 0" included (a hundred thousand entries at bench scale:
    10-90 ms a query, against 1 ms in rowid order, which FTS5 walks and stops at LIMIT)."""
    sql = f"""
        SELECT rowid, ref_id,
               highlight({table}, 3, '{MARK_START}', '{MARK_END}'),
               snippet({table}, 4, '{MARK_START}', '{MARK_END}', '…', 16)
        FROM {table} WHERE {table} MATCH :q
    """
    if skip:  # rowids are integers from the index itself
        sql += f" AND rowid NOT IN ({', '.join(str(int(r)) for r in sorted(skip))})"
    return text(sql + " ORDER BY rowid DESC LIMIT :n")


def search(s: Session, q: str, lang: str = "fi", per_kind: int = PER_KIND) -> list[Group]:
    """Groups of live records matching every word of `q`, in KINDS order, best first in each.

    Per kind: a count over the widest pass (FTS5 walks its index only, reading no rows), then
    the passes in order (tiers()), each adding the rows the earlier ones did not show, until
    `per_kind` rows are shown or all are: whole words before prefixes before inflected forms
    before matches without diacritics, a match in the name before one in the notes; within a
    pass the newest record first.
    Soft-deleted records and erased trainees are indexed with deleted = 1 and never match.
    """
    passes = tiers(q)
    if not passes:
        return []
    widest = passes[-1]
    groups = []
    try:
        for kind in KINDS:
            total = s.execute(_count(widest.table), {"q": kind_expression(kind, widest)}).scalar() or 0
            if not total:
                continue
            hits: list[Hit] = []
            seen: set[int] = set()
            for tier in passes:
                if len(hits) >= min(per_kind, total):
                    break
                # (rowid, ref_id, title, body) of the index
                shown: Result[int, str, str, str] = s.execute(
                    _shown(tier.table, seen), {"q": kind_expression(kind, tier), "n": per_kind - len(hits)}
                )
                for rowid, ref_id, title, body in shown:
                    seen.add(rowid)
                    hits.append(Hit(kind, ref_id, segments(title), segments(body)))
            groups.append(Group(kind, total, hits))
    except OperationalError:
        # The expression is built to be valid; this guards against a tokenizer that
        # disagrees with Python about what a letter is. A search never breaks the page.
        s.rollback()
        return []
    by_kind = {g.kind: g for g in groups}
    _add_dates(s, by_kind, lang)
    _add_deployment_names(s, by_kind, lang)
    return groups


# -- "Did you mean …?" ------------------------------------------------------------------------

SUGGESTIONS = 3
# What an indexed word may start with when the typed one starts with the key (a for ä, å; o for
# ö...): the vocabulary is read a first letter at a time (a range of the fts5vocab table), not whole.
FIRST_LETTERS = {"a": "aäåáàâ", "o": "oöøóòô", "u": "uüúùû", "e": "eéèêë", "i": "iíìîï", "y": "yü", "c": "cç", "n": "nñ"}
_VOCABULARY = text("SELECT term, doc FROM search_vocab WHERE col = 'title' AND term >= :lo AND term < :hi")


def _finds(s: Session, words: list[str]) -> bool:
    """Would a search for `words` show anything (any kind, live rows only)?"""
    widest = tiers(" ".join(words))[-1]
    expression = f'deleted : "0" AND {widest.columns} : ({widest.words})'
    table = widest.table
    return s.execute(text(f"SELECT 1 FROM {table} WHERE {table} MATCH :q LIMIT 1"), {"q": expression}).first() is not None


def _vocabulary(s: Session, word: str) -> list[tuple[str, int]]:
    """The indexed names' words (titles: units, events, trainees, sessions' topics, goals) that
    start with the word's first letter or a letter it may stand for."""
    first = finnish.strip_marks(word)[:1]
    out: list[tuple[str, int]] = []
    for letter in FIRST_LETTERS.get(first, first):
        rows: Result[str, int] = s.execute(_VOCABULARY, {"lo": letter, "hi": chr(ord(letter) + 1)})
        out += [(term, docs) for term, docs in rows]
    return out


def suggest(s: Session, q: str, limit: int = SUGGESTIONS) -> list[str]:
    """Queries like `q` that do find something, when `q` finds nothing: each word that finds
    nothing on its own replaced by the nearest words of the indexed names (app.core.spelling);
    only suggestions that find live records. Empty when every word finds something alone
    (only their combination does not: no spelling to correct)."""
    words = terms(q)
    if not words:
        return []
    try:
        options = []
        for word in words:
            if _finds(s, [word]):
                options.append([word])
                continue
            near = spelling.nearest(word, _vocabulary(s, word), limit)
            if not near:
                return []
            options.append(near)
        if all(len(o) == 1 and o[0] == w for o, w in zip(options, words, strict=True)):
            return []
        candidates = dict.fromkeys(" ".join(o[min(i, len(o) - 1)] for o in options) for i in range(limit))
        return [c for c in candidates if _finds(s, c.split())]
    except OperationalError:
        s.rollback()
        return []


def _add_dates(s: Session, groups: dict[str, Group], lang: str) -> None:
    """Events and guidance sessions are told apart by their dates: one query per kind."""
    if "event" in groups:
        hits = {h.ref_id: h for h in groups["event"].hits}
        for event_id, day in s.execute(select(Event.id, Event.date).where(Event.id.in_(list(hits)))):
            hits[event_id].date = day
    if "guidance" in groups:
        hits = {h.ref_id: h for h in groups["guidance"].hits}
        stmt = (
            select(GuidanceSession.id, GuidanceSession.date, Method)
            .join(Method, Method.id == GuidanceSession.method_id)
            .where(GuidanceSession.id.in_(list(hits)))
        )
        for session_id, day, method in s.execute(stmt):
            hits[session_id].date = day
            hits[session_id].extra = method.name(lang)


def _add_deployment_names(s: Session, groups: dict[str, Group], lang: str) -> None:
    """A deployment is indexed by its notes only: its title is its unit and method, as now."""
    if "deployment" not in groups:
        return
    hits = {h.ref_id: h for h in groups["deployment"].hits}
    stmt = (
        select(Deployment.id, Unit.name, Method)
        .join(Unit, Unit.id == Deployment.unit_id)
        .join(Method, Method.id == Deployment.method_id)
        .where(Deployment.id.in_(list(hits)))
    )
    for deployment_id, unit_name, method in s.execute(stmt):
        hits[deployment_id].title = [Segment(f"{unit_name} – {method.name(lang)}", False)]
