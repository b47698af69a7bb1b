"""Web views of core: the home dashboard and the audit trail."""

import csv
import datetime as dt
import zoneinfo
from collections.abc import Iterator

import orjson
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ramparts.core import dashboard, personal
from ramparts.core.forms import AuditFilterForm
from ramparts.core.permissions import require, user_can
from ramparts.core.selectors import AuditFilters, audit_list
from ramparts.core.ui import csv_row, domain_errors, paginate


@login_required
def home(request):
    if not user_can(request.user, "dashboard.view"):
        context = {"person": _own_person(request.user), "items": personal.items_for(request.user)}
        return render(request, "core/home_personal.html", context)
    return render(request, "core/home.html", {"widgets": dashboard.widgets_for(request.user)})


def _own_person(user):
    """The person record linked to this account, if any: everyone may see their own."""
    from ramparts.inventory.models import Person

    return Person.objects.select_related("business_unit", "manager").filter(user=user).first()


def _user_zone(user) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(getattr(user, "time_zone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _audit_filters(request) -> tuple[AuditFilterForm, AuditFilters]:
    form = AuditFilterForm(request.GET or None, zone=_user_zone(request.user))
    return form, form.filters()


@login_required
@require_GET
@domain_errors
def audit_list_view(request):
    form, filters = _audit_filters(request)
    entries = audit_list(request.user, filters=filters)
    pagination = paginate(request, entries)
    context = {"form": form, "pagination": pagination, "entries": pagination.page.object_list}
    template = "core/audit_list.html#results" if request.htmx and not request.htmx.boosted else "core/audit_list.html"
    return render(request, template, context)


AUDIT_COLUMNS = ("seq", "at", "actor", "channel", "ip", "action", "object_type", "object_id", "object_ref", "changes")


def _audit_rows(entries) -> Iterator[list]:
    for e in entries.iterator(chunk_size=2000):
        yield [
            e.seq,
            e.at.astimezone(dt.UTC).isoformat(),
            e.actor_label,
            e.channel,
            e.ip,
            e.action,
            e.object_type,
            e.object_id,
            e.object_ref,
            orjson.dumps(e.changes, option=orjson.OPT_SORT_KEYS).decode(),
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
@domain_errors
def audit_export(request, fmt: str):
    require(request.user, "audit.export")
    _, filters = _audit_filters(request)
    entries = audit_list(request.user, filters=filters)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if fmt == "csv":
        writer = csv.writer(_Echo())
        body: Iterator = (
            writer.writerow(row) for row in _chain([list(AUDIT_COLUMNS)], (csv_row(r) for r in _audit_rows(entries)))
        )
        response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_lines(entries), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="ramparts-audit-{stamp}.{fmt}"'
    return response


def _chain(*iterables):
    for it in iterables:
        yield from it


def _json_lines(entries) -> Iterator[bytes]:
    """A JSON array, streamed entry by entry so a large trail never sits in memory."""
    yield b"["
    first = True
    for row in _audit_rows(entries):
        item = dict(zip(AUDIT_COLUMNS, row, strict=True))
        item["changes"] = orjson.loads(item["changes"])
        yield (b"" if first else b",\n") + orjson.dumps(item)
        first = False
    yield b"]\n"
