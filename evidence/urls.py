from django.urls import path

from . import views, views_bundle, views_records

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

# A unit's records (meetings, people and target groups, KM activities, topics).
R = "records/<int:unit_pk>/"
urlpatterns += [
    path(R, views_records.records, name="records"),
    path(R + "meetings/", views_records.meeting_list, name="meeting_list"),
    path(R + "meetings/add/", views_records.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/", views_records.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views_records.meeting_delete, name="meeting_delete"),
    path(R + "people/", views_records.people, name="people"),
    path(R + "people/add/", views_records.person_add, name="person_add"),
    path("people/<int:pk>/", views_records.person_edit, name="person_edit"),
    path(R + "target-groups/add/", views_records.target_group_add, name="target_group_add"),
    path("target-groups/<int:pk>/", views_records.target_group_edit, name="target_group_edit"),
    path(R + "activities/", views_records.activity_list, name="activity_list"),
    path(R + "activities/add/", views_records.activity_add, name="activity_add"),
    path("activities/<int:pk>/", views_records.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views_records.activity_delete, name="activity_delete"),
    path(R + "topics/", views_records.topic_list, name="topic_list"),
    path(R + "topics/add/", views_records.topic_add, name="topic_add"),
    path("topics/<int:pk>/", views_records.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/rename/", views_records.topic_rename, name="topic_rename"),
    path("items/<int:pk>/links/", views_records.item_links, name="item_links"),
]

# The evidence bundle (ZIP of a unit's evidence for one cycle).
urlpatterns += [
    path(
        "units/<int:unit_pk>/cycles/<int:cycle_pk>/bundle.zip",
        views_bundle.bundle,
        name="bundle",
    ),
]
