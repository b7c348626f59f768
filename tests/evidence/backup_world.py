"""A whole site for the backup tests, built and read in subprocesses of their own.

The backup tests move data between databases (SQLite to PostgreSQL), so each instance
runs as `manage.py` with its own DATABASE_URL and KMT_MEDIA_ROOT; these functions run
inside them through `manage.py shell -c`.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from evidence.backup.contents import backup_models, stored_file_names, uses_natural_keys
from evidence.models import Meeting, ReviewComment
from evidence.services.items import evidence_item_add_upload, evidence_item_remove
from indicators.demo import load_demo
from indicators.models import ReportJob, Unit
from indicators.services.cycles import cycle_start_from
from tests.factories import image_bytes, pdf_bytes


def build() -> None:
    """The demo, plus what the demo lacks: files (one an image with its thumbnail), a
    second cycle carried over, a finished and a queued report, a review comment, an
    admin log entry, a unit under another, and a history row pointing at a deleted
    document."""
    assessment = load_demo().assessment
    unit, cycle = assessment.unit, assessment.indicator.cycle
    user_model = get_user_model()
    staff, qa, admin = (user_model.objects.get(username=name) for name in ("staff", "qa", "admin"))
    results = list(assessment.results.order_by("criterion__order"))

    minutes, _ = evidence_item_add_upload(
        result=results[0],
        upload=ContentFile(pdf_bytes("minutes"), name="รายงานการประชุม ครั้งที่ 1.pdf"),
        content_type="application/pdf",
        caption="รายงานการประชุมคณะกรรมการการจัดการความรู้ ครั้งที่ 1",
        by=staff,
    )
    evidence_item_add_upload(
        result=results[1],
        upload=ContentFile(image_bytes(), name="ภาพกิจกรรม.png"),
        content_type="image/png",
        caption="ภาพกิจกรรมแลกเปลี่ยนเรียนรู้",
        by=staff,
    )
    gone, _ = evidence_item_add_upload(
        result=results[2],
        upload=ContentFile(pdf_bytes("gone"), name="ร่าง.pdf"),
        content_type="application/pdf",
        caption="ร่างที่ถอนออก",
        by=staff,
    )
    Meeting.objects.filter(unit=unit).update(minutes=minutes.document)
    document = gone.document
    evidence_item_remove(item=gone)
    document.delete()  # its history rows keep its id, with no row behind it

    Unit.objects.create(name="ฝ่ายเผยแพร่และจัดจำหน่าย", evidence_prefix="สพผจ", parent=unit)
    cycle_start_from(source=cycle, year_be=2564)

    job = ReportJob.objects.create(
        kind=ReportJob.Kind.UNIVERSITY,
        cycle=cycle,
        requested_by=qa,
        status=ReportJob.Status.DONE,
        progress=100,
        filename="สรุปผลการประเมินตนเอง 2563.pdf",
        finished_at=timezone.now(),
    )
    job.file.save("report.pdf", ContentFile(pdf_bytes("report")))
    ReportJob.objects.create(kind=ReportJob.Kind.ALL_UNITS, cycle=cycle, requested_by=qa)

    ReviewComment.objects.create(
        assessment=assessment,
        criterion_result=results[0],
        author=qa,
        body="ขอรายงานการประชุมฉบับที่ลงนามแล้ว",
    )
    staff.user_permissions.add(Permission.objects.get(codename="review_assessment"))
    Group.objects.create(name="ผู้บริหาร")
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Unit),
        object_id=str(unit.pk),
        object_repr=str(unit),
        action_flag=CHANGE,
        change_message="[]",
    )


def snapshot() -> dict[str, Any]:
    """Every backed-up row, field by field, and the SHA-256 of every stored file.

    Content types and permissions by natural key (their ids differ between
    databases), many-to-many lists sorted (their order is the database's).
    """
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in backup_models():
        objects = serializers.serialize(
            "python",
            model._base_manager.order_by("pk"),
            use_natural_foreign_keys=uses_natural_keys(model),
        )
        for obj in objects:
            for m2m in model._meta.many_to_many:
                if m2m.name in obj["fields"]:
                    obj["fields"][m2m.name] = sorted(obj["fields"][m2m.name], key=repr)
        rows[model._meta.label_lower] = objects
    files = {}
    for name in stored_file_names(backup_models()):
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                files[name] = hashlib.sha256(handle.read()).hexdigest()
    # Through JSON, as the test reads it: datetimes keep their microseconds in str().
    return json.loads(json.dumps({"rows": rows, "files": files}, default=str))


def snapshot_to(path: str) -> None:
    Path(path).write_text(json.dumps(snapshot(), ensure_ascii=False), encoding="utf-8")


def new_ids_to(path: str) -> None:
    """Rows added after a restore, with the ids the database gave them."""
    unit = Unit.objects.create(name="หน่วยงานใหม่หลังกู้คืน", evidence_prefix="ใหม่")
    meeting = Meeting.objects.create(
        unit=unit, body="คณะกรรมการ", number="1/2564", date="2021-01-05"
    )
    user = get_user_model().objects.create_user(username="after-restore")
    ids = {"indicators.unit": unit.pk, "evidence.meeting": meeting.pk, "auth.user": user.pk}
    Path(path).write_text(json.dumps(ids), encoding="utf-8")
