"""No two modules of the project import each other, at module level or inside a function.

A pair that does (reference data calling the services that read it, a service and the task module that
runs it) hides an order that only works by accident; the arrows must point one way.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "node_modules", "migrations", "static", "templates", "docs", "fixtures", "benchmarks"}


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if any(part in SKIP_DIRS or part.startswith(".") for part in parts[:-1]):
            continue
        name = ".".join(parts)[:-3]
        modules[name.removesuffix(".__init__")] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports anywhere in its file (``from a import b`` counts a.b if b is one)."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(f"{target}."):
                found.add(target)
    return found


def circles(root: Path = ROOT) -> set[frozenset[str]]:
    modules = project_modules(root)
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    return {frozenset({a, b}) for a, targets in graph.items() for b in targets if a in graph.get(b, set())}


def test_no_two_project_modules_import_each_other():
    found = circles()

    assert found == set(), sorted(sorted(pair) for pair in found)


def test_the_reference_data_does_not_import_its_services():
    modules = project_modules()

    for name in ("enterprises.grading.reference", "inspections.planning.reference"):
        assert imports_of(name, modules[name], modules) & {n for n in modules if n.endswith(".services")} == set()


def test_the_check_finds_a_circle_made_by_a_function_level_import(tmp_path):
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "reference.py").write_text("def load():\n    from app.services import ensure\n    ensure()\n")
    (package / "services.py").write_text("from app import reference\n\nROWS = reference\n")
    (package / "tasks.py").write_text("from . import services\n")

    assert circles(tmp_path) == {frozenset({"app.reference", "app.services"})}
