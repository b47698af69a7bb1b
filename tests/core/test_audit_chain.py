from django.db import connection

from ramparts.core import audit
from ramparts.core.models import AuditEntry


def _write(n: int, actor=None) -> list[AuditEntry]:
    return audit.record_many(
        actor,
        [
            audit.Change(audit.Action.CREATE, "inventory.system", str(i), f"SYS-{i}", {"name": [None, f"s{i}"]})
            for i in range(1, n + 1)
        ],
    )


def test_intact_chain_verifies(db):
    _write(5)
    result = audit.verify()
    assert result.ok and result.checked == 5


def test_edited_entry_is_named(db):
    _write(5)
    with connection.cursor() as cur:
        cur.execute("UPDATE core_auditentry SET object_ref = 'SYS-999' WHERE seq = 3")
    result = audit.verify()
    assert not result.ok and result.first_broken_seq == 3
    assert "altered" in result.reason


def test_deleted_entry_is_named(db):
    _write(5)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditentry WHERE seq = 2")
    result = audit.verify()
    assert not result.ok and result.first_broken_seq == 3
    assert "missing" in result.reason


def test_deleted_tail_is_detected(db):
    _write(5)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditentry WHERE seq = 5")
    result = audit.verify()
    assert not result.ok and result.first_broken_seq == 5


def test_reordered_entries_are_detected(db):
    _write(4)
    with connection.cursor() as cur:
        # Swap the content of entries 2 and 3, keeping their sequence numbers.
        cur.execute("UPDATE core_auditentry SET object_id = 'tmp' WHERE seq = 2")
        cur.execute("UPDATE core_auditentry SET object_id = '2' WHERE seq = 3")
        cur.execute("UPDATE core_auditentry SET object_id = '3' WHERE seq = 2")
    result = audit.verify()
    assert not result.ok and result.first_broken_seq == 2


def test_orm_refuses_updates_and_deletes(db):
    (entry,) = _write(1)
    import pytest

    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(action="x")


def test_secrets_never_enter_the_trail():
    changes = audit.diff({"password": "a", "name": "x"}, {"password": "b", "name": "y"})
    assert changes == {"name": ["x", "y"]}


def test_large_batches_take_the_fast_insert_and_still_verify(db):
    entries = _write(120)
    stored = AuditEntry.objects.get(seq=entries[-1].seq)
    assert stored.at == entries[-1].at
    assert stored.changes == {"name": [None, "s120"]}
    assert stored.hash == entries[-1].hash
    assert audit.verify().ok and audit.verify().checked == 120
