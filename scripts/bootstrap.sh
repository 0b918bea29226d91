#!/usr/bin/env bash
# Create .venv and install the project with pinned dependencies; a no-op when up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# The engine's sources count too: setup.py compiles them, so a change needs a new build.
stamp=.venv/.installed-$(cat pyproject.toml requirements.lock setup.py matching/*.py \
  | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  # This machine's pip config names local mirrors that may be absent; their warnings are noise.
  .venv/bin/python -m pip install --quiet -c requirements.lock -e '.[dev]' 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; } >&2
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# The Chinese catalogue is compiled from its .po sources on every run (fast, and a fresh
# clone has no .mo file).
.venv/bin/python -m market.i18n >/dev/null
