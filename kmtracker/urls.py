from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from indicators.forms.accounts import (
    ThaiAuthenticationForm,
    ThaiPasswordResetForm,
    ThaiSetPasswordForm,
)
from indicators.views.home import home

from .health import healthz
from .views import LogoutView

urlpatterns = [
    path("", home, name="home"),
    path("", include("indicators.urls")),
    path("evidence/", include("evidence.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=ThaiAuthenticationForm,
            redirect_authenticated_user=True,
            extra_context={"university": settings.KMT_UNIVERSITY_NAME},
        ),
        name="login",
    ),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    # Django's own password reset, with Thai forms and the site's templates
    # (templates/registration/); the rest of django.contrib.auth.urls as they are.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=ThaiPasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=ThaiSetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
