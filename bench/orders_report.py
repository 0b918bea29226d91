"""The tables bench/orders_http.py prints: medians of the runs, one row per phase kind."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess

from serving import ROOT


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def code_version() -> str:
    """The commit benchmarked, and whether the app's code differs from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "market", "models",
                                "matching", "migrations", "wsgi.py"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}" + (" with uncommitted changes to the app" if dirty else "")


def cpu_ms(m, group: str, per: int) -> float:
    """CPU ms of `group` per request (or command) in the measured window."""
    seconds = m.cpu_seconds.get(group)
    return float("nan") if seconds is None or not per else seconds / per * 1000


def phase_line(run: int, config, instruments: int, m) -> str:
    """One phase as it finishes."""
    cpu = "  ".join(f"{group} {cpu_ms(m, group, m.requests):.2f}"
                    for group in ("writer", "web", "postgres") if group in m.cpu_seconds)
    line = (f"run {run} {config.mode if m.label == 'orders' else '':<6} {config!s:<26} "
            f"{instruments}i {m.label:<13} {m.per_second:7.0f}/s  p50 {m.place.p50:6.1f}  "
            f"p90 {m.place.p90:6.1f}  p99 {m.place.p99:6.1f} ms")
    if m.label == "orders":
        line += (f"  fills {m.fill_share:4.0%}  cancel p50 {m.cancel.p50:5.1f} "
                 f"p99 {m.cancel.p99:6.1f} ({m.cancel.count}, {m.stale_cancels} stale)")
    line += (f"  4xx {m.rejected}  5xx {m.server_errors}  load {m.load:.1f}"
             f"  CPU ms/request: {cpu}")
    return line


def writer_line(timings: list[dict]) -> str | None:
    """Where the measured orders' time went, from the web workers' request log lines (the
    writer's part of each answer, `observability.note_writer`): p50 / p90 ms."""
    if not timings:
        return None

    def p(key, q):
        values = sorted(timing[key] for timing in timings)
        return values[min(len(values) - 1, int(len(values) * q))]

    parts = [f"{name} {p(key, 0.5):.1f} / {p(key, 0.9):.1f}" for name, key in (
        ("its batch up to the closing statement", "batch_ms"),
        ("round trip from the web worker", "round_trip_ms"),
        ("the request in the web worker", "request_ms"))]
    return (f"    writer p50 / p90 ms ({len(timings)} commands): " + ", ".join(parts)
            + f"; batch size p50 {p('batch', 0.5)}, p90 {p('batch', 0.9)}")


def _med(values) -> float:
    values = [value for value in values if value == value]  # NaN: nothing to take
    return statistics.median(values) if values else float("nan")


def report(rows, args) -> None:
    """`rows`: (config, instruments, orders runs, floor runs, locked floor runs)."""
    loads = [m.load for row in rows for runs in row[2:] for m in runs]
    print(f"\nload average at the end of the phases: {min(loads):.1f}–{max(loads):.1f}")
    print(f"\nmedians of {args.runs} run(s), {args.clients} clients, {args.seconds:g} s each "
          f"after {args.warmup:g} s warm-up, flow {args.flow}; orders = 2xx placements "
          f"(+ {args.cancel_share:.0%} cancels, not counted); ratio = orders/s ÷ the floor's "
          f"req/s of the same run, median over the runs\n")
    print("| mode | gunicorn | instruments | orders/s (range) | place p50 / p90 / p99 ms "
          "| fills | cancel p50 / p90 / p99 ms | floor req/s | floor p50 / p99 ms "
          "| **orders ÷ floor** | locked floor req/s | writer CPU ms/command (busy) "
          "| web CPU ms/request | PostgreSQL CPU ms/request |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for config, instruments, orders, floor, locked in rows:
        rates = [m.per_second for m in orders]
        ratios = [o.per_second / f.per_second for o, f in zip(orders, floor, strict=True)]
        writer = ""
        if "writer" in orders[0].cpu_seconds:
            busy = _med([m.cpu_seconds["writer"] / m.seconds for m in orders])
            writer = f"{_med([cpu_ms(m, 'writer', m.requests) for m in orders]):.2f} ({busy:.0%})"
        locked_cell = f"{_med([m.per_second for m in locked]):.0f}" if locked else "–"
        print(f"| {config.mode} | {config} | {instruments} | {_med(rates):.0f} "
              f"({min(rates):.0f}–{max(rates):.0f}) | "
              f"{_med([m.place.p50 for m in orders]):.1f} / "
              f"{_med([m.place.p90 for m in orders]):.1f} / "
              f"{_med([m.place.p99 for m in orders]):.1f} | "
              f"{_med([m.fill_share for m in orders]):.0%} | "
              f"{_med([m.cancel.p50 for m in orders]):.1f} / "
              f"{_med([m.cancel.p90 for m in orders]):.1f} / "
              f"{_med([m.cancel.p99 for m in orders]):.1f} | "
              f"{_med([m.per_second for m in floor]):.0f} | "
              f"{_med([m.place.p50 for m in floor]):.1f} / "
              f"{_med([m.place.p99 for m in floor]):.1f} | **{_med(ratios):.2f}** | "
              f"{locked_cell} | {writer or '–'} | "
              f"{_med([cpu_ms(m, 'web', m.requests) for m in orders]):.2f} "
              f"(floor {_med([cpu_ms(m, 'web', m.requests) for m in floor]):.2f}) | "
              f"{_med([cpu_ms(m, 'postgres', m.requests) for m in orders]):.2f} "
              f"(floor {_med([cpu_ms(m, 'postgres', m.requests) for m in floor]):.2f}) |")
