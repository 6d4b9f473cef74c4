"""URL rules whose URL builders are compiled when first used, not at start-up (issue 17).

Werkzeug compiles two Python functions per rule (building its URL with and without extra
query arguments) as the rule is added: some 270 `compile()` calls for Koordi's rules, about
50 ms of every start. A page builds the URLs of a few dozen rules (the navigation, its own
links); the rest are compiled when a page first needs them, once. Matching a request (the
rule's regex) is unchanged: only building is deferred.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule


class LazyBuildRule(Rule):
    def _compile_builder(self, append_unknown: bool = True) -> Any:
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_then_replace(rule: Rule, *args: Any, **kwargs: Any) -> Any:
            # Compiled on the first call; two threads racing here both make the same function.
            real = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, attribute, real)
            return real(*args, **kwargs)

        return build_then_replace
