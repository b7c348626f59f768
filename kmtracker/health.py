"""/healthz for the load balancer and the monitoring: can the app reach its data?

No login and no details in the answer (what failed is logged, not shown): 200 "ok",
or 503 naming what is down.
"""

import logging
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("kmtracker.health")
PROBE = b"kmtracker health probe"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health: the database does not answer")
        return False
    return True


def storage_ok() -> bool:
    """Writes, reads back and deletes a small file where the evidence is kept."""
    try:
        name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(PROBE))
        try:
            with default_storage.open(name, "rb") as probe:
                read_back = probe.read()
        finally:
            default_storage.delete(name)
    except Exception:  # any backend's error (OSError, botocore's): the check failed
        logger.exception("health: the file storage does not work")
        return False
    if read_back != PROBE:
        logger.error("health: the file storage gave back other bytes than were written")
        return False
    return True


CHECKS: dict[str, Callable[[], bool]] = {"database": database_ok, "storage": storage_ok}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    down = [name for name, check in CHECKS.items() if not check()]
    if down:
        body, status = "unavailable: " + ", ".join(down) + "\n", 503
    else:
        body, status = "ok\n", 200
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
