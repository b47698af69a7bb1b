"""Permission-matrix requests of the compliance module (collected by matrix_modules; see its docstring)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.matrix_base import api, ui


def _framework(slug: str, version: str):
    from django.utils import timezone

    from ramparts.frameworks.models import Framework, Requirement

    framework, created = Framework.objects.get_or_create(
        slug=slug,
        defaults={"name": "Matrix framework", "version": version, "source": "yaml", "imported_at": timezone.now()},
    )
    if created:
        group = Requirement.objects.create(
            framework=framework, identifier="MX", key="mx", kind="group", assessable=False
        )
        for order, identifier in enumerate(("MX-1", "MX-2"), start=1):
            Requirement.objects.create(
                framework=framework, parent=group, identifier=identifier, key=identifier.lower(), order=order, depth=1
            )
    return framework


def objects(*, owner, unit, user, world) -> dict[str, str]:
    from ramparts.compliance import services

    _framework("matrix-fw", "1")
    _framework("matrix-fw-2", "2")
    control = services.control_create(
        actor=owner,
        business_unit=unit,
        name="Matrix control",
        status="implemented",
        systems=[world.system.ref],
        requirements=["matrix-fw:MX-1"],
    )
    assessment = services.assessment_create(actor=owner, business_unit=unit, name="Matrix", framework="matrix-fw")
    evidence = services.evidence_add(
        actor=owner, title="Matrix evidence", file=b"ok", file_name="e.txt", control=control.ref
    )
    profile = services.profile_create(
        actor=owner, business_unit=unit, name="Matrix", kind="current", framework="matrix-fw"
    )
    return {
        "control": control.ref,
        "assessment": assessment.ref,
        "evidence": evidence.ref,
        "profile": profile.ref,
        "risk": _risk(owner, unit),
    }


def _risk(owner, unit) -> str:
    from ramparts.risk import services as risk_services
    from ramparts.risk.models import RiskCategory

    category, _ = RiskCategory.objects.get_or_create(name="Matrix compliance")
    risk = risk_services.risk_create(
        actor=owner, business_unit=unit, category=category, title="Gap", inherent_likelihood=2, inherent_impact=2
    )
    return risk.ref


def control_form(w, **changes) -> dict:
    return {
        "name": f"Control {w.n}",
        "business_unit": w.unit.code,
        "control_type": "preventive",
        "automation": "manual",
        "frequency": "monthly",
        "status": "planned",
        "effectiveness": "0",
        **changes,
    }


def evidence_upload(w) -> dict:
    return {"title": "Collected", "control": w.extras["control"], "file": SimpleUploadedFile("log.txt", b"sampled")}


MATRIX: dict[str, dict[str, list]] = {
    "compliance.view": {
        "ui": [
            ui("GET", "/compliance/"),
            ui("GET", "/compliance/gaps/?framework=matrix-fw"),
            ui("GET", "/compliance/controls/"),
            ui("GET", "/compliance/controls/{control}/"),
            ui("GET", "/compliance/assessments/"),
            ui("GET", "/compliance/assessments/{assessment}/"),
            ui("GET", "/compliance/evidence/"),
            ui("GET", "/compliance/evidence/{evidence}/download/"),
            ui("GET", "/compliance/profiles/"),
            ui("GET", "/compliance/profiles/{profile}/"),
        ],
        "api": [
            api("GET", "/compliance/overview"),
            api("GET", "/compliance/gaps?framework=matrix-fw"),
            api("GET", "/compliance/controls"),
            api("GET", "/compliance/controls/{control}"),
            api("GET", "/compliance/controls/{control}/techniques"),
            api("GET", "/compliance/assessments"),
            api("GET", "/compliance/assessments/{assessment}"),
            api("GET", "/compliance/evidence"),
            api("GET", "/compliance/evidence/{evidence}"),
            api("GET", "/compliance/evidence/{evidence}/download"),
            api("GET", "/compliance/profiles"),
            api("GET", "/compliance/profiles/{profile}"),
        ],
    },
    "compliance.change": {
        "ui": [
            ui("GET", "/compliance/controls/new/"),
            ui("POST", "/compliance/controls/new/", control_form),
            ui("GET", "/compliance/controls/{control}/edit/"),
            ui("POST", "/compliance/controls/{control}/edit/", lambda w: control_form(w, name="Edited")),
            ui("POST", "/compliance/controls/{control}/map/", {"framework": "matrix-fw", "identifiers": "MX-2"}),
            ui("POST", "/compliance/controls/{control}/delete/"),
        ],
        "api": [
            api("POST", "/compliance/controls", lambda w: {"name": "API control", "business_unit": w.unit.code}),
            api("PATCH", "/compliance/controls/{control}", {"status": "implemented"}),
            api("POST", "/compliance/controls/{control}/mappings", {"add": ["matrix-fw:MX-2"]}),
            api("DELETE", "/compliance/controls/{control}"),
        ],
    },
    "compliance.assess": {
        "ui": [
            ui("GET", "/compliance/assessments/new/"),
            ui(
                "POST",
                "/compliance/assessments/new/",
                lambda w: {"name": "New", "business_unit": w.unit.code, "framework": "matrix-fw"},
            ),
            ui(
                "POST", "/compliance/assessments/{assessment}/results/MX-1/", {"status": "partial", "reason": "sampled"}
            ),
            ui("GET", "/compliance/assessments/{assessment}/migrate/"),
            ui("POST", "/compliance/assessments/{assessment}/migrate/", {"framework": "matrix-fw-2"}),
            ui("GET", "/compliance/profiles/new/"),
            ui(
                "POST",
                "/compliance/profiles/new/",
                lambda w: {
                    "name": "T",
                    "business_unit": w.unit.code,
                    "kind": "target",
                    "tier": "2",
                    "framework": "matrix-fw",
                },
            ),
            ui("POST", "/compliance/profiles/{profile}/outcomes/", {"tier:MX-1": "2"}),
            ui("GET", "/compliance/profiles/{profile}/edit/"),
            ui("POST", "/compliance/profiles/{profile}/edit/", {"name": "Renamed", "tier": "3"}),
            ui(
                "POST",
                "/compliance/assessments/{assessment}/gaps/actions/",
                lambda w: {"risk": w.extras["risk"], "identifiers": ["MX-2"]},
            ),
        ],
        "api": [
            api(
                "POST",
                "/compliance/assessments",
                lambda w: {"name": "API", "business_unit": w.unit.code, "framework": "matrix-fw"},
            ),
            api("PATCH", "/compliance/assessments/{assessment}", {"name": "Renamed"}),
            api(
                "PUT", "/compliance/assessments/{assessment}/results/MX-1", {"status": "implemented", "reason": "seen"}
            ),
            api("POST", "/compliance/assessments/{assessment}/migrate", {"framework": "matrix-fw-2"}),
            api(
                "POST",
                "/compliance/profiles",
                lambda w: {"name": "API", "business_unit": w.unit.code, "kind": "current", "framework": "matrix-fw"},
            ),
            api("PATCH", "/compliance/profiles/{profile}", {"tier": 3}),
            api("PUT", "/compliance/profiles/{profile}/outcomes", {"outcomes": {"MX-1": 2}}),
            api(
                "POST",
                "/compliance/assessments/{assessment}/gaps/actions",
                lambda w: {"risk": w.extras["risk"], "identifiers": ["MX-2"]},
            ),
        ],
    },
    "compliance.signoff": {
        "ui": [ui("POST", "/compliance/assessments/{assessment}/signoff/", {"note": "ok"})],
        "api": [api("POST", "/compliance/assessments/{assessment}/signoff", {"note": "ok"})],
    },
    "compliance.evidence": {
        "ui": [ui("POST", "/compliance/evidence/new/", evidence_upload, body="multipart")],
        "api": [api("POST", "/compliance/evidence", evidence_upload, body="multipart")],
    },
    "compliance.export": {
        "ui": [
            ui("GET", "/compliance/assessments/{assessment}/export.csv"),
            ui("GET", "/compliance/assessments/{assessment}/export.xlsx"),
            ui("GET", "/compliance/assessments/{assessment}/export.oscal"),
            ui("GET", "/compliance/assessments/{assessment}/export.pdf"),
            ui("GET", "/compliance/systems/{system}/ssp.json?framework=matrix-fw"),
        ],
        "api": [
            api("GET", "/compliance/assessments/{assessment}/export?format=oscal"),
            api("GET", "/compliance/assessments/{assessment}/export?format=csv"),
            api("GET", "/compliance/systems/{system}/ssp?framework=matrix-fw"),
        ],
    },
}
