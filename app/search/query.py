"""Full-text search over the search_index FTS5 table (migration 0003). No Flask.

What the coordinator types is never handed to FTS5 as query syntax: it is cut into
words (letters and digits), and each word becomes a quoted prefix term, "word"*.
Quotes, *, -, parentheses, AND/OR/NOT/NEAR are then plain text or separators, so no
input can make a syntax error; words are ANDed; the last one need not be finished.

Case folds through the unicode61 tokenizer ("äänekoski" finds "Äänekoski"); with
remove_diacritics 0 "a" never matches "ä" (ä and ö are letters of their own).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Result, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.models import Deployment, Event, GuidanceSession, Method, Unit

KINDS = ("unit", "event", "trainee", "guidance", "goal", "deployment")  # the order groups are shown in
PER_KIND = 20  # results shown per kind; the total is told
MAX_QUERY = 200  # characters of the query looked at
MAX_TERMS = 8
MAX_TERM = 64  # characters of one word
WORD = re.compile(r"[^\W_]+")  # letters and digits of any script: what unicode61 keeps as tokens
MARK_START, MARK_END = "\x02", "\x03"  # around matched words in highlight()/snippet(); never in stored text
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0  # bm25: a hit in the name/title ranks above one in the notes


def terms(q: str) -> list[str]:
    """The words of a query, as the index tokenises them: NFC, letters and digits only."""
    q = unicodedata.normalize("NFC", (q or "")[:MAX_QUERY])
    return [w[:MAX_TERM] for w in WORD.findall(q)][:MAX_TERMS]


def match_expression(q: str) -> str | None:
    """An FTS5 MATCH string that means "every word, each as a prefix"; None for no words."""
    words = terms(q)
    if not words:
        return None
    # Quoting makes each word a string: FTS5 keywords and operators lose their meaning.
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def kind_expression(kind: str, words: str) -> str:
    """Restrict `words` (a match_expression) to one kind's live rows, in the title and body only."""
    return f'kind : "{kind}" AND deleted : "0" AND {{title body}} : ({words})'


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


RANK_LIMIT = 2000  # more matches than this in one kind: newest first instead of by relevance
_COUNT = text("SELECT count(*) FROM search_index WHERE search_index MATCH :q")
_SHOWN = f"""
    SELECT rowid, ref_id,
           highlight(search_index, 3, '{MARK_START}', '{MARK_END}'),
           snippet(search_index, 4, '{MARK_START}', '{MARK_END}', '…', 16)
    FROM search_index WHERE search_index MATCH :q
"""
# FTS5 sorts by its own `rank` column itself (set here to bm25 with the title weighted
# above the body), so highlight() and snippet() run for the rows shown only, in one
# query. (Asking for rowids first and then "MATCH ... AND rowid IN (...)" ran the whole
# match again for each rowid: the slowest part of the page at bench scale.)
_RANKED = text(_SHOWN + f" AND rank MATCH 'bm25(0.0, 0.0, 0.0, {TITLE_WEIGHT}, {BODY_WEIGHT})' ORDER BY rank LIMIT :n")
_NEWEST = text(_SHOWN + " ORDER BY rowid DESC LIMIT :n")


def search(s: Session, q: str, lang: str = "fi", per_kind: int = PER_KIND) -> list[Group]:
    """Groups of live records matching every word of `q`, in KINDS order, best first in each.

    Per kind: a count (FTS5 walks its index only, reading no rows), then the rows to
    show with the matched words marked, ranked by bm25 (title above body) unless a very
    broad query matched more than RANK_LIMIT rows, when the newest come first.
    Soft-deleted records and erased trainees are indexed with deleted = 1 and never match.
    """
    words = match_expression(q)
    if words is None:
        return []
    groups = []
    try:
        for kind in KINDS:
            expression = kind_expression(kind, words)
            total = s.execute(_COUNT, {"q": expression}).scalar() or 0
            if not total:
                continue
            # (rowid, ref_id, title, body) of the index
            shown: Result[int, str, str, str] = s.execute(
                _RANKED if total <= RANK_LIMIT else _NEWEST, {"q": expression, "n": per_kind}
            )
            hits = [Hit(kind, ref_id, segments(title), segments(body)) for _rowid, ref_id, title, body in shown]
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
