import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .security import client_ip, who
from .views import service_unavailable

refusals = logging.getLogger("kmtracker.security.refusal")
availability = logging.getLogger("kmtracker.availability")


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Thai unless the user picked English with the language switch.

    Django's own middleware follows the browser's Accept-Language, but many
    Thai staff run English-language browsers and still expect the Thai UI that
    their SAR is written in; only the switch's cookie changes the language.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RefusalLogMiddleware:
    """Logs every refusal a view raises, with who, where and the reason given.

    The access helpers raise PermissionDenied (with the Thai reason) or Http404
    (another unit's data is "not found"); logging them here keeps the helpers
    free of logging and misses none. A URL that matches no page is not a refusal
    and is left to django.request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            level, status = logging.WARNING, 403
        elif isinstance(exception, Http404):
            level, status = logging.INFO, 404
        else:
            return
        refusals.log(
            level,
            "refused %s %s %s to %s from %s: %s",
            status,
            request.method,
            request.path,
            who(request),
            client_ip(request),
            exception or "-",
        )


class DatabaseUnavailableMiddleware:
    """A database that cannot answer (down, or SQLite still locked after its wait)
    is a 503 "try again shortly", not a 500; the error is still logged in full."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        availability.error(
            "database unavailable for %s %s", request.method, request.path, exc_info=exception
        )
        return service_unavailable(request)
