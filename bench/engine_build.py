"""Which build of the engine a benchmark measures: compiled when installed so, or ``--pure``.

``pip install -e .`` compiles the engine's hot modules with mypyc (``setup.py``); ``--pure``
on a benchmark's command line loads the interpreted sources instead (the reference build).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def choose(argv: list[str]) -> None:
    """Call before anything imports matching: with --pure, load the engine from its sources."""
    if "--pure" in argv:
        sys.path.insert(0, str(ROOT))
        from tests.matching.pure_python import use_pure_python

        use_pure_python()


def describe() -> str:
    """The build in use, for the report."""
    import matching.book

    return "pure Python" if matching.book.__file__.endswith(".py") else "compiled (mypyc)"
