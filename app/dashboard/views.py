from __future__ import annotations

import datetime as dt


from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from app.core.geography import COUNTY_BY_KEY
from app.settings.ops import get_profile
from app.web.db import session
from app.i18n import HELSINKI
from app.web.i18n import current_language
from app.web.layout import register_nav

bp = Blueprint("dashboard", __name__, template_folder="templates")



@bp.record_once
def _nav(state):
    register_nav(state.app, "dashboard.index", _l("Dashboard"), 0)


@bp.get("/")
def index():
    profile = get_profile(session())
    county = COUNTY_BY_KEY[profile.county].name(current_language()) if profile else ""
    today = dt.datetime.now(HELSINKI).date()
    return render_template("dashboard/index.html", profile=profile, county=county, today=today)
