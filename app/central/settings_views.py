"""The office's own settings: the reporting period and deadline, and the expected roster
(who should report: coordinators seen in files, ones added by hand, leavers)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.central import office
from app.central.reporting import COUNTY_ORDER, file_counts, people
from app.central.schema import coordinators
from app.central.settings_forms import CoordinatorForm, DeleteForm, ExpectedForm, LinkForm, PeriodForm
from app.central.site import reader, writer
from app.core.geography import area_name, counties_by_area, county_name
from app.web.form_page import Saved, form_page
from app.web.i18n import current_language

ROSTER_PREFIX = "roster:"


def _county_choices() -> list[SelectChoice]:
    lang = current_language()
    return [
        SelectChoice(c.key, c.name(lang), optgroup=area_name(area.key, lang))
        for area, counties in counties_by_area()
        for c in counties
    ]


def index():
    conn = reader()
    current = office.read_settings(conn)
    form = PeriodForm(data={"period": current.period, "deadline_days": current.deadline_days})

    def save(f: PeriodForm):
        office.save_settings(writer(), office.OfficeSettings(f.period.data, f.deadline_days.data))
        return Saved(_("Reporting period and deadline saved."), url_for("office_settings.index"))

    lang = current_language()
    # The roster counts each coordinator's files in SQL: reading five years of them took most of the page's time.
    everyone = sorted(people(conn, with_files=False), key=lambda p: (COUNTY_ORDER.get(p.county, 99), p.name.casefold()))
    return form_page(
        form,
        "office_settings/index.html",
        save,
        people=everyone,
        files=file_counts(conn),
        county_name=lambda k: county_name(k, lang),
    )


def roster_new():
    form = ExpectedForm()
    form.county.choices = _county_choices()

    def save(f: ExpectedForm):
        office.add_expected(writer(), f.name.data, f.county.data, f.expected_from.data)
        return Saved(_("%(name)s added to the roster.", name=f.name.data), url_for("office_settings.index"))

    return form_page(form, "office_settings/expected.html", save, entry=None, title=_("Add an expected coordinator"))


def roster_edit(key: str):
    conn = reader()
    person = next((p for p in people(conn) if p.key == key), None)
    if person is None:
        abort(404)
    back = url_for("reporting.coordinator", key=key)
    if person.coordinator_id is None:  # added by hand
        assert person.roster_id is not None
        form = ExpectedForm(
            data={"name": person.name, "county": person.county, "expected_from": person.expected_from, "left_on": person.left_on}
        )
        form.county.choices = _county_choices()
        link = LinkForm(formdata=None)
        link.coordinator.choices = _unlinked(conn)
        roster_id = person.roster_id

        def save_expected(f: ExpectedForm):
            office.save_expected(writer(), roster_id, f.name.data, f.county.data, f.expected_from.data, f.left_on.data)
            return Saved(_("%(name)s saved.", name=f.name.data), back)

        return form_page(
            form,
            "office_settings/expected.html",
            save_expected,
            entry=person,
            link=link,
            delete=DeleteForm(formdata=None),
            title=person.name,
        )

    form = CoordinatorForm(data={"expected_from": person.expected_from, "left_on": person.left_on})
    coordinator_id = person.coordinator_id

    def save_seen(f: CoordinatorForm):
        office.save_coordinator(writer(), coordinator_id, person.name, person.county, f.expected_from.data, f.left_on.data)
        return Saved(_("%(name)s saved.", name=person.name), back)

    return form_page(
        form, "office_settings/coordinator.html", save_seen, person=person, county=county_name(person.county, current_language())
    )


def _unlinked(conn) -> list[SelectChoice]:
    """Coordinators seen in files without a roster row of their own that says anything."""
    lang = current_language()
    rows = conn.execute(select(coordinators.c.id, coordinators.c.name, coordinators.c.county).order_by(coordinators.c.name))
    return [SelectChoice(r.id, f"{r.name} ({county_name(r.county, lang)})") for r in rows]


def _hand_added(key: str) -> str:
    entry = office.entry(reader(), key.removeprefix(ROSTER_PREFIX)) if key.startswith(ROSTER_PREFIX) else None
    if entry is None or entry.coordinator_id is not None:
        abort(404)
    return entry.id


def roster_link(key: str):
    entry_id = _hand_added(key)
    form = LinkForm()
    form.coordinator.choices = _unlinked(reader())
    if not form.validate_on_submit():
        flash(_("Choose the coordinator whose files have come."), "error")
        return redirect(url_for("office_settings.roster_edit", key=key))
    office.link(writer(), entry_id, form.coordinator.data)
    flash(_("The roster row now follows that coordinator's files."), "success")
    return redirect(url_for("reporting.coordinator", key=form.coordinator.data))


def roster_delete(key: str):
    entry_id = _hand_added(key)
    if not DeleteForm().validate_on_submit():
        abort(400)
    office.remove(writer(), entry_id)
    flash(_("Removed from the roster."), "success")
    return redirect(url_for("office_settings.index"))
