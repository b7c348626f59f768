"""Report downloads and the background report jobs (the PDFs come from reports/pdf.py)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from indicators.access import (
    get_assessment_for_user,
    get_cycle_for_user,
    get_report_job_for_user,
    get_unit_for_user,
)
from indicators.http import AuthenticatedHttpRequest, without_page_csp
from indicators.models import ReportJob
from indicators.reports import pdf
from indicators.reports.jobs import report_job_start


def _pdf_response(request: HttpRequest, report: pdf.ReportFile) -> HttpResponse:
    """Opens in the browser; ?download=1 saves it under its Thai name."""
    response = HttpResponse(report.content, content_type=report.mimetype)
    attachment = request.GET.get("download") == "1"
    # As FileResponse does: the header is None only without a filename to name.
    if disposition := content_disposition_header(attachment, report.filename):
        response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _wants_justify(request: HttpRequest) -> bool:
    """?justify=1: Thai distributed justification, as official documents set it."""
    return request.GET.get("justify") == "1"


@without_page_csp
@require_GET
@login_required
def assessment_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk).assessment
    report = pdf.indicator_report(assessment=assessment, justify=_wants_justify(request))
    return _pdf_response(request, report)


@without_page_csp
@require_GET
@login_required
def unit_sar_pdf(request: AuthenticatedHttpRequest, unit_pk: int, cycle_pk: int) -> HttpResponse:
    unit = get_unit_for_user(request, unit_pk).unit
    cycle = get_cycle_for_user(request, cycle_pk)
    report = pdf.unit_sar_report(unit=unit, cycle=cycle, justify=_wants_justify(request))
    return _pdf_response(request, report)


@require_http_methods(["GET", "POST"])
@login_required
def university_pdf(request: AuthenticatedHttpRequest, cycle_pk: int) -> HttpResponse:
    """Reports across units: started here, made by the worker, followed on the job page."""
    cycle = get_cycle_for_user(request, cycle_pk, all_units=True)
    if request.method == "POST":
        kind = request.POST.get("kind", ReportJob.Kind.UNIVERSITY)
        if kind not in ReportJob.Kind.values:
            kind = ReportJob.Kind.UNIVERSITY
        job = report_job_start(kind=kind, cycle=cycle, by=request.user)
        return redirect(job)
    jobs = ReportJob.objects.filter(cycle=cycle, requested_by=request.user)[:10]
    context = {"cycle": cycle, "jobs": jobs, "kinds": ReportJob.Kind.choices}
    return render(request, "indicators/reports/university_page.html", context)


@require_GET
@login_required
def report_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_report_job_for_user(request, pk)
    template = "indicators/reports/_job_progress.html" if request.htmx else None
    return render(request, template or "indicators/reports/job.html", {"job": job})


@require_POST
@login_required
def report_job_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A failed job asked for again: a new job, by whoever may ask for the original."""
    job = get_report_job_for_user(request, pk)
    cycle = get_cycle_for_user(request, job.cycle_id, all_units=True)
    if job.status != ReportJob.Status.FAILED:
        return redirect(job)
    return redirect(report_job_start(kind=job.kind, cycle=cycle, by=request.user))


@without_page_csp
@require_GET
@login_required
def report_job_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    job = get_report_job_for_user(request, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    handle = job.file.open("rb")
    return FileResponse(handle, as_attachment=True, filename=job.filename)
