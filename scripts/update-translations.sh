#!/usr/bin/env bash
# Brings the translation catalogues in locale/ up to date with the code. Safe to
# run again and again: it only adds what is new and drops what is gone.
#
#   bash scripts/update-translations.sh
#
# 1. makemessages collects every gettext string (msgid = the Thai text) into
#    locale/th and locale/en, keeping the translations already there.
# 2. The Thai catalogue is made complete: the Thai text is its own translation.
#    A new msgid that looks like an old one comes out of msgmerge "fuzzy", with
#    the old entry's Thai text as its msgstr: such entries are emptied first and
#    lose the flag. Then msgen copies each msgid into an empty msgstr (it leaves
#    filled-in ones alone). Thai has one plural form; msgen does not fill a lone
#    empty msgstr[0], so that form gets the msgid_plural text (the form that fits
#    any n).
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
"""Reset fuzzy entries, then fill an empty single msgstr[0] of a plural entry."""

import re
import sys
from pathlib import Path


def unfuzz(block: str) -> str:
    """A fuzzy Thai entry holds msgmerge's guess (another string's Thai text): empty it."""
    lines = block.split("\n")
    at = next((i for i, line in enumerate(lines) if line.startswith("#, ")), None)
    if at is None or "fuzzy" not in (f.strip() for f in lines[at][3:].split(",")):
        return block
    kept = []
    for i, line in enumerate(lines):
        if line.startswith("#|"):  # the previous msgid, shown only for fuzzy entries
            continue
        if i == at:
            rest = [f.strip() for f in line[3:].split(",") if f.strip() != "fuzzy"]
            if rest:
                kept.append("#, " + ", ".join(rest))
            continue
        if line.startswith("msgstr"):
            kept.append('msgstr[0] ""' if line.startswith("msgstr[") else 'msgstr ""')
            break  # the rest of the block is the old msgstr's text
        kept.append(line)
    return "\n".join(kept)


path = Path(sys.argv[1])
original = path.read_text(encoding="utf-8")
text = "\n\n".join(unfuzz(block) for block in original.rstrip("\n").split("\n\n")) + "\n"
pattern = re.compile(
    r'^msgid_plural (?P<plural>"[^\n]*"\n(?:"[^\n]*"\n)*)msgstr\[0\] ""\n(?!msgstr\[1\]|")',
    re.MULTILINE,
)
filled = pattern.sub(lambda m: f"msgid_plural {m['plural']}msgstr[0] {m['plural']}", text)
if filled != original:
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
