"""Import, export and bulk edit pages, shared by every entity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ramparts.core.errors import Problem, ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.ui import domain_errors
from ramparts.inventory.importexport.export import inventory_export
from ramparts.inventory.importexport.files import FORMATS, read_table
from ramparts.inventory.models import lines
from ramparts.inventory.views import actions
from ramparts.inventory.views.common import DEPENDENCIES, ENTITIES, Entity

BY_SLUG = {e.slug: e for e in (*ENTITIES.values(), DEPENDENCIES)}


def _entity(slug: str) -> Entity:
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise Http404("No such inventory list.") from None


# --- import -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def import_view(request, entity: str):
    ent = _entity(entity)
    require(request.user, "inventory.import")
    columns = actions.columns(ent)
    context = {"entity": ent, "columns": columns.columns, "key": columns.key[0], "report": None, "errors": []}
    if request.method == "POST":
        dry_run = bool(request.POST.get("dry_run"))
        upload = request.FILES.get("file")
        context["dry_run"] = dry_run
        if upload is None:
            context["file_error"] = "Choose a CSV or XLSX file to import."
        else:
            context["filename"] = upload.name
            try:
                rows = read_table(upload.read(), filename=upload.name or "")
            except ValidationFailed as exc:
                context["errors"] = exc.problems or [Problem(exc.message)]
            else:
                report = actions.run_import(ent.slug, actor=request.user, rows=rows, dry_run=dry_run)
                context["report"] = report
                context["errors"] = report.errors
    status = 400 if context["errors"] or context.get("file_error") else 200
    return render(request, "inventory/import.html", context, status=status)


# --- export -------------------------------------------------------------------------------------


@login_required
@require_GET
@domain_errors
def export_view(request, entity: str, fmt: str):
    """The list as filtered on screen, in the same cells the import reads (so it re-imports unchanged)."""
    ent = _entity(entity)
    require(request.user, "inventory.export")
    if fmt not in FORMATS:
        raise Http404("Export formats: csv, xlsx, json.")
    filters = ent.filters.from_params(request.GET)
    data, content_type, _ = inventory_export(request.user, entity_slug=ent.slug, fmt=fmt, filters=filters)
    response = HttpResponse(data, content_type=content_type)
    filename = f"ramparts-{ent.slug}-{timezone.now():%Y%m%d-%H%M%S}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- bulk edit ----------------------------------------------------------------------------------

_BULK_FIELDS = ("business_unit", "owner", "environment", "lifecycle", "criticality")


@login_required
@require_POST
@domain_errors
def bulk_view(request, entity: str):
    ent = _entity(entity)
    if not ent.bulk_fields:
        raise Http404("This list has no bulk edit.")
    require(request.user, "inventory.change")
    refs = [r for r in request.POST.getlist("refs") if r]
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = ""
    cells = {
        name: request.POST[name].strip()
        for name in _BULK_FIELDS
        if name in ent.bulk_fields and request.POST.get(name, "").strip()
    }
    add_tag = request.POST.get("add_tag", "").strip() if "add_tag" in ent.bulk_fields else ""
    remove_tag = request.POST.get("remove_tag", "").strip() if "remove_tag" in ent.bulk_fields else ""
    if not refs:
        messages.warning(request, "Select at least one row first.")
    elif not (cells or add_tag or remove_tag):
        messages.warning(request, "Choose what to change for the selected rows.")
    else:
        try:
            changed = _bulk_apply(request, ent, refs, cells, add_tag, remove_tag)
        except ValidationFailed as exc:
            messages.error(request, f"Nothing was changed: {'; '.join(str(p) for p in exc.problems) or exc.message}")
        else:
            messages.success(request, f"{changed} of {len(refs)} selected {ent.plural.lower()} changed.")
    return redirect(back or f"inventory:{ent.key}_list")


def _bulk_apply(request, ent: Entity, refs: list[str], cells: dict, add_tag: str, remove_tag: str) -> int:
    """One bulk service call; tag edits group the rows by their resulting tag list (one call each)."""
    with transaction.atomic():
        if not (add_tag or remove_tag):
            return actions.bulk_update(ent, actor=request.user, refs=refs, cells=cells)
        groups: dict[str, list[str]] = {}
        for obj in ent.list_selector(request.user).filter(number__in=_numbers(refs)):
            tags = [t for t in lines(obj.tags) if t != remove_tag]
            if add_tag and add_tag not in tags:
                tags.append(add_tag)
            groups.setdefault("; ".join(tags), []).append(obj.ref)
        changed = 0
        for tags_cell, group in groups.items():
            changed += actions.bulk_update(ent, actor=request.user, refs=group, cells={**cells, "tags": tags_cell})
        return changed


def _numbers(refs: list[str]) -> list[int]:
    return [int(r.split("-", 1)[1]) for r in refs if "-" in r and r.split("-", 1)[1].isdigit()]
