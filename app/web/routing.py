"""URL rules whose URL builders are compiled when first used, not at start-up (issue 17).

Werkzeug compiles two Python functions per rule (building its URL with and without extra
query arguments) as the rule is added: some 270 `compile()` calls for Koordi's rules, about
50 ms of every start. A page builds the URLs of a few dozen rules (the navigation, its own
links); the rest are compiled when a page first needs them, once. Matching a request (the
rule's regex) is unchanged: only building is deferred.

A rule without variables (`/units`, `/settings`: most of the navigation) needs no compiled
function at all: its path is a constant, and the builder below returns it as werkzeug's would
(the same quoting, the extra arguments as its query string). The first page builds 19 such
URLs (~2 ms of compiling, issue 17).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from werkzeug.routing import Rule

# werkzeug.routing.rules quotes a rule's constant parts with these left as they are.
_SAFE = "!$&'()*+,/:;=@"


class LazyBuildRule(Rule):
    def _compile_builder(self, append_unknown: bool = True) -> Any:
        if not self.arguments and not self.defaults:
            return _constant_builder(self, append_unknown)
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_then_replace(rule: Rule, *args: Any, **kwargs: Any) -> Any:
            # Compiled on the first call; two threads racing here both make the same function.
            real = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, attribute, real)
            return real(*args, **kwargs)

        return build_then_replace


def _constant_builder(rule: Rule, append_unknown: bool) -> Any:
    """What werkzeug's compiled builder of a rule without variables returns: (domain part, path),
    the path with `?` and the extra arguments when there are any and `append_unknown`."""
    parts: tuple[list[str], list[str]] = ([], [])
    side = 0  # the domain's parts, then after "|" the path's
    for _dynamic, data in rule._trace:  # no dynamic part: the rule has no arguments
        if data == "|" and side == 0:
            side = 1
            continue
        parts[side].append(quote(data, safe=_SAFE))
    domain, path = "".join(parts[0]), "".join(parts[1])

    def build_constant(self: Rule, **kwargs: Any) -> tuple[str, str]:
        if append_unknown and kwargs:
            params = self._encode_query_vars(kwargs)
            return domain, f"{path}?{params}" if params else path
        return domain, path

    return build_constant
