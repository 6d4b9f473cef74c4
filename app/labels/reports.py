"""The words for the kinds of report period."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "month": _l("Month"),
    "quarter": _l("Quarter"),
    "year": _l("Year"),
    "custom": _l("Custom range"),
}
