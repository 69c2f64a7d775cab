"""Imports run one way: platform ← ingestion ← orchestration, and platform ← dashboards.

The platform (with its contracts: landing tables, serving pointer, e-reporting export
record) is what every part shares. The dashboards read what the pipeline publishes
through those contracts, never through the pipeline's code, so either side can change
without the other. Only the command line, which starts every part, may import them all.
"""

import ast
from pathlib import Path

import pytest

from vigie.platform.settings import REPO_ROOT

PACKAGES = ("platform", "ingestion", "orchestration", "dashboards")
#: what each package may import of the others
ALLOWED = {
    "platform": set(),
    "ingestion": {"platform"},
    "orchestration": {"platform", "ingestion"},
    "dashboards": {"platform"},
}
#: the entry points that start every part (``vigie bench dashboards`` runs the dashboards'
#: own benchmark)
COMPOSITION_ROOTS = {"orchestration/cli/bench.py", "orchestration/bench_national.py"}


def _imports(path: Path) -> set[str]:
    """The vigie packages a module imports, wherever in it the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "vigie" and len(parts) > 1 and parts[1] in PACKAGES:
                found.add(parts[1])
    return found


def _modules(package: str) -> list[Path]:
    return sorted((REPO_ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_what_lies_below_it(package):
    wrong = {}
    for path in _modules(package):
        relative = path.relative_to(REPO_ROOT).as_posix()
        if relative in COMPOSITION_ROOTS:
            continue
        others = _imports(path) - {package} - ALLOWED[package]
        if others:
            wrong[relative] = sorted(others)
    assert wrong == {}


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from vigie.orchestration.ereporting import export\n")
    assert _imports(module) == {"orchestration"}
