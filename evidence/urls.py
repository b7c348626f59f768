from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("results/<int:pk>/", views.result_evidence, name="result_evidence"),
    path("results/<int:pk>/add/", views.item_add, name="item_add"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/replace/", views.item_replace, name="item_replace"),
    path("items/<int:pk>/move/", views.item_move, name="item_move"),
    path("items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("documents/<int:pk>/thumbnail/", views.document_thumbnail, name="document_thumbnail"),
]
