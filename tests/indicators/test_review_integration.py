"""The review side of the staff pages: the indicator page, the home page and the
'replace file' action, with the three personas."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import EvidenceItem
from indicators.models import Assessment
from indicators.services.review import review_comment_add
from tests.factories import pdf_bytes

Status = Assessment.Status


def _set(assessment: Assessment, status: str) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    assessment.refresh_from_db()


def _item(demo: Assessment) -> EvidenceItem:
    return EvidenceItem.objects.filter(result__assessment=demo).order_by("result", "position")[0]


def test_indicator_page_shows_workflow_and_comments(client, demo, head, staff, qa_officer) -> None:
    _set(demo, Status.SUBMITTED)
    comment = review_comment_add(
        assessment=demo, by=qa_officer, body="ขอรายงานการประชุมฉบับเต็ม", evidence_item=_item(demo)
    )
    _set(demo, Status.RETURNED)
    client.force_login(head)
    html = client.get(demo.get_absolute_url()).content.decode()
    assert reverse("indicators:assessment_submit", args=[demo.pk]) in html
    client.force_login(staff)
    html = client.get(demo.get_absolute_url()).content.decode()
    assert "ขอรายงานการประชุมฉบับเต็ม" in html and "สพ 3-1 (1)" in html
    assert reverse("indicators:comment_reply", args=[comment.pk]) in html
    assert reverse("indicators:assessment_submit", args=[demo.pk]) not in html  # staff
    assert reverse("evidence:item_replace", args=[_item(demo).pk]) in html
    _set(demo, Status.APPROVED)
    html = client.get(demo.get_absolute_url()).content.decode()
    assert 'id="readonly-reason"' in html
    assert reverse("indicators:comment_reply", args=[comment.pk]) not in html
    assert reverse("evidence:item_replace", args=[_item(demo).pk]) not in html


def test_home_shows_pending_items(client, demo, staff, qa_officer) -> None:
    _set(demo, Status.SUBMITTED)
    client.force_login(qa_officer)
    html = client.get(reverse("home")).content.decode()
    assert 'id="pending"' in html and reverse("indicators:review", args=[demo.pk]) in html
    client.force_login(staff)
    assert (
        reverse("indicators:review", args=[demo.pk])
        not in client.get(reverse("home")).content.decode()
    )


def test_replace_file_personas(client, demo, staff, qa_officer, outsider) -> None:
    item = _item(demo)
    EvidenceItem.objects.filter(pk=item.pk).update(review_status="needs_fix")
    url = reverse("evidence:item_replace", args=[item.pk])

    def upload() -> dict:
        return {"file": SimpleUploadedFile("new.pdf", pdf_bytes("new"), "application/pdf")}

    client.force_login(outsider)
    assert client.post(url, upload()).status_code == 404
    client.force_login(qa_officer)
    assert client.post(url, upload()).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 200
    response = client.post(url, upload())
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.document is not None and item.document.original_name == "new.pdf"
    assert item.review_status == EvidenceItem.Review.PENDING
    assert item.position == 1  # the code stays
    _set(demo, Status.SUBMITTED)
    assert client.post(url, upload()).status_code == 403
