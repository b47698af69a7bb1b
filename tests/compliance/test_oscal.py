"""The OSCAL exports against NIST's own example documents (../shared/data/frameworks/nist-oscal/examples):
every key we emit is one OSCAL uses, the schema's required fields are present, UUIDs are valid."""

import json
import re
import uuid

import pytest

from ramparts.compliance import services
from ramparts.compliance.exports.service import assessment_export, system_ssp
from ramparts.inventory import services as inventory
from ramparts.inventory.models import System
from tests.conftest import SHARED_DATA
from tests.shared_data import missing

EXAMPLES = SHARED_DATA / "frameworks" / "nist-oscal" / "examples"
UUID_KEYS = {"uuid", "component-uuid", "observation-uuid"}
# Fields of the OSCAL 1.1 finding target that NIST's examples happen not to use
# (finding-target: status.reason "pass|fail|other", implementation-status.state).
SCHEMA_ONLY = {"implementation-status", "reason"}


def keys_of(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            keys_of(value, found)
    elif isinstance(node, list):
        for item in node:
            keys_of(item, found)
    return found


def uuids_of(node, found: list[str]) -> list[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in UUID_KEYS:
                found.append(value)
            uuids_of(value, found)
    elif isinstance(node, list):
        for item in node:
            uuids_of(item, found)
    return found


def example(name: str) -> dict:
    path = EXAMPLES / name
    if not path.is_file():
        missing(f"{path} missing (shared data)")
    return json.loads(path.read_text())


def check_document(document: dict) -> None:
    if not EXAMPLES.is_dir():
        missing(f"{EXAMPLES} missing (shared data)")
    known: set[str] = set(SCHEMA_ONLY)
    for path in sorted(EXAMPLES.glob("*.json")):
        keys_of(example(path.name), known)
    unknown = keys_of(document, set()) - known
    assert not unknown, f"keys OSCAL's examples never use: {sorted(unknown)}"
    for value in uuids_of(document, []):
        assert uuid.UUID(value).version in (4, 5)
    (root,) = document.values()
    metadata = root["metadata"]
    assert {"title", "last-modified", "version", "oscal-version"} <= metadata.keys()
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", metadata["last-modified"])


@pytest.fixture
def assessed(manager, unit_a, catalogs):
    tool = inventory.system_create(actor=manager, business_unit=unit_a, name="Duo", kind="security_tool")
    # Effective CIA needs are computed by the inventory (propagation); set here as it would leave them.
    System.objects.filter(pk=tool.pk).update(confidentiality=3, integrity=2, availability=1)
    mapped = ["csf-mini:PR.AA-01", "csf-mini:GV.OC-01"]
    services.control_create(
        actor=manager,
        business_unit=unit_a,
        name="MFA",
        status="implemented",
        technologies=[tool.ref],
        requirements=mapped,
    )
    assessment = services.assessment_create(actor=manager, business_unit=unit_a, name="ISO", framework="iso-mini")
    services.assessment_result_set(actor=manager, ref=assessment.ref, requirement="A.5.1", status="not_applicable",
                                   reason="No policy in scope")  # fmt: skip
    services.assessment_signoff(actor=manager, ref=assessment.ref)
    return assessment, tool


def test_assessment_results(manager, assessed):
    assessment, _ = assessed
    content, content_type, name = assessment_export(manager, ref=assessment.ref, fmt="oscal")
    document = json.loads(content)
    check_document(document)
    ar = document["assessment-results"]
    assert {"uuid", "metadata", "import-ap", "results"} <= ar.keys()
    result = ar["results"][0]
    assert {"uuid", "title", "description", "start", "reviewed-controls", "end"} <= result.keys()
    resources = {r["uuid"] for r in ar["back-matter"]["resources"]}
    assert ar["import-ap"]["href"][1:] in resources
    observations = {o["uuid"] for o in result["observations"]}
    for finding in result["findings"]:
        assert {"uuid", "title", "description", "target"} <= finding.keys()
        assert finding["target"]["type"] == "objective-id"
        assert finding["target"]["status"]["state"] in ("satisfied", "not-satisfied")
        assert finding["related-observations"][0]["observation-uuid"] in observations
    for observation in result["observations"]:
        assert {"uuid", "description", "methods", "collected"} <= observation.keys()
    states = {f["target"]["target-id"]: f["target"] for f in result["findings"]}
    assert states["a.5.1"]["implementation-status"]["state"] == "not-applicable"
    assert states["a.5.15"]["status"]["state"] == "satisfied"  # equal to PR.AA-01
    # Exporting twice keeps the document's identity.
    assert (
        json.loads(assessment_export(manager, ref=assessment.ref, fmt="oscal")[0])["assessment-results"]["uuid"]
        == ar["uuid"]
    )


def test_system_security_plan(manager, assessed):
    _, tool = assessed
    document = json.loads(system_ssp(manager, system_ref=tool.ref, framework="csf-mini")[0])
    check_document(document)
    ssp = document["system-security-plan"]
    assert {"uuid", "metadata", "import-profile", "system-characteristics", "system-implementation",
            "control-implementation"} <= ssp.keys()  # fmt: skip
    chars = ssp["system-characteristics"]
    assert {
        "system-ids",
        "system-name",
        "description",
        "system-information",
        "status",
        "authorization-boundary",
    } <= chars.keys()
    assert chars["security-impact-level"]["security-objective-confidentiality"] == "fips-199-high"
    assert (
        ssp["system-implementation"]["users"] and ssp["system-implementation"]["components"][0]["type"] == "this-system"
    )
    ids = [r["control-id"] for r in ssp["control-implementation"]["implemented-requirements"]]
    assert ids == ["gv.oc-01", "pr.aa-01"]
