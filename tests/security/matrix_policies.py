"""Permission-matrix requests of the policies module (collected by matrix_modules; see its docstring).

objects() builds, in the world's unit: {policy} a published policy addressed to the unit (owned by
the acting user, so that owner-only steps pass) with draft 1.1; {pending} a policy whose 1.0 awaits
approval; {approved} one whose 1.0 is approved, ready to publish; {requested} an exception awaiting
a decision and {active} an approved one. Drafts are written and submitted by `owner`, never by the
acting user, so that segregation of duties lets every approving role approve.
"""

import datetime as dt

from tests.security.matrix_base import api, ui

TEXT = "# Matrix policy\n\nFollow the rules.\n"


def _in(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def new_policy_form(w) -> dict:
    return {
        "title": f"New policy {w.n}",
        "kind": "policy",
        "business_unit": w.unit.code,
        "review_interval_months": 12,
        "text": TEXT,
        "change_summary": "First",
    }


def edit_policy_form(w) -> dict:
    return {**new_policy_form(w), "title": "Edited title"}


def new_exception_form(w) -> dict:
    return {
        "policy": w.extras["policy"],
        "business_unit": w.unit.code,
        "title": "Legacy system",
        "justification": "Vendor upgrade next quarter",
        "systems": w.system.ref,
        "expires_on": _in(30),
    }


def new_exception_json(w) -> dict:
    return {**new_exception_form(w), "systems": [w.system.ref]}


MATRIX: dict[str, dict[str, list]] = {
    "policies.view": {
        "ui": [
            ui("GET", "/policies/"),
            ui("GET", "/policies/?q=matrix&state=published&review=overdue"),
            ui("GET", "/policies/{policy}/"),
            ui("GET", "/policies/{policy}/versions/1.0/"),
            ui("GET", "/policies/{policy}/diff/?from=1.0&to=1.1"),
            ui("GET", "/policies/exceptions/"),
            ui("GET", "/policies/exceptions/{requested}/"),
        ],
        "api": [
            api("GET", "/policies/policies"),
            api("GET", "/policies/policies/{policy}"),
            api("GET", "/policies/policies/{policy}/versions"),
            api("GET", "/policies/policies/{policy}/versions/1.0"),
            api("GET", "/policies/policies/{policy}/diff?from=1.0&to=1.1"),
            api("GET", "/policies/exceptions"),
            api("GET", "/policies/exceptions/{requested}"),
        ],
    },
    "policies.change": {
        "ui": [
            ui("GET", "/policies/new/"),
            ui("POST", "/policies/new/", new_policy_form),
            ui("GET", "/policies/{policy}/edit/"),
            ui("POST", "/policies/{policy}/edit/", edit_policy_form),
            ui("GET", "/policies/{policy}/versions/1.1/edit/"),
            ui("POST", "/policies/{policy}/versions/1.1/edit/", {"text": TEXT + "More.\n", "change_summary": "More"}),
            ui("POST", "/policies/{policy}/versions/1.1/submit/"),
            ui("POST", "/policies/{approved}/versions/1.0/publish/"),
            ui("POST", "/policies/{policy}/review/", {"note": "Still right"}),
            ui("POST", "/policies/{policy}/retire/", {"note": "Replaced"}),
        ],
        "api": [
            api("POST", "/policies/policies", new_policy_form),
            api("PATCH", "/policies/policies/{policy}", {"title": "Edited"}),
            api("PATCH", "/policies/policies/{policy}/versions/1.1", {"text": TEXT + "More.\n"}),
            api("POST", "/policies/policies/{policy}/versions/1.1/submit"),
            api("POST", "/policies/policies/{approved}/versions/1.0/publish"),
            api("POST", "/policies/policies/{policy}/review", {"note": "Still right"}),
            api("POST", "/policies/policies/{policy}/retire", {"note": "Replaced"}),
        ],
    },
    "policies.approve": {
        "ui": [
            ui("GET", "/policies/approvals/"),
            ui("POST", "/policies/{pending}/versions/1.0/approve/", {"note": "Fine"}),
            ui("POST", "/policies/{pending}/versions/1.0/reject/", {"note": "Too vague"}),
        ],
        "api": [
            api("GET", "/policies/approvals"),
            api("POST", "/policies/policies/{pending}/versions/1.0/approve", {"note": "Fine"}),
            api("POST", "/policies/policies/{pending}/versions/1.0/reject", {"note": "Too vague"}),
        ],
    },
    "policies.acknowledge": {
        "ui": [
            ui("GET", "/policies/mine/"),
            ui("GET", "/policies/mine/{policy}/"),
            ui("POST", "/policies/mine/{policy}/acknowledge/", {"version": "1.0"}),
        ],
        "api": [
            api("GET", "/policies/mine"),
            api("GET", "/policies/mine/{policy}"),
            api("POST", "/policies/mine/{policy}/acknowledge", {"version": "1.0"}),
        ],
    },
    "policies.report": {
        "ui": [
            ui("GET", "/policies/reports/"),
            ui("GET", "/policies/reports/{policy}/"),
            ui("GET", "/policies/reports/{policy}/missing.csv"),
        ],
        "api": [
            api("GET", "/policies/reports"),
            api("GET", "/policies/reports/{policy}"),
            api("GET", "/policies/reports/{policy}/missing"),
        ],
    },
    "policies.exceptions": {
        "ui": [
            ui("GET", "/policies/exceptions/new/"),
            ui("POST", "/policies/exceptions/new/", new_exception_form),
            ui("GET", "/policies/exceptions/{requested}/edit/"),
            ui("POST", "/policies/exceptions/{active}/revoke/", {"note": "Fixed"}),
            ui("POST", "/policies/exceptions/{active}/renew/", lambda w: {"expires_on": _in(60), "justification": "x"}),
        ],
        "api": [
            api("POST", "/policies/exceptions", new_exception_json),
            api("PATCH", "/policies/exceptions/{requested}", {"title": "Renamed"}),
            api("POST", "/policies/exceptions/{active}/revoke", {"note": "Fixed"}),
            api("POST", "/policies/exceptions/{active}/renew", lambda w: {"expires_on": _in(60)}),
        ],
    },
    "policies.approve_exception": {
        "ui": [
            ui("POST", "/policies/exceptions/{requested}/approve/", {"note": "Accepted"}),
            ui("POST", "/policies/exceptions/{requested}/reject/", {"note": "No"}),
        ],
        "api": [
            api("POST", "/policies/exceptions/{requested}/approve", {"note": "Accepted"}),
            api("POST", "/policies/exceptions/{requested}/reject", {"note": "No"}),
        ],
    },
}


def objects(*, owner, unit, user, world) -> dict[str, str]:
    from ramparts.core.models import User
    from ramparts.core.roles import Role
    from ramparts.policies import services

    approver = User.objects.create_user(username=f"approver-{unit.code}", role=Role.EXECUTIVE.value)
    approver.business_units.set([unit])

    def create(title: str, *, to: str) -> str:
        policy = services.policy_create(
            actor=owner, business_unit=unit, title=title, text=TEXT, audience_units=[unit.code], owner=user or owner
        )
        if to in ("in_approval", "approved", "published"):
            services.version_submit(actor=owner, ref=policy.ref, label="1.0")
        if to in ("approved", "published"):
            services.version_approve(actor=approver, ref=policy.ref, label="1.0")
        if to == "published":
            services.version_publish(actor=owner, ref=policy.ref, label="1.0")
        return policy.ref

    published = create("Matrix policy", to="published")
    services.version_create(actor=owner, ref=published, bump="minor", text=TEXT + "Draft.\n", change_summary="Draft")
    extras = {
        "policy": published,
        "pending": create("Pending policy", to="in_approval"),
        "approved": create("Approved policy", to="approved"),
    }
    requested = services.exception_create(
        actor=owner, policy=published, business_unit=unit, title="Requested", justification="j",
        expires_on=dt.date.today() + dt.timedelta(days=20), systems=[world.system.ref],
    )  # fmt: skip
    active = services.exception_create(
        actor=owner, policy=published, business_unit=unit, title="Active", justification="j",
        expires_on=dt.date.today() + dt.timedelta(days=20),
    )  # fmt: skip
    services.exception_approve(actor=approver, ref=active.ref)
    return extras | {"requested": requested.ref, "active": active.ref}
