"""Labels of the indicator catalogue's choices and of why a goal has no current value (lazy:
rendered in the UI language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MEASURE_LABELS = {
    "count": _l("Count"),
    "days": _l("Days"),
    "percent": _l("Percent"),
}
DIRECTION_LABELS = {
    "higher": _l("Higher is better"),
    "lower": _l("Lower is better"),
}
# Why an indicator goal shows no current value (app.core.indicator_progress.Why).
NO_VALUE_LABELS = {
    "not_reported": _l("Not reported yet"),
    "medians": _l("Medians of several units are not combined"),
    "no_base": _l("Shares without the number of clients are not combined"),
}
