"""The Thai and English catalogues are complete and compile, and English really shows.

The msgids are the Thai text. The Thai catalogue repeats them as msgstr; the English
one must translate every entry, or English users meet Thai text in the middle of a
page. After new strings land, `scripts/update-translations.sh` brings the
catalogues up to date and these tests say what is still to translate.
"""

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from indicators.models import Assessment, Unit

LOCALE = Path(__file__).resolve().parent.parent / "locale"
CATALOGUES = {lang: LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in ("th", "en")}
# %(name)s, %s, %d (Python), {name} (str.format); %% is a literal per cent sign, read
# first so that "%%s" is not taken for "%s".
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[sdf]|%[sdf]|\{\w*\}")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def read_po(path: Path) -> list[Entry]:
    """A small PO reader: enough for makemessages' output, no extra package."""
    entries: list[Entry] = []
    entry: Entry | None = None
    key: tuple[str, int] | None = None
    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) "(.*)"$')
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, key = None, None
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            pass
        elif match := keyword.match(line):
            name, index, text = match.groups()
            key = ("msgstr", int(index or 0)) if name.startswith("msgstr") else (name, 0)
            append(entry, key, text)
        elif line.startswith('"') and key is not None:
            append(entry, key, line[1:-1])
        else:
            raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
    return entries


def append(entry: Entry, key: tuple[str, int], quoted: str) -> None:
    text = quoted.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t")
    text = text.replace("\\\\", "\\")
    name, index = key
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    elif name == "msgid":
        entry.msgid += text
    elif name == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text


def messages(lang: str) -> list[Entry]:
    return [e for e in read_po(CATALOGUES[lang]) if e.msgid and not e.obsolete]


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text)) - {"%%"}


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_catalogue_compiles_with_format_checks(lang: str, tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext is missing (scripts/bootstrap.sh installs it)"
    mo = tmp_path / "django.mo"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", str(mo), str(CATALOGUES[lang])],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    with mo.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert catalogue.info()["language"] == lang
    entries = messages(lang)
    assert len(entries) > 100  # the reader saw the whole file, not just the header
    # Every entry made it into the compiled file (a fuzzy one would be left out).
    for entry in entries:
        if entry.msgid_plural is None:
            assert catalogue.gettext(entry.msgid) == entry.msgstr[0], entry.msgid


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_every_entry_is_translated(lang: str) -> None:
    untranslated = []
    for entry in messages(lang):
        forms = sorted(entry.msgstr)
        expected_forms = [0, 1] if lang == "en" and entry.msgid_plural is not None else [0]
        if forms != expected_forms or not all(entry.msgstr.values()) or "fuzzy" in entry.flags:
            untranslated.append(f"line {entry.line}: {entry.msgid}")
    assert not untranslated, (
        f"{len(untranslated)} entries of {CATALOGUES[lang]} are empty or fuzzy; run "
        "scripts/update-translations.sh and translate them:\n" + "\n".join(untranslated)
    )


def test_english_keeps_the_placeholders() -> None:
    for entry in messages("en"):
        source = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for form in entry.msgstr.values():
            if entry.msgid_plural is None:
                assert placeholders(form) == source, entry.msgid
            else:
                # A singular form may spell out "one" instead of using %(n)s.
                assert placeholders(form) <= source, entry.msgid


def test_english_and_thai_catalogues_list_the_same_strings() -> None:
    # Both come from one makemessages run; a difference means it was run for one only.
    assert {e.msgid for e in messages("en")} == {e.msgid for e in messages("th")}


def test_thai_repeats_the_thai_text() -> None:
    for entry in messages("th"):
        assert entry.msgstr[0] == (entry.msgid_plural or entry.msgid), entry.msgid


def test_project_strings_in_english() -> None:
    with translation.override("en"):
        assert str(Unit._meta.verbose_name) == "Unit"
        assert str(Assessment._meta.verbose_name) == "Self-assessment"
        assert str(Assessment.Status.RETURNED.label) == "Returned for changes"
        template = Template(
            "{% load i18n %}"
            "{% blocktranslate count n=n %}{{ n }} ครั้ง{% plural %}{{ n }} ครั้ง"
            "{% endblocktranslate %} / "
            "{% blocktranslate with percent=percent %}ร้อยละ {{ percent }}{% endblocktranslate %}"
        )
        assert template.render(Context({"n": 1, "percent": 85})) == "1 meeting / 85%"
        assert template.render(Context({"n": 3, "percent": 85})) == "3 meetings / 85%"
    with translation.override("th"):
        assert str(Unit._meta.verbose_name) == "หน่วยงาน"
        assert template.render(Context({"n": 3, "percent": 85})) == "3 ครั้ง / ร้อยละ 85"


@pytest.mark.django_db
def test_language_switch_turns_the_admin_login_english(client: Client) -> None:
    thai = client.get("/admin/login/").content.decode()
    assert 'lang="th"' in thai and "เข้าสู่ระบบ" in thai

    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.url == "/accounts/login/"

    english = client.get("/admin/login/").content.decode()
    assert 'lang="en"' in english
    assert "Log in" in english and "เข้าสู่ระบบ" not in english
    # The project's own admin header, from locale/en.
    assert "KM Tracker – knowledge management indicator tracking" in english
    assert "ระบบติดตามตัวบ่งชี้" not in english


def test_records_page_in_english(client: Client, staff: User, unit: Unit) -> None:
    client.force_login(staff)
    url = reverse("evidence:records", args=[unit.pk])
    assert "ข้อมูลประกอบของ" in client.get(url).content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": url})
    page = client.get(url).content.decode()
    assert f"Records of {unit.name}" in page
    for thai, english in [
        ("กิจกรรมการจัดการความรู้", "KM activities"),
        ("บุคลากรและกลุ่มเป้าหมาย", "Staff and target groups"),
        ("เพิ่มการประชุม", "Add meeting"),
    ]:
        assert english in page and thai not in page
