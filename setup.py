"""Build hook: compile the matching engine's hot modules with mypyc, or ship them pure.

``pip install -e .`` (and so ``scripts/bootstrap.sh``) compiles the modules in ``COMPILED``
with mypyc (from mypy, pinned in pyproject's build requirements) and the machine's C
compiler; the extension modules land beside the sources and take precedence on import. The
pure-Python modules stay the reference: the same source, run by the interpreter when nothing
was compiled. ``MATCHING_PURE=1`` at install time skips the compile, and any failure
(no mypy, no compiler, a type error) falls back to pure Python with a warning rather than
failing the install. ``tests/matching/pure_python.py`` runs the tests against the pure
modules in a build that has the compiled ones.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

# The hot path and every class it is built of (a native class's bases must be native too).
COMPILED = [
    "matching/state.py",
    "matching/levels.py",
    "matching/validation.py",
    "matching/events.py",
    "matching/queries.py",
    "matching/continuous.py",
    "matching/amendments.py",
    "matching/lifecycle.py",
    "matching/book.py",
]


def _warn(message: str) -> None:
    print(f"matching: {message}; the engine stays pure Python", file=sys.stderr)


# The setup.py commands that build; the others (egg_info, dist_info, …) need no compile.
BUILDS = {"build", "build_ext", "bdist_wheel", "editable_wheel", "develop", "install"}


def _remove_earlier_build() -> None:
    """Delete extension modules an earlier build left beside the sources.

    They would win on import over the sources even when this build makes none (pure
    fallback), and mypyc's shims load whichever shared library is there.
    """
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    for path in Path(__file__).resolve().parent.joinpath("matching").glob(f"*{suffix}"):
        path.unlink()


def _compiled_extensions() -> list:
    """mypyc's extension modules for COMPILED, or none when it cannot or should not build."""
    if not BUILDS & set(sys.argv[1:]):
        return []
    _remove_earlier_build()
    if os.environ.get("MATCHING_PURE") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _warn("mypyc is not installed")
        return []
    try:
        # mypycify type-checks and writes C under build/; it exits on a type error.
        return mypycify(COMPILED, opt_level="3", debug_level="0", group_name="matching.native")
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure means pure Python
        _warn(f"mypyc failed ({exc})")
        return []


class OptionalBuildExt(build_ext):
    """build_ext that leaves no partial build behind when the C compile fails."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001
            _warn(f"the C compile failed ({exc})")
            # mypyc's per-module shims all load one shared library: without it they would
            # fail on import, so every compiled file goes, built or copied beside the source.
            suffix = sysconfig.get_config_var("EXT_SUFFIX")
            for ext in self.extensions:
                for path in (self.get_ext_fullpath(ext.name), ext.name.replace(".", "/") + suffix):
                    Path(path).unlink(missing_ok=True)

setup(ext_modules=_compiled_extensions(), cmdclass={"build_ext": OptionalBuildExt})
