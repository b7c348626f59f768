from django.urls import path

from . import views_reports

app_name = "indicators"

urlpatterns: list = []

# Reports (PDF) and background report jobs.
urlpatterns += [
    path("assessments/<int:pk>/sar.pdf", views_reports.assessment_pdf, name="assessment_pdf"),
    path(
        "units/<int:unit_pk>/cycles/<int:cycle_pk>/sar.pdf",
        views_reports.unit_sar_pdf,
        name="unit_sar_pdf",
    ),
    path("cycles/<int:cycle_pk>/reports/", views_reports.university_pdf, name="university_pdf"),
    path("reports/jobs/<int:pk>/", views_reports.report_job, name="report_job"),
    path(
        "reports/jobs/<int:pk>/download/",
        views_reports.report_job_download,
        name="report_job_download",
    ),
]
