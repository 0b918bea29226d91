"""In-process cProfile of order placement for bench/orders_http.py --profile."""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import time
from collections import defaultdict, deque

from order_flows import Flow, Trader  # noqa: E402
from serving import BENCH_SECRET, ROOT  # noqa: E402

# --- profile ----------------------------------------------------------------------------------


def profile(database_url: str, traders: list[Trader], count: int, top: int,
            flow: Flow | None = None) -> None:
    """N order requests in process under cProfile: statements, database time, top costs."""
    from sqlalchemy import event

    from market import create_app
    from market.extensions import db

    flow = flow or Flow()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": BENCH_SECRET})
    client = app.test_client()
    statements = [0]
    in_database = [0.0]
    by_statement: dict[str, list] = defaultdict(lambda: [0, 0.0])

    lock = {"since": None, "held": 0.0, "count": 0}

    def before(conn, cursor, statement, parameters, context, executemany):
        context._bench_started = time.perf_counter()
        if lock["since"] is None and statement.startswith("SELECT instruments.") \
                and ("FOR UPDATE" in statement or "FOR NO KEY UPDATE" in statement):
            lock["since"] = context._bench_started

    def released(conn):
        if lock["since"] is not None:
            lock["held"] += time.perf_counter() - lock["since"]
            lock["count"] += 1
            lock["since"] = None

    def after(conn, cursor, statement, parameters, context, executemany):
        elapsed = time.perf_counter() - context._bench_started
        statements[0] += 1
        in_database[0] += elapsed
        entry = by_statement[" ".join(statement.split())[:90]]
        entry[0] += 1
        entry[1] += elapsed

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "commit", released)
    event.listen(engine, "rollback", released)
    rng = random.Random(1)
    open_orders = {t.username: deque(maxlen=200) for t in traders}
    kinds = defaultdict(int)

    def one(number: int):
        trader = traders[number % len(traders)]
        headers = {"Authorization": f"Bearer {trader.token}"}
        mine = open_orders[trader.username]
        if mine and rng.random() < 0.1:
            response = client.delete(f"/api/v1/orders/{mine.popleft()}", headers=headers)
            kinds["cancel"] += 1
            return
        response = client.post("/api/v1/orders", headers=headers,
                               json=flow.order_body(trader, rng, f"profile-{number}"))
        assert response.status_code in (200, 201), response.json
        kinds["fill" if response.json["fills"] else "rest"] += 1
        if response.json["order"]["status"] == "open":
            mine.append(response.json["order"]["id"])

    for number in range(200):  # warm caches and the book first
        one(number)

    def reset():
        kinds.clear()
        statements[0], in_database[0] = 0, 0.0
        by_statement.clear()
        lock.update(since=None, held=0.0, count=0)

    reset()
    began, cpu_began = time.perf_counter(), time.process_time()
    for number in range(200, 200 + count):
        one(number)
    plain, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    print(f"\nin process, one thread, Flask test client, PostgreSQL, no profiler: {count} order "
          f"requests ({dict(kinds)})")
    print(f"  {plain / count * 1000:.2f} ms per request ({count / plain:.0f} req/s); "
          f"{statements[0] / count:.1f} SQL statements and "
          f"{in_database[0] / count * 1000:.2f} ms inside cursor.execute per request "
          f"({in_database[0] / plain:.0%} of wall); {cpu / count * 1000:.2f} ms of this "
          f"process's CPU per request")
    if lock["count"]:
        held = lock["held"] / lock["count"]
        print(f"  the FO-QTY row lock is held {held * 1000:.2f} ms per locking request (from "
              f"SELECT … FOR [NO KEY] UPDATE to COMMIT): at most {1 / held:.0f} such requests/s "
              f"on one instrument, whatever the number of workers")

    reset()
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for number in range(200 + count, 200 + 2 * count):
        one(number)
    profiler.disable()
    wall = time.perf_counter() - began

    print(f"\nunder cProfile: {count} more requests ({dict(kinds)}); "
          f"{wall / count * 1000:.2f} ms per request with the profiler's overhead")
    print("  SQL statements by total time (per request: calls, ms):")
    for text, (calls, seconds) in sorted(by_statement.items(), key=lambda kv: -kv[1][1])[:top]:
        print(f"    {calls / count:5.2f} {seconds / count * 1000:6.3f}  {text}")
    stats = pstats.Stats(profiler)
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        by_area[_area(filename, name)] += tottime
    total = sum(by_area.values())
    print("  own time by area (tottime):")
    for area, seconds in sorted(by_area.items(), key=lambda kv: -kv[1])[:16]:
        print(f"    {area:<34} {seconds / count * 1000:6.3f} ms/request  {seconds / total:5.1%}")
    for key, title in (("cumulative", "cumulative"), ("tottime", "own time")):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(top)
        print(f"\n  top {top} by {title}:")
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        print("\n".join("    " + line for line in lines[start:] if line.strip()))


def _area(filename: str, name: str) -> str:
    if "psycopg2" in name or "psycopg2" in filename:
        return "psycopg2 (database round trips)"
    for needle, area in (("/sqlalchemy/orm/", "sqlalchemy orm"),
                         ("/sqlalchemy/", "sqlalchemy core/engine"),
                         ("/marshmallow/", "marshmallow"), ("/webargs/", "webargs"),
                         ("/flask_smorest/", "flask-smorest"), ("/apispec/", "apispec"),
                         ("/werkzeug/", "werkzeug"), ("/flask_sqlalchemy/", "flask-sqlalchemy"),
                         ("/flask_limiter/", "flask-limiter"), ("/limits/", "flask-limiter"),
                         ("/flask_login/", "flask-login"), ("/flask/", "flask"),
                         (f"{ROOT}/market/", "market (ours)"),
                         (f"{ROOT}/matching/", "matching (ours)"),
                         (f"{ROOT}/models/", "models (ours)"),
                         ("/json/", "json"), ("/decimal", "decimal"),
                         ("/encodings/", "json")):
        if needle in filename:
            return area
    if filename == "~":
        return "C builtins (dict, isinstance, …)"
    return "other python"

