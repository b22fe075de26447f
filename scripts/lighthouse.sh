#!/usr/bin/env bash
# Lighthouse (npm `lighthouse`, Debian's Chromium, mobile emulation) on the main pages of
# the demo, served by gunicorn with production settings on a throwaway SQLite database.
# Prints one row per page: performance, accessibility, SEO, best practices, CLS, LCP.
# Needs: npm install -g lighthouse; apt-get install chromium. Usage: make lighthouse
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PORT=${LIGHTHOUSE_PORT:-8765}
WORK=$(mktemp -d)
export DATABASE_URL="sqlite:///$WORK/db.sqlite3" DEBUG=0 ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY="lighthouse-run-$(date +%s)-not-a-secret-key-for-anything-else"
export CHROME_PATH=${CHROMIUM:-/usr/bin/chromium}
command -v lighthouse >/dev/null || { echo "Install Lighthouse: npm install -g lighthouse" >&2; exit 1; }
"$BIN/python" manage.py migrate --noinput -v0
"$BIN/python" manage.py seed_demo >/dev/null
"$BIN/python" manage.py collectstatic --noinput -v0
"$BIN/gunicorn" accmr.wsgi -b "127.0.0.1:$PORT" -w 2 --log-level warning &
SERVER=$!
trap 'kill $SERVER; rm -rf "$WORK"' EXIT
sleep 2
DETAIL=$("$BIN/python" manage.py shell -v0 -c "from services.models import Service; print(Service.objects.published().get(slug='kem-greek-kypseli').get_absolute_url())")
printf '| page | performance | accessibility | SEO | best practices | CLS | LCP |\n|---|---|---|---|---|---|---|\n'
for path in / /services/ "/services/?category=education&district=6" "$DETAIL" /members/ /accounts/register/; do
  rm -f "$WORK/report.json"
  # Chromium now and then fails to start on a busy 2-core machine: one more try.
  for attempt in 1 2; do
    lighthouse "http://127.0.0.1:$PORT$path" --quiet --chrome-flags="--headless=new --no-sandbox" \
      --only-categories=performance,accessibility,seo,best-practices \
      --output=json --output-path="$WORK/report.json" >/dev/null 2>&1 && break || sleep 2
  done
  [ -s "$WORK/report.json" ] || { echo "| \`$path\` | Lighthouse failed twice |||||| "; continue; }
  "$BIN/python" - "$path" "$WORK/report.json" <<'PY'
import json, sys
path, report = sys.argv[1], json.load(open(sys.argv[2]))
score = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
audits = report["audits"]
cls = audits["cumulative-layout-shift"]["numericValue"]
lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
print(f"| `{path}` | {score['performance']} | {score['accessibility']} | {score['seo']} "
      f"| {score['best-practices']} | {cls:.3f} | {lcp:.1f} s |")
PY
done
