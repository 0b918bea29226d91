"""The processes bench/orders_http.py measures: gunicorn, the order writer, and their CPU.

Every process runs in its own process group and is stopped by `stop()` or `stop_all()`,
whatever happens (the benchmark calls `stop_all()` in a `finally`, also on Ctrl-C).
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
# The app refuses to start without a secret; a bench database is thrown away, so any will do.
BENCH_SECRET = os.environ.get("SECRET_KEY") or "bench-only-secret"
MODES = ("inline", "writer")


def service_env(database_url: str, mode: str = "inline") -> dict:
    """The environment the service's processes run with against `database_url`."""
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(DATABASE_URL=database_url, FLASK_APP="wsgi", PYTHONUNBUFFERED="1",
               ORDER_WRITER=mode)
    # One secret for the CLI, the servers and the in-process app: it also keys the audit chain.
    env["SECRET_KEY"] = BENCH_SECRET
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class ServerConfig:
    """How orders are served: matched inline or by the writer, and gunicorn's workers."""

    worker_class: str
    workers: int
    threads: int = 1
    mode: str = "inline"

    @classmethod
    def parse(cls, text: str, mode: str = "inline") -> ServerConfig:
        """`sync:W`, `gthread:W:T`, either after `inline:` or `writer:` (else `mode`)."""
        parts = text.split(":")
        if parts[0] in MODES:
            mode, parts = parts[0], parts[1:]
        if not parts or parts[0] not in ("sync", "gthread") or len(parts) not in (2, 3):
            raise argparse.ArgumentTypeError(
                f"{text!r}: use [inline:|writer:]sync:W or [inline:|writer:]gthread:W:T")
        threads = int(parts[2]) if len(parts) == 3 else 1
        return cls(parts[0], int(parts[1]), threads, mode)

    @property
    def gunicorn(self) -> ServerConfig:
        """The same workers without the mode: what the floor runs with."""
        return ServerConfig(self.worker_class, self.workers, self.threads)

    def args(self) -> list[str]:
        args = ["-k", self.worker_class, "-w", str(self.workers)]
        if self.worker_class == "gthread":
            args += ["--threads", str(self.threads)]
        return args

    def __str__(self) -> str:
        if self.worker_class == "gthread":
            return f"gthread -w {self.workers} --threads {self.threads}"
        return f"sync -w {self.workers}"


class Process:
    """A child in its own process group, logging to a file, stopped by stop()."""

    running: set[Process] = set()

    def __init__(self, argv: list[str], env: dict, log_path: Path):
        log = open(log_path, "ab")  # the child inherits it; ours is closed below
        try:
            self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        Process.running.add(self)
        self.log_path = log_path

    @property
    def pid(self) -> int:
        return self.process.pid

    def failed(self, what: str) -> RuntimeError:
        return RuntimeError(f"{what}:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self not in Process.running:
            return
        Process.running.discard(self)
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    @classmethod
    def stop_all(cls) -> None:
        for process in list(cls.running):
            process.stop()


class Server(Process):
    """gunicorn serving `app` on a free loopback port, ready once `ready_path` answers."""

    def __init__(self, app: str, database_url: str, config: ServerConfig, ready_path: str,
                 log_path: Path):
        self.port = free_port()
        super().__init__(
            [sys.executable, "-m", "gunicorn", *config.args(), "-b", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--keep-alive", "30", app],
            service_env(database_url, config.mode), log_path)
        self._wait_ready(ready_path)

    def _wait_ready(self, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self.failed("gunicorn exited")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status < 500:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise self.failed("gunicorn not ready")


class OrderWriter(Process):
    """`flask order-writer`; `wait_leading()` returns once one writer holds the lock.

    With `profile_to`, bench/writer_profile.py instead: the same writer under cProfile, which
    writes its summary there when stopped.
    """

    def __init__(self, database_url: str, log_path: Path, profile_to: Path | None = None):
        argv = [sys.executable, "-m", "flask", "order-writer"] if profile_to is None else \
            [sys.executable, str(ROOT / "bench" / "writer_profile.py"), str(profile_to)]
        super().__init__(argv, service_env(database_url, "writer"), log_path)
        self.database_url = database_url
        self.profile_to = profile_to

    def wait_leading(self, timeout: float = 30) -> None:
        from market.services.trading.order_writer import LEADER_LOCK

        # A one-key advisory lock shows its key's low 32 bits as objid (this key fits in them).
        query = sa.text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                        "AND classid = 0 AND objid = :key AND database = "
                        "(SELECT oid FROM pg_database WHERE datname = current_database())")
        engine = sa.create_engine(self.database_url, poolclass=sa.pool.NullPool)
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise self.failed("the order writer exited")
                with engine.connect() as connection:
                    if connection.execute(query, {"key": LEADER_LOCK}).first():
                        return
                time.sleep(0.1)
        finally:
            engine.dispose()
        raise self.failed("no order writer took the lead")


# --- CPU --------------------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds user + system) of a live process, else None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # the name may hold spaces and parentheses
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def process_tree(root: int) -> list[int]:
    """`root` and its children (gunicorn's master and workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat and stat[0] == root:
                children.append(int(entry.name))
    return [root, *children]


def database_backends(database_url: str) -> list[int]:
    """The server processes of the sessions connected to the bench database (not ours)."""
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(sa.text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")))
    finally:
        engine.dispose()


class CpuMeter:
    """CPU seconds spent by groups of processes between start() and stop().

    `groups` maps a name to a function listing the group's pids now; a process that appears
    during the window counts from zero, one that ends during it is lost (none should).
    """

    def __init__(self, groups: dict):
        self.groups = groups
        self.before: dict[str, dict[int, float]] = {}
        self.seconds: dict[str, float] = {}

    def _sample(self) -> dict[str, dict[int, float]]:
        sample = {}
        for name, pids in self.groups.items():
            sample[name] = {pid: stat[1] for pid in pids() if (stat := _stat(pid))}
        return sample

    def start(self) -> None:
        self.before = self._sample()

    def stop(self) -> None:
        after = self._sample()
        self.seconds = {name: sum(cpu - self.before[name].get(pid, 0.0)
                                  for pid, cpu in after[name].items())
                        for name in self.groups}
