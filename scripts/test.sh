#!/usr/bin/env bash
# Run the whole test suite. Set TEST_DATABASE_URL=postgresql://… to run it on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/python -m pytest "$@"
