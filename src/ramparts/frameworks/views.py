"""Web pages of the frameworks module: thin adapters over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.ui import domain_errors, paginate
from ramparts.frameworks import selectors, services
from ramparts.frameworks.models import Framework, Requirement
from ramparts.frameworks.services.mappings import INVERSE


def _flag(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@login_required
@domain_errors
@require_GET
def framework_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    qs = selectors.framework_list(request.user, q=q, kind=kind)
    services.builtin_install()
    pagination = paginate(request, qs)
    return render(
        request,
        "frameworks/list.html",
        {"pagination": pagination, "rows": pagination.page.object_list, "q": q, "kind": kind,
         "kinds": Framework.Kind.choices, "filtered": bool(q or kind)},
    )  # fmt: skip


@login_required
@domain_errors
@require_GET
def framework_detail(request, slug: str):
    framework = selectors.framework_get(request.user, slug=slug)
    filters = selectors.RequirementFilters(
        q=request.GET.get("q", "").strip(),
        kind=request.GET.get("kind", ""),
        withdrawn=_flag(request.GET.get("withdrawn")),
        technique=request.GET.get("technique", "").strip(),
    )
    pagination = paginate(request, selectors.requirement_list(request.user, framework=framework, filters=filters))
    versions = Framework.objects.filter(name=framework.name).exclude(pk=framework.pk).order_by("version")
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "pagination": pagination,
            "rows": pagination.page.object_list,
            "filters": filters,
            "withdrawn": request.GET.get("withdrawn", ""),
            "kinds": Requirement.Kind.choices,
            "filtered": bool(filters.q or filters.kind or filters.technique or filters.withdrawn is not None),
            "versions": versions,
        },
    )


@login_required
@domain_errors
@require_GET
def requirement_detail(request, slug: str, identifier: str):
    framework = selectors.framework_get(request.user, slug=slug)
    requirement = selectors.requirement_get(request.user, framework=framework, identifier=identifier)
    relations = [(rel.target, rel.relationship, rel.origin) for rel in requirement.relations_out.all()]
    relations += [(rel.source, INVERSE[rel.relationship], rel.origin) for rel in requirement.relations_in.all()]
    return render(
        request,
        "frameworks/requirement.html",
        {
            "framework": framework,
            "requirement": requirement,
            "ancestors": selectors.requirement_ancestors(requirement),
            "relations": relations,
        },
    )


@login_required
@domain_errors
@require_GET
def framework_diff(request):
    old = selectors.framework_get(request.user, slug=request.GET.get("old", ""))
    new = selectors.framework_get(request.user, slug=request.GET.get("new", ""))
    return render(request, "frameworks/diff.html", {"diff": services.framework_diff(old=old, new=new)})


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def framework_import(request):
    require(request.user, "frameworks.import")
    context: dict = {"max_mb": services.MAX_FILE_BYTES // 2**20}
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("what", "framework")
        context["what"] = kind
        if upload is None:
            context["error"] = "Choose a file to upload."
        elif upload.size > services.MAX_FILE_BYTES:
            context["error"] = f"{upload.name}: the file is larger than {context['max_mb']} MB."
        else:
            data = upload.read()
            try:
                if kind == "mapping":
                    mapping = services.mapping_import(actor=request.user, name=upload.name, data=data)
                    messages.success(
                        request,
                        f"{mapping.origin}: {mapping.created} mappings created, {mapping.updated} updated, "
                        f"{mapping.unchanged} unchanged ({len(mapping.unmatched)} ids matched no requirement).",
                    )
                    return redirect("frameworks:list")
                result = services.framework_import(
                    actor=request.user,
                    name=upload.name,
                    data=data,
                    allow_unresolved=request.POST.get("allow_unresolved") == "1",
                )
                messages.success(request, f"Imported {result.framework} with {result.requirements} requirements.")
                return redirect("frameworks:detail", slug=result.framework.slug)
            except ValidationFailed as exc:
                context["error"], context["problems"] = exc.message, [str(p) for p in exc.problems]
            except Conflict as exc:
                context["error"] = str(exc)
        return render(request, "frameworks/import.html", context, status=400)
    return render(request, "frameworks/import.html", context)
