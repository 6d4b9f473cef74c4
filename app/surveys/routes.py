"""The surveys blueprint, its navigation entry, hooks, template globals and URL rules; the views
(catalogue_views.py, import_views.py, results_views.py, round_views.py) and the template globals
(template_globals.py) are imported on their first use (app.web.lazy)."""

from __future__ import annotations

import io

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l

from app.web.i18n import current_language
from app.web.layout import register_nav
from app.web.lazy import GET, GET_POST, POST, add_rules, add_template_globals

bp = Blueprint("surveys", __name__, template_folder="templates")

CATALOGUE_RULES = (
    ("/surveys/instruments", "instruments", GET),
    ("/surveys/instruments/new", "instrument_new", GET_POST),
    ("/surveys/instruments/<id>", "instrument", GET),
    ("/surveys/instruments/<id>/edit", "instrument_edit", GET_POST),
    ("/surveys/instruments/<id>/retire", "instrument_retire", POST),
    ("/surveys/instruments/<id>/unretire", "instrument_unretire", POST),
    ("/surveys/instruments/<id>/delete", "instrument_delete", POST),
    ("/surveys/instruments/<id>/restore", "instrument_restore", POST),
    ("/surveys/instruments/<id>/items/new", "item_new", GET_POST),
    ("/surveys/items/<id>/edit", "item_edit", GET_POST),
    ("/surveys/items/<id>/up", "item_up", POST),
    ("/surveys/items/<id>/down", "item_down", POST),
    ("/surveys/items/<id>/delete", "item_delete", POST),
    ("/surveys/items/<id>/restore", "item_restore", POST),
)

IMPORT_RULES = (
    ("/surveys/import", "import_start", GET),
    ("/surveys/import", "import_upload", POST),
    ("/surveys/import/questions", "import_map", POST),
    ("/surveys/import/save", "import_save", POST),
    ("/surveys/import/cancel", "import_cancel", POST),
)

RESULTS_RULES = (
    ("/surveys", "results", GET),
    ("/surveys/due/<id>/skip", "skip", POST),
    ("/surveys/due/<id>/reopen", "reopen", POST),
)

ROUND_RULES = (
    ("/surveys/rounds", "rounds", GET),
    ("/surveys/rounds/new", "round_new", GET_POST),
    ("/surveys/rounds/<id>/edit", "round_edit", GET_POST),
    ("/surveys/rounds/<id>", "round_page", GET, "round"),
    ("/surveys/rounds/<id>/delete", "round_delete", POST),
    ("/surveys/rounds/<id>/restore", "round_restore", POST),
    ("/surveys/rounds/<id>/answers", "round_answers", GET_POST),
)

add_rules(bp, "app.surveys.catalogue_views", CATALOGUE_RULES)
add_rules(bp, "app.surveys.import_views", IMPORT_RULES)
add_rules(bp, "app.surveys.results_views", RESULTS_RULES)
add_rules(bp, "app.surveys.round_views", ROUND_RULES)

# Every page's (the dashboard's due rounds, the unit and method pages' results): template name -> function
add_template_globals(
    bp,
    "app.surveys.template_globals",
    {
        "survey_scale": "scale_text",
        "survey_group": "group_text",
        "survey_words": "survey_words",
        "survey_due": "survey_due",
        "survey_closed": "survey_closed",
        "survey_results_of": "survey_results_of",
        "survey_method_section": "survey_method_section",
        "survey_schedule_rule": "survey_schedule_rule",
    },
)

UPLOADS = ("surveys.import_upload", "surveys.import_map")


@bp.record_once
def _nav(state):
    register_nav(state.app, "surveys.results", _l("Follow-up"), 55)


@bp.context_processor
def _helpers():
    return {"lang": current_language()}


def _in_memory(total_content_length, content_type, filename=None, content_length=None):
    return io.BytesIO()


@bp.url_value_preprocessor
def _uploads_in_memory(endpoint, values):
    # Runs before any before_request (CSRF reads the form): the request's files are parsed into
    # memory, never into a temporary file on disk. MAX_CONTENT_LENGTH bounds them.
    if endpoint in UPLOADS:
        request._get_file_stream = _in_memory
