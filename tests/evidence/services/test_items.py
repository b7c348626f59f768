"""Evidence codes are derived and stay gap-free when items move or go."""

import pytest

from evidence.models import EvidenceItem
from evidence.services.items import evidence_item_add, evidence_item_move, evidence_item_remove
from indicators.models import Assessment

pytestmark = pytest.mark.django_db


def codes(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(item.code, item.caption) for item in result.evidence_items.order_by("position")]


@pytest.fixture
def first(demo: Assessment):  # type: ignore[no-untyped-def]
    return demo.results.get(criterion__order=1)


def test_added_item_takes_the_next_code(first) -> None:  # type: ignore[no-untyped-def]
    item = evidence_item_add(result=first, caption="เอกสารใหม่")
    assert item.code == "สพ 3-1 (9)"


def test_moving_an_item_renumbers_the_rest(first) -> None:  # type: ignore[no-untyped-def]
    before = [caption for _, caption in codes(first)]
    item = evidence_item_add(result=first, caption="เอกสารใหม่")
    evidence_item_move(item=item, to_position=1)
    after = codes(first)
    assert after[0] == ("สพ 3-1 (1)", "เอกสารใหม่")
    assert [caption for _, caption in after[1:]] == before
    assert [code for code, _ in after] == [f"สพ 3-1 ({n})" for n in range(1, 10)]
    evidence_item_move(item=EvidenceItem.objects.get(pk=item.pk), to_position=99)
    assert codes(first)[-1] == ("สพ 3-1 (9)", "เอกสารใหม่")


def test_removing_an_item_closes_the_gap(first) -> None:  # type: ignore[no-untyped-def]
    captions = [caption for _, caption in codes(first)]
    evidence_item_remove(item=first.evidence_items.get(position=3))
    after = codes(first)
    assert [caption for _, caption in after] == captions[:2] + captions[3:]
    assert [code for code, _ in after] == [f"สพ 3-1 ({n})" for n in range(1, 8)]


def test_codes_are_unique_per_assessment(demo: Assessment) -> None:
    all_codes = [
        item.code for item in EvidenceItem.objects.with_code_parts().filter(result__assessment=demo)
    ]
    assert len(all_codes) == len(set(all_codes)) == 31


def test_document_or_link_not_both(first, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError, transaction

    from tests.factories import DocumentFactory

    document = DocumentFactory(unit=first.assessment.unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceItem.objects.create(
            result=first, position=50, caption="x", document=document, url="https://a.example"
        )
