"""Scan upload page, import history and detail with a live progress bar (htmx polling)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ramparts.core.errors import DomainError, NotFound, ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.ui import domain_errors, paginate
from ramparts.vulns import parsers, services
from ramparts.vulns.importing.queries import (
    STATUSES,
    ImportFilters,
    scan_import_get,
    scan_import_list,
    scan_import_progress,
)


@login_required
@require_GET
@domain_errors
def import_list(request):
    filters = ImportFilters.from_params(request.GET)
    pagination = paginate(request, scan_import_list(request.user, filters))
    context = {
        "filters": filters,
        "pagination": pagination,
        "rows": pagination.page.object_list,
        "statuses": STATUSES,
        "formats": [f.name for f in parsers.formats()],
    }
    return render(request, "vulns/import_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def import_new(request):
    require(request.user, services.ACTION_IMPORT)
    form = {"format": "auto", "system": "", "create_system": False}
    error = ""
    status = 200
    if request.method == "POST":
        form = {
            "format": request.POST.get("format", "auto").strip() or "auto",
            "system": request.POST.get("system", "").strip()[:200],
            "create_system": request.POST.get("create_system") == "on",
        }
        upload = request.FILES.get("file")
        if upload is None:
            error, status = "file: choose a scan file to upload.", 400
        else:
            try:
                scan = services.scan_import_queue(
                    actor=request.user,
                    stream=upload,
                    filename=upload.name or "scan",
                    size=upload.size,
                    format=form["format"],
                    system=form["system"],
                    create_system=form["create_system"],
                )
            except (ValidationFailed, NotFound) as exc:
                error, status = str(exc), 400
            except DomainError:
                raise
            else:
                return redirect("vulns:import_detail", ref=scan.ref)
    context = {
        "form": form,
        "error": error,
        "formats": [(f.name, f.label) for f in parsers.formats()],
        "max_bytes": services.max_scan_bytes(),
    }
    return render(request, "vulns/import_new.html", context, status=status)


@login_required
@require_GET
@domain_errors
def import_detail(request, ref: str):
    scan = scan_import_get(request.user, ref=ref)
    context = {"scan": scan, "progress": scan_import_progress(scan)}
    template = "vulns/_import_progress.html" if request.headers.get("HX-Request") else "vulns/import_detail.html"
    return render(request, template, context)
