"""The demo data (indicators/demo/, load_demo): the seed SAR page word for word, the records
behind its narrative, the demo accounts, and the project's copy of the seed itself."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from evidence.models import EvidenceItem
from indicators.demo import SEED_FILE
from indicators.models import Assessment, Criterion, CriterionResult, Cycle, Indicator, Unit
from tests.conftest import REPO_ROOT

# The user's own document, beside a checkout that has ../shared: the project's copy must
# not drift from it. A bare clone has no ../shared, and every other test reads the copy.
SHARED_SEED = REPO_ROOT.parent / "shared" / "seeds" / "000_212ba7b679b3eb1d.txt"


@pytest.mark.skipif(
    not SHARED_SEED.exists(),
    reason=f"no shared seed at {SHARED_SEED} (a bare clone): nothing to compare the copy with",
)
def test_the_project_copy_is_the_shared_seed() -> None:
    copy = SEED_FILE.read_text(encoding="utf-8")
    assert copy == SHARED_SEED.read_text(encoding="utf-8"), f"{SEED_FILE} differs from the seed"


SEED_CODE_LINE = re.compile(r"^\t?(สพ 3-\d \(\d+\))(.*)$", re.MULTILINE)


def items_in_order(assessment: Assessment) -> list[EvidenceItem]:
    return list(
        EvidenceItem.objects.with_code_parts()
        .filter(result__assessment=assessment)
        .order_by("result__criterion__order", "position")
    )


def fold(text: str) -> str:
    return "".join(text.split())


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


def test_load_demo_prints_the_demo_logins(db: None) -> None:
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
