"""Each package's ``__init__`` carries a module map: one line per module saying what it holds. The map and the files
stay equal, so a new module is placed on the map (or the test names it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "api/schemas", "api/web", "restructure", "rules", "schedules")
LINE = re.compile(r"^- ``([a-z_0-9]+)``: (.+)$", re.M)


def _map(package: str) -> dict[str, str]:
    doc = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))) or ""
    return dict(LINE.findall(doc))


def _modules(package: str) -> set[str]:
    folder = ROOT / package
    files = {p.stem for p in folder.glob("*.py") if p.name != "__init__.py"}
    return files | {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}


@pytest.mark.parametrize("package", PACKAGES)
def test_the_module_map_lists_every_module_and_no_other(package):
    listed = _map(package)
    assert sorted(set(_modules(package)) - set(listed)) == [], f"{package}/__init__.py: modules missing from the map"
    assert sorted(set(listed) - set(_modules(package))) == [], f"{package}/__init__.py: the map names no such module"


@pytest.mark.parametrize("package", PACKAGES)
def test_each_line_says_what_the_module_holds(package):
    for name, what in _map(package).items():
        assert len(what.split()) >= 3, f"{package}.{name}: say what it holds"
