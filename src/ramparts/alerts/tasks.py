"""Background work of the alerts module."""

from django.db.models import Q
from django.tasks import task

from ramparts.core.context import Channel, acting


@task()
def announce_task(alert_ids: list[int]) -> int:
    """Tell the unit's analysts and security managers about alerts that opened a new high or
    critical group (event "alerts.received"; each person chooses in-app and/or e-mail)."""
    from ramparts.alerts.models import Alert
    from ramparts.core.models import User
    from ramparts.notifications.services import notify

    sent = 0
    with acting(Channel.TASK, principal="alerts"):
        for alert in Alert.objects.filter(pk__in=alert_ids).select_related("source"):
            people = User.objects.filter(is_active=True).filter(
                Q(role="admin")
                | Q(role__in=["security_manager", "analyst"])
                & (Q(all_units=True) | Q(business_units=alert.business_unit_id))
            )
            notify(
                event="alerts.received",
                recipients=people.distinct(),
                subject=f"{alert.severity.capitalize()} alert {alert.ref}: {alert.title}"[:300],
                body=" · ".join(v for v in (alert.source.name, alert.host, alert.ip, alert.user, alert.technique) if v),
                link=f"/alerts/{alert.ref}/",
                payload={"alert": alert.ref, "severity": alert.severity, "source": alert.source.slug},
            )
            sent += 1
    return sent
