#!/usr/bin/env bash
# Brings the translation catalogues in locale/ up to date with the code. Safe to
# run again and again: it only adds what is new and drops what is gone.
#
#   bash scripts/update-translations.sh
#
# 1. makemessages collects every gettext string (msgid = the Thai text) into
#    locale/th and locale/en, keeping the translations already there.
# 2. The Thai catalogue is made complete: the Thai text is its own translation,
#    so msgen copies each msgid into an empty msgstr (it leaves filled-in ones
#    alone). Thai has one plural form; msgen does not fill a lone empty
#    msgstr[0], so that form gets the msgid_plural text (the form that fits any n).
# 3. compilemessages checks both catalogues (placeholders included). The .mo
#    files it writes are gitignored; scripts/test.sh and scripts/run.sh compile
#    them again.
#
# Afterwards translate the new English entries. To list what is still to do:
#
#   msgattrib --untranslated locale/en/LC_MESSAGES/django.po   # empty msgstr
#   msgattrib --only-fuzzy locale/en/LC_MESSAGES/django.po     # guessed by msgmerge
#
# A changed Thai msgid arrives in the English catalogue as "#, fuzzy" with the
# old translation: check it, fix it and drop the flag (fuzzy entries are not
# compiled, so the page would show the Thai text). Then run this script again and
# `bash scripts/test.sh` (tests/test_translations.py fails on an empty English
# msgstr). If a .js file ever gets gettext strings, add a second makemessages run
# with `-d djangojs`.
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/python manage.py makemessages -l th -l en \
  --ignore=.venv --ignore=var --ignore=test-output --ignore=staticfiles --no-obsolete -v0

th=locale/th/LC_MESSAGES/django.po
.venv/bin/python - "$th" <<'PY'
"""Fill an empty single msgstr[0] of a plural entry with its msgid_plural."""

import re
import sys
from pathlib import Path

path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
pattern = re.compile(
    r'^msgid_plural (?P<plural>"[^\n]*"\n(?:"[^\n]*"\n)*)msgstr\[0\] ""\n(?!msgstr\[1\]|")',
    re.MULTILINE,
)
filled = pattern.sub(lambda m: f"msgid_plural {m['plural']}msgstr[0] {m['plural']}", text)
if filled != text:
    path.write_text(filled, encoding="utf-8")
PY
# msgen after the fill above, so that it also wraps the filled lines the way msgmerge does.
msgen --force-po "$th" -o "$th"

.venv/bin/python manage.py compilemessages --ignore=.venv -v0
untranslated=$(msgattrib --untranslated --no-wrap locale/en/LC_MESSAGES/django.po | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-wrap locale/en/LC_MESSAGES/django.po | grep -c '^msgid ' || true)
# The header counts as one entry in each listing when there is anything to list.
echo "English catalogue: $((untranslated > 0 ? untranslated - 1 : 0)) untranslated," \
  "$((fuzzy > 0 ? fuzzy - 1 : 0)) fuzzy (msgattrib --untranslated / --only-fuzzy)."
