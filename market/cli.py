"""`flask` commands for set-up and operations."""

import os
import sys

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
    def demo_data() -> None:
        """Load demo accounts, users, verified lots and cash (idempotent)."""
        from market import demo

        result = demo.load()
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
    def verify_audit() -> None:
        """Check the audit log's hash chain; exit 1 naming the first broken row."""
        report = audit.verify_chain()
        if report.ok:
            click.echo(f"audit chain intact: {report.checked} rows")
            return
        click.echo(f"audit chain broken at seq {report.first_broken_seq}: {report.reason}")
        sys.exit(1)

    @app.cli.command("check-invariants")
    def check_invariants() -> None:
        """Check the ledger invariants; exit 1 listing every violation."""
        problems = ledger.check_invariants()
        for problem in problems:
            click.echo(problem)
        if problems:
            sys.exit(1)
        click.echo("ledger invariants hold")

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
