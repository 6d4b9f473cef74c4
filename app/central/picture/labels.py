"""The words of the national picture's choices (lazy: rendered in the page's or document's language,
and read by their msgid through app.pdf.text.Texts.label)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LEVEL_LABELS = {
    "country": _l("Whole country"),
    "area": _l("Cooperation area"),
    "county": _l("County"),
    "coordinator": _l("Coordinator"),
    "method": _l("Method"),
}
GRAIN_LABELS = {
    "month": _l("Month"),
    "quarter": _l("Quarter"),
    "year": _l("Year"),
}
SECTION_LABELS = {
    "picture.index": _l("Overview"),
    "picture.deployment_page": _l("Deployments"),
    "picture.events_page": _l("Events"),
    "picture.guidance_page": _l("Method guidance"),
    "picture.surveys_page": _l("Surveys"),
    "picture.indicators_page": _l("Indicators"),
}
