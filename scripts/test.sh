#!/usr/bin/env bash
# Install everything and run the whole suite: linters, migrations check, SQLite, PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"  # where bootstrap.sh may have put uv

scripts/system-deps.sh
scripts/bootstrap.sh
export QJ_TESTING=1 PYTHONHASHSEED=0

echo "== ruff";  uv run --frozen ruff check .
echo "== ruff format"; uv run --frozen ruff format --check .
echo "== mypy";  uv run --frozen mypy
echo "== makemigrations --check"; uv run --frozen python manage.py makemigrations --check --dry-run >/dev/null

echo "== tests on SQLite"
DATABASE_URL="sqlite:///$(mktemp -d)/test.sqlite3" uv run --frozen pytest "$@"

echo "== tests on PostgreSQL"
pg_url="$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop' EXIT
DATABASE_URL="$pg_url" uv run --frozen pytest "$@"
