"""The Django admin (only when RAMPARTS_ADMIN_ENABLED): every save and delete is audited like any
other channel, the audit trail is read-only, and passwords and token secrets are not editable here."""

from django.contrib import admin
from django.db import transaction

from ramparts.core import audit
from ramparts.core.models import ApiToken, AuditEntry, BusinessUnit, User


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes through the admin leave the same field-level diff in the trail as the services do."""

    audited_fields: tuple[str, ...] | None = None

    def _snapshot(self, obj) -> dict:
        return audit.snapshot(obj, self.audited_fields)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = self._snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
            super().save_model(request, obj, form, change)
            after = self._snapshot(obj)
            changes = audit.diff(before, after) if change else audit.created(after)
            if changes:
                action = audit.Action.UPDATE if change else audit.Action.CREATE
                audit.record(
                    request.user, audit.Change(action, audit.object_type_of(obj), str(obj.pk), str(obj), changes)
                )

    def delete_model(self, request, obj):
        with transaction.atomic():
            before, pk, label = self._snapshot(obj), obj.pk, str(obj)
            super().delete_model(request, obj)
            audit.record(
                request.user,
                audit.Change(audit.Action.DELETE, audit.object_type_of(obj), str(pk), label, audit.deleted(before)),
            )

    def delete_queryset(self, request, queryset):
        # One audited delete per object, never a silent bulk delete.
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(BusinessUnit)
class BusinessUnitAdmin(AuditedModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    audited_fields = ("username", "email", "first_name", "last_name", "role", "all_units", "is_active", "time_zone")
    fields = ("username", "email", "first_name", "last_name", "role", "business_units", "all_units", "is_active")
    list_display = ("username", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "email", "first_name", "last_name")
    filter_horizontal = ("business_units",)

    def save_model(self, request, obj, form, change):
        obj.is_staff = obj.is_superuser = obj.role == "admin"
        if not change:
            obj.set_unusable_password()  # set one from the Users page: it checks the password policy
        request._audit_units_before = sorted(str(u) for u in obj.business_units.all()) if change else []
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            obj = form.instance
            before = getattr(request, "_audit_units_before", [])
            after = sorted(str(u) for u in obj.business_units.all())
            if before != after:
                audit.record(
                    request.user,
                    audit.Change(
                        audit.Action.UPDATE, "core.user", str(obj.pk), obj.username, {"business_units": [before, after]}
                    ),
                )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "actor_label", "channel", "ip", "action", "object_type", "object_ref")
    list_filter = ("channel", "action", "object_type")
    search_fields = ("object_ref", "actor_label")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "prefix", "scopes", "created_at", "expires_at", "revoked_at", "last_used_at")
    exclude = ("key_hash",)
