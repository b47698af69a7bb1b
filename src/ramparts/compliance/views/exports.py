from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from ramparts.compliance.exports.service import assessment_export, system_ssp
from ramparts.core.errors import ValidationFailed
from ramparts.core.ui import domain_errors


def attachment(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
@domain_errors
def assessment_download(request, ref: str, fmt: str):
    try:
        return attachment(*assessment_export(request.user, ref=ref, fmt=fmt))
    except ValidationFailed as exc:
        return bad_request(exc)


@login_required
@require_GET
@domain_errors
def ssp_download(request, ref: str):
    try:
        return attachment(*system_ssp(request.user, system_ref=ref, framework=request.GET.get("framework", "")))
    except ValidationFailed as exc:
        return HttpResponse(
            "; ".join(str(p) for p in exc.problems) or exc.message, status=400, content_type="text/plain"
        )


def bad_request(exc: ValidationFailed) -> HttpResponse:
    text = "; ".join(p.reason for p in exc.problems) or exc.message
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
