"""Importing a SAR page (sar_import, import_sar): another unit's page, a second import that
changes nothing, and malformed files that name the line and write nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from evidence.models import EvidenceItem
from indicators.models import Assessment, Criterion, CriterionResult, Cycle, Unit
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.django_db

DATA = DATA_DIR


def items_in_order(assessment: Assessment) -> list[EvidenceItem]:
    return list(
        EvidenceItem.objects.with_code_parts()
        .filter(result__assessment=assessment)
        .order_by("result__criterion__order", "position")
    )


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
