#!/usr/bin/env bash
# Install everything and run the whole suite: linters, migrations check, SQLite, PostgreSQL.
# Every step runs even when an earlier one fails; the script fails if any step failed.
# Arguments are passed to pytest (e.g. scripts/test.sh tests/core -x).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"  # where bootstrap.sh may have put uv

scripts/system-deps.sh
scripts/bootstrap.sh
export QJ_TESTING=1 PYTHONHASHSEED=0

failed=()
step() {
  local name=$1
  shift
  echo "== $name"
  if ! "$@"; then failed+=("$name"); fi
}

step "ruff" uv run --frozen ruff check .
step "ruff format" uv run --frozen ruff format --check .
step "mypy" uv run --frozen mypy
step "makemigrations --check" uv run --frozen python manage.py makemigrations --check --dry-run

step "tests on SQLite" env DATABASE_URL="sqlite:///$(mktemp -d)/test.sqlite3" uv run --frozen pytest "$@"

pg_url="$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop' EXIT
step "tests on PostgreSQL" env DATABASE_URL="$pg_url" uv run --frozen pytest "$@"

if [ ${#failed[@]} -gt 0 ]; then
  echo "== FAILED: ${failed[*]}"
  exit 1
fi
echo "== all checks passed (ruff, ruff format, mypy, migrations, SQLite, PostgreSQL)"
