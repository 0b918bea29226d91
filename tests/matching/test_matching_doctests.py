"""The examples in the matching core's docstrings run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import matching

MODULES = sorted(m.name for m in pkgutil.iter_modules(matching.__path__, "matching."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
