"""Labels of the goals feature's choices (lazy: rendered in the UI language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "open": _l("Open"),
    "achieved": _l("Achieved"),
    "not_achieved": _l("Not achieved"),
    "dropped": _l("Dropped"),
}
