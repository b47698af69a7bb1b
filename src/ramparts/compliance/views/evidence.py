"""Evidence upload and download. Stored files are only ever served as attachments, with nosniff and
a sandboxing CSP, so that an uploaded HTML or SVG file can never run in the application's origin."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ramparts.compliance import selectors, services
from ramparts.compliance.forms import EvidenceForm
from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.ui import domain_errors, paginate

SANDBOX_CSP = "sandbox; default-src 'none'"


def evidence_headers(response, file_name: str) -> None:
    ascii_name = file_name.encode("ascii", "replace").decode().replace('"', "_").replace("\\", "_")
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"


def download_response(evidence) -> FileResponse:
    response = FileResponse(
        services.evidence_open(evidence), content_type=evidence.content_type or "application/octet-stream"
    )
    evidence_headers(response, evidence.file_name or f"{evidence.ref}.bin")
    return response


@login_required
@require_GET
@domain_errors
def evidence_list(request):
    pagination = paginate(request, selectors.evidence_list(request.user))
    return render(
        request, "compliance/evidence_list.html", {"pagination": pagination, "rows": pagination.page.object_list}
    )


@login_required
@require_GET
@domain_errors
def evidence_download(request, ref: str):
    evidence = selectors.evidence_get(request.user, ref=ref)
    if evidence.kind == evidence.Kind.LINK:
        return HttpResponseRedirect(evidence.url)
    return download_response(evidence)


@login_required
@require_POST
@domain_errors
def evidence_add(request):
    require(request.user, "compliance.evidence")
    form = EvidenceForm(request.POST, request.FILES)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            evidence = services.evidence_add(
                actor=request.user,
                title=data["title"],
                file=data["file"],
                url=data["url"] or "",
                description=data["description"],
                expires_on=data["expires_on"],
                control=data["control"] or None,
                assessment=data["assessment"] or None,
                requirement=data["requirement"] or None,
            )
        except (ValidationFailed, Conflict) as exc:
            problems = getattr(exc, "problems", None)
            messages.error(
                request, "Evidence not added: " + ("; ".join(p.reason for p in problems) if problems else str(exc))
            )
        else:
            messages.success(
                request,
                f"Evidence {evidence.ref} added (SHA-256 {evidence.sha256[:12]}…)"
                if evidence.sha256
                else f"Evidence {evidence.ref} added.",
            )
    else:
        messages.error(
            request, "Evidence not added: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        )
    return redirect(back or reverse("compliance:evidence_list"))
