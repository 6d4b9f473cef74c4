"""What every page shares: the navigation, the version, the first-run redirect."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, redirect, request, url_for

from app.version import __version__


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy_gettext string
    order: int


def register_nav(app: Flask, endpoint: str, label, order: int) -> None:
    """Features add themselves to the main navigation; nothing else lists them."""
    items = app.extensions.setdefault("koordi.nav", [])
    items.append(NavItem(endpoint, label, order))
    items.sort(key=lambda i: i.order)


# Reachable before the coordinator profile exists (first launch); a new laptop may
# start from the copy made on the old one (the import adopts its profile).
FIRST_RUN_OPEN = {
    "static", "settings.setup", "settings.language", "system.about", "system.focus", "system.quit",
    "sync.import_start", "sync.import_upload", "sync.import_preview", "sync.import_apply", "sync.import_cancel",
}  # fmt: skip


def require_profile():
    if request.endpoint in FIRST_RUN_OPEN or request.endpoint is None:
        return None
    if current_app.extensions.get("koordi.store") is None:
        return None  # recovery mode has its own redirect
    from app.settings.ops import get_profile  # the settings feature owns the profile
    from app.web.db import session

    if get_profile(session()) is None:
        return redirect(url_for("settings.setup"))
    return None


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.before_request(require_profile)

    @app.context_processor
    def _layout():
        section = (request.endpoint or "").split(".")[0]
        return {
            "app_version": __version__,
            "nav_items": current_app.extensions.get("koordi.nav", []),
            "nav_section": section,
        }


def safe_next(target: str | None, fallback: str = "dashboard.index") -> str:
    """A redirect target from a form: a path on this server, never another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for(fallback)
