"""The data version: one number that moves on every committed change to what pages show."""

from django.db import models


class DataVersion(models.Model):
    """A single row (pk 1), raised by indicators/data_version.py after each transaction
    that wrote to a table the pages show; rendered parts of pages are kept under it."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return str(self.value)
