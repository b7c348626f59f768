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
# The task worker makes the reports across units in the background; if it dies it
# is started again after a short pause (its sweep then picks up the job it dropped).
(
    trap 'kill "$child" 2>/dev/null; exit 0' TERM
    while true; do
        .venv/bin/python manage.py run_worker >> var/worker.log 2>&1 &
        child=$!
        wait "$child" || true
        echo "$(date '+%F %T') worker exited; restarting in 5 s" >> var/worker.log
        sleep 5
    done
) &
worker=$!
trap 'kill "$worker" 2>/dev/null' EXIT
echo "KM Tracker: http://127.0.0.1:8000/  (Ctrl+C to stop)"
.venv/bin/python manage.py runserver 127.0.0.1:8000
