from django.urls import path

from evidence.views import files, items, records

app_name = "evidence"

urlpatterns = [
    # Evidence items under a criterion.
    path("results/<int:pk>/", items.result_evidence, name="result_evidence"),
    path("results/<int:pk>/add/", items.item_add, name="item_add"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/replace/", items.item_replace, name="item_replace"),
    path("items/<int:pk>/move/", items.item_move, name="item_move"),
    path("items/<int:pk>/remove/", items.item_remove, name="item_remove"),
    path("items/<int:pk>/links/", records.item_links, name="item_links"),
    # Files: a document and its thumbnail (a unit's bundle is a report job).
    path("documents/<int:pk>/", files.document_download, name="document_download"),
    path("documents/<int:pk>/thumbnail/", files.document_thumbnail, name="document_thumbnail"),
    # A unit's records: meetings, people and target groups, KM activities, topics.
    path("records/<int:unit_pk>/", records.records, name="records"),
    path("records/<int:unit_pk>/meetings/", records.meeting_list, name="meeting_list"),
    path("records/<int:unit_pk>/meetings/add/", records.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/", records.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", records.meeting_delete, name="meeting_delete"),
    path("records/<int:unit_pk>/people/", records.people, name="people"),
    path("records/<int:unit_pk>/people/add/", records.person_add, name="person_add"),
    path("people/<int:pk>/", records.person_edit, name="person_edit"),
    path(
        "records/<int:unit_pk>/target-groups/add/",
        records.target_group_add,
        name="target_group_add",
    ),
    path("target-groups/<int:pk>/", records.target_group_edit, name="target_group_edit"),
    path("records/<int:unit_pk>/activities/", records.activity_list, name="activity_list"),
    path("records/<int:unit_pk>/activities/add/", records.activity_add, name="activity_add"),
    path("activities/<int:pk>/", records.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", records.activity_delete, name="activity_delete"),
    path("records/<int:unit_pk>/topics/", records.topic_list, name="topic_list"),
    path("records/<int:unit_pk>/topics/add/", records.topic_add, name="topic_add"),
    path("topics/<int:pk>/", records.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/rename/", records.topic_rename, name="topic_rename"),
]
