"""`flask` commands for set-up and operations."""

import json
import os
import signal
import sys
import threading
from pathlib import Path

import click
from flask import Flask


def register(app: Flask) -> None:
    """Add the project's commands to `flask`."""
    # Imported here: the CLI is registered while the app package is still being imported.
    from market.services import audit, history, identity, ledger, operations, trading

    @app.cli.command("create-admin")
    @click.argument("username")
    def create_admin(username: str) -> None:
        """Create the first admin (password from ADMIN_PASSWORD or a prompt)."""
        password = os.environ.get("ADMIN_PASSWORD") or click.prompt(
            "Password", hide_input=True, confirmation_prompt=True)
        user = identity.create_user(None, {"username": username, "password": password,
                                           "role": "admin"})
        click.echo(f"admin {user.username} created (id {user.id})")

    @app.cli.command("demo-data")
    @click.option("--history-days", type=click.IntRange(min=0), default=None,
                  help="trading days of history to replay (default about 90)")
    def demo_data(history_days: int | None) -> None:
        """Load demo accounts, users, lots, cash, trading history and tasks (idempotent)."""
        from market import demo

        result = demo.load() if history_days is None else demo.load(history_days)
        click.echo(result.summary())

    @app.cli.command("scheduler")
    @click.option("--once", is_flag=True, help="run every job once and exit")
    def scheduler(once: bool) -> None:
        """Run the scheduled jobs (GTD expiry, call auctions, settlement deadlines)."""
        from market import scheduler as jobs_runner

        # Logging is set up by create_app: one JSON line per job run, on stderr.
        if once:
            for name, result in jobs_runner.run_once(app).items():
                click.echo(f"{name}: {result}")
            return
        jobs_runner.run_forever(app)

    @app.cli.command("order-writer")
    def order_writer() -> None:
        """Match orders with the books in memory (PostgreSQL): lead, or stand by for the leader."""
        from market.services.trading import OrderWriter, serve_writer_metrics

        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            raise click.ClickException("the order writer needs PostgreSQL (DATABASE_URL)")
        stop = threading.Event()
        # SIGTERM (a deployment stopping it) ends after the batch in hand; the standby leads.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        writer = OrderWriter(app)
        if app.config["ORDER_WRITER_METRICS_PORT"]:
            serve_writer_metrics(writer, app.config["ORDER_WRITER_METRICS_PORT"],
                                 app.config["ORDER_WRITER_METRICS_ADDRESS"])
        writer.run(stop)

    @app.cli.command("uncross")
    @click.argument("instrument")
    def uncross(instrument: str) -> None:
        """Uncross a call-auction book now."""
        result = trading.uncross(instrument)
        click.echo(f"{instrument}: price {result.price}, volume {result.volume}, "
                   f"{result.trades} trades")

    @app.cli.command("backfill-daily-stats")
    @click.argument("first", type=click.DateTime(["%Y-%m-%d"]))
    @click.argument("last", type=click.DateTime(["%Y-%m-%d"]))
    def backfill_daily_stats(first, last) -> None:
        """Rebuild the daily price statistics of every market day from FIRST to LAST."""
        click.echo(history.backfill_daily_stats(first.date(), last.date()))

    @app.cli.command("verify-audit")
    @click.option("--checkpoint", "checkpoint_file", type=click.File("r"),
                  help="verify against this exported checkpoint instead of the stored ones")
    def verify_audit(checkpoint_file) -> None:
        """Check the audit chain and its checkpoints; exit 1 naming the first broken row."""
        against = None
        if checkpoint_file:
            try:
                against = audit.Checkpoint.from_json(json.load(checkpoint_file))
            except ValueError as error:
                raise click.BadParameter(str(error), param_hint="--checkpoint") from None
        report = audit.verify_chain(against)
        compared = (f"checkpoint at seq {report.checkpoint_seq}" if report.checkpoint_seq
                    else "no checkpoint to compare with")
        if report.ok:
            click.echo(f"audit chain intact: {report.checked} rows ({compared})")
            return
        click.echo(f"audit chain broken at seq {report.first_broken_seq}: {report.reason} "
                   f"({compared})")
        sys.exit(1)

    @app.cli.command("audit-checkpoint")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
                  help="also write the checkpoint to this file")
    def audit_checkpoint(out: Path | None) -> None:
        """Keep the audit chain's head as a checkpoint and print it as JSON to keep elsewhere."""
        try:
            checkpoint = audit.write_checkpoint()
        except audit.ChainBroken as broken:
            click.echo(f"{broken}: no checkpoint written")
            sys.exit(1)
        if checkpoint is None:
            click.echo("the audit log is empty: no checkpoint written")
            sys.exit(1)
        exported = json.dumps(checkpoint.as_json(), indent=2)
        if out:
            out.write_text(exported + "\n")
        click.echo(exported)

    @app.cli.command("check-invariants")
    def check_invariants() -> None:
        """Check the ledger invariants; exit 1 listing every violation."""
        problems = ledger.check_invariants()
        for problem in problems:
            click.echo(problem)
        if problems:
            sys.exit(1)
        click.echo("ledger invariants hold")

    @app.cli.command("check-book-replay")
    def check_book_replay() -> None:
        """Replay every logged book command through a fresh book; exit 1 if a fill differs."""
        from market.services import trading

        problems = trading.replay_mismatches()
        for problem in problems:
            click.echo(problem)
        if problems:
            sys.exit(1)
        click.echo("stored fills equal the replayed book commands")

    @app.cli.command("backup")
    @click.option("--output", type=click.Path(dir_okay=False, writable=True),
                  help="the file to write (default: BACKUP_DIR/market-<UTC time>.dump)")
    def backup(output: str | None) -> None:
        """Copy the database to a file: pg_dump (custom format) or SQLite's backup API."""
        try:
            path = operations.backup(output)
        except operations.BackupFailed as error:
            click.echo(f"backup failed: {error}", err=True)
            sys.exit(1)
        click.echo(f"backup written: {path} ({path.stat().st_size} bytes)")
