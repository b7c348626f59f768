"""The site's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from kmtracker.urls import urlpatterns as site_urlpatterns


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def database_locked(request: HttpRequest) -> HttpResponse:
    raise OperationalError("database is locked")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a forged request")


urlpatterns = [
    *site_urlpatterns,
    path("test/crash/", crash),
    path("test/database-locked/", database_locked),
    path("test/suspicious/", suspicious),
]
