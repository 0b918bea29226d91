"""A live service for system tests: the real CLI and gunicorn as subprocesses, plain HTTP.

Nothing here imports the app: the service runs in its own processes, exactly as deployed,
so a test can kill it and start it again.
"""

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def service_env(database_url: str, **extra: str) -> dict:
    """The environment of the CLI and the server: our database, no shared rate-limit store."""
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(DATABASE_URL=database_url, FLASK_APP="wsgi", PYTHONUNBUFFERED="1")
    # One secret for the CLI and the server: it also keys the audit chain they both write.
    env.setdefault("SECRET_KEY", "system-test-secret")
    env.update(extra)
    return env


def flask_cli(database_url: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `flask <args>` against the database; the caller checks the exit code."""
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT,
                          env=service_env(database_url), capture_output=True, text=True,
                          timeout=timeout)


@contextlib.contextmanager
def demo_database(history_days: int):
    """A fresh database on the TEST_DATABASE_URL server, migrated and with the demo data loaded
    by the CLI (`history_days` of trading); its URL. Dropped afterwards."""
    from tests.conftest import _postgres_database

    url, drop = _postgres_database(os.environ["TEST_DATABASE_URL"])
    try:
        for command in (("db", "upgrade"), ("demo-data", "--history-days", str(history_days))):
            result = flask_cli(url, *command, timeout=300)
            assert result.returncode == 0, result.stdout + result.stderr
        yield url
    finally:
        drop()


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(port: int, method: str, path: str, token: str | None = None, body=None,
         timeout: float = 10) -> tuple[int, object]:
    """One request on a fresh connection: (status, decoded JSON or raw text).

    Connection failures raise OSError or http.client.HTTPException, as the socket reports them.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = None if body is None else json.dumps(body)
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    try:
        return response.status, json.loads(raw) if raw else None
    except ValueError:
        return response.status, raw.decode(errors="replace")


class Gunicorn:
    """`gunicorn wsgi:app` in its own process group, so one signal reaches master and workers."""

    def __init__(self, database_url: str, log_path: Path, workers: int = 2,
                 port: int | None = None, app: str = "wsgi:app", extra: tuple = (),
                 env: dict | None = None):
        self.database_url = database_url
        self.env = env or {}
        self.log_path = Path(log_path)
        self.workers = workers
        self.port = port or free_port()
        self.app = app
        self.extra = tuple(extra)
        self.process: subprocess.Popen | None = None

    def start(self, ready_timeout: float = 30) -> "Gunicorn":
        """Start and wait until the app answers."""
        log = open(self.log_path, "ab")  # the child inherits it; ours is closed below
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", str(self.workers),
                 "-b", f"127.0.0.1:{self.port}", "--timeout", "30", *self.extra, self.app],
                cwd=ROOT, env=service_env(self.database_url, **self.env), stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        self.wait_ready(ready_timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n"
                                   f"{self.log_tail()}")
            try:
                status, _ = call(self.port, "GET", "/api/v1/openapi.json", timeout=2)
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn not ready after {timeout} s:\n{self.log_tail()}")

    def group_members(self) -> list[int]:
        """Live (non-zombie) processes still in the server's process group."""
        if self.process is None:
            return []
        members = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid pgrp …: comm may hold spaces, so split after the last ')'.
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z" and int(fields[2]) == self.process.pid:
                members.append(int(entry.name))
        return members

    def kill(self, timeout: float = 10) -> None:
        """SIGKILL master and workers at once (the whole process group); wait until all are gone."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout)
        deadline = time.monotonic() + timeout
        while self.group_members():
            if time.monotonic() > deadline:
                raise RuntimeError(f"processes survived SIGKILL: {self.group_members()}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Best-effort shutdown for clean-up paths: TERM, then KILL the group."""
        if self.process is None or self.process.poll() is not None:
            if self.process is not None:
                try:  # workers may outlive a dead master
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


    def workers_pids(self) -> list[int]:
        """The worker processes (every member of the group but the master)."""
        return [pid for pid in self.group_members() if pid != self.process.pid]


class OrderWriter:
    """`flask order-writer` as a process of its own, named in pg_stat_activity by `name`."""

    def __init__(self, database_url: str, log_path: Path, name: str):
        self.database_url = database_url
        self.log_path = Path(log_path)
        self.name = name
        self.process: subprocess.Popen | None = None

    def start(self) -> "OrderWriter":
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "order-writer"], cwd=ROOT,
                env=service_env(self.database_url, PGAPPNAME=self.name, LOG_FORMAT="text"),
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
