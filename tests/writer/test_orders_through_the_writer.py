"""Every order test of the API, with the orders matched by the order writer instead of inline.

The same assertions hold whichever book keeper matches: holds, encumbrances, fills, priority,
replays and refusals (tests/api/test_orders.py).
"""

import pytest

from tests.api.test_orders import *  # noqa: F403  (the same tests, collected again here)


@pytest.fixture(autouse=True)
def _through_the_writer(order_writer):
    return order_writer
