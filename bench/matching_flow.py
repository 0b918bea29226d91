"""Benchmark of the matching engine on hard, realistic order flow, beside its PyPI peers.

Run as ``python bench/matching_flow.py`` (``--messages 200000`` for a quick run). Five scenarios
(``bench/flow.py``) of about 2M messages each run round-robin, every engine on every scenario
in each round, so that all feel the same load on a shared machine. Rates are messages per
second of process CPU time (``time.process_time``), medians over the rounds; the worst case
of each engine is its slowest scenario. Every engine must report the same traded volume as
this engine on each scenario, or the table says so. ``bench/flow_engines.py`` says what each
adapter does.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engine_build  # noqa: E402

engine_build.choose(sys.argv)

from flow import BY_NAME, SCENARIOS, generate, summary  # noqa: E402
from flow_engines import ENGINES  # noqa: E402


def measure(engine, budget: float) -> tuple[float, int]:
    """CPU seconds and messages done for one replay, with the collector paused."""
    prepared = engine.prepare()
    gc.collect()
    gc.disable()
    start = time.process_time()
    done = engine(prepared, start + budget)
    spent = time.process_time() - start
    gc.enable()
    del prepared
    return spent, done


def main() -> None:
    """Run the benchmark and print a report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scenarios", default=",".join(s.name for s in SCENARIOS))
    parser.add_argument("--budget", type=float, default=120.0,
                        help="CPU seconds an engine may spend on one replay before it stops")
    parser.add_argument("--engines", default="", help="comma-separated names (default: all)")
    parser.add_argument("--pure", action="store_true",
                        help="this engine from its interpreted sources, not the compiled build")
    args = parser.parse_args()

    print(f"python {platform.python_version()} on {platform.machine()}, {time.strftime('%F')}, "
          f"this engine {engine_build.describe()}")
    scenarios = [BY_NAME[name] for name in args.scenarios.split(",")]
    wanted = set(filter(None, args.engines.split(",")))
    runners: dict[str, list] = {}
    for scenario in scenarios:
        stream = generate(scenario, args.messages, args.seed)
        shares = summary(stream)
        print(f"{scenario.name:12} " + ", ".join(
            f"{k} {v:,.3f}" if isinstance(v, float) else f"{k} {v:,}" for k, v in shares.items()))
        runners[scenario.name] = []
        for engine_class in ENGINES:
            if wanted and engine_class.name not in wanted:
                continue
            try:
                runners[scenario.name].append(engine_class(stream))
            except ImportError as exc:
                print(f"  {engine_class.name} not installed ({exc.name})")
    rates: dict[tuple[str, str], list[float]] = {}
    partial: dict[tuple[str, str], int] = {}
    volumes: dict[tuple[str, str], int] = {}
    for round_ in range(args.rounds):
        for scenario in scenarios:
            for engine in runners[scenario.name]:
                spent, done = measure(engine, args.budget)
                key = (scenario.name, engine.name)
                rates.setdefault(key, []).append(done / spent)
                if done < args.messages:
                    partial[key] = done
                else:
                    volumes[key] = engine.volume
        print(f"round {round_ + 1}/{args.rounds} done")
    report(scenarios, runners, rates, partial, volumes)


def report(scenarios, runners, rates, partial, volumes) -> None:
    """Print the per-scenario table, the conformance check and the worst cases."""
    names = [e.name for e in runners[scenarios[0].name]]
    ours = names[0]
    print("\nmessages/s by CPU time (median of the rounds; * = stopped at the budget, "
          "rate over the part done)")
    print(f"{'scenario':12} " + " ".join(f"{n:>20}" for n in names) + "   ours ÷ fastest peer")
    ratios = []
    for s in scenarios:
        cells, medians = [], {}
        for n in names:
            median = statistics.median(rates[(s.name, n)])
            medians[n] = median
            mark = "*" if (s.name, n) in partial else " "
            agree = volumes.get((s.name, n)) in (None, volumes.get((s.name, ours)))
            cells.append(f"{median:19,.0f}{mark}" + ("" if agree else " VOLUME DIFFERS"))
        peers = {n: r for n, r in medians.items() if n != ours}
        if peers:
            fastest = max(peers, key=peers.get)
            ratio = medians[ours] / peers[fastest]
            ratios.append(ratio)
            cells.append(f"  {ratio:.2f}x ({fastest})")
        print(f"{s.name:12} " + " ".join(cells))
    worst = {n: min(statistics.median(rates[(s.name, n)]) for s in scenarios) for n in names}
    print(f"{'worst case':12} " + " ".join(f"{worst[n]:19,.0f} " for n in names))
    peers = {n: w for n, w in worst.items() if n != ours}
    if peers:
        fastest = max(peers, key=peers.get)
        print(f"ours' worst case ÷ the fastest peer's worst case ({fastest}): "
              f"{worst[ours] / peers[fastest]:.2f}x; smallest per-scenario ratio "
              f"{min(ratios):.2f}x")
    print("traded volume per scenario: " + "; ".join(
        f"{s.name} {volumes.get((s.name, ours), 0):,}" for s in scenarios))


if __name__ == "__main__":
    main()
