"""Reports and evidence bundles: asked for here, made by the background worker
(indicators/reports/jobs.py), followed on the job page, downloaded as a file."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from indicators.access import (
    get_assessment_for_user,
    get_cycle_for_user,
    get_report_job_for_user,
    get_unit_for_user,
)
from indicators.http import AuthenticatedHttpRequest, without_page_csp
from indicators.models import ReportJob
from indicators.reports.freshness import report_job_is_outdated
from indicators.reports.jobs import report_job_start


def _wants_justify(request: HttpRequest) -> bool:
    """justify=1: Thai distributed justification, as official documents set it."""
    return request.POST.get("justify") == "1"


def _wants_word(request: HttpRequest) -> bool:
    """format=docx: the same report as a Word file to edit."""
    return request.POST.get("format") == "docx"


@require_POST
@login_required
def assessment_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk).assessment
    kind = ReportJob.Kind.INDICATOR_DOCX if _wants_word(request) else ReportJob.Kind.INDICATOR
    job = report_job_start(
        kind=kind,
        cycle=assessment.indicator.cycle,
        assessment=assessment,
        justify=_wants_justify(request),
        by=request.user,
    )
    return redirect(job)


@require_POST
@login_required
def unit_sar_pdf(request: AuthenticatedHttpRequest, unit_pk: int, cycle_pk: int) -> HttpResponse:
    unit = get_unit_for_user(request, unit_pk).unit
    cycle = get_cycle_for_user(request, cycle_pk)
    kind = ReportJob.Kind.UNIT_SAR_DOCX if _wants_word(request) else ReportJob.Kind.UNIT_SAR
    job = report_job_start(
        kind=kind,
        cycle=cycle,
        unit=unit,
        justify=_wants_justify(request),
        by=request.user,
    )
    return redirect(job)


@require_POST
@login_required
def unit_committee_report(
    request: AuthenticatedHttpRequest, unit_pk: int, cycle_pk: int
) -> HttpResponse:
    """The committee's report of the unit: its scores beside the unit's, the comments;
    format=docx makes it a Word file for the committee to edit."""
    unit = get_unit_for_user(request, unit_pk).unit
    cycle = get_cycle_for_user(request, cycle_pk)
    kind = ReportJob.Kind.COMMITTEE_DOCX if _wants_word(request) else ReportJob.Kind.COMMITTEE
    job = report_job_start(kind=kind, cycle=cycle, unit=unit, by=request.user)
    return redirect(job)


@require_POST
@login_required
def unit_bundle(request: AuthenticatedHttpRequest, unit_pk: int, cycle_pk: int) -> HttpResponse:
    """The unit's evidence of a cycle as one ZIP (evidence/bundle.py), made by the worker."""
    unit = get_unit_for_user(request, unit_pk).unit
    cycle = get_cycle_for_user(request, cycle_pk)
    job = report_job_start(kind=ReportJob.Kind.BUNDLE, cycle=cycle, unit=unit, by=request.user)
    return redirect(job)


@require_http_methods(["GET", "POST"])
@login_required
def university_pdf(request: AuthenticatedHttpRequest, cycle_pk: int) -> HttpResponse:
    """Reports across units: started here, made by the worker, followed on the job page."""
    cycle = get_cycle_for_user(request, cycle_pk, all_units=True)
    if request.method == "POST":
        kind = request.POST.get("kind", ReportJob.Kind.UNIVERSITY)
        if kind not in ReportJob.CYCLE_KINDS:
            kind = ReportJob.Kind.UNIVERSITY
        job = report_job_start(kind=kind, cycle=cycle, by=request.user)
        return redirect(job)
    jobs = ReportJob.objects.filter(
        cycle=cycle, requested_by=request.user, kind__in=ReportJob.CYCLE_KINDS
    )[:10]
    kinds = [(kind.value, kind.label) for kind in ReportJob.CYCLE_KINDS]
    context = {"cycle": cycle, "jobs": jobs, "kinds": kinds}
    return render(request, "indicators/reports/university_page.html", context)


@require_GET
@login_required
def report_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The job page; htmx polls its progress part. A single unit's PDF opens by itself
    when it is ready, as the print buttons did when they rendered in the request."""
    job = get_report_job_for_user(request, pk)
    context = {"job": job, "outdated": report_job_is_outdated(job)}
    if not request.htmx:
        return render(request, "indicators/reports/job.html", context)
    response = render(request, "indicators/reports/_job_progress.html", context)
    if job.status == ReportJob.Status.DONE and job.of_unit and job.is_pdf:
        download = reverse("indicators:report_job_download", args=[job.pk])
        response["HX-Redirect"] = f"{download}?inline=1"
    return response


@require_POST
@login_required
def report_job_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A failed job, or one made before its data changed, asked for again: a new job, by
    whoever may see the original."""
    job = get_report_job_for_user(request, pk)
    if job.status != ReportJob.Status.FAILED and not report_job_is_outdated(job):
        return redirect(job)
    again = report_job_start(
        kind=job.kind,
        cycle=job.cycle,
        unit=job.unit,
        assessment=job.assessment,
        justify=job.justify,
        by=request.user,
    )
    return redirect(again)


@without_page_csp
@require_GET
@login_required
def report_job_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The made file, as a file response; ?inline=1 opens a PDF in the browser."""
    job = get_report_job_for_user(request, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = job.is_pdf and request.GET.get("inline") == "1"
    response = FileResponse(
        handle, as_attachment=not inline, filename=job.filename, content_type=job.mimetype
    )
    response["Cache-Control"] = "private, no-cache"
    return response
