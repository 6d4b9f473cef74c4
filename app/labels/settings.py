"""The words for a coordinator's role."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "therapy": _l("Therapy coordinator"),
    "intervention": _l("Intervention coordinator"),
    "both": _l("Therapy and intervention coordinator"),
}
