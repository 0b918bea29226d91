"""The import graph: no circles, and every arrow goes down the layers.

api/web (and the CLI, jobs, scheduler) → services → models/matching. Schemas describe
requests and responses and never call services; models and matching import nothing of the
app; a service package is entered only through its `__init__`, whose parts are private.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("market", "models", "matching")
# Leaf helpers any layer of the app may use; they import no layer above them.
UTILITIES = {"market.errors", "market.extensions", "market.calendar", "market.config",
             "market.tables", "market.downloads", "market.logs", "market.metrics",
             "market.vocabulary", "market.pdf", "market.alert_wording"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for package in PACKAGES
           for path in (ROOT / package).rglob("*.py")}


def _imports(module: str) -> set[str]:
    """Our modules that `module` names in any import statement, anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            names = [name if name in MODULES else node.module for name in names]
        else:
            continue
        found.update(name for name in names if name in MODULES and name != module)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    return result


def _service_package(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == ["market", "services"] and len(parts) >= 3:
        return ".".join(parts[:3])
    return None


def _violation(source: str, target: str) -> str | None:
    """Why the arrow source → target goes against the layers, or None."""
    top = source.split(".")[0]
    if top == "models" and not target.startswith("models"):
        return "models import nothing of the app"
    if top == "matching" and not target.startswith("matching"):
        return "matching imports nothing of the app"
    if source in UTILITIES and target.startswith("market") and target not in UTILITIES:
        return "utilities import no layer above them"
    if source.startswith("market.schemas") and target.startswith(
            ("market.services", "market.api", "market.web")):
        return "schemas describe data and never call services or handlers"
    if source.startswith("market.services") and target.startswith("market") \
            and not target.startswith("market.services") and target not in UTILITIES:
        return "services never reach up into handlers, pages, schemas or the CLI"
    target_package = _service_package(target)
    if target_package and target != target_package and target != "market.services.transaction" \
            and _service_package(source) != target_package:
        return f"enter {target_package} through its __init__, not its parts"
    return None


def test_the_graph_sees_the_code():
    assert "market.services.trading.engine" in MODULES
    assert "market.services.trading" in GRAPH["market.api.orders"]


def test_there_are_no_import_circles():
    assert _cycles() == []


@pytest.mark.parametrize("source", sorted(GRAPH))
def test_every_import_goes_down_the_layers(source):
    wrong = {target: why for target in sorted(GRAPH[source])
             if (why := _violation(source, target))}
    assert wrong == {}
