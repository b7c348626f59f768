#!/usr/bin/env bash
# Sets up everything KM Tracker needs on a Debian machine with Python 3.11:
# the system packages (WeasyPrint's Pango/HarfBuzz; for tests also poppler-utils
# and Chromium), a virtualenv in .venv with the pinned requirements, and the
# database schema. Safe to run again: it only does what is missing.
#
#   scripts/bootstrap.sh run    # what the app needs
#   scripts/bootstrap.sh test   # plus what the test suite needs (and axe-core from npm)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
python=${PYTHON:-python3}

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libthai0 shared-mime-info gettext)
if ! "$python" -c "import ensurepip" 2>/dev/null; then
  packages+=(python3-venv)
fi
if [ "$mode" = test ]; then
  packages+=(poppler-utils chromium fonts-thai-tlwg)
  # npm installs axe-core, which the accessibility test injects into the pages.
  command -v npm >/dev/null || packages+=(npm)
fi
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

requirements=requirements.txt
[ "$mode" = test ] && requirements=requirements-dev.txt
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# Reinstall only when the pinned requirements change.
stamp=".venv/.installed-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)-$mode"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$requirements"
  touch "$stamp"
fi

# axe-core for tests/e2e/test_accessibility.py, at the version and checksum that
# tests/e2e/package-lock.json pins, into the gitignored test-output/node.
if [ "$mode" = test ]; then
  node_dir=test-output/node
  if ! cmp -s tests/e2e/package-lock.json "$node_dir/package-lock.json" \
      || [ ! -f "$node_dir/node_modules/axe-core/axe.min.js" ]; then
    mkdir -p "$node_dir"
    cp tests/e2e/package.json tests/e2e/package-lock.json "$node_dir/"
    npm ci --prefix "$node_dir" --no-audit --no-fund --loglevel=error
  fi
fi

mkdir -p var
# The web pages' fonts as WOFF2, from the Sarabun TTF package (build/webfonts/).
.venv/bin/python manage.py build_webfonts -v0
.venv/bin/python manage.py migrate --noinput -v0
