"""Citations follow their items: when items of a criterion are moved or removed, the codes
the assessment's texts cite are rewritten so that they keep naming the same documents."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from evidence.models import EvidenceItem
from evidence.services.items import evidence_item_add, evidence_item_move, evidence_item_remove
from indicators.citations import check_assessment
from indicators.codes import CODES_FOLLOWED_REASON, cited_codes, code_pattern, dangling_codes
from indicators.history import assessment_history
from indicators.models import Assessment, CriterionResult, Membership
from tests.factories import (
    AssessmentFactory,
    CriterionResultFactory,
    DocumentFactory,
    EvidenceItemFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

# Criterion 1 cites its own (1), (3) and (2) with the spacing people type, criterion 2's
# (2), and indicator 7's (1); criterion 2 cites criterion 1's (2) and (3) and its own (1).
FIRST = "ประชุม (ทด 2-1 (1)) สรุปผล ทด2-1(3) ทบทวน ทด 2 - 1 ( 2 ) ตาม ทด 2-2 (2) และ ทด 7-1 (1)"
SECOND = "นำผลจาก ทด 2-1 (2) และ ทด 2-1 (3) มาใช้ ดังเอกสาร ทด 2-2 (1)"


@dataclass
class World:
    assessment: Assessment
    first: CriterionResult
    second: CriterionResult
    other: CriterionResult  # indicator 7 of the same unit and cycle
    user: object


@pytest.fixture
def world() -> World:
    unit = UnitFactory(evidence_prefix="ทด")
    assessment = AssessmentFactory(
        unit=unit,
        indicator__number="2",
        strengths="มีแผนชัดเจน (ทด 2-1 (3))",
        improvements="ควรติดตามผล ทด 2-1 (1) และ ทด 2-2 (1)",
    )
    first = CriterionResultFactory(assessment=assessment, criterion__order=1, narrative=FIRST)
    second = CriterionResultFactory(assessment=assessment, criterion__order=2, narrative=SECOND)
    other_assessment = AssessmentFactory(
        unit=unit, indicator__number="7", indicator__cycle=assessment.indicator.cycle
    )
    other = CriterionResultFactory(
        assessment=other_assessment, criterion__order=1, narrative="ใช้ ทด 2-1 (1)"
    )
    for result, titles in (
        (first, ["แผน", "รายงานการประชุม", "สรุปผล"]),
        (second, ["คู่มือ", "ภาพกิจกรรม"]),
        (other, ["เอกสารตัวบ่งชี้ 7"]),
    ):
        for position, title in enumerate(titles, start=1):
            document = DocumentFactory(unit=unit, title=title)
            EvidenceItemFactory(
                result=result, position=position, document=document, caption=f"({title})"
            )
    user = MembershipFactory(user=UserFactory(), unit=unit, role=Membership.Role.STAFF).user
    return World(assessment, first, second, other, user)


def texts(world: World) -> dict[str, str]:
    assessment = Assessment.objects.get(pk=world.assessment.pk)
    narratives = dict(
        CriterionResult.objects.filter(pk__in=[world.first.pk, world.second.pk]).values_list(
            "pk", "narrative"
        )
    )
    return {
        "first": narratives[world.first.pk],
        "second": narratives[world.second.pk],
        "strengths": assessment.strengths,
        "improvements": assessment.improvements,
    }


def resolved(world: World) -> dict[str, list[str | None]]:
    """Each text's cited codes, resolved to the title of the document each names now."""
    items = EvidenceItem.objects.with_code_parts().filter(
        result__assessment__unit=world.assessment.unit
    )
    title_of = {item.code: item.document.title if item.document else item.caption for item in items}
    return {
        name: [title_of.get(code) for code in cited_codes(text, "ทด")]
        for name, text in texts(world).items()
    }


def item(result: CriterionResult, position: int) -> EvidenceItem:
    return EvidenceItem.objects.get(result=result, position=position)


def test_codes_follow_moves_additions_and_removals(world: World) -> None:
    before = resolved(world)
    assert before["first"] == ["แผน", "สรุปผล", "รายงานการประชุม", "ภาพกิจกรรม", "เอกสารตัวบ่งชี้ 7"]
    assert None not in [title for titles in before.values() for title in titles]

    # Move 'สรุปผล' from (3) to the top: (1), (2) shift down.
    rewritten = evidence_item_move(item=item(world.first, 3), to_position=1, by=world.user)
    assert rewritten == 4  # both narratives, the strengths and the improvements
    assert resolved(world) == before
    assert texts(world)["first"] == (
        "ประชุม (ทด 2-1 (2)) สรุปผล ทด 2-1 (1) ทบทวน ทด 2-1 (3) ตาม ทด 2-2 (2) และ ทด 7-1 (1)"
    )

    # A swap of neighbours, (1) <-> (2).
    evidence_item_move(item=item(world.first, 1), to_position=2, by=world.user)
    assert resolved(world) == before
    # Adding appends the next code: nothing cited changes.
    evidence_item_add(result=world.first, caption="เอกสารใหม่")
    assert resolved(world) == before
    # A move under criterion 2 changes criterion 2's codes only.
    evidence_item_move(item=item(world.second, 2), to_position=1, by=world.user)
    assert resolved(world) == before

    # Remove 'แผน': its citations are marked, not re-pointed at 'สรุปผล' or anything else.
    plan = EvidenceItem.objects.get(result=world.first, document__title="แผน")
    plan_code = plan.code
    evidence_item_remove(item=plan, by=world.user)
    after = resolved(world)
    assert after == {
        name: [title for title in titles if title != "แผน"] for name, titles in before.items()
    }
    current = texts(world)
    for name in ("first", "improvements"):
        assert dangling_codes(current[name], "ทด") == [plan_code]
    assert f"{plan_code[:-1]} ถูกลบ)" in current["first"]
    # Codes of another indicator, and another assessment's narrative, are not touched.
    assert "ทด 7-1 (1)" in current["first"]
    world.other.refresh_from_db()
    assert world.other.narrative == "ใช้ ทด 2-1 (1)"


def test_a_removed_items_citation_is_flagged_as_dangling(world: World) -> None:
    evidence_item_remove(item=item(world.first, 1), by=world.user)
    world.assessment.refresh_from_db()
    report = check_assessment(world.assessment)
    dangling = [flag for flag in report.flags if flag.kind == "dangling"]
    assert [(flag.result_id, flag.codes) for flag in dangling] == [
        (world.first.pk, ["ทด 2-1 (1)"]),
        (None, ["ทด 2-1 (1)"]),  # the improvements
    ]
    assert dangling[0].message == (
        "อ้างถึง ทด 2-1 (1) ซึ่งถูกลบออกจากรายการหลักฐานแล้ว ควรแก้ไขหรือลบการอ้างอิงนี้"
    )
    assert dangling[1].message == "จุดที่ควรพัฒนา อ้างถึง ทด 2-1 (1) ซึ่งถูกลบออกจากรายการหลักฐานแล้ว"
    assert report.for_assessment() == [dangling[1]]
    # What was (2) is now (1), cited by its new code: not missing.
    assert not [flag for flag in report.flags if flag.kind == "missing_code"]
    narrative = texts(world)["first"]
    assert "ทด 2-1 (1 ถูกลบ)" in narrative
    assert [m.group(0) for m in code_pattern("ทด").finditer(narrative)].count("ทด 2-1 (1)") == 1


def test_a_rewrite_is_a_versioned_edit_in_the_history(world: World) -> None:
    untouched = CriterionResultFactory(
        assessment=world.assessment, criterion__order=3, narrative="อ้าง ทด 2-2 (1) เท่านั้น"
    )
    versions = {world.first.pk: world.first.version, untouched.pk: untouched.version}
    evidence_item_move(item=item(world.first, 1), to_position=3, by=world.user)
    world.first.refresh_from_db()
    untouched.refresh_from_db()
    assert world.first.version == versions[world.first.pk] + 1
    assert untouched.version == versions[untouched.pk]

    record = world.first.history.first()
    assert record.narrative == world.first.narrative
    assert record.history_user == world.user
    assert record.history_change_reason == CODES_FOLLOWED_REASON
    assessment_record = Assessment.history.filter(id=world.assessment.pk).first()
    assert assessment_record.strengths == "มีแผนชัดเจน (ทด 2-1 (2))"
    assert assessment_record.history_user == world.user

    events = [
        event
        for event in assessment_history(world.assessment, result_id=world.first.pk)
        if event.reason
    ]
    assert len(events) == 1 and events[0].who == world.user
    assert events[0].reason == "รหัสหลักฐานที่อ้างถึงถูกปรับตาม เพราะมีการย้ายหรือลบหลักฐาน"
    assert [change.label for change in events[0].changes] == ["ผลการดำเนินงานตามเกณฑ์"]


def test_an_uncited_move_rewrites_nothing(world: World) -> None:
    world.first.narrative = "ไม่มีการอ้างอิง"
    world.first.save()
    CriterionResult.objects.filter(pk=world.second.pk).update(narrative="อ้าง ทด 2-2 (1)")
    Assessment.objects.filter(pk=world.assessment.pk).update(strengths="", improvements="")
    version = CriterionResult.objects.get(pk=world.first.pk).version
    records = CriterionResult.history.count()
    assert evidence_item_move(item=item(world.first, 1), to_position=3, by=world.user) == 0
    assert CriterionResult.objects.get(pk=world.first.pk).version == version
    assert CriterionResult.history.count() == records


def test_an_open_editor_gets_the_stale_edit_conflict(client, world: World) -> None:
    """Through the views: the move records who did it, says texts changed, and the
    narrative editor still holding the old text cannot overwrite the rewrite."""
    client.force_login(world.user)
    # A swap of (1) and (2): both narratives and the improvements cite one of them.
    old_version = world.first.version
    response = client.post(
        reverse("evidence:item_move", args=[item(world.first, 1).pk]),
        {"direction": "down"},
        headers=HTMX,
    )
    note = response.content.decode().split('role="status">')[1].split("<")[0]
    assert note == "ปรับรหัสหลักฐานที่อ้างถึงใน 3 ข้อความให้ตามไปแล้ว โหลดหน้าใหม่เพื่อดูข้อความล่าสุด"
    world.first.refresh_from_db()
    assert world.first.history.first().history_user == world.user
    rewritten = world.first.narrative
    assert rewritten.startswith("ประชุม (ทด 2-1 (2))")

    response = client.post(
        reverse("indicators:result_narrative", args=[world.first.pk]),
        {"narrative": FIRST + " เพิ่มเติม", "version": old_version},
        headers=HTMX,
    )
    assert response.status_code == 200
    world.first.refresh_from_db()
    assert world.first.narrative == rewritten
    assert "มีผู้อื่นบันทึก" in response.content.decode()
