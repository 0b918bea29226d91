"""What the bench databases' sessions are doing, sampled: run beside bench/orders_http.py.

``.venv/bin/python bench/pg_waits.py [--seconds 200] [--like 'bench_orders_%orders_%']``
samples `pg_stat_activity` every 50 ms for the sessions of the databases whose name is LIKE
the pattern (the default: the order phases of bench/orders_http.py), and prints how many
sessions, on average, were in each state — idle, waiting on a lock or on I/O, or idle in a
transaction after a given statement (that is, waiting on their client: a web request waiting
for the order writer, or the writer itself between two statements).
"""

import argparse
import collections
import time

import psycopg2

SESSIONS = """
SELECT state, coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-'),
       left(regexp_replace(query, '\\s+', ' ', 'g'), 60)
FROM pg_stat_activity WHERE datname LIKE %s AND pid <> pg_backend_pid()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=200)
    parser.add_argument("--like", default="bench_orders_%orders_%")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    connection = psycopg2.connect(args.url)
    connection.autocommit = True
    seen: collections.Counter = collections.Counter()
    samples, end = 0, time.monotonic() + args.seconds
    with connection.cursor() as cursor:
        while time.monotonic() < end:
            cursor.execute(SESSIONS, (args.like,))
            rows = cursor.fetchall()
            samples += bool(rows)
            for state, wait, query in rows:
                seen[("idle", "", "") if state == "idle" else (state, wait, query)] += 1
            time.sleep(0.05)
    print(f"{samples} samples with sessions; sessions on average in each state:")
    for (state, wait, query), count in seen.most_common(30):
        print(f"  {count / max(samples, 1):6.2f}  {state:<20} {wait:<22} {query}")


if __name__ == "__main__":
    main()
