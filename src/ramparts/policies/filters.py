"""What the policy and exception lists may be filtered and sorted by (UI and API alike)."""

from dataclasses import dataclass

from ramparts.inventory.filters import _Filters, order_by

POLICY_SORTS = {
    "ref": ("number",),
    "title": ("title", "number"),
    "kind": ("kind", "title"),
    "owner": ("owner__username", "number"),
    "review": ("next_review_on", "number"),
    "business_unit": ("business_unit__name", "number"),
    "updated": ("updated_at", "id"),
}
EXCEPTION_SORTS = {
    "ref": ("-number",),
    "expires": ("expires_on", "number"),
    "policy": ("policy__number", "number"),
    "status": ("status", "number"),
}
STATE_CHOICES = [("draft", "draft"), ("in_approval", "in approval"), ("published", "published"), ("retired", "retired")]
REVIEW_STATES = ("overdue", "due_soon")


@dataclass(frozen=True)
class PolicyFilters(_Filters):
    kind: str = ""
    state: str = ""  # draft (never published), in_approval (a version awaits approval), published, retired
    review: str = ""  # overdue, due_soon (within REVIEW_SOON_DAYS)
    owner: str = ""  # a username
    sort: str = "ref"

    def ordering(self) -> list[str]:
        return order_by(POLICY_SORTS, self.sort, default="ref")


@dataclass(frozen=True)
class ExceptionFilters(_Filters):
    status: str = ""  # requested, approved (and not expired), rejected, expired (derived), revoked
    policy: str = ""  # a policy ref
    system: str = ""  # a system ref
    sort: str = "ref"

    def ordering(self) -> list[str]:
        return order_by(EXCEPTION_SORTS, self.sort, default="ref")
