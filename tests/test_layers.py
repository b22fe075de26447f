"""The apps' layers, read from their imports (function-level ones included): core at the
bottom, then the taxonomies, then members, then the sections, which never import each
other (one reaches another through the registry in accmr.core.sections), then statistics,
which read every section. The project's wiring (settings, urls) sits above them all."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "accmr.core": 0,
    "accmr.taxonomy": 1,
    "accmr.members": 2,
    "services": 3,
    "activities": 3,
    "toolbox": 3,
    "support": 3,
    "stats": 4,
}
WIRING = {"accmr.settings", "accmr.urls", "accmr.wsgi", "accmr.asgi"}


def package_of(module: str) -> str | None:
    return next((p for p in LAYERS if module == p or module.startswith(p + ".")), None)


def modules():
    paths = {p for package in LAYERS for p in (ROOT / package.replace(".", "/")).rglob("*.py")}
    for path in sorted(paths):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        if "migrations" in parts or parts[0] == "tests" or name in WIRING:
            continue
        if package_of(name):
            yield name, path


def imported(name: str, path: Path) -> set[str]:
    """The modules `name` imports, wherever in the file (relative imports resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
    return found


def test_the_layers_are_read_from_every_app():
    found = {package_of(name) for name, _path in modules()}
    assert found == set(LAYERS)


@pytest.mark.parametrize(("name", "path"), list(modules()), ids=lambda v: str(v))
def test_no_module_imports_a_layer_above_it_or_a_sibling_section(name, path):
    own = package_of(name)
    wrong = sorted(
        target
        for target in imported(name, path)
        if (other := package_of(target)) and other != own and LAYERS[other] >= LAYERS[own]
    )
    assert not wrong, f"{name} imports {wrong}"


def circles() -> list[list[str]]:
    """Groups of modules that import one another, directly or round a loop (Tarjan)."""
    found = dict(modules())
    graph = {}
    for name, path in found.items():
        targets = set()
        for target in imported(name, path):
            while target and target not in found:  # "pkg.module.Name" → "pkg.module"
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
        graph[name] = targets
    index, low, stack, groups = {}, {}, [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            group.append(node)
            if len(group) > 1:
                groups.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return sorted(groups)


def test_no_modules_import_each_other_round_a_circle():
    assert circles() == []
