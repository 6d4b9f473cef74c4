from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import i18n
from app.files import default_folder
from app.settings import ops
from app.queries import dashboard as dashboard_q
from app.settings.forms import DashboardSettingsForm, FileSettingsForm, ProfileForm, county_choices
from app.web.db import session
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
    if ops.get_profile(session()) is not None:
        return redirect(url_for("settings.profile"))
    form = _profile_form()
    if form.validate_on_submit():
        _save(form)
        flash(_("Welcome to Koordi! Your profile is saved."), "success")
        return redirect(url_for("dashboard.index"))
    return render_template("settings/setup.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/settings", methods=["GET", "POST"])
def profile():
    current = ops.get_profile(session())
    form = _profile_form(current)
    if form.validate_on_submit():
        _save(form)
        flash(_("Profile saved."), "success")
        return redirect(url_for("settings.profile"))
    status = 422 if request.method == "POST" else 200
    return render_template("settings/profile.html", form=form), status


@bp.route("/settings/files", methods=["GET", "POST"])
def files():
    s = session()
    form = FileSettingsForm(
        save_mode=ops.get_setting(s, ops.SAVE_MODE_KEY, "ask"),
        folder=ops.get_setting(s, ops.SAVE_FOLDER_KEY, str(default_folder())),
    )
    if form.validate_on_submit():
        ops.save_settings(s, {ops.SAVE_MODE_KEY: form.save_mode.data, ops.SAVE_FOLDER_KEY: form.folder.data.strip()})
        flash(_("Settings saved."), "success")
        return redirect(url_for("settings.files"))
    status = 422 if request.method == "POST" else 200
    return render_template("settings/files.html", form=form), status


@bp.route("/settings/dashboard", methods=["GET", "POST"])
def dashboard():
    s = session()
    saved = ops.get_setting(s, dashboard_q.NO_CONTACT_WEEKS_KEY)
    form = DashboardSettingsForm(no_contact_weeks=dashboard_q.no_contact_weeks(saved))
    if form.validate_on_submit():
        ops.save_settings(s, {dashboard_q.NO_CONTACT_WEEKS_KEY: str(form.no_contact_weeks.data)})
        flash(_("Settings saved."), "success")
        return redirect(url_for("settings.dashboard"))
    status = 422 if request.method == "POST" else 200
    return render_template("settings/dashboard.html", form=form), status


@bp.post("/language")
def language():
    lang = request.form.get("lang", "")
    if lang in i18n.LANGUAGES:
        set_language(lang)
    return redirect(safe_next(request.form.get("next")))
