"""Evidence items: links, library documents, captions, moving and removing; codes follow."""

import pytest
from django.urls import reverse

from evidence.models import EvidenceItem
from indicators.models import Assessment, CriterionResult
from tests.factories import DocumentFactory, UnitFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def first(demo: Assessment) -> CriterionResult:
    return demo.results.get(criterion__order=1)


def captions(result: CriterionResult) -> list[str]:
    return list(result.evidence_items.order_by("position").values_list("caption", flat=True))


def add(client, result, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("evidence:item_add", args=[result.pk]), data, headers=HTMX)


def test_add_form_opens_in_place(client, staff, first) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    response = client.get(reverse("evidence:item_add", args=[first.pk]), headers=HTMX)
    html = response.content.decode()
    assert f'id="evidence-{first.pk}"' in html
    assert "อัปโหลดไฟล์" in html and "ลิงก์" in html and "จากคลังเอกสาร" in html
    assert 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.pptx"' in html
    assert f'id="add-{first.pk}-upload-file"' in html
    # Without htmx it is a page of its own.
    page = client.get(reverse("evidence:item_add", args=[first.pk]))
    assert "<html" in page.content.decode()


def test_add_link(client, staff, first) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    html = add(
        client, first, kind="link", url="https://www.stou.ac.th/km", caption=""
    ).content.decode()
    assert "เพิ่มหลักฐาน สพ 3-1 (9) แล้ว" in html
    item = first.evidence_items.get(position=9)
    assert item.url == "https://www.stou.ac.th/km" and item.caption == ""


@pytest.mark.parametrize(
    "url",
    ["ftp://files.example.org/a.pdf", "javascript:alert(1)", "file:///etc/passwd", "not a link"],
)
def test_non_http_link_is_rejected(client, staff, first, url) -> None:  # type: ignore[no-untyped-def]
    client.force_login(staff)
    html = add(client, first, kind="link", url=url, caption="ลิงก์").content.decode()
    assert "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https:// เท่านั้น" in html
    assert first.evidence_items.count() == 8


def test_add_from_library(client, staff, first) -> None:  # type: ignore[no-untyped-def]
    document = DocumentFactory(unit=first.assessment.unit, title="แผนการจัดการความรู้")
    client.force_login(staff)
    form = client.get(reverse("evidence:item_add", args=[first.pk]), headers=HTMX)
    assert "แผนการจัดการความรู้" in form.content.decode()
    add(client, first, kind="library", document=document.pk, caption="")
    item = first.evidence_items.get(position=9)
    assert item.document == document and item.caption == "แผนการจัดการความรู้"


def test_library_of_another_unit_is_refused(client, staff, first) -> None:  # type: ignore[no-untyped-def]
    theirs = DocumentFactory(unit=UnitFactory(), title="ของหน่วยงานอื่น")
    client.force_login(staff)
    form = client.get(reverse("evidence:item_add", args=[first.pk]), headers=HTMX)
    assert "ของหน่วยงานอื่น" not in form.content.decode()
    html = add(client, first, kind="library", document=theirs.pk).content.decode()
    assert "ไม่พบเอกสารนี้ในคลังของหน่วยงาน" in html
    assert first.evidence_items.count() == 8


def test_edit_caption(client, staff, first) -> None:  # type: ignore[no-untyped-def]
    item = first.evidence_items.get(position=2)
    url = reverse("evidence:item_edit", args=[item.pk])
    client.force_login(staff)
    form = client.get(url, headers=HTMX).content.decode()
    assert f'id="item-{item.pk}-caption"' in form and item.caption in form
    html = client.post(url, {"caption": "  ชื่อใหม่  "}, headers=HTMX).content.decode()
    assert "แก้ไข สพ 3-1 (2) แล้ว" in html
    item.refresh_from_db()
    assert item.caption == "ชื่อใหม่"
    assert item.history.first().history_user == staff


def test_empty_caption_is_refused(client, staff, first) -> None:  # type: ignore[no-untyped-def]
    item = first.evidence_items.get(position=2)
    client.force_login(staff)
    url = reverse("evidence:item_edit", args=[item.pk])
    html = client.post(url, {"caption": " "}, headers=HTMX).content.decode()
    assert "กรุณาใส่ชื่อรายการเอกสารอ้างอิง" in html
    item.refresh_from_db()
    assert item.caption


def test_move_up_and_down(client, staff, first) -> None:  # type: ignore[no-untyped-def]
    before = captions(first)
    item = first.evidence_items.get(position=3)
    url = reverse("evidence:item_move", args=[item.pk])
    client.force_login(staff)
    html = client.post(url, {"direction": "up"}, headers=HTMX).content.decode()
    assert captions(first) == [before[0], before[2], before[1], *before[3:]]
    # The swapped list shows the renumbered codes at once.
    assert html.index(before[2]) < html.index(before[1])
    client.post(url, {"direction": "down"}, headers=HTMX)
    assert captions(first) == before
    assert client.post(url, {"direction": "sideways"}, headers=HTMX).status_code == 400


def test_move_to_first_place(client, staff, first) -> None:  # type: ignore[no-untyped-def]
    before = captions(first)
    item = first.evidence_items.get(position=8)
    client.force_login(staff)
    response = client.post(reverse("evidence:item_move", args=[item.pk]), {"direction": "first"})
    assert response.status_code == 302
    assert captions(first) == [before[7], *before[:7]]


def test_remove_closes_the_gap(client, staff, first) -> None:  # type: ignore[no-untyped-def]
    before = captions(first)
    item = first.evidence_items.get(position=3)
    client.force_login(staff)
    html = client.post(
        reverse("evidence:item_remove", args=[item.pk]), headers=HTMX
    ).content.decode()
    assert "ลบ สพ 3-1 (3) แล้ว" in html
    assert captions(first) == before[:2] + before[3:]
    assert "สพ 3-1 (7)" in html and "สพ 3-1 (8)" not in html
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()


def test_evidence_list_refresh(client, staff, qa_officer, outsider, first) -> None:  # type: ignore[no-untyped-def]
    url = reverse("evidence:result_evidence", args=[first.pk])
    client.force_login(staff)
    assert "สพ 3-1 (8)" in client.get(url, headers=HTMX).content.decode()
    client.force_login(qa_officer)
    html = client.get(url, headers=HTMX).content.decode()
    assert "สพ 3-1 (8)" in html and "kmt-remove" not in html
    client.force_login(outsider)
    assert client.get(url, headers=HTMX).status_code == 404


def actions(first: CriterionResult) -> list[tuple[str, dict[str, str]]]:
    item = first.evidence_items.get(position=1)
    return [
        (reverse("evidence:item_add", args=[first.pk]), {"kind": "link", "url": "https://a.th"}),
        (reverse("evidence:item_edit", args=[item.pk]), {"caption": "แก้"}),
        (reverse("evidence:item_move", args=[item.pk]), {"direction": "down"}),
        (reverse("evidence:item_remove", args=[item.pk]), {}),
    ]


def test_qa_officer_cannot_change_evidence(client, qa_officer, first) -> None:  # type: ignore[no-untyped-def]
    before = captions(first)
    client.force_login(qa_officer)
    for url, data in actions(first):
        assert client.post(url, data, headers=HTMX).status_code == 403, url
    assert captions(first) == before


def test_outsider_gets_404_on_every_action(client, outsider, first) -> None:  # type: ignore[no-untyped-def]
    before = captions(first)
    client.force_login(outsider)
    for url, data in actions(first):
        assert client.post(url, data, headers=HTMX).status_code == 404, url
        assert client.get(url).status_code in (404, 405), url
    assert captions(first) == before


def test_locked_assessment_refuses_evidence_changes(client, staff, demo, first) -> None:  # type: ignore[no-untyped-def]
    Assessment.objects.filter(pk=demo.pk).update(status=Assessment.Status.SUBMITTED)
    before = captions(first)
    client.force_login(staff)
    for url, data in actions(first):
        assert client.post(url, data, headers=HTMX).status_code == 403, url
    assert captions(first) == before
