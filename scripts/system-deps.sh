#!/usr/bin/env bash
# Install the Debian packages Qijian needs, only when they are missing.
#   scripts/system-deps.sh pdf   — what PDFs need (Pango for WeasyPrint, Noto CJK fonts): the demo
#   scripts/system-deps.sh       — that, plus PostgreSQL and Chromium for the test suite
#   scripts/system-deps.sh bench — that, plus wrk, nginx and PostgreSQL for bench/bench_checkins.py
set -euo pipefail

need=()
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
if [ "${1:-all}" = "bench" ]; then  # bench/bench_checkins.py: the load tool and the database
  command -v wrk >/dev/null || need+=(wrk)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
elif [ "${1:-all}" != "pdf" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  [ -x /usr/bin/chromium ] || need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
  case " ${need[*]} " in  # Debian starts the packaged site on port 80; the benchmark runs its own nginx
    *" nginx "*) service nginx stop >/dev/null 2>&1 || true ;;
  esac
fi
