"""Who may send order commands, with the order writer authenticating each bearer token in its
batch: the same answers as the request's own checks give inline (tests/api/test_order_callers.py).
"""

import pytest

from tests.api.test_order_callers import *  # noqa: F403  (the same tests, collected again here)


@pytest.fixture(autouse=True)
def _through_the_writer(order_writer):
    return order_writer
