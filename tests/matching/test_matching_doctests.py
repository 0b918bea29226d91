"""The examples in the matching core's docstrings run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import matching

# The modules whose docstrings carry examples; each must run at least one.
MODULES = ["matching.book", "matching.eligibility", "matching.listing_auction", "matching.reports",
           "matching.validation"]


def _examples(name: str) -> int:
    module = importlib.import_module(name)
    return sum(len(test.examples) for test in doctest.DocTestFinder().find(module))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_module_with_examples_is_listed():
    found = sorted(m.name for m in pkgutil.iter_modules(matching.__path__, "matching."))
    assert [name for name in found if _examples(name)] == MODULES
