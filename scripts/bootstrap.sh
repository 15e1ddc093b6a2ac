#!/usr/bin/env bash
# Install Qijian's Python and front-end dependencies from the lock files (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$HOME/.local/bin:$PATH"
if ! command -v uv >/dev/null 2>&1; then
  # Debian's own python3 refuses system-wide pip installs (PEP 668): fall back to a --user install.
  python3 -m pip install --quiet "uv==0.13.9" 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages "uv==0.13.9"
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "installing Debian packages: npm"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi
# The interpreter: Debian's python3.11 where there is one (built with profile-guided and link-time
# optimisation; a Python built from source without them, as pyenv builds it, runs the check-in about 5 %
# slower: docs/benchmarks.md); else the first Python 3.11 uv finds. UV_PYTHON overrides both.
python_choice=()
if [ -z "${UV_PYTHON:-}" ] && [ -x /usr/bin/python3.11 ]; then
  python_choice=(--python /usr/bin/python3.11)
fi
uv sync --frozen --quiet "${python_choice[@]}"
if [ ! -d node_modules/htmx.org ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent
fi
