"""import_sar and load_demo, checked against the seed SAR page (the project's copy)."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from evidence.models import EvidenceItem
from indicators.models import Assessment, Criterion, CriterionResult, Cycle, Indicator, Unit
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.django_db

DATA = DATA_DIR
SEED_CODE_LINE = re.compile(r"^\t?(สพ 3-\d \(\d+\))(.*)$", re.MULTILINE)


def fold(text: str) -> str:
    return "".join(text.split())


def items_in_order(assessment: Assessment) -> list[EvidenceItem]:
    return list(
        EvidenceItem.objects.with_code_parts()
        .filter(result__assessment=assessment)
        .order_by("result__criterion__order", "position")
    )


def test_demo_holds_the_seed_criteria_and_narratives_word_for_word(
    demo: Assessment, seed_text: str
) -> None:
    results = list(demo.results.select_related("criterion").order_by("criterion__order"))
    assert [result.criterion.order for result in results] == [1, 2, 3, 4, 5]
    for result in results:
        criterion_line = rf"^\t{result.criterion.order}\.\s+{re.escape(result.criterion.text)}\s*$"
        assert re.search(criterion_line, seed_text, re.MULTILINE), result.criterion.order
        assert result.narrative, result.criterion.order
        assert f"\t{result.narrative}" in seed_text, result.criterion.order


def test_demo_holds_all_31_evidence_items_in_order_with_captions_as_written(
    demo: Assessment, seed_text: str
) -> None:
    expected = [(code, rest.strip()) for code, rest in SEED_CODE_LINE.findall(seed_text)]
    assert len(expected) == 31
    items = items_in_order(demo)
    assert [(item.code, item.caption) for item in items] == expected
    assert items[0].code == "สพ 3-1 (1)" and items[-1].code == "สพ 3-5 (7)"
    link = next(item for item in items if item.code == "สพ 3-4 (9)")
    url_line = seed_text.split("สพ 3-4 (9)", 1)[1].split("\n")[1].strip()
    assert link.url == url_line and url_line.startswith("https://")
    assert [item.code for item in items if item.url] == ["สพ 3-4 (9)"]


def test_demo_accounts_for_every_character_of_the_seed(demo: Assessment, seed_text: str) -> None:
    """Rebuilding the page from the database gives the seed back, whitespace aside."""
    indicator = demo.indicator
    parts = [
        f"ตัวบ่งชี้ที่ {indicator.number} {indicator.title}",
        f"ชนิดของตัวบ่งชี้ {indicator.get_kind_display()}",
        f"รอบปีที่ใช้นับผลงาน : {indicator.cycle.period_display}",
        "เกณฑ์มาตรฐาน ผลการดำเนินงานตามเกณฑ์ รายการเอกสารอ้างอิง",
    ]
    for result in demo.results.order_by("criterion__order"):
        parts += [f"{result.criterion.order}. {result.criterion.text}", result.narrative]
        for item in result.evidence_items.all():
            parts += [item.code, item.caption, item.url]
    assert fold("\n".join(parts)) == fold(seed_text)


def test_demo_scores_five_of_five(demo: Assessment) -> None:
    assert demo.indicator.kind == Indicator.Kind.PROCESS
    assert demo.met_count == 5
    assert str(demo.self_score) == "5.00"
    assert demo.achieved is True


def test_load_demo_twice_changes_nothing(demo: Assessment) -> None:
    def snapshot() -> tuple:
        return tuple(
            (model.__name__, model.objects.count(), model.history.count())
            if hasattr(model, "history")
            else (model.__name__, model.objects.count())
            for model in (Unit, Cycle, Indicator, Criterion, Assessment, CriterionResult,
                          EvidenceItem)
        )  # fmt: skip

    before = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == before


def test_load_demo_prints_the_demo_logins(db) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("load_demo", stdout=out)
    for username in ("staff", "head", "qa", "admin"):
        assert re.search(rf"^\s+{username}\s+/ \S+", out.getvalue(), re.MULTILINE)
        # Demo accounts get an address, so the workflow e-mails show in the console.
        assert get_user_model().objects.get(username=username).email.endswith(".invalid")


def test_demo_records_behind_the_narrative(demo: Assessment) -> None:
    unit = demo.unit
    meetings = {(m.body, m.number, m.date.isoformat()) for m in unit.meetings.all()}
    assert len(meetings) == 4
    assert {(number, date) for _, number, date in meetings} == {
        ("1/2563", "2020-01-09"),
        ("1/2563", "2020-01-14"),
        ("1/2563", "2020-02-13"),
        ("4/2563", "2020-05-15"),
    }
    group = unit.target_groups.get()
    assert group.headcount == 15
    assert "นางรัตนา ช้างเยาว์" in {person.name for person in group.members.all()}
    topic = unit.topics.get()
    rename = topic.renames.get()
    assert rename.renamed_on.isoformat() == "2020-05-15"
    assert rename.meeting.number == "4/2563"
    activities = {a.date.isoformat(): a for a in unit.activities.all()}
    assert activities["2020-05-27"].kind == "sharing"
    assert activities["2020-07-22"].kind == activities["2020-07-31"].kind == "training"
    assert "อโณทัย" in activities["2020-07-31"].speakers
    assert str(activities["2020-08-20"].satisfaction_percent) == "93.66"
    cited = EvidenceItem.objects.get(
        result__assessment=demo, result__criterion__order=1, position=5
    )
    assert cited.meeting.number == "4/2563"


def import_file(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_sar", str(path), *args, stdout=out)
    return out.getvalue()


LIBRARY_ARGS = ("--unit-prefix", "สบ", "--unit-name", "สำนักบรรณสารสนเทศ", "--year", "2564",
                "--cycle-kind", "academic")  # fmt: skip


def test_import_another_unit_and_indicator() -> None:
    import_file(DATA / "sar_library_2564.txt", *LIBRARY_ARGS)
    assessment = Assessment.objects.get(unit__evidence_prefix="สบ")
    indicator = assessment.indicator
    assert (indicator.number, indicator.cycle.kind, indicator.cycle.year_be) == (
        "2.1",
        "academic",
        2564,
    )
    assert indicator.cycle.period_display == "ปีการศึกษา 2564 (1 ก.ค. 64 - 30 มิ.ย. 65)"
    assert indicator.criteria.count() == 7
    first = assessment.results.get(criterion__order=1)
    # A blank line inside a cell is kept as a paragraph break.
    assert "9 กันยายน 2564\n\nข้อเสนอแนะที่สำคัญ" in first.narrative
    second = assessment.results.get(criterion__order=2)
    assert second.narrative.startswith("2. สำนักฯ")  # a narrative may start with a number
    codes = [(i.code, i.caption, i.url) for i in items_in_order(assessment)]
    assert codes[2:4] == [
        ("สบ 2.1-2 (1)", "แผนการให้บริการสารสนเทศ ประจำปีการศึกษา 2564", ""),
        ("สบ 2.1-2 (2)", "", "https://library.example.ac.th/plan-2564.html"),
    ]
    assert assessment.met_count == 3
    assert str(assessment.self_score) == "3.00"  # the 7-criteria mapping


def test_import_twice_changes_nothing() -> None:
    import_file(DATA / "sar_library_2564.txt", *LIBRARY_ARGS)
    history = CriterionResult.history.count()
    out = import_file(DATA / "sar_library_2564.txt", *LIBRARY_ARGS)
    assert "สร้าง 0, แก้ไข 0" in out
    assert CriterionResult.history.count() == history


def replace_line(seed: str, starts: str, old: str, new: str) -> tuple[str, int]:
    """The seed with one line edited, and that line's 1-based number."""
    lines = seed.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(starts))
    lines[index] = lines[index].replace(old, new, 1)
    return "\n".join(lines), index + 1


def bad_files(seed: str) -> dict[str, tuple[str, int, str]]:
    """name → (file text, line the error must name, words it must say)."""
    wrong_code, wrong_code_line = replace_line(seed, "สพ 3-1 (2)", "(2)", "(3)")
    skipped, skipped_line = replace_line(seed, "\t2. ", "\t2. ", "\t4. ")
    return {
        "no heading": ("ชื่อเรื่องอื่น\n", 1, "ตัวบ่งชี้ที่"),
        "bad period": (
            "ตัวบ่งชี้ที่ 3 ทดสอบ\nชนิดของตัวบ่งชี้ กระบวนการ\nรอบปีที่ใช้นับผลงาน : ปีงบประมาณ 2563\n",
            3,
            "รอบปีที่ใช้นับผลงาน",
        ),
        "bad month": (seed.replace("30 ก.ย. 63", "30 กย 63"), 4, "กย"),
        "wrong code": (wrong_code, wrong_code_line, "ควรเป็น สพ 3-1 (2)"),
        "skipped criterion": (skipped, skipped_line, "เกณฑ์ข้อที่ 2"),
        "no table": (seed.split("\t1.")[0].replace("\tรายการเอกสารอ้างอิง", ""), 5, "หัวตาราง"),
    }


@pytest.mark.parametrize(
    "name",
    ["no heading", "bad period", "bad month", "wrong code", "skipped criterion", "no table"],
)
def test_malformed_file_names_the_line_and_writes_nothing(
    name: str, seed_text: str, tmp_path: Path
) -> None:
    text, line, words = bad_files(seed_text)[name]
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        import_file(path, "--unit-prefix", "สพ", "--unit-name", "สำนักพิมพ์", "--year", "2563")
    assert f"บรรทัดที่ {line}:" in str(error.value)
    assert words in str(error.value)
    assert "ไม่ได้บันทึกข้อมูลใด ๆ" in str(error.value)
    assert not Unit.objects.exists() and not Cycle.objects.exists()


def test_file_of_another_unit_is_refused(seed_text: str, tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    with pytest.raises(CommandError, match="สพ"):
        import_file(path, "--unit-prefix", "สบ", "--unit-name", "x", "--year", "2563")
    with pytest.raises(CommandError, match="รอบปี"):
        import_file(path, "--unit-prefix", "สพ", "--unit-name", "x", "--year", "2564")
    assert not Unit.objects.exists()


def test_unreadable_file_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "word.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\xff")
    with pytest.raises(CommandError, match="UTF-8"):
        import_file(path, "--unit-prefix", "สพ", "--unit-name", "x", "--year", "2563")
    with pytest.raises(CommandError, match="ไม่พบไฟล์"):
        import_file(tmp_path / "missing.txt", "--unit-prefix", "สพ", "--unit-name", "x",
                    "--year", "2563")  # fmt: skip


def test_failure_midway_rolls_back_everything(seed_text: str, tmp_path: Path) -> None:
    """An error in the last criterion leaves no unit, cycle or first criteria behind."""
    broken = seed_text.replace("สพ 3-5 (7)", "สพ 3-5 (9)")
    path = tmp_path / "late-error.txt"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CommandError, match="สพ 3-5 \\(7\\)"):
        import_file(path, "--unit-prefix", "สพ", "--unit-name", "สำนักพิมพ์", "--year", "2563")
    assert not Criterion.objects.exists() and not Unit.objects.exists()
