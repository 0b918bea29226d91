#!/usr/bin/env bash
# Run the whole test suite. Set TEST_DATABASE_URL=postgresql://… to run it on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# The browser test (tests/web/test_browser.py) drives Debian's chromium, never a downloaded
# browser. On a fresh machine run as root with apt, install it (and a CJK font so screenshots
# show the Chinese pages); otherwise that test skips, or fails under CI.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser test" >&2
  packages=(chromium fonts-wqy-microhei)
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 \
         && apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null 2>&1; } \
    || echo "could not install chromium; the browser test will skip" >&2
fi
exec .venv/bin/python -m pytest "$@"
