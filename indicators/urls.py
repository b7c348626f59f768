from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/details/", views.assessment_details, name="assessment_details"),
    path("results/<int:pk>/narrative/", views.result_narrative, name="result_narrative"),
    path("results/<int:pk>/met/", views.result_met, name="result_met"),
]
