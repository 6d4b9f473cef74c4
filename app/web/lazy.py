"""Views imported on their first request, not at start-up (issue 17; Flask's "Lazily Loading Views").

A feature's light module (app/<feature>/routes.py) makes the blueprint, its hooks and a table of
its URL rules naming each view as "module:function"; the views modules hold plain functions and
their imports (forms, queries, labels) wait for the first request that needs them. The URL map is
whole from the start: matching, url_for, 404 and 405 are the same as with decorated views.
Template globals other features' pages use, and an error handler, can wait the same way (LazyView).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any

from flask import Blueprint

from app.web.extensions import csrf

GET = ("GET",)
POST = ("POST",)
GET_POST = ("GET", "POST")

# (rule, function name, methods) or (rule, function name, methods, endpoint)
RuleSpec = tuple[str, str, tuple[str, ...]] | tuple[str, str, tuple[str, ...], str]


class LazyView:
    """Stands in for module:function until its first call. It carries the real function's
    __module__ and __name__, so whatever is keyed on "module.name" (Flask-WTF's csrf.exempt,
    logs) sees the same view."""

    def __init__(self, module: str, name: str) -> None:
        self.__module__ = module
        self.__name__ = self.__qualname__ = name
        self._view: Callable[..., Any] | None = None

    def resolve(self) -> Callable[..., Any]:
        # Two threads racing here both get the same function: the import system locks the module.
        if self._view is None:
            self._view = getattr(import_module(self.__module__), self.__name__)
        return self._view

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)


def add_rules(bp: Blueprint, module: str, rules: Iterable[RuleSpec], exempt: Iterable[str] = ()) -> None:
    """Declare `rules` on `bp`, each view being module:function. `exempt` names the views a page
    never posts to (a second launch, with the token header): csrf.exempt by "module.name", since
    Flask-WTF looks before the view is imported."""
    views: dict[str, LazyView] = {}  # one stand-in per function: a function may serve several rules
    for rule, name, methods, *endpoint in rules:
        view = views.setdefault(name, LazyView(module, name))
        bp.add_url_rule(rule, endpoint[0] if endpoint else name, view, methods=list(methods))
    for name in exempt:
        csrf.exempt(f"{module}.{name}")


def add_template_globals(bp: Blueprint, module: str, names: dict[str, str]) -> None:
    """Template globals (template name -> function of `module`) imported on their first use."""
    for template_name, name in names.items():
        bp.add_app_template_global(LazyView(module, name), template_name)
