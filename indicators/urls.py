from django.urls import path

from . import review_views, views, views_reports

app_name = "indicators"

urlpatterns = [
    path("assessments/<int:pk>/review/", review_views.review, name="review"),
    path("assessments/<int:pk>/history/", review_views.history, name="history"),
    *[
        path(
            f"assessments/<int:pk>/{action}/",
            review_views.assessment_transition,
            {"action": action},
            name=f"assessment_{action}",
        )
        for action in review_views.TRANSITIONS
    ],
    path("assessments/<int:pk>/comments/", review_views.comment_add, name="comment_add"),
    path("comments/<int:pk>/reply/", review_views.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/resolve/", review_views.comment_resolve, name="comment_resolve"),
    path("evidence-items/<int:pk>/review/", review_views.review_item, name="review_item"),
    path("results/<int:pk>/committee/", review_views.committee_met, name="committee_met"),
    path("dashboard/", review_views.dashboard, name="dashboard"),
    path("dashboard/<int:cycle_pk>/", review_views.dashboard, name="dashboard"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/details/", views.assessment_details, name="assessment_details"),
    path("results/<int:pk>/narrative/", views.result_narrative, name="result_narrative"),
    path("results/<int:pk>/met/", views.result_met, name="result_met"),
]

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
