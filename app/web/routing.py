"""URL rules that build their URLs without compiling a builder (issue 17).

Werkzeug compiles two Python functions per rule (building its URL with and without extra query
arguments, through `ast` and `compile()`) as the rule is added: some 270 `compile()` calls for
Koordi's rules, about 50 ms of every start. Deferred to a rule's first use, the first page still
compiled those of the rules it links to: ~1 ms for its six rules with variables (`/units/<id>`),
~2 ms for the navigation's 19 without. A rule's builder is now made on its first use, compiling
nothing: ~4 µs a rule; a URL costs ~0.5 µs more to build than with werkzeug's compiled function.

The builder below does what werkzeug's compiled one does, from the same parts of the rule: its
constant parts quoted as werkzeug quotes them, each variable through its converter's `to_url`, a
default given for a variable of the path as a constant, the other defaults and the extra
arguments as werkzeug takes them (the extras as the query string when `append_unknown`).
Matching a request (the rule's regex) is werkzeug's own. tests/test_startup.py compares the two
builders' URLs for every rule of the app.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Flask
from werkzeug.routing import Rule

# werkzeug.routing.rules quotes a rule's constant parts with these left as they are.
_SAFE = "!$&'()*+,/:;=@"


class LazyBuildRule(Rule):
    def _compile_builder(self, append_unknown: bool = True) -> Any:
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_then_replace(rule: Rule, *args: Any, **kwargs: Any) -> Any:
            # Made on the first call, not as the rule is added (a start adds 135 rules, and the
            # first page builds the URLs of 25): two threads racing here both make the same one.
            real = _builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, attribute, real)
            return real(*args, **kwargs)

        return build_then_replace


class KoordiFlask(Flask):
    """Flask whose every rule is a LazyBuildRule: a class attribute, because Flask() adds the
    static files' rule as it is made, before an instance's attribute could be set."""

    url_rule_class = LazyBuildRule


def _builder(rule: Rule, append_unknown: bool) -> Any:
    """What werkzeug's compiled builder of `rule` returns: (domain part, path), the path with `?`
    and the extra arguments when there are any and `append_unknown`."""
    defaults = rule.defaults or {}
    # Each side's parts, the domain's then after "|" the path's: (a constant, None) or (a variable's
    # name, its converter's to_url, looked up once: the rule is bound, its converters are made).
    sides: tuple[list[tuple[str, Any]], list[tuple[str, Any]]] = ([], [])
    side = 0
    for dynamic, data in rule._trace:
        if data == "|" and side == 0:
            side = 1
            continue
        if dynamic and data in defaults:  # werkzeug resolves it once, to a constant
            sides[side].append((rule._converters[data].to_url(defaults[data]), None))
        elif dynamic:
            sides[side].append((data, rule._converters[data].to_url))
        else:
            sides[side].append((quote(data, safe=_SAFE), None))
    # The compiled function's named parameters: the path's variables and every default; a call's
    # other arguments are its **kwargs, the query string.
    named = {data for part in sides for data, to_url in part if to_url is not None} | set(defaults)

    if not named:  # a constant path (most of the navigation): joined once
        domain, path = ("".join(data for data, _to_url in part) for part in sides)

        def build_constant(self: Rule, **kwargs: Any) -> tuple[str, str]:
            if append_unknown and kwargs:
                params = self._encode_query_vars(kwargs)
                return domain, f"{path}?{params}" if params else path
            return domain, path

        return build_constant

    constant_domain = None if any(to_url for _data, to_url in sides[0]) else "".join(data for data, _to_url in sides[0])

    def join(part: list[tuple[str, Any]], values: dict[str, Any]) -> str:
        return "".join([data if to_url is None else to_url(values[data]) for data, to_url in part])

    def build(self: Rule, **kwargs: Any) -> tuple[str, str]:
        try:
            domain = constant_domain if constant_domain is not None else join(sides[0], kwargs)
            path = join(sides[1], kwargs)
        except KeyError as exc:  # as calling the compiled function without it would
            raise TypeError(f"missing URL argument: {exc.args[0]}") from None
        if append_unknown and not named.issuperset(kwargs):
            params = self._encode_query_vars({key: value for key, value in kwargs.items() if key not in named})
            if params:
                path = f"{path}?{params}"
        return domain, path

    return build
