"""The apps' layers, read from their imports (function-level ones included): core at the
bottom, then the taxonomies, then members, then the sections, which never import each
other (one reaches another through the registry in accmr.core.entries), then statistics,
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
    for path in sorted(ROOT.glob("*/**/*.py")):
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
