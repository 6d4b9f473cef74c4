"""Labels of the events feature's choices, one dict per enum (lazy: rendered in the UI language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TYPE_LABELS = {
    "workshop": _l("Workshop"),
    "support_meeting": _l("Support meeting"),
    "guidance_group": _l("Method guidance group"),
    "peer_mentoring": _l("Peer-mentoring group meeting"),
    "management_sparring": _l("Knowledge-based management sparring"),
    "network_meeting": _l("Network meeting"),
    "training": _l("Training"),
    "other": _l("Other"),
}
STATUS_LABELS = {
    "planned": _l("Planned"),
    "held": _l("Held"),
    "cancelled": _l("Cancelled"),
}
ROLE_LABELS = {
    "professionals": _l("Professionals"),
    "supervisors": _l("Supervisors"),
    "others": _l("Others"),
}


def remote_place(remote_label: str, place: str | None) -> str:
    """A remote event's place as shown: "Etänä (Teams)", then the place typed only when it says
    more than "Teams" again ("Etänä (Teams), Teams" read as a mistake)."""
    extra = (place or "").strip()
    if " ".join(extra.casefold().split()) in ("", "teams", "ms teams", "microsoft teams"):
        return remote_label
    return f"{remote_label}, {extra}"
