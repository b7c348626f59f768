from django.urls import path

from . import views_bundle

app_name = "evidence"

urlpatterns: list = []

# The evidence bundle (ZIP of a unit's evidence for one cycle).
urlpatterns += [
    path(
        "units/<int:unit_pk>/cycles/<int:cycle_pk>/bundle.zip",
        views_bundle.bundle,
        name="bundle",
    ),
]
