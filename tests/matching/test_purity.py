"""The matching core imports only the standard library and does no I/O and reads no clock."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import matching

PACKAGE = Path(matching.__file__).parent
FORBIDDEN = {"flask", "sqlalchemy", "marshmallow", "models", "market", "psycopg2", "werkzeug"}
# Standard-library modules that would bring I/O, clocks or randomness into the core.
NO_IO = {
    "os",
    "io",
    "sys",
    "socket",
    "pathlib",
    "subprocess",
    "logging",
    "time",
    "shutil",
    "tempfile",
    "threading",
    "asyncio",
    "urllib",
    "http",
    "sqlite3",
    "random",
    "pickle",
}
FORBIDDEN_CALLS = {"open", "print", "input", "now", "utcnow", "today"}


def imported_modules(tree: ast.AST) -> set[str]:
    """Top-level names of every module a syntax tree imports (relative imports excluded)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def sources() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 5
    return files


def test_only_standard_library_imports():
    for path in sources():
        modules = imported_modules(ast.parse(path.read_text(), str(path)))
        assert not modules & FORBIDDEN, (path.name, modules & FORBIDDEN)
        assert not modules & NO_IO, (path.name, modules & NO_IO)
        outside = {m for m in modules if m != "matching" and m not in sys.stdlib_module_names}
        assert not outside, (path.name, outside)


def test_no_io_or_clock_calls():
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                assert name not in FORBIDDEN_CALLS, (path.name, node.lineno, name)


def test_the_check_catches_a_forbidden_import():
    tree = ast.parse("import flask\nfrom sqlalchemy.orm import Session\nfrom . import x\n")
    assert imported_modules(tree) == {"flask", "sqlalchemy"}
