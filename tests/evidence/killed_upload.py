"""Runs inside `manage.py shell -c` for test_killed_upload.py: an upload that stops
after its file is in the storage and before its transaction commits, and waits there
to be killed (SIGKILL, as when the OOM killer or a deploy takes the worker)."""

import sys
import time
from typing import Any

from django.core.files.base import ContentFile

from evidence.services import items
from tests.factories import CriterionResultFactory, pdf_bytes


def upload_and_wait() -> None:
    result = CriterionResultFactory()
    store = items.document_store

    def store_then_wait(**kwargs: Any) -> Any:
        outcome = store(**kwargs)
        # The parent reads this line, then kills us: the file is stored, the row is not.
        sys.stdout.write(f"STORED {outcome.document.file.name}\n")
        sys.stdout.flush()
        time.sleep(600)
        return outcome

    items.document_store = store_then_wait  # type: ignore[assignment]  # test only, in this process
    items.evidence_item_add_upload(
        result=result,
        upload=ContentFile(pdf_bytes("killed"), name="killed.pdf"),
        content_type="application/pdf",
        caption="never saved",
        by=None,
    )
