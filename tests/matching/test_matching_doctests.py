"""The examples in the matching core's docstrings run.

The examples are read from the source files (a compiled build keeps no docstrings) and run in
the namespace of the module as imported, so they exercise the compiled classes when there are
any and the interpreted ones otherwise.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import matching

# The modules whose docstrings carry examples; each must run at least one.
MODULES = ["matching.book", "matching.eligibility", "matching.listing_auction", "matching.reports",
           "matching.validation"]
PACKAGE = Path(matching.__file__).parent
DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _doctests(name: str) -> list[doctest.DocTest]:
    """The examples of every docstring in the module's source, bound to the module's names."""
    module = importlib.import_module(name)
    source = PACKAGE / (name.rpartition(".")[2] + ".py")
    parser, tests = doctest.DocTestParser(), []
    for node in ast.walk(ast.parse(source.read_text(), str(source))):
        if not isinstance(node, DOCUMENTED) or ast.get_docstring(node) is None:
            continue
        docstring = node.body[0]
        label = f"{name}.{getattr(node, 'name', '')}".rstrip(".")
        test = parser.get_doctest(ast.get_docstring(node, clean=False), dict(vars(module)),
                                  label, str(source), docstring.lineno)
        if test.examples:
            tests.append(test)
    return tests


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = _doctests(name)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_module_with_examples_is_listed():
    found = sorted(m.name for m in pkgutil.iter_modules(matching.__path__, "matching.")
                   if (PACKAGE / (m.name.rpartition(".")[2] + ".py")).exists())
    assert [name for name in found if _doctests(name)] == MODULES
