"""The compiled build (mypyc, ``setup.py``) is current, and the pure-Python reference passes too.

This process runs the tests against whatever ``pip install -e .`` built: the compiled modules
when mypyc and a C compiler were there, else the sources. When it is the compiled build, one
test runs the rest of ``tests/matching`` again in a child process against the sources
(``pure_python.py``), so both pass the property, replay, doctest and purity tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pure_python
import pytest

import matching.book

HERE = Path(__file__).resolve().parent
PACKAGE = Path(matching.__file__).parent
# The hot modules setup.py compiles; the import of matching.book above loads all of them.
HOT = ["amendments", "book", "continuous", "events", "levels", "lifecycle", "queries", "state",
       "validation"]


def _compiled() -> list[str]:
    return [m for m in pure_python.compiled_modules() if m.rpartition(".")[2] in HOT]


def test_compiled_modules_are_built_from_the_current_sources():
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    for name in _compiled():
        short = name.rpartition(".")[2]
        built, source = PACKAGE / f"{short}{suffix}", PACKAGE / f"{short}.py"
        assert source.stat().st_mtime <= built.stat().st_mtime, (
            f"{source.name} changed after the build: run `pip install -e .` (or "
            "scripts/bootstrap.sh) to recompile, or MATCHING_PURE=1 for none")


def test_the_build_is_all_or_nothing():
    compiled = _compiled()
    if pure_python.active():
        assert compiled == [], "the pure-Python run loaded compiled modules"
    else:
        assert compiled in ([], [f"matching.{m}" for m in HOT])


@pytest.mark.skipif(pure_python.active(), reason="this is the pure-Python run")
def test_the_pure_python_reference_passes_the_matching_tests():
    if not _compiled():
        pytest.skip("no compiled build: this process already tested the sources")
    root = HERE.parents[1]
    others = sorted(str(p.relative_to(root)) for p in HERE.glob("test_*.py")
                    if p.name != Path(__file__).name)
    others.append("tests/architecture")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.matching.pure_python",
         "-p", "no:cacheprovider", *others],
        cwd=root, capture_output=True, text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
