from django.urls import path

from indicators.views import (
    assessments,
    assignments,
    dashboard,
    history,
    home,
    members,
    notifications,
    reports,
    review,
    sar_upload,
    setup,
    sheets,
)

app_name = "indicators"

urlpatterns = [
    # The unit's own pages.
    path("units/<int:pk>/", home.unit_detail, name="unit"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment"),
    path(
        "assessments/<int:pk>/details/", assessments.assessment_details, name="assessment_details"
    ),
    path("assessments/<int:pk>/owners/", assessments.assessment_owners, name="assessment_owners"),
    path("results/<int:pk>/owners/", assessments.result_owners, name="result_owners"),
    path("results/<int:pk>/narrative/", assessments.result_narrative, name="result_narrative"),
    path("results/<int:pk>/met/", assessments.result_met, name="result_met"),
    path("assessments/<int:pk>/import/", sar_upload.sar_upload, name="sar_upload"),
    # The workflow, the QA review and the history.
    path(
        "assessments/<int:pk>/submit/",
        review.assessment_transition,
        {"action": "submit"},
        name="assessment_submit",
    ),
    path(
        "assessments/<int:pk>/return/",
        review.assessment_transition,
        {"action": "return"},
        name="assessment_return",
    ),
    path(
        "assessments/<int:pk>/approve/",
        review.assessment_transition,
        {"action": "approve"},
        name="assessment_approve",
    ),
    path(
        "assessments/<int:pk>/reopen/",
        review.assessment_transition,
        {"action": "reopen"},
        name="assessment_reopen",
    ),
    path("assessments/<int:pk>/review/", review.review, name="review"),
    path("assessments/<int:pk>/comments/", review.comment_add, name="comment_add"),
    path("comments/<int:pk>/reply/", review.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/resolve/", review.comment_resolve, name="comment_resolve"),
    path("evidence-items/<int:pk>/review/", review.review_item, name="review_item"),
    path("results/<int:pk>/committee/", review.committee_met, name="committee_met"),
    path("assessments/<int:pk>/history/", history.history, name="history"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/read/",
        notifications.notification_mark_all_read,
        name="notifications_read",
    ),
    # The QA administrator's set-up of a cycle.
    path("cycles/<int:cycle_pk>/assignments/", assignments.assignments, name="assignments"),
    path("dashboard/<int:cycle_pk>/", dashboard.dashboard, name="dashboard_cycle"),
    # Reports (PDF) and evidence bundles (ZIP): each made by a background report job.
    path("assessments/<int:pk>/report/", reports.assessment_pdf, name="assessment_pdf"),
    path(
        "units/<int:unit_pk>/cycles/<int:cycle_pk>/report/",
        reports.unit_sar_pdf,
        name="unit_sar_pdf",
    ),
    path(
        "units/<int:unit_pk>/cycles/<int:cycle_pk>/committee/",
        reports.unit_committee_report,
        name="unit_committee_report",
    ),
    path(
        "units/<int:unit_pk>/cycles/<int:cycle_pk>/bundle/",
        reports.unit_bundle,
        name="unit_bundle",
    ),
    path("cycles/<int:cycle_pk>/reports/", reports.university_pdf, name="university_pdf"),
    path("reports/jobs/<int:pk>/", reports.report_job, name="report_job"),
    path("reports/jobs/<int:pk>/retry/", reports.report_job_retry, name="report_job_retry"),
    path(
        "reports/jobs/<int:pk>/download/", reports.report_job_download, name="report_job_download"
    ),
    # The QA administrator's imports from Excel and a unit's members.
    path(
        "cycles/<int:cycle_pk>/indicators/import/",
        sheets.indicator_set_import_page,
        name="indicator_set_import",
    ),
    path(
        "cycles/indicators/template.xlsx",
        sheets.indicator_set_template_download,
        name="indicator_set_template",
    ),
    path("units/import/", sheets.accounts_import_page, name="accounts_import"),
    path("units/import/template.xlsx", sheets.accounts_template_download, name="accounts_template"),
    path("units/<int:pk>/members/", members.unit_members, name="unit_members"),
    path("memberships/<int:pk>/role/", members.membership_role, name="membership_role"),
    path("memberships/<int:pk>/remove/", members.membership_delete, name="membership_remove"),
    path("memberships/<int:pk>/invite/", members.membership_invite, name="membership_invite"),
    # The QA administrator's setup: cycles, their indicator sets, indicators and criteria.
    path("setup/cycles/", setup.cycle_list, name="setup_cycles"),
    path("setup/cycles/add/", setup.cycle_add, name="setup_cycle_add"),
    path("setup/cycles/<int:pk>/", setup.cycle_detail, name="setup_cycle"),
    path("setup/cycles/<int:pk>/edit/", setup.cycle_edit, name="setup_cycle_edit"),
    path(
        "setup/cycles/<int:pk>/copy/",
        setup.indicator_set_copy_view,
        name="setup_indicator_set_copy",
    ),
    path("setup/cycles/<int:pk>/indicators/add/", setup.indicator_add, name="setup_indicator_add"),
    path("setup/indicators/<int:pk>/", setup.indicator_edit, name="setup_indicator"),
    path(
        "setup/indicators/<int:pk>/delete/",
        setup.indicator_delete_view,
        name="setup_indicator_delete",
    ),
    path(
        "setup/indicators/<int:pk>/criteria/add/",
        setup.criterion_add_view,
        name="setup_criterion_add",
    ),
    path("setup/criteria/<int:pk>/", setup.criterion_edit, name="setup_criterion"),
    path(
        "setup/criteria/<int:pk>/delete/",
        setup.criterion_delete_view,
        name="setup_criterion_delete",
    ),
    path("setup/criteria/<int:pk>/move/", setup.criterion_move_view, name="setup_criterion_move"),
]
