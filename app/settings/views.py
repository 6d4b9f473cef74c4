from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import i18n
from app.paths import documents_dir
from app.models import current_profile, read_setting
from app.queries import dashboard as dashboard_q
from app.settings import ops
from app.settings.forms import DashboardSettingsForm, FileSettingsForm, ProfileForm, county_choices
from app.web.db import session
from app.web.form_page import Saved, form_page
from app.web.i18n import current_language, set_language
from app.web.layout import register_nav, safe_next

bp = Blueprint("settings", __name__, template_folder="templates")


@bp.record_once
def _nav(state):
    register_nav(state.app, "settings.profile", _l("Settings"), 90)


def _profile_form(profile=None) -> ProfileForm:
    form = ProfileForm(obj=profile)
    form.county.choices = county_choices(current_language())
    return form


def _save(form: ProfileForm):
    return ops.save_profile(
        session(),
        ops.ProfileData(form.name.data, form.role.data, form.county.data, form.central_office_email.data),
    )


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    if current_profile(session()) is not None:
        return redirect(url_for("settings.profile"))

    def save(form: ProfileForm) -> Saved:
        _save(form)
        return Saved(_("Welcome to Koordi! Your profile is saved."), url_for("dashboard.index"))

    return form_page(_profile_form(), "settings/setup.html", save)


@bp.route("/settings", methods=["GET", "POST"])
def profile():
    def save(form: ProfileForm) -> Saved:
        _save(form)
        return Saved(_("Profile saved."), url_for("settings.profile"))

    return form_page(_profile_form(current_profile(session())), "settings/profile.html", save)


@bp.route("/settings/files", methods=["GET", "POST"])
def files():
    s = session()
    form = FileSettingsForm(
        save_mode=read_setting(s, ops.SAVE_MODE_KEY, "ask"),
        folder=read_setting(s, ops.SAVE_FOLDER_KEY, str(documents_dir())),
    )

    def save(form: FileSettingsForm) -> Saved:
        ops.save_settings(s, {ops.SAVE_MODE_KEY: form.save_mode.data, ops.SAVE_FOLDER_KEY: form.folder.data.strip()})
        return Saved(_("Settings saved."), url_for("settings.files"))

    return form_page(form, "settings/files.html", save)


@bp.route("/settings/dashboard", methods=["GET", "POST"])
def dashboard():
    s = session()
    saved = read_setting(s, dashboard_q.NO_CONTACT_WEEKS_KEY)
    form = DashboardSettingsForm(no_contact_weeks=dashboard_q.no_contact_weeks(saved))

    def save(form: DashboardSettingsForm) -> Saved:
        ops.save_settings(s, {dashboard_q.NO_CONTACT_WEEKS_KEY: str(form.no_contact_weeks.data)})
        return Saved(_("Settings saved."), url_for("settings.dashboard"))

    return form_page(form, "settings/dashboard.html", save)


@bp.post("/language")
def language():
    lang = request.form.get("lang", "")
    if lang in i18n.LANGUAGES:
        set_language(lang)
    return redirect(safe_next(request.form.get("next")))
