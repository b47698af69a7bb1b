"""The Django admin, when enabled, is audited like every other channel and cannot edit the trail."""

import json

import pytest
from django.contrib.admin import AdminSite
from django.test import RequestFactory

from ramparts.core.admin import ApiTokenAdmin, AuditEntryAdmin, BusinessUnitAdmin, UserAdmin
from ramparts.core.context import Channel, acting
from ramparts.core.models import ApiToken, AuditEntry, BusinessUnit, User
from ramparts.core.roles import Role
from tests.security.helpers import run_python


@pytest.fixture
def admin_request(admin_user):
    admin_user.is_staff = admin_user.is_superuser = True  # as users.user_create makes administrators
    admin_user.save()
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    return request


def _save(model_admin, request, obj, data, change):
    form = model_admin.get_form(request, obj, change=change)(data, instance=obj)
    assert form.is_valid(), form.errors
    saved = form.save(commit=False)
    with acting(Channel.ADMIN, ip="192.0.2.99"):
        model_admin.save_model(request, saved, form, change)
        model_admin.save_related(request, form, [], change)
    return saved


def test_admin_user_change_is_audited(admin_request, make_user, unit_a, unit_b):
    account = make_user(Role.ANALYST)
    model_admin = UserAdmin(User, AdminSite())
    data = {"username": account.username, "role": "auditor", "business_units": [unit_b.pk], "is_active": "on"}
    _save(model_admin, admin_request, account, data, change=True)
    entries = list(AuditEntry.objects.filter(object_type="core.user", object_id=str(account.pk)).order_by("seq"))
    assert [e.changes for e in entries] == [
        {"role": ["analyst", "auditor"]},
        {"business_units": [["Retail Banking"], ["Wealth Management"]]},
    ]
    assert {(e.channel, e.ip, e.actor_label) for e in entries} == {("admin", "192.0.2.99", "admin")}


def test_admin_create_and_delete_are_audited(admin_request):
    model_admin = BusinessUnitAdmin(BusinessUnit, AdminSite())
    unit = _save(model_admin, admin_request, None, {"code": "ops", "name": "Operations"}, change=False)
    with acting(Channel.ADMIN):
        model_admin.delete_queryset(admin_request, BusinessUnit.objects.filter(pk=unit.pk))
    actions = list(
        AuditEntry.objects.filter(object_type="core.businessunit").order_by("seq").values_list("action", "channel")
    )
    assert actions == [("create", "admin"), ("delete", "admin")]


def test_admin_created_user_has_no_usable_password(admin_request):
    model_admin = UserAdmin(User, AdminSite())
    user = _save(model_admin, admin_request, None, {"username": "viaadmin", "role": "analyst"}, change=False)
    assert not user.has_usable_password()


def test_audit_trail_and_tokens_are_read_only_in_the_admin(admin_request):
    for model_admin in (AuditEntryAdmin(AuditEntry, AdminSite()), ApiTokenAdmin(ApiToken, AdminSite())):
        assert not model_admin.has_add_permission(admin_request)
        assert not model_admin.has_change_permission(admin_request)
        assert not model_admin.has_delete_permission(admin_request)
    assert "key_hash" in ApiTokenAdmin.exclude


def test_admin_site_is_wired_when_enabled(tmp_path):
    code = """
import json, django
django.setup()
from django.contrib import admin
from django.urls import resolve
print(json.dumps({"models": sorted(m._meta.label for m in admin.site._registry),
                  "url": resolve("/admin/").app_name}))
"""
    env = {
        "DJANGO_SETTINGS_MODULE": "ramparts.settings",
        "RAMPARTS_SECRET_KEY": "k" * 50,
        "RAMPARTS_DATA_DIR": str(tmp_path),
        "RAMPARTS_ADMIN_ENABLED": "1",
    }
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"core.User", "core.AuditEntry", "core.ApiToken", "core.BusinessUnit"} <= set(out["models"])
    assert out["url"] == "admin"


def test_admin_pages_are_audited_end_to_end(admin_user, client):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        "/admin/core/businessunit/add/", {"code": "legal", "name": "Legal"}, REMOTE_ADDR="192.0.2.44"
    )
    assert response.status_code == 302, response.content[:500]
    entry = AuditEntry.objects.filter(object_type="core.businessunit").get()
    assert (entry.action, entry.channel, entry.ip, entry.actor_label) == ("create", "admin", "192.0.2.44", "admin")
    assert entry.changes == {"code": [None, "legal"], "name": [None, "Legal"]}
    # The trail cannot be changed from the admin.
    assert client.post(f"/admin/core/auditentry/{entry.seq}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(seq=entry.seq).exists()
