"""Labels of the method catalogue's choices (lazy: rendered in the UI language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TARGET_GROUP_LABELS = {
    "adult": _l("Adults"),
    "child_youth": _l("Children and youth"),
}
