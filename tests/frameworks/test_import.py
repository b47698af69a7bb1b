import json

import orjson
import pytest

from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.models import AuditEntry
from ramparts.frameworks.models import Framework, Requirement
from ramparts.frameworks.services import framework_diff, framework_import
from tests.frameworks.conftest import OSCAL, REV5, read, tiny_catalog, tiny_profile

pytestmark = pytest.mark.django_db

SHARED_CATALOGS = [
    # file, assessable requirements, withdrawn
    (REV5 / "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json", 149, 0),
    (REV5 / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json", 287, 0),
    (REV5 / "NIST_SP-800-53_rev5_PRIVACY-baseline-resolved-profile_catalog.json", 102, 0),
    (OSCAL / "sp800-53-rev4" / "NIST_SP-800-53_rev4_catalog-min.json", 922, 96),
    (OSCAL / "sp800-171-rev3" / "NIST_SP800-171_rev3_catalog.xml", 227, 33),
    (OSCAL / "csf-2.0" / "NIST_CSF_v2.0_catalog.xml", 185, 0),
    (OSCAL / "examples" / "basic-catalog.json", 4, 0),
]


@pytest.mark.parametrize(("path", "count", "withdrawn"), SHARED_CATALOGS, ids=lambda v: getattr(v, "name", v))
def test_every_shared_catalog_imports(path, count, withdrawn, manager):
    result = framework_import(actor=manager, name=path.name, data=read(path))
    assert result.requirements == count
    fw = result.framework
    assert fw.requirements.filter(assessable=True, withdrawn=True).count() == withdrawn
    assert result.as_dict()["requirements"] == count
    assert "unresolved" not in result.as_dict()
    assert AuditEntry.objects.filter(object_ref=fw.slug, action="create").exists()


@pytest.mark.parametrize(
    "name",
    [
        "example-component-definition.json",
        "example-component.json",
        "ifa_assessment-plan-example.json",
        "ifa_assessment-results-example.json",
        "ifa_plan-of-action-and-milestones.json",
        "ifa_ssp-example.json",
        "ssp-example.json",
    ],
)
def test_other_oscal_models_are_refused_by_name(name, manager):
    with pytest.raises(ValidationFailed, match="Only OSCAL catalogs and profiles"):
        framework_import(actor=manager, name=name, data=read(OSCAL / "examples" / name))
    assert not Framework.objects.exists()


def test_800_53_texts_params_parts(manager):
    path = REV5 / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json"
    fw = framework_import(actor=manager, name=path.name, data=read(path)).framework
    ac1 = fw.requirements.get(identifier="AC-1")
    assert ac1.parent.identifier == "ac" and ac1.parent.kind == "group"
    assert "disseminate to [Assignment: organization-defined personnel or roles]:" in ac1.statement
    assert (
        "[Selection (one or more): organization-level; mission/business process-level; system-level]" in ac1.statement
    )
    assert "{{" not in ac1.statement
    assert ac1.guidance.startswith("Access control policy and procedures address")
    assert {p["name"] for p in ac1.parts} == {"assessment-objective", "assessment-method"}
    enhancement = fw.requirements.get(identifier="AC-2(1)")
    assert enhancement.kind == "enhancement" and enhancement.parent.identifier == "AC-2"
    assert enhancement.key == "ac-2.1"


def test_rev4_withdrawn_controls_say_where_they_went(manager):
    path = OSCAL / "sp800-53-rev4" / "NIST_SP-800-53_rev4_catalog-min.json"
    fw = framework_import(actor=manager, name=path.name, data=read(path)).framework
    withdrawn = fw.requirements.filter(withdrawn=True)
    assert withdrawn.count() == 96
    moved = [r for r in withdrawn if r.withdrawn_to]
    assert moved and all(t["identifier"] for r in moved for t in r.withdrawn_to)


def test_tiny_catalog_renders_params_and_marks_withdrawn(manager):
    fw = framework_import(actor=manager, name="tiny-catalog.json", data=orjson.dumps(tiny_catalog())).framework
    tc1 = fw.requirements.get(identifier="TC-1")
    assert tc1.statement == "Review the policy [Assignment: organization-defined frequency]."
    assert tc1.params[0]["id"] == "tc-1_prm_1"
    tc2 = fw.requirements.get(identifier="TC-2")
    assert tc2.withdrawn and tc2.withdrawn_to == [{"rel": "incorporated-into", "key": "tc-1", "identifier": "TC-1"}]
    assert fw.requirement_count == 4


def test_same_version_twice_is_a_conflict_and_new_version_sits_next_to_it(manager):
    framework_import(actor=manager, name="tiny-catalog.json", data=orjson.dumps(tiny_catalog()))
    with pytest.raises(Conflict):
        framework_import(actor=manager, name="tiny-catalog.json", data=orjson.dumps(tiny_catalog()))
    extra = {"id": "tc-3", "title": "New", "props": [{"name": "label", "value": "TC-3"}]}
    v2 = tiny_catalog(version="2.0", extra_control=extra)
    v2["catalog"]["groups"][1]["controls"] = []  # XX-1 removed
    v2["catalog"]["groups"][0]["controls"][0]["title"] = "Test Policy and Procedures"
    framework_import(actor=manager, name="tiny-catalog-v2.json", data=orjson.dumps(v2))
    old, new = Framework.objects.get(version="1.0"), Framework.objects.get(version="2.0")
    diff = framework_diff(old=old, new=new)
    assert diff.added == ["TC-3"]
    assert diff.removed == ["XX-1"]
    assert diff.changed == ["TC-1"]
    assert sorted(diff.unchanged) == ["TC-1(1)", "TC-2"]


BAD_DOCUMENTS = {
    "no uuid": ({"catalog": {"metadata": {}}}, "catalog.uuid"),
    "bad uuid": ({"catalog": {"uuid": "nope", "metadata": {}}}, "not a UUID"),
    "control without title": (None, "catalog.groups[0].controls[0].title"),
    "controls not an array": (None, "expected an array"),
    "duplicate ids": (None, "duplicate id 'tc-1'"),
    "not oscal": ({"hello": 1}, "unknown root key"),
}


def _bad(name):
    doc, where = BAD_DOCUMENTS[name]
    if doc is None:
        doc = tiny_catalog()
        controls = doc["catalog"]["groups"][0]["controls"]
        if name == "control without title":
            del controls[0]["title"]
        elif name == "controls not an array":
            doc["catalog"]["groups"][1]["controls"] = {"id": "x"}
        else:
            controls.append(json.loads(json.dumps(controls[0])))
    return doc, where


@pytest.mark.parametrize("name", list(BAD_DOCUMENTS))
def test_schema_invalid_catalogs_name_the_path_and_store_nothing(name, manager):
    doc, where = _bad(name)
    with pytest.raises(ValidationFailed) as info:
        framework_import(actor=manager, name="bad.json", data=orjson.dumps(doc))
    assert where in str(info.value)
    assert not Framework.objects.exists() and not Requirement.objects.exists()
    assert not AuditEntry.objects.filter(object_type="frameworks.framework").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"{not json", "not valid JSON"),
        (b"<catalog><unclosed></catalog>", "not well-formed XML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "forbidden"),
        (b"<catalog xmlns='urn:other'/>", "not OSCAL"),
    ],
)
def test_malformed_files(data, message, manager):
    with pytest.raises(ValidationFailed, match=message):
        framework_import(actor=manager, name="bad.xml" if data.startswith(b"<") else "bad.json", data=data)
    assert not Framework.objects.exists()


def test_failure_half_way_through_storing_leaves_nothing(manager, monkeypatch):
    from ramparts.frameworks.services import imports

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports.audit, "record", boom)
    with pytest.raises(RuntimeError):
        framework_import(actor=manager, name="tiny-catalog.json", data=orjson.dumps(tiny_catalog()))
    assert not Framework.objects.exists() and not Requirement.objects.exists()


def test_tiny_profile_xml_equivalent(manager):
    """The XML form of a catalog gives the same requirements as the JSON form."""
    xml = b"""<?xml version="1.0"?>
<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="6c9f0c88-8f0c-4a8e-9b3e-0c1d2e3f4a5b">
  <metadata><title>Tiny XML</title><last-modified>2026-01-01T00:00:00Z</last-modified>
    <version>1.0</version><oscal-version>1.1.2</oscal-version></metadata>
  <group id="tc" class="family"><title>Test Controls</title>
    <control id="tc-1"><title>Test Policy</title>
      <param id="tc-1_prm_1"><select how-many="one-or-more">
        <choice>daily</choice><choice>weekly</choice></select></param>
      <prop name="label" value="TC-1"/>
      <part id="tc-1_smt" name="statement"><p>Review the policy
          <insert type="param" id-ref="tc-1_prm_1"/>.</p></part>
      <control id="tc-1.1"><title>Enhanced</title><prop name="label" value="TC-1(1)"/></control>
    </control>
  </group>
</catalog>"""
    fw = framework_import(actor=manager, name="tiny.xml", data=xml).framework
    assert fw.source == "oscal-xml"
    tc1 = fw.requirements.get(identifier="TC-1")
    assert tc1.statement == "Review the policy [Selection (one or more): daily; weekly]."
    assert fw.requirements.get(identifier="TC-1(1)").parent == tc1


DEEP_XML = (
    b'<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0">' + b"<group>" * 5000 + b"</group>" * 5000 + b"</catalog>"
)
DEEP_JSON = b'{"catalog": ' + b'{"groups": [' * 600 + b"{}" + b"]}" * 600 + b"}"


@pytest.mark.parametrize(("name", "data"), [("deep.xml", DEEP_XML), ("deep.json", DEEP_JSON)])
def test_hostile_nesting_is_a_clear_error(name, data, manager):
    with pytest.raises(ValidationFailed, match="too deeply|JSON"):
        framework_import(actor=manager, name=name, data=data)
    assert not Framework.objects.exists()


def test_delete(manager):
    from ramparts.frameworks.services import builtin_install, framework_delete

    with pytest.raises(Conflict, match="built in"):
        framework_delete(actor=manager, framework=builtin_install())
    catalog = framework_import(actor=manager, name="tiny-catalog.json", data=orjson.dumps(tiny_catalog())).framework
    profile = framework_import(actor=manager, name="p.json", data=orjson.dumps(tiny_profile())).framework
    with pytest.raises(Conflict, match="still in use"):
        framework_delete(actor=manager, framework=catalog)
    framework_delete(actor=manager, framework=profile)
    framework_delete(actor=manager, framework=catalog)
    assert list(Framework.objects.values_list("built_in", flat=True)) == [True]
    assert AuditEntry.objects.filter(action="delete", object_type="frameworks.framework").count() == 2
