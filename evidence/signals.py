"""A document's files go with its row, but only once the deletion is committed."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Document


@receiver(post_delete, sender=Document)
def delete_document_files(sender: type[Document], instance: Document, **kwargs: Any) -> None:
    files = [field for field in (instance.file, instance.thumbnail) if field]
    storages_and_names = [(field.storage, field.name) for field in files]

    def remove() -> None:
        for storage, name in storages_and_names:
            storage.delete(name)

    transaction.on_commit(remove)
