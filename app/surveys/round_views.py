"""Survey rounds: list with filters, create / edit, the round's page (its counts and scores),
the entry grid (typed or pasted counts, or means and n), delete with undo."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from app.core import clock, hetu, scoring
from app.core.instruments import BLANK, NOT_APPLICABLE, SMALL_ROUND
from app.i18n import format_date, format_number
from app.labels import label
from app.labels.survey_results import NOT_RELEVANT_LABELS, SCORING_RULE, USABILITY_RULE, WHY_NOT_LABELS
from app.labels.surveys import KIND_LABELS, TOOL_LABELS
from app.models import SurveyRound
from app.models.surveys import to_instrument
from app.queries import survey_rounds as q
from app.queries.methods import method_choices
from app.queries.units import unit_choices
from app.surveys import grid, ops
from app.surveys.forms import EntryForm, RoundFilterForm, RoundForm, year_of
from app.surveys.paste import Trouble
from app.web.db import or_404, session
from app.web.form_page import Saved, form_page
from app.web.forms import UNREADABLE, trim
from app.web.i18n import current_language
from app.web.listing import paginate
from app.web.undo import delete_with_undo, restore_view


def round_title(rnd: SurveyRound) -> str:
    """ "NoMAD (20 items), 12.6.2026" — how a round is named in messages and headings."""
    return _("%(instrument)s, %(date)s", instrument=rnd.instrument.name(current_language()), date=format_date(rnd.date))


# -- list --------------------------------------------------------------------------------------


def rounds():
    s = session()
    lang = current_language()
    filters = RoundFilterForm(request.args)
    any_choice = [SelectChoice("", _l("All"))]
    filters.unit.choices = any_choice + [SelectChoice(v, t) for v, t in q.unit_filter_choices(s)]
    filters.method.choices = any_choice + [SelectChoice(v, t) for v, t in q.method_filter_choices(s, lang)]
    filters.instrument.choices = any_choice + [SelectChoice(v, t) for v, t in q.instrument_filter_choices(s, lang)]
    filters.year.choices = any_choice + [SelectChoice(str(y), str(y)) for y in q.round_years(s)]

    def chosen(field) -> str:
        return field.data if field.data in {c.value for c in field.choices} else ""

    f = q.RoundFilters(chosen(filters.unit), chosen(filters.method), chosen(filters.instrument), year_of(filters.year.data))
    page = paginate(s, q.round_list_stmt(f))
    return render_template(
        "surveys/round_list.html",
        page=page,
        filters=filters,
        filtered=any((f.unit_id, f.method_id, f.instrument_id, f.year)),
        units=q.units_of_rounds(s, [r.id for r in page.items]),
        small=SMALL_ROUND,
    )


# -- create / edit --------------------------------------------------------------------------------


def _fill_choices(form: RoundForm, rnd: SurveyRound | None = None, unit_ids: list[str] | None = None) -> None:
    s = session()
    lang = current_language()
    form.instrument_id.choices = [SelectChoice("", _l("Choose the instrument"))] + [
        SelectChoice(v, t) for v, t in q.instrument_choices(s, lang, include=rnd.instrument_id if rnd else None)
    ]
    form.method_id.choices = [SelectChoice("", _l("No method"))] + [
        SelectChoice(v, t) for v, t in method_choices(s, lang, include=rnd.method_id if rnd else None)
    ]
    units = unit_choices(s)
    known = {v for v, _t in units}
    extra = [u for u in (unit_ids or []) if u not in known]
    if extra:  # a round's unit that has ended since stays selectable
        for unit_id, name in q.unit_filter_choices(s):
            if unit_id in extra:
                units.append((unit_id, name))
    form.units.choices = units


def _round_data(form: RoundForm) -> ops.RoundData:
    return ops.RoundData(
        instrument_id=form.instrument_id.data,
        method_id=form.method_id.data or None,
        unit_ids=list(form.units.data or []),
        date=form.date.data,
        invited=form.invited.data,
        answered=form.answered.data,
        tool=form.tool.data,
        means_only=form.means_only.data,
        share_small=form.share_small.data,
        notes=form.notes.data,
    )


def round_new():
    form = RoundForm()
    _fill_choices(form)
    if request.method == "GET":  # a link from an instrument, unit or method page may preselect
        form.instrument_id.data = request.args.get("instrument", "")
        form.method_id.data = request.args.get("method", "")
        form.units.data = [u for u in request.args.getlist("unit") if u]
        form.date.data = clock.today()  # most rounds are entered the day the survey closes

    def save(form: RoundForm) -> Saved:
        rnd = ops.create_round(session(), _round_data(form))
        return Saved(
            _("Survey round %(name)s added: now enter its answers.", name=round_title(rnd)),
            url_for("surveys.round_answers", id=rnd.id),
        )

    return form_page(form, "surveys/round_form.html", save, rnd=None)


def round_edit(id: str):
    s = session()
    rnd = or_404(q.live_round(s, id))
    counts = q.round_counts(s, rnd.id)
    means = q.round_means(s, rnd.id)
    most = max((sum(n for o, n in c.items() if o != BLANK) for c in counts.values()), default=0)
    most = max([most, *(n for _m, n in means.values())])
    unit_ids = q.round_unit_ids(s, rnd.id)
    form = RoundForm(obj=rnd, answered_at_least=most, has_counts=bool(counts), has_means=bool(means))
    if request.method == "GET":
        form.units.data = unit_ids
        form.method_id.data = rnd.method_id or ""
    _fill_choices(form, rnd, unit_ids)

    def save(form: RoundForm) -> Saved | None:
        if form.instrument_id.data != rnd.instrument_id and (counts or means):
            form.instrument_id.errors.append(_("The round has answers entered: its instrument cannot change."))
            return None
        ops.update_round(session(), rnd, _round_data(form))
        return Saved(_("Survey round %(name)s saved.", name=round_title(rnd)), url_for("surveys.round", id=rnd.id))

    return form_page(form, "surveys/round_form.html", save, rnd=rnd)


# -- the round's page ------------------------------------------------------------------------------


def _scores(rnd: SurveyRound, instrument, by_code_counts, by_code_means):
    """The round's scores (app.core.scoring), or None when it has nothing to score."""
    try:
        if rnd.means_only:
            return scoring.score_means(instrument, by_code_means) if by_code_means else None
        return scoring.score_counts(instrument, by_code_counts) if by_code_counts else None
    except ValueError:  # an option a newer version stored: shown as counts, not scored
        return None


def round_page(id: str):
    s = session()
    rnd = or_404(q.live_round(s, id))
    items = q.instrument_items(s, rnd.instrument_id)
    instrument = to_instrument(rnd.instrument)
    counts = q.round_counts(s, rnd.id)
    means = q.round_means(s, rnd.id)
    code_of = {i.id: i.code for i in items}
    by_code_counts = {code_of[i]: c for i, c in counts.items() if i in code_of}
    by_code_means = {code_of[i]: m for i, m in means.items() if i in code_of}
    pairs = [(row, instrument.item(row.code)) for row in items]
    return render_template(
        "surveys/round_detail.html",
        rnd=rnd,
        title=round_title(rnd),
        units=q.units_of_rounds(s, [rnd.id]).get(rnd.id, []),
        grid=grid.sections(pairs),
        counts=counts,
        means=means,
        score=_scores(rnd, instrument, by_code_counts, by_code_means),
        small=SMALL_ROUND,
        tool_labels=TOOL_LABELS,
        kind_labels=KIND_LABELS,
        label=label,
        blank=BLANK,
        items=items,
        rules={"scoring": SCORING_RULE, "usability": USABILITY_RULE},
        why_not=WHY_NOT_LABELS,
        not_relevant={**NOT_RELEVANT_LABELS, NOT_APPLICABLE: _l("not applicable")},
    )


def round_delete(id: str):
    s = session()
    rnd = or_404(q.live_round(s, id))
    delete_with_undo(
        s, rnd, _("Survey round %(name)s deleted.", name=round_title(rnd)), url_for("surveys.round_restore", id=rnd.id)
    )
    return redirect(url_for("surveys.rounds"))


def round_restore(id: str):
    return restore_view(
        session(),
        SurveyRound,
        id,
        lambda rnd: _("Survey round %(name)s restored.", name=round_title(rnd)),
        lambda rnd: url_for("surveys.round", id=rnd.id),
    )


# -- entry: the grid -------------------------------------------------------------------------------


def paste_message(p) -> str:
    """A pasted block's problem, in the user's language, naming its line and column."""
    text = p.text[:40]
    messages = {
        Trouble.EMPTY: lambda: _("Nothing was pasted: copy the counts in Excel (Ctrl+C) and paste them here (Ctrl+V)."),
        Trouble.TOO_LONG: lambda: _(
            "The pasted text is too long (over %(limit)s characters): paste only the table of counts.",
            limit=p.params.get("limit"),
        ),
        Trouble.NOT_A_COUNT: lambda: _(
            "Line %(line)s, column %(column)s: “%(text)s” is not a count (a whole number, 0 or more).",
            line=p.line,
            column=p.column,
            text=text,
        ),
        Trouble.TOO_LARGE: lambda: _(
            "Line %(line)s, column %(column)s: %(text)s is too large for a count.", line=p.line, column=p.column, text=text
        ),
        Trouble.UNKNOWN_OPTION: lambda: _(
            "Line %(line)s, column %(column)s: “%(text)s” is not an answer option of this table.",
            line=p.line,
            column=p.column,
            text=text,
        ),
        Trouble.DUPLICATE_OPTION: lambda: _(
            "Line %(line)s, column %(column)s: “%(text)s” is the same answer option as an earlier column.",
            line=p.line,
            column=p.column,
            text=text,
        ),
        Trouble.UNKNOWN_ITEM: lambda: _(
            "Line %(line)s, column %(column)s: “%(text)s” is not an item of this table.", line=p.line, column=p.column, text=text
        ),
        Trouble.DUPLICATE_ITEM: lambda: _(
            "Line %(line)s, column %(column)s: “%(text)s” names an item already given on an earlier line.",
            line=p.line,
            column=p.column,
            text=text,
        ),
        Trouble.TOO_MANY_CELLS: lambda: _(
            "Line %(line)s has %(cells)s counts, but this table has %(expected)s answer options.", line=p.line, **p.params
        ),
        Trouble.TOO_FEW_CELLS: lambda: _(
            "Line %(line)s has %(cells)s counts, but this table has %(expected)s answer options: "
            "add a header row of the options' labels, or give one count per option.",
            line=p.line,
            **p.params,
        ),
        Trouble.ROW_COUNT: lambda: _(
            "The block has %(rows)s rows of counts, but this table has %(expected)s items: name the "
            "items in the first column, or paste one row per item.",
            **p.params,
        ),
    }
    return messages[p.trouble]()


def _option_label(option, lang: str) -> str:
    return option.labels.get(lang) or option.code


def _cell_message(problem: grid.CellProblem, row: grid.Row, option_label: str, answered: int) -> str:
    if problem.kind == "over_answered":
        return _(
            "%(item)s: %(total)s answers in all, but %(answered)s answered the round. Check the counts, or the number answered.",
            item=row.code,
            total=problem.total,
            answered=answered,
        )
    if problem.kind == "too_large":
        return _(
            "%(item)s, %(option)s: %(text)s is too large for a count.", item=row.code, option=option_label, text=problem.text
        )
    return _(
        "%(item)s, %(option)s: “%(text)s” is not a count (a whole number, 0 or more).",
        item=row.code,
        option=option_label,
        text=problem.text,
    )


def _mean_message(problem: grid.MeanProblem, row: grid.Row, answered: int) -> str:
    kind = problem.kind
    if kind == "missing" and problem.field == "mean":
        return _("%(item)s: give the mean too, or leave both empty.", item=row.code)
    if kind == "missing":
        return _("%(item)s: give the number of answers too, or leave both empty.", item=row.code)
    if kind == "not_a_number":
        return _("%(item)s: “%(text)s” is not a number (for example 3,75).", item=row.code, text=problem.text)
    if kind == "out_of_scale":
        return _(
            "%(item)s: the mean %(text)s is outside the scale %(low)s–%(high)s.",
            item=row.code,
            text=problem.text,
            low=problem.low,
            high=problem.high,
        )
    if kind == "over_answered":
        return _(
            "%(item)s: %(text)s answers, but %(answered)s answered the round.",
            item=row.code,
            text=problem.text,
            answered=answered,
        )
    return _("%(item)s: “%(text)s” is not a number of answers (a whole number, 0 or more).", item=row.code, text=problem.text)


def _paste_refusal(text: str) -> str | None:
    """An identity code or unreadable characters in a pasted block: refused like any free text."""
    if UNREADABLE.search(text):
        return _("The pasted text contains characters that cannot be read (control characters). Copy the table again.")
    for finding in hetu.find_codes(text):
        return _(
            "The pasted text contains what looks like a personal identity code (%(code)s). Koordi must not hold "
            "client data: paste only the counts.",
            code=finding.masked,
        )
    return None


def _grid_json(section: grid.Section) -> Markup:
    """The table's labels for survey_grid.js, which fills the cells in the page (HTML-escaped JSON)."""
    data = {
        "options": [o.code for o in section.options],
        "labels": section.labels,
        "items": {r.code: r.keys() for r in section.rows},
        "ids": {r.code: r.id for r in section.rows},
    }
    return Markup.escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def round_answers(id: str):
    s = session()
    rnd = or_404(q.live_round(s, id))
    items = q.instrument_items(s, rnd.instrument_id)
    instrument = to_instrument(rnd.instrument)
    lang = current_language()
    sections = grid.sections([(row, instrument.item(row.code)) for row in items])
    form = EntryForm()
    context = dict(
        rnd=rnd,
        title=round_title(rnd),
        sections=sections,
        form=form,
        lang=lang,
        small=SMALL_ROUND,
        option_label=_option_label,
        grid_json=_grid_json,
        cell_name=grid.cell_name,
        paste_errors={},
        paste_texts={},
        row_errors={},
        cell_errors=set(),
        filled=None,
    )
    if request.method == "GET":
        if rnd.means_only:
            means = q.round_means(s, rnd.id)
            context["mean_values"] = {
                r.id: ("" if r.id not in means else _decimal(means[r.id][0]), "" if r.id not in means else str(means[r.id][1]))
                for sec in sections
                for r in sec.rows
            }
        else:
            context["values"] = grid.values_from_counts(sections, q.round_counts(s, rnd.id))
        return render_template("surveys/round_entry.html", **context)

    if not form.validate_on_submit():  # the CSRF token
        context["values"] = {}
        context["mean_values"] = {}
        return render_template("surveys/round_entry.html", **context), 400
    # Trimmed cells; a pasted block as pasted (its first TAB is an empty corner cell above the items).
    posted = {k: v if k.startswith("paste-") else trim(v) for k, v in request.form.items()}
    if rnd.means_only:
        return _save_means(rnd, sections, posted, context)
    return _save_counts(rnd, sections, posted, context)


def _decimal(value: float) -> str:
    return format_number(value, current_language(), 2, False)


def _save_counts(rnd: SurveyRound, sections: list[grid.Section], posted: dict[str, str], context: dict):
    lang = context["lang"]
    cells = grid.read_cells(posted, sections, rnd.answered)
    context["values"] = cells.values
    fill = posted.get("fill")
    pasted = {sec.index: posted.get(f"paste-{sec.index}", "") for sec in sections}
    to_fill = [sec for sec in sections if (fill == str(sec.index)) or (fill is None and pasted[sec.index])]
    if to_fill:
        # "Fill the table" (or Save with a block still pasted, without the page's script): the
        # pasted counts go into the grid to be checked, and nothing is saved yet.
        status = 200
        filled = 0
        for sec in to_fill:
            text = pasted[sec.index]
            refusal = _paste_refusal(text)
            parsed = None if refusal else sec.parse(text)
            if parsed is None or not parsed.ok:  # None: refused
                context["paste_errors"][sec.index] = [refusal] if parsed is None else [paste_message(p) for p in parsed.problems]
                context["paste_texts"][sec.index] = "" if refusal else text  # an identity code is never shown back
                status = 422
                continue
            by_code = {r.code: r for r in sec.rows}
            for code, counts in parsed.counts.items():
                cells.values[by_code[code].id] = {o: str(n) for o, n in counts.items()}
                filled += 1
        if status == 200:
            context["filled"] = filled
        return render_template("surveys/round_entry.html", **context), status
    if cells.problems:
        rows = {r.id: r for sec in sections for r in sec.rows}
        option_of = {o.code: o for sec in sections for o in sec.options}
        for p in cells.problems:
            option = _option_label(option_of[p.option], lang) if p.option else ""
            context["row_errors"].setdefault(p.item_id, []).append(_cell_message(p, rows[p.item_id], option, rnd.answered))
            if p.option:
                context["cell_errors"].add(grid.cell_name(p.item_id, p.option))
        return render_template("surveys/round_entry.html", **context), 422
    ops.replace_counts(session(), rnd, {item_id: ops.with_blanks(c, rnd.answered) for item_id, c in cells.counts.items()})
    flash(_("Answers of %(name)s saved.", name=round_title(rnd)), "success")
    return redirect(url_for("surveys.round", id=rnd.id))


def _save_means(rnd: SurveyRound, sections: list[grid.Section], posted: dict[str, str], context: dict):
    rows = [r for sec in sections for r in sec.rows]
    cells = grid.read_means(posted, rows, rnd.answered)
    context["mean_values"] = cells.values
    if cells.problems:
        by_id = {r.id: r for r in rows}
        for p in cells.problems:
            context["row_errors"].setdefault(p.item_id, []).append(_mean_message(p, by_id[p.item_id], rnd.answered))
            context["cell_errors"].add(f"{'m' if p.field == 'mean' else 'n'}-{p.item_id}")
        return render_template("surveys/round_entry.html", **context), 422
    ops.replace_means(session(), rnd, cells.means)
    flash(_("Answers of %(name)s saved.", name=round_title(rnd)), "success")
    return redirect(url_for("surveys.round", id=rnd.id))
