"""The reporting app's modules import each other one way: no two-module import circle (function-level imports
included). A service enqueues a job through the outbox by the task's dotted name (``regsys.jobs``); only the
task module imports the services."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    """Every ``reporting.*`` module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name for name in names if name.startswith("reporting.")}
    return found


def _modules() -> dict[str, set[str]]:
    graph = {}
    for path in APP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        name = ".".join(("reporting", *path.relative_to(APP).with_suffix("").parts)).removesuffix(".__init__")
        graph[name] = _imports(path)
    return {name: {i for i in imports if i in graph} for name, imports in graph.items()}


def test_no_two_module_import_circle_in_reporting():
    graph = _modules()

    circles = sorted({tuple(sorted((a, b))) for a, targets in graph.items() for b in targets if a in graph.get(b, ())})

    assert circles == []
    assert "reporting.services" in graph["reporting.tasks"]  # the task calls the service …
    assert not any(name.startswith("reporting.tasks") for name in graph["reporting.services"])  # … never back


def test_the_export_job_names_its_task_instead_of_importing_it():
    from reporting.models import ExportJob

    assert ExportJob.task_path == "reporting.tasks.return_build_task"
    assert "reporting.tasks" not in _modules()["reporting.models"]
