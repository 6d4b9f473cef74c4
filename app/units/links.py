"""Links to other features' record pages, which are built in parallel and may not exist yet."""

from __future__ import annotations

from flask import current_app, url_for
from werkzeug.routing import BuildError


def optional_url(endpoint: str, **values) -> str | None:
    """url_for, or None when the endpoint is not registered: the template shows plain text then."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def record_url(endpoint: str, record_id: str) -> str | None:
    """The page of one record, whatever its owner named the id in the URL rule
    (`<id>`, `<event_id>`…); None when there is no such page (yet)."""
    for rule in current_app.url_map.iter_rules(endpoint) if endpoint in current_app.view_functions else ():
        if len(rule.arguments) == 1:
            return optional_url(endpoint, **{next(iter(rule.arguments)): record_id})
    return None
