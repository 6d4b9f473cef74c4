"""Search: one box, results grouped by kind, each a link to the record's own page."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l

from app.web.db import session
from app.web.i18n import current_language

KIND_LABELS = {
    "unit": _l("Units"),
    "event": _l("Events"),
    "trainee": _l("Trainees"),
    "guidance": _l("Method guidance sessions"),
    "goal": _l("Goals"),
    "deployment": _l("Deployments"),
}
# A trainee's name is shown only as a link to their guidance page (personal data).
LINKS = {
    "unit": "units.detail",
    "event": "events.detail",
    "trainee": "guidance.trainee",
    "guidance": "guidance.session_detail",
    "goal": "goals.detail",
    "deployment": "deployments.detail",
}


def link(kind: str, ref_id: str) -> str:
    return url_for(LINKS[kind], id=ref_id)


def index():
    from app.search.query import MAX_QUERY, search, suggest  # loaded by the first search, not at start-up (issue 17)

    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    groups = search(session(), q, current_language()) if q else []
    return render_template(
        "search/index.html",
        q=q,
        groups=groups,
        suggestions=suggest(session(), q) if q and not groups else [],
        total=sum(g.total for g in groups),
        kind_labels=KIND_LABELS,
        link=link,
    )
