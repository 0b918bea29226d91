"""The order writer under cProfile, for bench/orders_http.py --profile-writer.

Run as ``python bench/writer_profile.py OUT`` with the order writer's environment (what
`flask order-writer` would get). It leads or stands by as the command does; on SIGTERM it stops
and writes to OUT what it did — batches, commands, book rebuilds, SQL statements and time in
`cursor.execute` per command, the costliest statements — and where its CPU time went.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import signal
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before bench/: bench/matching.py is not the matching package

from orders_profile import _area  # noqa: E402
from sqlalchemy import event  # noqa: E402

TOP = 25


def main(out: Path) -> None:
    from market.extensions import db
    from market.services.trading import OrderWriter
    from wsgi import app

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    by_statement: dict[str, list] = defaultdict(lambda: [0, 0.0])

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        entry = by_statement[" ".join(statement.split())[:100]]
        entry[0] += 1
        entry[1] += time.perf_counter() - conn.info.pop("bench_started")

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
    writer = OrderWriter(app)
    # CPU time, not wall time: on a shared machine the wall clock charges whatever function
    # was running when the process lost the CPU, and the wait for commands would dominate.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    writer.run(stop)
    profiler.disable()
    out.write_text(summary(writer, by_statement, profiler))


def summary(writer, by_statement, profiler) -> str:
    commands = max(writer.commands, 1)
    lines = [f"order writer under cProfile: {writer.batches} batches, {writer.commands} "
             f"commands ({writer.commands / max(writer.batches, 1):.1f} a batch), "
             f"{writer.books.rebuilds} book rebuilds, "
             f"{getattr(writer, 'busy_seconds', float('nan')):.1f} s (wall) in batches"]
    calls = sum(count for count, _ in by_statement.values())
    seconds = sum(spent for _, spent in by_statement.values())
    lines.append(f"  {calls / commands:.1f} SQL statements and {seconds / commands * 1000:.2f} ms "
                 "(wall) inside cursor.execute per command, the LISTEN connection's not counted")
    lines.append("  SQL statements by total wall time (per command: calls, ms):")
    for text, (count, spent) in sorted(by_statement.items(), key=lambda kv: -kv[1][1])[:TOP]:
        lines.append(f"    {count / commands:6.2f} {spent / commands * 1000:7.3f}  {text}")
    stats = pstats.Stats(profiler)
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        by_area[_area(filename, name)] += tottime
    total = sum(by_area.values()) or 1
    lines.append("  own CPU time by area (tottime):")
    for area, spent in sorted(by_area.items(), key=lambda kv: -kv[1])[:16]:
        lines.append(f"    {area:<34} {spent / commands * 1000:7.3f} ms/command  "
                     f"{spent / total:5.1%}")
    for key in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(key).print_stats(TOP)
        rows = text.getvalue().splitlines()
        start = next(i for i, row in enumerate(rows) if row.lstrip().startswith("ncalls"))
        lines.append(f"\n  top {TOP} by {key} (CPU seconds):")
        lines += ["    " + row for row in rows[start:] if row.strip()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(Path(sys.argv[1]))
