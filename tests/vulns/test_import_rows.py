"""The import's INSERT binds only the columns it fills; the database fills the others."""

import io

import pytest
from django.db import connection

from ramparts.vulns.importing import rows
from ramparts.vulns.models import Finding
from ramparts.vulns.services import scan_import
from tests.vulns._synth import trivy_doc

pytestmark = pytest.mark.django_db
LEFT_TO_DATABASE = {
    "reopened_count": 0,
    "triage_reason": "",
    "fixed_at": None,
    "assignee_id": None,
    "accepted_until": None,
}


def test_columns_the_import_does_not_fill_are_not_bound_and_get_their_default(admin_user, unit_a):
    columns = rows.insert_sql().split(" VALUES ")[0]
    for name in LEFT_TO_DATABASE:
        assert connection.ops.quote_name(name) not in columns
    assert rows.defaults() == ()
    scan_import(actor=admin_user, stream=io.BytesIO(trivy_doc(3)), filename="t.json")
    stored = Finding.objects.values(*LEFT_TO_DATABASE)
    assert len(stored) == 3 and all(row == LEFT_TO_DATABASE for row in stored)
