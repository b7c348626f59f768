#!/usr/bin/env bash
# Sets everything up and runs the checks and the whole test suite (end-to-end
# browser tests included). Extra arguments go to pytest.
# With DATABASE_URL=postgres://... the suite runs on PostgreSQL instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
.venv/bin/mypy
.venv/bin/python manage.py check --fail-level WARNING
.venv/bin/python manage.py makemigrations --check --dry-run
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv
.venv/bin/python -m pytest "$@"
