#!/usr/bin/env bash
# Sets everything up, loads the demo data and serves KM Tracker at
# http://127.0.0.1:8000/ on SQLite (var/kmtracker.sqlite3).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh run
export DJANGO_DEBUG=${DJANGO_DEBUG:-1}
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv
.venv/bin/python manage.py load_demo
echo "KM Tracker: http://127.0.0.1:8000/  (Ctrl+C to stop)"
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
