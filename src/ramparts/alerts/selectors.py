"""Reads of the alerts module; every query starts from visible_to(user) (business-unit scoping)."""

import ipaddress
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ramparts.alerts.models import Alert, AlertGroup, AlertSource, SuppressionRule
from ramparts.core.errors import NotFound
from ramparts.core.permissions import require, scope_to_units


def visible_to(user) -> QuerySet[Alert]:
    require(user, "alerts.view")
    return scope_to_units(user, Alert.objects.all())


def sources_visible_to(user) -> QuerySet[AlertSource]:
    require(user, "alerts.view")
    return scope_to_units(user, AlertSource.objects.select_related("business_unit"))


@dataclass
class AlertFilters:
    q: str = ""
    status: str = "open"  # "open" = new; "" = any
    severity: str = ""
    source: str = ""  # slug
    host: str = ""
    group: int | None = None


def alert_list(user, *, filters: AlertFilters | None = None) -> QuerySet[Alert]:
    f = filters or AlertFilters()
    qs = visible_to(user).select_related("source")
    if f.status == "open":
        qs = qs.filter(status=Alert.Status.NEW)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.source:
        qs = qs.filter(source__slug=f.source)
    if f.host:
        qs = qs.filter(host__iexact=f.host)
    if f.group:
        qs = qs.filter(group_id=f.group)
    if f.q:
        term = f.q.strip()
        if term.upper().startswith(f"{Alert.REF_PREFIX}-") and term[4:].isdigit():
            return qs.filter(pk=int(term[4:]))
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(host__icontains=term)
            | Q(ip__icontains=term)
            | Q(user__icontains=term)
            | Q(technique__icontains=term)
            | Q(source_ref=term)
            | Q(rule=term)
        )
    return qs


def alert_get(user, *, ref: str) -> Alert:
    prefix, _, number = ref.upper().partition("-")
    if prefix != Alert.REF_PREFIX or not number.isdigit():
        raise NotFound(f"No alert {ref}.")
    alert = (
        visible_to(user).select_related("source", "group", "suppressed_by", "triaged_by").filter(pk=int(number)).first()
    )
    if alert is None:
        raise NotFound(f"No alert {ref}.")
    return alert


def source_get(user, *, slug: str) -> AlertSource:
    source = sources_visible_to(user).filter(slug=slug).first()
    if source is None:
        raise NotFound(f"No alert source {slug}.")
    return source


def group_alerts(user, *, alert: Alert, limit: int = 50) -> list[Alert]:
    if alert.group_id is None:
        return []
    return list(visible_to(user).filter(group_id=alert.group_id).exclude(pk=alert.pk).select_related("source")[:limit])


def group_get(user, *, group_id: int) -> AlertGroup:
    group = AlertGroup.objects.filter(pk=group_id, source__in=sources_visible_to(user)).first()
    if group is None:
        raise NotFound("No such alert group.")
    return group


def suppression_list(user, *, active_only: bool = True) -> QuerySet[SuppressionRule]:
    from django.utils import timezone

    require(user, "alerts.view")
    qs = SuppressionRule.objects.select_related("source", "created_by").filter(
        Q(source__isnull=True) | Q(source__in=sources_visible_to(user))
    )
    return qs.filter(until__gt=timezone.now()) if active_only else qs


def suppression_get(user, *, rule_id: int) -> SuppressionRule:
    rule = suppression_list(user, active_only=False).filter(pk=rule_id).first()
    if rule is None:
        raise NotFound("No such suppression rule.")
    return rule


def _host_names(value: str) -> set[str]:
    names = set()
    for item in value.split(","):
        item = item.strip().lower()
        if not item:
            continue
        names.add(item)
        host, sep, port = item.rpartition(":")
        if sep and port.isdigit() and host and not _is_ip(item):
            names.add(host)  # "nw-sso-01:8080" (Prometheus instance) names nw-sso-01
        names.add(item.split(".")[0])  # a FQDN also matches its short name
    return names


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def matching_systems(user, alert: Alert) -> list:
    """Inventory systems, visible to the user, whose name, host names or IP addresses the alert names."""
    from ramparts.inventory.models import lines
    from ramparts.inventory.selectors import systems_visible_to

    names = _host_names(alert.host)
    ips = {v.strip() for v in alert.ip.split(",") if _is_ip(v.strip())}
    if not names and not ips:
        return []
    query = Q()
    for name in names:
        query |= Q(name__iexact=name) | Q(hostnames__icontains=name)
    for ip in ips:
        query |= Q(ip_addresses__contains=ip)
    found = []
    for system in systems_visible_to(user).filter(query)[:200]:
        system_names = {system.name.lower(), *(h.lower() for h in lines(system.hostnames))}
        system_names |= {h.split(".")[0] for h in system_names}
        if system_names & names or set(lines(system.ip_addresses)) & ips:
            found.append(system)
    return found
