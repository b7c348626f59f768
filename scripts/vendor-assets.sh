#!/usr/bin/env bash
# Refreshes the front-end assets under static/vendor/ from the npm registry.
# The files are committed, so neither running nor testing the app needs npm;
# run this only to upgrade a version, then commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
BOOTSTRAP=5.3.8
HTMX=2.0.11
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "bootstrap@$BOOTSTRAP" "htmx.org@$HTMX" >/dev/null)
mkdir -p "$tmp/bs" "$tmp/hx" static/vendor/bootstrap static/vendor/htmx
tar xzf "$tmp/bootstrap-$BOOTSTRAP.tgz" -C "$tmp/bs"
tar xzf "$tmp/htmx.org-$HTMX.tgz" -C "$tmp/hx"
cp "$tmp/bs/package/dist/css/bootstrap.min.css" "$tmp/bs/package/dist/js/bootstrap.bundle.min.js" \
  "$tmp/bs/package/LICENSE" static/vendor/bootstrap/
cp "$tmp/hx/package/dist/htmx.min.js" "$tmp/hx/package/LICENSE" static/vendor/htmx/
# Source maps are not shipped; drop their references so nothing asks for them.
sed -i "/sourceMappingURL=/d" static/vendor/bootstrap/*.min.* static/vendor/htmx/htmx.min.js
echo "bootstrap $BOOTSTRAP, htmx.org $HTMX" > static/vendor/VERSIONS
