"""The instrument catalogue: list, page with its items, create / edit, retire / un-retire,
delete with undo; a custom instrument's items added, edited, reordered and deleted; the
wording of any item (the coordinator's own survey's) edited."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core.instruments import Item, Option, options
from app.labels import label
from app.labels.surveys import KIND_LABELS
from app.models import Instrument, InstrumentItem
from app.models.surveys import to_instrument
from app.queries import survey_rounds as q
from app.surveys import ops
from app.surveys.forms import InstrumentForm, ItemForm, WordingForm
from app.web.db import or_404, session
from app.web.form_page import Saved, form_page
from app.web.i18n import current_language
from app.web.listing import paginate
from app.web.undo import delete_with_undo, restore_view


def _name(instrument: Instrument) -> str:
    return instrument.name(current_language())


def instruments():
    show_retired = request.args.get("retired") == "y"
    s = session()
    page = paginate(s, q.instrument_list_stmt(current_language(), show_retired))
    return render_template(
        "surveys/catalogue_list.html",
        page=page,
        show_retired=show_retired,
        rounds=q.rounds_per_instrument(s),
        kind_labels=KIND_LABELS,
        label=label,
    )


def _instrument_data(form: InstrumentForm) -> ops.InstrumentData:
    return ops.InstrumentData(
        name_fi=form.name_fi.data,
        name_sv=form.name_sv.data,
        name_en=form.name_en.data,
        description=form.description.data,
        kind=form.kind.data if "kind" in form else None,
    )


def instrument_new():
    def save(form: InstrumentForm) -> Saved:
        instrument = ops.create_instrument(session(), _instrument_data(form))
        return Saved(
            _("Instrument %(name)s added: now add its items.", name=_name(instrument)),
            url_for("surveys.instrument", id=instrument.id),
        )

    return form_page(InstrumentForm(), "surveys/catalogue_form.html", save, instrument=None)


def instrument(id: str):
    s = session()
    row = or_404(q.live_instrument(s, id))
    items = q.instrument_items(s, row.id)
    core = to_instrument(row)
    scales: list[tuple[Item, tuple[Option, ...]]] = []  # the answer options of each scale the items use, in the items' order
    for item in core.items:
        opts = options(item)
        if all(opts != o for _, o in scales):
            scales.append((item, opts))
    return render_template(
        "surveys/catalogue_detail.html",
        instrument=row,
        items=items,
        scales=scales,
        kind_labels=KIND_LABELS,
        label=label,
        round_count=q.instrument_round_count(s, row.id),
        answered=q.items_with_answers(s, row.id),
    )


def instrument_edit(id: str):
    s = session()
    row = or_404(q.live_instrument(s, id))
    form = InstrumentForm(obj=row)
    if row.key is not None or q.instrument_round_count(s, row.id):
        del form.kind  # a seeded instrument is scored by its own rule; rounds were scored by this one

    def save(form: InstrumentForm) -> Saved:
        ops.update_instrument(session(), row, _instrument_data(form))
        return Saved(_("Instrument %(name)s saved.", name=_name(row)), url_for("surveys.instrument", id=row.id))

    return form_page(form, "surveys/catalogue_form.html", save, instrument=row)


def instrument_retire(id: str):
    row = or_404(q.live_instrument(session(), id))
    ops.set_retired(session(), row, True)
    flash(_("Instrument %(name)s retired: its rounds stay, new rounds cannot choose it.", name=_name(row)), "success")
    return redirect(url_for("surveys.instrument", id=row.id))


def instrument_unretire(id: str):
    row = or_404(q.live_instrument(session(), id))
    ops.set_retired(session(), row, False)
    flash(_("Instrument %(name)s can be chosen for new rounds again.", name=_name(row)), "success")
    return redirect(url_for("surveys.instrument", id=row.id))


def instrument_delete(id: str):
    s = session()
    row = or_404(q.live_instrument(s, id))
    used = q.instrument_round_count(s, row.id)
    if used:  # its rounds would lose their questions: retiring keeps them
        flash(
            _(
                "Instrument %(name)s is used by %(n)s survey rounds: it cannot be deleted. Retire it instead.",
                name=_name(row),
                n=used,
            ),
            "error",
        )
        return redirect(url_for("surveys.instrument", id=row.id))
    delete_with_undo(s, row, _("Instrument %(name)s deleted.", name=_name(row)), url_for("surveys.instrument_restore", id=row.id))
    return redirect(url_for("surveys.instruments"))


def instrument_restore(id: str):
    return restore_view(
        session(),
        Instrument,
        id,
        lambda row: _("Instrument %(name)s restored.", name=_name(row)),
        lambda row: url_for("surveys.instrument", id=row.id),
    )


# -- items ---------------------------------------------------------------------------------------


def _item_data(form: ItemForm) -> ops.ItemData:
    return ops.ItemData(
        code=form.code.data,
        label_fi=form.label_fi.data,
        label_sv=form.label_sv.data,
        label_en=form.label_en.data,
        scale=form.scale.data,
        points=form.points.data or 5,
        group_key=form.group_key.data,
        reversed=form.reversed.data,
        not_applicable=form.not_applicable.data,
        wording=form.wording.data,
    )


def _taken(s, instrument_id: str, but: str | None = None) -> set[str]:
    return {i.code for i in q.instrument_items(s, instrument_id) if i.id != but}


def _editable(row: Instrument) -> bool:
    """A seeded instrument's items are fixed (scored by its rule); only their wording is edited."""
    return row.key is None


def item_new(id: str):
    s = session()
    row = or_404(q.live_instrument(s, id))
    if not _editable(row):
        flash(_("The items of a seeded instrument are fixed: edit their wording, or make a custom instrument."), "error")
        return redirect(url_for("surveys.instrument", id=row.id))
    form = ItemForm(taken=_taken(s, row.id), kind=row.kind)

    def save(form: ItemForm) -> Saved:
        item = ops.add_item(session(), row, _item_data(form))
        return Saved(_("Item %(code)s added.", code=item.code), url_for("surveys.instrument", id=row.id) + f"#item-{item.id}")

    return form_page(form, "surveys/catalogue_item_form.html", save, instrument=row, item=None)


def item_edit(id: str):
    s = session()
    item = or_404(q.live_item(s, id))
    row = or_404(q.live_instrument(s, item.instrument_id))
    back = url_for("surveys.instrument", id=row.id) + f"#item-{item.id}"
    if not _editable(row):

        def save_wording(form: WordingForm) -> Saved:
            ops.set_wording(session(), item, form.wording.data)
            return Saved(_("The wording of %(code)s saved.", code=item.code), back)

        return form_page(WordingForm(obj=item), "surveys/catalogue_item_form.html", save_wording, instrument=row, item=item)
    answered = item.id in q.items_with_answers(s, row.id)
    form = ItemForm(
        obj=item,
        taken=_taken(s, row.id, but=item.id),
        kind=row.kind,
        answered_as=(item.scale, item.points, item.not_applicable) if answered else None,
    )

    def save(form: ItemForm) -> Saved:
        ops.update_item(session(), item, _item_data(form))
        return Saved(_("Item %(code)s saved.", code=item.code), back)

    return form_page(form, "surveys/catalogue_item_form.html", save, instrument=row, item=item)


def _move(id: str, step: int):
    s = session()
    item = or_404(q.live_item(s, id))
    row = or_404(q.live_instrument(s, item.instrument_id))
    if _editable(row):
        ops.move_item(s, item, step)
    return redirect(url_for("surveys.instrument", id=row.id) + f"#item-{item.id}")


def item_up(id: str):
    return _move(id, -1)


def item_down(id: str):
    return _move(id, 1)


def item_delete(id: str):
    s = session()
    item = or_404(q.live_item(s, id))
    row = or_404(q.live_instrument(s, item.instrument_id))
    back = url_for("surveys.instrument", id=row.id)
    if not _editable(row):
        flash(_("The items of a seeded instrument are fixed: edit their wording, or make a custom instrument."), "error")
    elif item.id in q.items_with_answers(s, row.id):
        flash(_("Rounds hold answers to item %(code)s: it cannot be deleted.", code=item.code), "error")
    else:
        delete_with_undo(s, item, _("Item %(code)s deleted.", code=item.code), url_for("surveys.item_restore", id=item.id))
    return redirect(back)


def item_restore(id: str):
    s = session()
    item = or_404(s.get(InstrumentItem, id))
    if item.deleted and item.code in _taken(s, item.instrument_id):
        flash(_("Another item now has the code %(code)s: item not restored.", code=item.code), "error")
        return redirect(url_for("surveys.instrument", id=item.instrument_id))
    return restore_view(
        s,
        InstrumentItem,
        id,
        lambda it: _("Item %(code)s restored.", code=it.code),
        lambda it: url_for("surveys.instrument", id=it.instrument_id) + f"#item-{it.id}",
    )
