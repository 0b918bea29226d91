#!/usr/bin/env bash
# Run the service with demo data on the embedded SQLite database (or DATABASE_URL if set):
# migrations, demo data, the scheduler process and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export FLASK_APP=wsgi
mkdir -p instance
# The app refuses to start without a secret; the demo makes one once and keeps it (mode 0600).
if [ -z "${SECRET_KEY:-}" ]; then
  SECRET_KEY=$(scripts/secret_key.sh instance/secret_key)
  export SECRET_KEY
fi
.venv/bin/flask db upgrade >/dev/null
.venv/bin/flask demo-data
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
# One scheduler process beside the web workers (GTD expiry, call auctions, deadlines).
.venv/bin/flask scheduler >instance/scheduler.log 2>&1 &
scheduler_pid=$!
trap 'kill "$scheduler_pid" 2>/dev/null || true' EXIT
echo
echo "Indicator market on http://$HOST:$PORT/  (API docs: http://$HOST:$PORT/api/v1/docs)"
echo "Scheduler running (log: instance/scheduler.log). Ctrl-C stops both."
.venv/bin/gunicorn --bind "$HOST:$PORT" --workers 2 --access-logfile - wsgi:app
