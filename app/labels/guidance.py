"""The words for guidance sessions' kinds and modes and trainees' status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {"group": _l("Group"), "individual": _l("Individual")}
MODE_LABELS = {"onsite": _l("On-site"), "remote": _l("Remote")}
STATUS_LABELS = {"active": _l("In training"), "ended": _l("Training ended")}
