"""An order writer in a thread of the test process, and the app sending it every order.

The writer needs PostgreSQL (advisory locks, LISTEN/NOTIFY); its fixtures skip without
TEST_DATABASE_URL, as the concurrency tests do (CI always sets it).
"""

import json
import os
import threading
import time
import uuid

import pytest

from market.extensions import db
from market.services.trading import OrderWriter, command_bus, order_gateway
from market.services.trading.order_writer import count_writes


def _needs_postgresql() -> None:
    # A conftest's pytestmark marks none of the modules beside it: every fixture here asks.
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the order writer needs PostgreSQL")


class RunningWriter:
    """A writer thread that can be stopped (as a clean shutdown) and waited for."""

    def __init__(self, app):
        self.writer = OrderWriter(app)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.writer.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def wait_until_leading(self, seconds: float = 10) -> bool:
        return self.writer.leading.wait(seconds)

    def halt(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive(), "the order writer did not stop"


@pytest.fixture
def order_writer(app, db_session):
    """The app in writer mode, with one writer leading; stopped before the database is reset."""
    _needs_postgresql()
    previous = app.config["ORDER_WRITER"], app.config["ORDER_WRITER_TIMEOUT"]
    app.config["ORDER_WRITER"], app.config["ORDER_WRITER_TIMEOUT"] = "writer", 10
    running = RunningWriter(app)
    assert running.wait_until_leading(), "the order writer never took the lead"
    yield running
    running.halt()
    order_gateway.close_ports()  # its listener would outlive the test database
    app.config["ORDER_WRITER"], app.config["ORDER_WRITER_TIMEOUT"] = previous


@pytest.fixture
def writer(app, db_session):
    _needs_postgresql()
    count_writes(db.engine)
    return OrderWriter(app)


@pytest.fixture
def replies():
    """A channel to answer on, and a function that collects the answers sent to it."""
    _needs_postgresql()
    raw = command_bus.dedicated_connection(db.engine)
    channel = f"test_replies_{uuid.uuid4().hex}"
    command_bus.listen(raw, channel)

    def collect(expected: int) -> dict[str, dict]:
        answers, deadline = {}, time.monotonic() + 10
        while len(answers) < expected and time.monotonic() < deadline:
            for note in command_bus.wait_for_notifications(raw, 0.2):
                answer = json.loads(note.payload)
                answers[answer["id"]] = answer
        return answers

    yield raw, channel, collect
    raw.close()
