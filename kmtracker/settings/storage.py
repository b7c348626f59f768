"""Where uploaded evidence and made reports are kept: the local disk (one machine), or
S3-compatible object storage through django-storages, shared by every app instance and
report worker (README, "Several machines")."""

from typing import Any

# Reading a stored file (a download, the evidence ZIP, a backup) copies the object into a
# temporary file first: up to this size in memory, larger ones on disk in
# FILE_UPLOAD_TEMP_DIR (django-storages' default, 0, would keep every size in memory).
S3_MAX_MEMORY_SIZE = 5 * 1024 * 1024


def s3_storage(*, bucket: str, endpoint_url: str | None, region: str | None) -> dict[str, Any]:
    """The default storage on a bucket. Credentials come the standard AWS way
    (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile or the machine's role)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # None: AWS itself; an address for MinIO, Ceph, or moto in the tests.
            "endpoint_url": endpoint_url,
            "region_name": region,
            # Objects carry no ACL of their own: they are as private as the bucket
            # (keep "block public access" on). A canned "private" ACL is refused by
            # buckets with ACLs disabled, AWS's default since 2023.
            "default_acl": None,
            # The app never hands out bucket URLs (files go through its permission-checked
            # views); if anything asked, it would get a signed, expiring one.
            "querystring_auth": True,
            # A taken name gets another one, as on disk: a save never replaces a file
            # that a row points to, and restore notices a name already taken.
            "file_overwrite": False,
            "max_memory_size": S3_MAX_MEMORY_SIZE,
        },
    }
