"""The two file storages that the evidence and report tests run on: the local disk, and
S3-compatible object storage through django-storages, served by moto's S3 in server mode
on 127.0.0.1 (no other network). The fixtures are in tests/conftest.py."""

import logging
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from django.core.files.storage import Storage
from moto.server import ThreadedMotoServer

# moto accepts any credentials; the app reads them the standard AWS way (environment).
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "kmt-test", "AWS_SECRET_ACCESS_KEY": "kmt-test-secret"}
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class S3Server:
    """moto's S3 running in a thread of the test process."""

    endpoint_url: str

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def new_bucket(self) -> str:
        """An empty bucket of its own for one test (or one instance of a subprocess test)."""
        name = f"kmt-test-{uuid.uuid4().hex[:20]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        """What the bucket holds, asked of the server itself rather than the app's storage."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(entry["Key"] for page in pages for entry in page.get("Contents", ()))

    def environ(self, bucket: str) -> dict[str, str]:
        """What an instance run as `manage.py` needs to keep its files in the bucket
        (README, Configuration)."""
        return {
            "KMT_S3_BUCKET": bucket,
            "KMT_S3_ENDPOINT_URL": self.endpoint_url,
            "KMT_S3_REGION": REGION,
            **CREDENTIALS,
        }


def start_s3_server() -> tuple[ThreadedMotoServer, S3Server]:
    # One line per request from werkzeug would drown pytest's output.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, S3Server(f"http://127.0.0.1:{port}")


@dataclass(frozen=True)
class StoredFiles:
    """The storage a test runs on ("disk" or "s3"), and what it holds, read through the
    storage's own API as the app reads it."""

    kind: str
    storage: Storage
    root: Path | None = None  # the folder, on the local disk
    bucket: str | None = None  # the bucket, on S3

    def names(self, folder: str = "") -> list[str]:
        folders, files = self.storage.listdir(folder)
        prefix = f"{folder}/" if folder else ""
        found = [prefix + name for name in files]
        for sub in folders:
            found += self.names(prefix + sub)
        return sorted(found)

    def read(self, name: str) -> bytes:
        with self.storage.open(name, "rb") as handle:
            return bytes(handle.read())
