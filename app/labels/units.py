"""Labels of the units feature's choices, one dict per enum (lazy: rendered in the UI language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SERVICE_LINE_LABELS = {
    "health_station": _l("Health station"),
    "mental_health_substance": _l("Mental-health and substance services"),
    "adult_social_work": _l("Adult social work"),
    "school_student_health": _l("School and student health care"),
    "family_counselling": _l("Family counselling"),
    "child_health_clinic": _l("Child health clinic"),
    "other": _l("Other"),
}
AGE_GROUP_LABELS = {
    "adults": _l("Adults"),
    "children_youth": _l("Children and youth"),
    "both": _l("Adults, children and youth"),
}
STATUS_LABELS = {
    "active": _l("Active"),
    "ended": _l("Ended"),
}
