"""A survey tool's file of individual answers into a round: upload, the questions the file left
(which item an unknown column is, which option an unknown answer is: asked once, then
remembered for the instrument), a preview of the counts and scores, then one save.

Privacy (FOLLOWUP.md): the file and its individual answers never reach the disk. The upload is
kept in memory (not Werkzeug's spooled temporary file) and dropped with the request; between
the preview and the save only the aggregated counts wait, in this process's memory, under a
random reference. The questions page asks for the file again rather than keep it.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from app.core import scoring
from app.core.instruments import BLANK, SMALL_ROUND, options
from app.core.survey_file import Source
from app.core.survey_table import MAX_BYTES
from app.labels import label
from app.labels.survey_results import NOT_RELEVANT_LABELS, SCORING_RULE, USABILITY_RULE, WHY_NOT_LABELS
from app.labels.surveys import KIND_LABELS, TOOL_LABELS
from app.models import Instrument, SurveyRound
from app.models.surveys import to_instrument
from app.queries import survey_rounds as q
from app.queries.methods import method_choices
from app.queries.units import unit_choices
from app.surveys import grid, importing, ops
from app.surveys.forms import ImportForm, RoundForm, mapping_form
from app.web.confirm import confirmed_keys, date_question
from app.web.db import or_404, session
from app.web.forms import KoordiForm
from app.web.i18n import current_language

KEEP_SECONDS = 2 * 60 * 60
KEEP_MAX = 20


# -- what waits between requests: counts and questions, never the file -------------------------


@dataclass
class Pending:
    instrument_id: str
    round_id: str | None
    data: ops.RoundData | None  # a new round's details
    file_name: str = ""
    stage: str = "questions"  # "questions" | "preview"
    result: dict = field(default_factory=dict)  # the file's summary: kind, encoding, delimiter, sheet, rows, respondents
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # item code -> option -> n
    columns: list[tuple[str, str, str | None, str]] = field(default_factory=list)  # letter, header, item, source
    missing: tuple[str, ...] = ()
    questions_columns: list[tuple[str, str]] = field(default_factory=list)  # field name, header
    questions_answers: list[tuple[str, str, str]] = field(default_factory=list)  # field name, item code, answer
    answer_counts: dict[str, int] = field(default_factory=dict)  # field name -> how many gave that answer
    at: float = field(default_factory=time.monotonic)


_lock = threading.Lock()


def _waiting() -> dict[str, Pending]:
    return current_app.extensions.setdefault("koordi.survey_imports", {})


def _keep(pending: Pending, ref: str | None = None) -> str:
    ref = ref or secrets.token_urlsafe(16)
    with _lock:
        waiting = _waiting()
        now = time.monotonic()
        for old in [k for k, p in waiting.items() if now - p.at > KEEP_SECONDS]:
            del waiting[old]
        while len(waiting) >= KEEP_MAX:
            del waiting[min(waiting, key=lambda k: waiting[k].at)]
        pending.at = now
        waiting[ref] = pending
    return ref


def _get(ref: str, pop: bool = False) -> Pending | None:
    with _lock:
        waiting = _waiting()
        pending = waiting.get(ref or "")
        if pending is not None and time.monotonic() - pending.at > KEEP_SECONDS:
            waiting.pop(ref, None)
            return None
        if pop:
            waiting.pop(ref, None)
        return pending


def _gone():
    flash(
        _("This import is no longer waiting: it was saved or cancelled already, or Koordi was restarted. Choose the file again."),
        "info",
    )
    return redirect(url_for("surveys.import_start"))


# -- upload ------------------------------------------------------------------------------------------


def _target_round() -> SurveyRound | None:
    round_id = request.args.get("round")
    if not round_id:
        return None
    rnd = or_404(q.live_round(session(), round_id))
    return rnd


def _fill_choices(form: ImportForm) -> None:
    s = session()
    lang = current_language()
    form.instrument_id.choices = [SelectChoice("", _l("Choose the instrument"))] + [
        SelectChoice(v, t) for v, t in q.instrument_choices(s, lang)
    ]
    form.method_id.choices = [SelectChoice("", _l("No method"))] + [SelectChoice(v, t) for v, t in method_choices(s, lang)]
    form.units.choices = unit_choices(s)


def _render_upload(form, rnd: SurveyRound | None, status: int = 200, problems: list[str] | None = None):
    return render_template(
        "surveys/import_upload.html",
        form=form,
        rnd=rnd,
        problems=problems or [],
        limit_mb=MAX_BYTES // (1024 * 1024),
        lang=current_language(),
    ), status


def import_start():
    rnd = _target_round()
    form = ImportForm(for_round=rnd is not None)
    if rnd is None:
        _fill_choices(form)
        form.instrument_id.data = request.args.get("instrument", "")
    return _render_upload(form, rnd)


def _file_bytes(upload) -> bytes:
    return upload.stream.read(MAX_BYTES + 1)  # one byte over: survey_file names the size


def import_upload():
    s = session()
    rnd = _target_round()
    if rnd is not None and rnd.means_only:
        flash(_("This round holds means only: a file of individual answers gives counts. Edit the round first."), "error")
        return redirect(url_for("surveys.round", id=rnd.id))
    form = ImportForm(for_round=rnd is not None)
    if rnd is None:
        _fill_choices(form)
    if not form.validate_on_submit():
        return _render_upload(form, rnd, 422)
    if rnd is None:
        instrument = or_404(q.live_instrument(s, form.instrument_id.data))
        data = ops.RoundData(
            instrument_id=instrument.id,
            date=form.date.data,
            answered=0,
            unit_ids=list(form.units.data),
            method_id=form.method_id.data or None,
            invited=form.invited.data,
            tool=form.tool.data,
        )
        pending = Pending(instrument.id, None, data)
    else:
        instrument = rnd.instrument
        pending = Pending(instrument.id, rnd.id, None)
    upload = form.file.data
    pending.file_name = upload.filename or "survey"
    return _read_and_answer(form, rnd, instrument, pending, _file_bytes(upload), upload_form=True)


def _read_and_answer(form, rnd, instrument: Instrument, pending: Pending, data: bytes, upload_form: bool, ref: str | None = None):
    """Count the file; then its problems, the questions it leaves, or the preview."""
    s = session()
    result = importing.read(s, instrument, data, pending.file_name)
    del data  # the individual answers end here: only counts go on
    if result.problems:
        problems = [importing.describe(p, _) for p in result.problems]
        # On the questions page the questions stay: the corrected file is chosen there again.
        if upload_form:
            return _render_upload(form, rnd, 422, problems)
        form.file.errors = [_("Nothing was imported: the file has problems. Correct them and choose the file again.")]
        return _render_questions(form, pending, ref or "", 422, problems)
    pending.result = {
        "kind": result.kind.value,
        "encoding": result.encoding,
        "delimiter": result.delimiter,
        "sheet": result.sheet,
        "rows": result.rows,
        "respondents": result.respondents,
    }
    pending.columns = [(c.letter, c.header, c.item, c.source.value) for c in result.columns]
    pending.missing = result.missing_items
    if result.unmapped_columns or result.unmapped_answers:
        pending.stage = "questions"
        pending.counts = {}
        pending.questions_columns = [(f"col-{c.index}", c.header) for c in result.unmapped_columns]
        pending.questions_answers = []
        pending.answer_counts = {}
        for code, answers in result.unmapped_answers.items():
            for answer, n in answers.items():
                name = f"ans-{len(pending.questions_answers)}"
                pending.questions_answers.append((name, code, answer))
                pending.answer_counts[name] = n
        ref = _keep(pending, ref)
        questions = mapping_form(*_question_fields(instrument, pending))(formdata=None)
        return _render_questions(questions, pending, ref)
    pending.stage = "preview"
    pending.counts = {code: dict(c) for code, c in result.counts.items()}
    ref = _keep(pending, ref)
    return _render_preview(pending, ref)


# -- the questions: columns and answers the file left ------------------------------------------------


def _question_fields(instrument: Instrument, pending: Pending):
    lang = current_language()
    core = to_instrument(instrument)
    item_choices = [(i.code, f"{i.code} – {i.label(lang)}") for i in instrument.items]
    answers = []
    for name, code, answer in pending.questions_answers:
        item = core.item(code)
        choices = [(o.code, o.labels.get(lang) or o.code) for o in options(item)]
        answers.append((name, answer, choices))
    return pending.questions_columns, answers, item_choices


def _render_questions(form, pending: Pending, ref: str, status: int = 200, problems: list[str] | None = None):
    s = session()
    instrument = q.live_instrument(s, pending.instrument_id)
    answers_by_item: dict[str, list[str]] = {}
    for name, code, _answer in pending.questions_answers:
        answers_by_item.setdefault(code, []).append(name)
    return render_template(
        "surveys/import_questions.html",
        form=form,
        pending=pending,
        ref=ref,
        instrument=instrument,
        answers_by_item=answers_by_item,
        problems=problems or [],
        lang=current_language(),
        items={i.code: i for i in (instrument.items if instrument else [])},
    ), status


def import_map():
    ref = request.form.get("ref", "")
    pending = _get(ref)
    if pending is None or pending.stage != "questions":
        return _gone()
    s = session()
    instrument = q.live_instrument(s, pending.instrument_id)
    if instrument is None:
        _get(ref, pop=True)
        return _gone()
    form = mapping_form(*_question_fields(instrument, pending))()
    if not form.validate_on_submit():
        return _render_questions(form, pending, ref, 422)
    columns = {header: (form[name].data or None) for name, header in pending.questions_columns}
    answers: dict[str, dict[str, str | None]] = {}
    for name, code, answer in pending.questions_answers:
        answers.setdefault(code, {})[answer] = form[name].data or None
    # Remembered for the instrument at once: the next file from the same survey asks nothing.
    ops.remember_mapping(s, instrument.id, columns, answers)
    upload = form.file.data
    pending.file_name = upload.filename or pending.file_name
    rnd = q.live_round(s, pending.round_id) if pending.round_id else None
    return _read_and_answer(form, rnd, instrument, pending, _file_bytes(upload), upload_form=False, ref=ref)


# -- preview and save ------------------------------------------------------------------------------


ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": _l("UTF-8 with a byte order mark"), "cp1252": "Windows-1252", "utf-16": "UTF-16"}
DELIMITERS = {";": _l("semicolon (;)"), ",": _l("comma (,)"), "\t": _l("tab")}
SOURCES = {
    Source.CODE.value: _l("by the item code"),
    Source.WORDING.value: _l("by the item's wording"),
    Source.CALLER.value: _l("as you mapped it"),
}


DATE_KEY = "date-date"  # the key the round form's "Save anyway" confirms its date with


def _date_question(pending: Pending) -> str | None:
    """The round form's "Is the date right?" about a new round's date (2062 for 2026), asked in
    the preview: the file need not be chosen again when the date is right."""
    if pending.data is None:
        return None  # an existing round's date was asked about when it was saved
    return date_question(_("Date"), pending.data.date, RoundForm.date_windows["date"])


def _render_preview(pending: Pending, ref: str, status: int = 200):
    s = session()
    instrument = q.live_instrument(s, pending.instrument_id)
    if instrument is None:
        _get(ref, pop=True)
        return _gone()
    core = to_instrument(instrument)
    rows = q.instrument_items(s, instrument.id)
    by_id = {r.id: r for r in rows}
    ids = {r.code: r.id for r in rows}
    counts = importing.counts_by_id(ids, pending.counts)
    try:
        score = scoring.score_counts(core, {c: v for c, v in pending.counts.items() if c in ids})
    except ValueError:
        score = None
    rnd = q.live_round(s, pending.round_id) if pending.round_id else None
    units = []
    if pending.data is not None:
        names = dict(q.unit_filter_choices(s))
        units = [names.get(u, "") for u in pending.data.unit_ids]
    method = None
    if pending.data is not None and pending.data.method_id:
        method = dict(method_choices(s, current_language(), include=pending.data.method_id)).get(pending.data.method_id)
    return render_template(
        "surveys/import_preview.html",
        pending=pending,
        ref=ref,
        instrument=instrument,
        rnd=rnd,
        units=units,
        method=method,
        grid=grid.sections([(r, core.item(r.code)) for r in rows if r.code in {i.code for i in core.items}]),
        counts=counts,
        score=score,
        by_id=by_id,
        small=SMALL_ROUND,
        blank=BLANK,
        encodings=ENCODINGS,
        delimiters=DELIMITERS,
        sources=SOURCES,
        label=label,
        tool_labels=TOOL_LABELS,
        kind_labels=KIND_LABELS,
        rules={"scoring": SCORING_RULE, "usability": USABILITY_RULE},
        why_not=WHY_NOT_LABELS,
        not_relevant={**NOT_RELEVANT_LABELS, "na": _l("not applicable")},
        date_question=_date_question(pending),
        date_key=DATE_KEY,
        form=KoordiForm(),
        lang=current_language(),
    ), status


def import_save():
    form = KoordiForm()
    ref = request.form.get("ref", "")
    if not form.validate_on_submit():
        pending = _get(ref)
        if pending is None or pending.stage != "preview":
            return _gone()
        return _render_preview(pending, ref, 400)
    pending = _get(ref)
    if pending is None or pending.stage != "preview":
        return _gone()
    if DATE_KEY not in confirmed_keys() and _date_question(pending):
        return _render_preview(pending, ref, 422)  # asked again: only "Save anyway" saves it
    if _get(ref, pop=True) is None:  # saved or cancelled meanwhile
        return _gone()
    s = session()
    instrument = q.live_instrument(s, pending.instrument_id)
    rnd = q.live_round(s, pending.round_id) if pending.round_id else None
    ids = importing.item_ids(s, instrument) if instrument else {}
    if instrument is None or (pending.round_id and rnd is None) or set(pending.counts) - set(ids):
        flash(_("The instrument or the round changed after the preview: nothing was imported. Choose the file again."), "error")
        return redirect(url_for("surveys.import_start"))
    counts = importing.counts_by_id(ids, pending.counts)
    respondents = int(pending.result.get("respondents", 0))
    saved = ops.save_imported(s, counts, respondents, rnd=rnd, data=pending.data)
    flash(
        ngettext(
            "Imported the answers of %(num)d respondent into the round.",
            "Imported the answers of %(num)d respondents into the round.",
            respondents,
        ),
        "success",
    )
    return redirect(url_for("surveys.round", id=saved.id))


def import_cancel():
    form = KoordiForm()
    ref = request.form.get("ref", "")
    if form.validate_on_submit():
        pending = _get(ref, pop=True)
        flash(_("Import cancelled: nothing was saved."), "info")
        if pending is not None and pending.round_id:
            return redirect(url_for("surveys.round", id=pending.round_id))
    return redirect(url_for("surveys.rounds"))
