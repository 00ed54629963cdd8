"""The project's modules import one another without a cycle, and the domain never imports the process.

The graph is built from the imports (`ast`, no import is run) — at module level and inside functions
alike, so a late import cannot hide a cycle; only `if TYPE_CHECKING:` is not an edge. An import inside a
function is allowed only in the modules of `LATE_IMPORTS`, each with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("nominations", "workflow", "config")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


# The modules that may import inside a function, and why. Anything else imports at the top.
LATE_IMPORTS: dict[str, str] = {
    "workflow.documents.signing": "pyhanko (PKCS#11) is loaded only when a document is signed",
    "nominations.imports.sheet": "openpyxl is loaded only when a spreadsheet is imported",
    "workflow.apps": "AppConfig.ready: signal receivers and checks connect once the apps are loaded",
    "nominations.apps": "AppConfig.ready: the rights reader's signals connect once the apps are loaded",
    "nominations.management.commands.loaddemo": "the demo targets are loaded only when the command runs",
}


def _imports(tree: ast.Module, *, in_functions: bool) -> list[ast.Import | ast.ImportFrom]:
    """The imports at module level (`in_functions=False`) or inside functions and methods (`True`)."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[tuple[ast.AST, bool]] = [(node, False) for node in tree.body]
    while pending:
        node, inside = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if inside == in_functions:
                found.append(node)
        elif isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend((child, inside) for child in node.orelse)
        else:
            nested = inside or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            pending.extend((child, nested) for child in ast.iter_child_nodes(node))
    return found


def _all_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    return _imports(tree, in_functions=False) + _imports(tree, in_functions=True)


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in _all_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    package = (
                        name.split(".")[: -node.level] if path.name != "__init__.py" else name.split(".")
                    )
                    if path.name == "__init__.py" and node.level > 1:
                        package = package[: -(node.level - 1)]
                    base = ".".join([*package, base] if base else package)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_sees_the_imports_it_must_see() -> None:
    graph = _graph()
    assert "workflow.services.follow_up" in graph["workflow.process.routing"]
    assert "workflow.process.routing" in graph["workflow.services.transitions"]


def test_project_modules_import_one_another_without_a_cycle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, " → ".join(cycle or [])


def test_the_transition_follow_up_never_reaches_the_transition_services() -> None:
    graph, seen, pending = _graph(), set(), ["workflow.services.follow_up"]
    while pending:
        node = pending.pop()
        if node not in seen:
            seen.add(node)
            pending.extend(graph[node])
    assert "workflow.services.transitions" not in seen


def test_the_graph_sees_the_imports_inside_functions() -> None:
    assert "workflow.rights.signals" in _graph()["workflow.apps"]


def test_imports_inside_functions_only_where_they_are_allowed() -> None:
    late = {
        name
        for name, path in _modules().items()
        if _imports(ast.parse(path.read_text(encoding="utf-8")), in_functions=True)
    }
    assert late <= set(LATE_IMPORTS), sorted(late - set(LATE_IMPORTS))


def test_the_domain_never_imports_the_workflow() -> None:
    graph = _graph()
    upward = {
        f"{name} → {target}"
        for name, targets in graph.items()
        if name.split(".")[0] == "nominations"
        for target in targets
        if target.split(".")[0] == "workflow"
    }
    assert not upward, sorted(upward)
