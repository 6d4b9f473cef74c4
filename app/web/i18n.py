"""Flask-Babel wiring: the remembered language, and Finnish formats in templates."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context
from flask_babel import Domain, get_locale

from app import i18n
from app.models import Setting, read_setting
from app.store import write
from app.web.db import is_write_request, write_session
from app.web.extensions import babel

LANGUAGE_KEY = "ui_language"


def current_language() -> str:
    if "language" not in g:
        # The central office's app (app.central.app) keeps its language elsewhere: it has no store.
        read_saved = current_app.extensions.get("koordi.saved_language")
        store = current_app.extensions.get("koordi.store")
        if read_saved is not None:
            saved = read_saved()
        else:
            saved = _saved_language(store) if store is not None else None
        g.language = i18n.normalise(saved)
    return g.language


def _saved_language(store) -> str | None:
    page = g.get("db_session")
    if page is not None and not is_write_request():
        transaction = page.get_transaction()
        if transaction is None or transaction.is_active:
            # The page's own read session (a GET's never waits): a session of its own would take a
            # second connection while the page holds the first, opened anew on the first page (issue 17).
            return read_setting(page, LANGUAGE_KEY)
    return store.setting(LANGUAGE_KEY)


def set_language(lang: str) -> None:
    # Through the request's write session: a second writer beside it would wait for it.
    s = write_session()
    with write(s):
        s.merge(Setting(key=LANGUAGE_KEY, value=i18n.normalise(lang)))
    g.pop("language", None)


class SharedCatalogs(Domain):
    """Flask-Babel's catalog of a language is app.i18n's: messages.mo parsed once per process,
    not once by Flask-Babel and again for app.pdf.text (some 6 ms of the first page: issue 17)."""

    # (locale, catalog) of the last answer: every _() of a page asks again, and str(locale)
    # costs more than the lookup (a tenth of a long list's render time: issue 17). The
    # request's Locale is one object; another request's is another, so `is` tells them apart.
    _last: tuple = (object(), None)

    def get_translations(self):
        if not has_request_context():
            return super().get_translations()  # Flask-Babel's own answer outside a request
        locale = get_locale()
        last = self._last
        if last[0] is not locale:
            last = self._last = (locale, i18n._translations(i18n.normalise(str(locale))))
        return last[1]


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=current_language,
        default_locale=i18n.DEFAULT_LANGUAGE,
        default_translation_directories=str(i18n.TRANSLATIONS_DIR),
    )
    babel.domain_instance = SharedCatalogs()  # a cached property of Flask-Babel's: replaced once
    app.jinja_env.filters["fidate"] = i18n.format_date
    app.jinja_env.filters["fitime"] = lambda v: i18n.format_time(v, current_language())
    app.jinja_env.filters["localdatetime"] = lambda v: i18n.format_local_datetime(v, current_language())
    # A global, not a context variable: macros imported from another template see globals only.
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.filters["filesize"] = lambda v: i18n.format_size(v, current_language())
    app.jinja_env.filters["finum"] = lambda v, digits=1, fixed=True: i18n.format_number(v, current_language(), digits, fixed)

    @app.context_processor
    def _language():
        return {
            "current_lang": str(get_locale() or i18n.DEFAULT_LANGUAGE),
            "languages": [(code, i18n.LANGUAGE_NAMES[code]) for code in i18n.LANGUAGES],
        }
