"""Acknowledgement reports: rates per policy and per department, and who is still missing."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ramparts.core.permissions import require
from ramparts.core.ui import csv_row, domain_errors, paginate
from ramparts.policies import selectors

MISSING_COLUMNS = ("person", "employee_id", "name", "email", "department", "business_unit", "account")


@login_required
@require_GET
@domain_errors
def overview(request):
    require(request.user, "policies.report")
    pagination = paginate(request, selectors.overview_policies(request.user), default_size=25)
    page = list(pagination.page.object_list)
    rates = selectors.rates_for(request.user, page)
    rows = [(policy, rates[policy.pk]) for policy in page]
    return render(request, "policies/report_overview.html", {"pagination": pagination, "rows": rows})


@login_required
@require_GET
@domain_errors
def policy_report(request, ref: str):
    user = request.user
    policy = selectors.report_policy_get(user, ref=ref)
    departments = selectors.department_rates(user, policy)
    addressed = sum(d.rate.addressed for d in departments)
    acknowledged = sum(d.rate.acknowledged for d in departments)
    pagination = paginate(request, selectors.missing_people(user, policy))
    context = {
        "policy": policy,
        "departments": departments,
        "addressed": addressed,
        "acknowledged": acknowledged,
        "percent": round(100.0 * acknowledged / addressed, 1) if addressed else None,
        "pagination": pagination,
        "missing": pagination.page.object_list,
    }
    return render(request, "policies/report.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def missing_rows(people):
    yield list(MISSING_COLUMNS)
    for person in people.iterator(chunk_size=2000):
        yield csv_row(
            [
                person.ref,
                person.employee_id,
                person.full_name,
                person.email,
                person.department,
                person.business_unit.name,
                person.user.username if person.user else "",
            ]
        )


@login_required
@require_GET
@domain_errors
def missing_csv(request, ref: str):
    policy = selectors.report_policy_get(request.user, ref=ref)
    writer = csv.writer(_Echo())
    people = selectors.missing_people(request.user, policy)
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in missing_rows(people)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{policy.ref}-missing-{stamp}.csv"'
    return response
