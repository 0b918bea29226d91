"""How order commands travel between web workers and the order writer: PostgreSQL NOTIFY.

A web worker sends a command as a notification on `COMMANDS`; the writer that leads answers
on the reply channel the command names, from inside the transaction that persisted it, so a
reply is delivered exactly when (and only if) the batch committed. Nothing here is durable on
purpose: a command lost in flight (no writer listening, the writer killed before its commit)
was never acknowledged, and the client's retry with the same client_order_id is replayed or
placed once. See docs/ARCHITECTURE.md, "The order writer", for why NOTIFY and not a broker.
"""

import json
import select
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.engine import Engine

COMMANDS = "market_order_commands"
# PostgreSQL refuses notification payloads of 8,000 bytes or more.
MAX_PAYLOAD = 7900
_DECIMALS = ("price", "quantity")
_TIMES = ("expires_at", "now", "slot_at")
# The scheduler's commands: each changes one instrument's book, with no account.
BOOK_JOBS = ("expire", "rematch", "uncross", "withdraw")


@dataclass(frozen=True)
class Command:
    """One request for the writer: `kind` is place, cancel or modify (a trader's, with their
    account), or one of BOOK_JOBS (an instrument's, with no actor or account).

    A trader's command names the caller either by `actor_id` and `account_id`, whom the web
    worker authenticated (a page's session), or by `token`, the digest of an API caller's
    bearer token, which the writer authenticates in the batch that carries the command out.
    """

    id: str
    kind: str
    reply_to: str
    deadline: float  # the sender's clock (time.time()): after it, nobody waits for the answer
    locale: str
    actor_id: int | None
    account_id: int | None
    body: dict
    token: str | None = None


def new_command(kind: str, reply_to: str, deadline: float, locale: str, actor_id: int | None,
                account_id: int | None, body: dict, token: str | None = None) -> Command:
    return Command(uuid.uuid4().hex, kind, reply_to, deadline, locale, actor_id, account_id,
                   body, token)


def encode(command: Command) -> str:
    plain = {key: _plain(value) for key, value in command.body.items()}
    return json.dumps({"id": command.id, "kind": command.kind, "reply_to": command.reply_to,
                       "deadline": command.deadline, "locale": command.locale,
                       "actor_id": command.actor_id, "account_id": command.account_id,
                       "token": command.token, "body": plain}, separators=(",", ":"))


def decode(payload: str) -> Command:
    raw = json.loads(payload)
    body = {}
    for key, value in raw["body"].items():
        if value is not None and key in _DECIMALS:
            value = Decimal(value)
        elif value is not None and key in _TIMES:
            value = datetime.fromisoformat(value)
        body[key] = value
    return Command(raw["id"], raw["kind"], raw["reply_to"], raw["deadline"], raw["locale"],
                   raw["actor_id"], raw["account_id"], body, raw.get("token"))


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def encode_reply(command_id: str, reply: dict) -> str:
    return json.dumps({"id": command_id, **reply}, separators=(",", ":"))


def dedicated_connection(engine: Engine):
    """A psycopg2 connection of its own (outside the pool), in autocommit mode.

    Listening and sending need a connection that no transaction holds: a LISTEN inside a
    pooled transaction would stop hearing when the connection goes back to the pool.
    """
    connection = engine.raw_connection()
    raw = connection.driver_connection
    connection.detach()
    raw.autocommit = True
    return raw


def listen(raw, channel: str) -> None:
    with raw.cursor() as cursor:
        cursor.execute(f'LISTEN "{channel}"')


def notify(raw, channel: str, payload: str) -> None:
    with raw.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", (channel, payload))


def wait_for_notifications(raw, timeout: float) -> list:
    """The notifications that arrive within `timeout` seconds (all that are queued)."""
    raw.poll()
    if not raw.notifies:
        readable, _, _ = select.select([raw], [], [], timeout)
        if readable:
            raw.poll()
    arrived = list(raw.notifies)
    raw.notifies.clear()
    return arrived
