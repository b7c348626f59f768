from pathlib import Path

import pytest


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    """A fresh, empty file storage for one test, to see exactly what was written."""
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]
