#!/usr/bin/env bash
# Install everything, build the demo county on SQLite and serve it with gunicorn and a task worker.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"  # where bootstrap.sh may have put uv

scripts/system-deps.sh pdf
scripts/bootstrap.sh
export QJ_DEMO=1
export QJ_ALLOWED_HOSTS="${QJ_ALLOWED_HOSTS:-localhost,127.0.0.1,[::1]}"
export QJ_TASKS_BACKEND="django_tasks_db.DatabaseBackend"
# Printed QR codes point at this server.
export QJ_PUBLIC_BASE_URL="${QJ_PUBLIC_BASE_URL:-http://127.0.0.1:${QJ_PORT:-8000}}"
# The demo county moved its plans into Qijian on 1 October 2026: earlier deadlines are not judged (R11).
export QJ_JUDGE_FROM="${QJ_JUDGE_FROM:-2026-10-01}"
# The demo has no mail server: messages are written to var/mail/ (set QJ_EMAIL_BACKEND to send for real).
export QJ_EMAIL_BACKEND="${QJ_EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}"
mkdir -p var
uv run --frozen python manage.py migrate --noinput
uv run --frozen python manage.py load_demo
uv run --frozen python manage.py schedule_periodic  # idempotent: queues the periodic sweeps once
# Only the front-end files the pages use (the minified ECharts build, Tabler without its RTL variants).
uv run --frozen python manage.py collectstatic --noinput -v 0 \
  -i 'echarts.common*' -i 'echarts.esm*' -i 'echarts.simple*' -i 'echarts.js' -i 'echarts.js.map' -i extension \
  -i '*.rtl.*' -i '*.d.ts'  # jsQR ships its TypeScript declarations beside jsQR.js

port="${QJ_PORT:-8000}"
uv run --frozen python manage.py db_worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "企检演示已启动: http://127.0.0.1:$port/  (账号见 README)"
uv run --frozen gunicorn qijian.wsgi:application --bind "127.0.0.1:$port" --workers "${QJ_WEB_WORKERS:-3}" \
  --access-logfile - --forwarded-allow-ips 127.0.0.1 --no-control-socket \
  --logger-class qijian.core.logging.UTCGunicornLogger
