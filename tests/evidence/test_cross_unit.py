"""A unit's evidence cites only its own documents, whoever calls the service."""

import pytest
from django.core.exceptions import ValidationError

from evidence.services.items import evidence_item_add
from indicators.models import Assessment
from tests.factories import DocumentFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_document_of_another_unit_is_refused(demo: Assessment) -> None:
    result = demo.results.get(criterion__order=1)
    before = list(result.evidence_items.values_list("pk", "position"))
    foreign = DocumentFactory(unit=UnitFactory())
    with pytest.raises(ValidationError) as refused:
        evidence_item_add(result=result, caption="ของหน่วยงานอื่น", document=foreign)
    assert refused.value.message_dict == {"document": ["เลือกได้เฉพาะเอกสารในคลังเอกสารของหน่วยงานนี้"]}
    assert list(result.evidence_items.values_list("pk", "position")) == before


def test_document_of_the_unit_is_cited(demo: Assessment) -> None:
    result = demo.results.get(criterion__order=1)
    own = DocumentFactory(unit=demo.unit)
    item = evidence_item_add(result=result, caption="ของเรา", document=own)
    assert (item.position, item.document) == (9, own)
