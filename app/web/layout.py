"""What every page shares: the navigation, the version, the first-run redirect."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple
from urllib.parse import unquote

from flask import Flask, current_app, g, redirect, request, url_for

from app.models import CoordinatorProfile, current_profile
from app.version import __version__
from app.web.db import is_write_request, session, store
from app.web.urls import record_links, record_url

# The sections on the bar itself; every other one (and any added later) is under "More",
# so the header stays one row in the window's 1180 px in the longest language (Swedish)
# and content keeps >= 85 % of the window's height.
NAV_BAR = ("dashboard.index", "units.index", "methods.index", "deployments.index", "events.index", "guidance.sessions")


class NavItem(NamedTuple):
    """An entry of the navigation: the page it opens, its label, its place."""

    endpoint: str
    label: object  # a lazy_gettext string
    order: int

    @property
    def section(self) -> str:
        return self.endpoint.split(".")[0]


def register_nav(app: Flask, endpoint: str, label, order: int) -> None:
    """Features add themselves to the main navigation; nothing else lists them."""
    items = app.extensions.setdefault("koordi.nav", [])
    items.append(NavItem(endpoint, label, order))
    items.sort(key=lambda i: i.order)


# Reachable before the coordinator profile exists (first launch); a new laptop may
# start from the copy made on the old one (the import adopts its profile).
FIRST_RUN_OPEN = {
    "static",
    "settings.setup",
    "settings.language",
    "system.about",
    "system.licences",
    "system.focus",
    "system.quit",
    "sync.import_start",
    "sync.import_upload",
    "sync.import_preview",
    "sync.import_apply",
    "sync.import_cancel",
}


def require_profile():
    if request.endpoint in FIRST_RUN_OPEN or request.endpoint is None:
        return None
    if current_app.extensions.get("koordi.store") is None:
        return None  # recovery mode has its own redirect

    if not is_write_request():
        missing = page_profile() is None
    else:
        # A read of its own, not the request's session: in a POST that one begins the write
        # transaction, which a POST that writes nothing (Close Koordi) must not wait for.
        with store().Session() as s:
            missing = current_profile(s) is None
    return redirect(url_for("settings.setup")) if missing else None


def page_profile() -> CoordinatorProfile | None:
    """The coordinator profile, read once per GET through the page's own session (the first-run
    check and the dashboard both ask: a session, a transaction and a read of their own each
    time, issue 17)."""
    if "profile" not in g:
        g.profile = current_profile(session())
    return g.profile


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["record_url"] = record_url  # url_for(endpoint, id=...) for long lists
    app.jinja_env.globals["record_links"] = record_links  # a list of such links, joined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.before_request(require_profile)

    @app.context_processor
    def _layout():
        section = (request.endpoint or "").split(".")[0]
        items = current_app.extensions.get("koordi.nav", [])
        return {
            "app_version": __version__,
            "nav_items": items,
            "nav_bar": [i for i in items if i.endpoint in NAV_BAR],
            "nav_more": [i for i in items if i.endpoint not in NAV_BAR],
            "nav_section": section,
        }


def safe_next(target: str | None, fallback: str = "dashboard.index") -> str:
    """A redirect target from a form or a query (`next`): a path on this server, else `fallback`.

    The one place every `next` goes through. Browsers drop tabs and newlines from a
    Location and read a backslash as a slash, so "/<tab>/evil.example" or
    "/<backslash>evil.example" would leave the site; a CR or LF cannot go in a header at
    all (a 500). So: one leading slash and no second one, and no backslash, whitespace or
    control character anywhere, also once the path's %-escapes are decoded.
    """
    target = (target or "").strip()
    path = unquote(target.split("?", 1)[0].split("#", 1)[0])
    if target.startswith("/") and not path.startswith("//") and _harmless(target) and _harmless(path):
        return target
    return url_for(fallback)


def _harmless(text: str) -> bool:
    return "\\" not in text and not any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in text)
