#!/usr/bin/env bash
# The Nu HTML Checker (vnu.jar, from npm `vnu-jar`; needs Java) on the main pages of the demo,
# in both languages, as a visitor and as a signed-in editor (dashboard and every entry form).
# Prints the checker's errors and exits non-zero if there is any. Pages are rendered with
# production settings (DEBUG off) on a throwaway SQLite database.
# Needs: npm install -g vnu-jar; a Java runtime.
# Usage: scripts/validate_html.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
VNU=${VNU:-$(npm root -g)/vnu-jar/build/dist/vnu.jar}
[ -f "$VNU" ] || { echo "Install the checker: npm install -g vnu-jar" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export DATABASE_URL="sqlite:///$WORK/db.sqlite3" DEBUG=0 ALLOWED_HOSTS=testserver
export SECRET_KEY="validate-html-$(date +%s)-not-a-secret-key-for-anything-else"
"$BIN/python" manage.py migrate --noinput -v0
"$BIN/python" manage.py seed_demo >/dev/null
"$BIN/python" manage.py collectstatic --noinput -v0
"$BIN/python" manage.py shell -v0 -c "
import re
from pathlib import Path
from django.contrib.auth import get_user_model
from django.test import Client

out = Path('$WORK')
client = Client()

def save(path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.content.decode()
    name = re.sub(r'[^a-z0-9]+', '-', path.strip('/')) or 'home'
    (out / f'{name}.html').write_text(html)
    return html

def first_detail(prefix, section):
    html = save(f'{prefix}/{section}/')
    return re.search(rf'href=\"({prefix}/{section}/[\w-]+/)\"', html)[1]

for prefix in ('', '/en'):
    for path in ('/', '/stats/', '/accounts/login/', '/accounts/register/'):
        save(prefix + path)
    for section in ('services', 'members', 'activities', 'toolbox', 'support'):
        save(first_detail(prefix, section))
client.force_login(get_user_model().objects.get(username='editor@legal-borders.example.org'))
for prefix in ('', '/en'):
    for path in ('/dashboard/', '/dashboard/organisation/', '/dashboard/editors/'):
        save(prefix + path)
    for section in ('services', 'activities', 'toolbox', 'support'):
        save(f'{prefix}/dashboard/{section}/new/')
"
echo "Checking $(ls "$WORK"/*.html | wc -l) pages with the Nu HTML Checker…"
java -jar "$VNU" --errors-only "$WORK"/*.html && echo "No errors."
