from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # Until the staff pages land, the home page is the admin.
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
    path("", include("indicators.urls")),
    path("evidence/", include("evidence.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
