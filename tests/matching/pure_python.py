"""Run against the pure-Python engine in a build that has compiled it (``setup.py``, mypyc).

The compiled extension modules sit beside their sources and win on import. This module puts
a finder first on ``sys.meta_path`` that loads every ``matching.*`` module from its ``.py``
file instead, so the reference (the interpreted source) can be tested and measured in the
same checkout: ``python -m pytest -p tests.matching.pure_python tests/matching``, or
``use_pure_python()`` before anything imports ``matching`` (the benchmarks' ``--pure``).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from pathlib import Path

ENGINE = "matching"


class SourceFirst(importlib.abc.MetaPathFinder):
    """Find ``matching``'s submodules as usual, then load the ``.py`` file, not the ``.so``."""

    def find_spec(self, name, path, target=None):
        if not name.startswith(ENGINE + ".") or path is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.origin is None or spec.origin.endswith(".py"):
            return spec
        source = Path(spec.origin).with_name(name.rpartition(".")[2] + ".py")
        # mypyc's shared library has no source; nothing imports it once the shims do not.
        return importlib.util.spec_from_file_location(name, source) if source.exists() else None


def use_pure_python() -> None:
    """Make every later import of ``matching.*`` the interpreted source."""
    loaded = sorted(m for m in sys.modules if m == ENGINE or m.startswith(ENGINE + "."))
    if any(m != ENGINE for m in loaded):
        raise RuntimeError(f"matching is already imported ({', '.join(loaded)})")
    if not active():
        sys.meta_path.insert(0, SourceFirst())


def compiled_modules() -> list[str]:
    """The names of the ``matching`` modules that were loaded from extension modules."""
    return sorted(
        name for name, module in list(sys.modules.items())
        if name.startswith(ENGINE + ".") and not str(getattr(module, "__file__", "")).endswith("py")
    )


def active() -> bool:
    """Whether this process loads the engine from source (the finder is installed)."""
    return any(isinstance(f, SourceFirst) for f in sys.meta_path)


def pytest_load_initial_conftests(early_config, parser, args):
    """As a pytest plugin (-p): switch before the conftest files import the app."""
    use_pure_python()
