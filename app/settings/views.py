from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app import i18n
from app.core import survey_schedule as survey_rules
from app.core.phase_metrics import STALL_MONTHS_DEFAULT, STALL_MONTHS_KEY
from app.models import current_profile, read_setting
from app.paths import documents_dir, in_onedrive
from app.queries import dashboard as dashboard_q
from app.queries import phase_metrics as phase_metrics_q
from app.settings import ops
from app.settings.forms import DashboardSettingsForm, FileSettingsForm, ProfileForm, county_choices
from app.web.db import session, store
from app.web.form_page import Saved, form_page
from app.web.i18n import current_language, set_language
from app.web.layout import safe_next


def _profile_form(profile=None) -> ProfileForm:
    form = ProfileForm(obj=profile)
    # No county chosen for the coordinator: a preselected first county (Helsinki) was saved unread.
    form.county.choices = [SelectChoice("", _("Choose your county")), *county_choices(current_language())]
    return form


def _save(form: ProfileForm):
    return ops.save_profile(
        session(),
        ops.ProfileData(form.name.data, form.role.data, form.county.data, form.central_office_email.data),
    )


def setup():
    if current_profile(session()) is not None:
        return redirect(url_for("settings.profile"))

    def save(form: ProfileForm) -> Saved:
        _save(form)
        return Saved(_("Welcome to Koordi! Your profile is saved."), url_for("dashboard.index"))

    return form_page(_profile_form(), "settings/setup.html", save)


def profile():
    def save(form: ProfileForm) -> Saved:
        _save(form)
        return Saved(_("Profile saved."), url_for("settings.profile"))

    return form_page(_profile_form(current_profile(session())), "settings/profile.html", save)


def files():
    s = session()
    form = FileSettingsForm(
        save_mode=read_setting(s, ops.SAVE_MODE_KEY, "ask"),
        folder=read_setting(s, ops.SAVE_FOLDER_KEY, str(documents_dir())),
    )

    form.folder.description = _folder_hint(form.folder.data)

    def save(form: FileSettingsForm) -> Saved:
        ops.save_settings(s, {ops.SAVE_MODE_KEY: form.save_mode.data, ops.SAVE_FOLDER_KEY: form.folder.data.strip()})
        return Saved(_("Settings saved."), url_for("settings.files"))

    return form_page(form, "settings/files.html", save)


def _folder_hint(folder: str | None) -> str:
    """Documents is often synced by OneDrive on managed laptops, and the files hold personal data."""
    hint = _(
        "The default folder, %(folder)s, is in Documents, which OneDrive copies to the cloud on many work laptops. To keep PDFs and exports on this computer only, choose a folder outside OneDrive.",
        folder=str(documents_dir()),
    )
    if folder and in_onedrive(folder.strip()):
        return _("This folder is in OneDrive: files saved in it are copied to the cloud.") + " " + hint
    return hint


def dashboard():
    s = session()
    saved = read_setting(s, dashboard_q.NO_CONTACT_WEEKS_KEY)
    months = survey_rules.parse_months(read_setting(s, survey_rules.NOMAD_MONTHS_KEY))
    form = DashboardSettingsForm(
        no_contact_weeks=dashboard_q.no_contact_weeks(saved),
        nomad_months=", ".join(map(str, months)),
        stall_months=phase_metrics_q.stall_months(s),
    )

    def save(form: DashboardSettingsForm) -> Saved:
        ops.save_settings(
            s,
            {
                dashboard_q.NO_CONTACT_WEEKS_KEY: str(form.no_contact_weeks.data),
                survey_rules.NOMAD_MONTHS_KEY: survey_rules.format_months(
                    survey_rules.parse_months(form.nomad_months.data or "")
                ),
                STALL_MONTHS_KEY: str(form.stall_months.data or STALL_MONTHS_DEFAULT),
            },
        )
        return Saved(_("Settings saved."), url_for("settings.dashboard"))

    return form_page(form, "settings/dashboard.html", save)


def backups():
    """The backups, where a coordinator looks for them: in the settings (also on the About page)."""
    st = store()
    return render_template("settings/backups.html", backups=st.list_backups())


def language():
    lang = request.form.get("lang", "")
    if lang in i18n.LANGUAGES:
        set_language(lang)
    return redirect(safe_next(request.form.get("next")))
