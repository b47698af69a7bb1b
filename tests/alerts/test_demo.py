import pytest

from ramparts.alerts.models import Alert, AlertSource, SuppressionRule

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_second_run_changes_nothing(admin_user, unit_a):
    from ramparts.alerts import demo
    from ramparts.inventory import services as inventory

    for i in range(20):
        inventory.system_create(
            actor=admin_user, business_unit=unit_a, name=f"demo-host-{i}", kind="server",
            hostnames=f"nw-host-{i:02d}.northwind.example", ip_addresses=f"10.0.0.{i + 1}",
        )  # fmt: skip
    lines = demo.load(seed=7)
    assert lines and "alerts:" in lines[0]
    counts = (AlertSource.objects.count(), Alert.objects.count(), SuppressionRule.objects.count())
    total = sum(Alert.objects.values_list("count", flat=True))
    assert counts[0] == 2 and counts[1] >= 50 and counts[2] == 1
    assert Alert.objects.filter(status="suppressed").exists()
    assert Alert.objects.filter(status="dismissed").exists()
    assert Alert.objects.exclude(group=None).exists()
    assert demo.load(seed=7) == []
    assert (AlertSource.objects.count(), Alert.objects.count(), SuppressionRule.objects.count()) == counts
    assert sum(Alert.objects.values_list("count", flat=True)) == total
