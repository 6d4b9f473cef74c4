"""The shape of the code, measured from its imports (every import, also those inside functions):
no import cycle between app's packages, and the coordinator's side never imports the central
office's package. A new cycle fails here with the imports that make it."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

# Modules that wire everything together (the app factory, the window host, the CLI's root) stand
# above the packages they compose and are not a "side".
COMPOSITION_ROOTS = {"app", "app.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    """app.sync.export -> app.sync; app.files -> app.files (a module of its own)."""
    parts = module.split(".")
    return ".".join(parts[:2])


def imports() -> dict[str, set[tuple[str, int]]]:
    """module -> {(imported app module, line)}."""
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for path in APP.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] == "app":
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    # `from app.sync import history` names a module; `from app.models import Unit` a name
                    is_module = (APP.parent / Path(*target.split("."))).with_suffix(".py").exists() or (
                        APP.parent / Path(*target.split(".")) / "__init__.py"
                    ).exists()
                    found[module].add((target if is_module else node.module, node.lineno))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "app":
                        found[module].add((alias.name, node.lineno))
    return found


def package_graph() -> dict[str, dict[str, list[str]]]:
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for module, targets in imports().items():
        if module in COMPOSITION_ROOTS:
            continue
        for target, line in targets:
            a, b = package_of(module), package_of(target)
            if a != b and b != "app":
                graph[a][b].append(f"{module}:{line} -> {target}")
    return graph


def cycles(graph) -> list[list[str]]:
    """Strongly connected components with more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_between_packages():
    graph = package_graph()
    problems = []
    for component in cycles(graph):
        edges = [edge for a in component for b in component for edge in graph[a].get(b, [])]
        problems.append(" <-> ".join(component) + "\n    " + "\n    ".join(sorted(edges)))
    assert not problems, "import cycles between packages:\n" + "\n".join(problems)


def test_the_coordinators_side_never_imports_the_central_office():
    offenders = sorted(
        f"{module}:{line} -> {target}"
        for module, targets in imports().items()
        if module not in COMPOSITION_ROOTS and package_of(module) != "app.central"
        for target, line in targets
        if package_of(target) == "app.central"
    )
    assert not offenders, "the coordinator's side imports app.central:\n" + "\n".join(offenders)


def test_the_command_lines_root_imports_no_command_module():
    root = {target for target, _line in imports()["app.cli"]}
    # app.gcpause: the collector's pause while a server starts (two stdlib imports, no command).
    assert all(t.startswith(("app.cli.common", "app.version", "app.logs", "app.gcpause")) for t in root), root


def test_the_cycle_finder_finds_a_cycle():
    """The check above would be worthless if it could not see one."""
    graph = {"a": {"b": ["a->b"]}, "b": {"c": ["b->c"]}, "c": {"a": ["c->a"]}, "d": {"a": ["d->a"]}}
    assert cycles(graph) == [["a", "b", "c"]]
