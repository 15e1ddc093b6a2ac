#!/usr/bin/env bash
# Install Qijian's Python and front-end dependencies from the lock files (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet "uv==0.13.9"
fi
uv sync --frozen --quiet
if [ ! -d node_modules/htmx.org ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent
fi
