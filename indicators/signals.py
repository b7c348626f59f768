"""A report job's file (and a stored SAR part's) goes with its row, but only once the
deletion is committed."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ReportJob, SarPart


@receiver(post_delete, sender=ReportJob)
def delete_report_file(sender: type[ReportJob], instance: ReportJob, **kwargs: Any) -> None:
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=SarPart)
def delete_sar_part_file(sender: type[SarPart], instance: SarPart, **kwargs: Any) -> None:
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
