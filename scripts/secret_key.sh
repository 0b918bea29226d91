#!/usr/bin/env bash
# Print the secret kept in FILE, making it first (random, readable by its owner only) if it is
# missing: the demo keeps one secret across runs, so sessions and the audit chain stay valid.
set -euo pipefail
file=${1:?usage: scripts/secret_key.sh FILE}
if [ ! -s "$file" ]; then
  mkdir -p "$(dirname "$file")"
  rm -f "$file"  # an empty leftover might be readable by others; umask only guards new files
  (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$file")
fi
cat "$file"
