"""How the local web UI protects and presents itself: security, i18n, errors, layout."""

from __future__ import annotations

import os

import jinja2
from flask import Flask

from app.web import db, errors, i18n, layout, security, template_cache
from app.web.extensions import csrf
from app.web.request import StrictRequest


def init_app(app: Flask) -> None:
    app.request_class = StrictRequest  # a form body that is not UTF-8 is refused (400), never stored as "%FF"
    # Order matters: Host and access checks run before CSRF, so a stranger's
    # request is refused as such rather than told its form expired.
    security.init_app(app)
    csrf.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    layout.init_app(app)
    # Under test a template naming a variable it was not given fails loudly (a macro
    # imported without context once printed every method's name in Finnish); for users,
    # Jinja's forgiving default. The browser tests' servers ask for it by environment.
    if app.testing or os.environ.get("KOORDI_STRICT_TEMPLATES") == "1":
        app.jinja_env.undefined = jinja2.StrictUndefined
    template_cache.install(app)
