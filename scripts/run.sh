#!/usr/bin/env bash
# Run the service with demo data on the embedded SQLite database (or DATABASE_URL if set).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export FLASK_APP=wsgi
mkdir -p instance
.venv/bin/flask db upgrade >/dev/null
.venv/bin/flask demo-data
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
echo
echo "Indicator market on http://$HOST:$PORT/  (API docs: http://$HOST:$PORT/api/v1/docs)"
exec .venv/bin/gunicorn --bind "$HOST:$PORT" --workers 2 --access-logfile - wsgi:app
