import orjson
import pytest

from ramparts.core.errors import ValidationFailed
from ramparts.frameworks.models import Framework, Requirement
from ramparts.frameworks.services import framework_import
from tests.frameworks.conftest import OSCAL, REV5, read, tiny_catalog, tiny_profile

pytestmark = pytest.mark.django_db

BASELINES = ["LOW", "MODERATE", "PRIVACY"]


@pytest.mark.parametrize("baseline", BASELINES)
def test_rev5_baseline_profiles_are_rejected_naming_the_rev5_catalog(baseline, manager):
    path = REV5 / f"NIST_SP-800-53_rev5_{baseline}-baseline_profile.json"
    with pytest.raises(ValidationFailed) as info:
        framework_import(actor=manager, name=path.name, data=read(path))
    message = str(info.value)
    assert "NIST_SP-800-53_rev5_catalog" in message
    assert "NIST Special Publication 800-53 Revision 5" in message
    assert not Framework.objects.exists()


def test_baseline_profile_never_resolves_against_another_revision_or_a_resolved_baseline(manager):
    """rev4 and the resolved rev5 baselines hold the same control ids, but are not the catalog named."""
    for path in (
        OSCAL / "sp800-53-rev4" / "NIST_SP-800-53_rev4_catalog-min.json",
        REV5 / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json",
    ):
        framework_import(actor=manager, name=path.name, data=read(path))
    profile = REV5 / "NIST_SP-800-53_rev5_LOW-baseline_profile.json"
    with pytest.raises(ValidationFailed, match="NIST_SP-800-53_rev5_catalog"):
        framework_import(actor=manager, name=profile.name, data=read(profile))
    assert Framework.objects.count() == 2


def test_profile_resolves_once_its_catalog_is_imported(manager):
    profile = orjson.dumps(tiny_profile())
    with pytest.raises(ValidationFailed, match="Tiny Test Catalog"):
        framework_import(actor=manager, name="tiny-profile.json", data=profile)
    catalog = framework_import(actor=manager, name="tiny-catalog.json", data=orjson.dumps(tiny_catalog())).framework
    result = framework_import(actor=manager, name="tiny-profile.json", data=profile)
    fw = result.framework
    assert result.as_dict() == {
        "framework": "Tiny Test Baseline",
        "version": "1.0",
        "requirements": 2,
        "unresolved": [],
        "slug": fw.slug,
    }
    assert fw.kind == "profile" and fw.imported_from == catalog
    assert list(fw.requirements.values_list("identifier", flat=True)) == ["tc", "TC-1", "TC-1(1)"]
    tc1 = fw.requirements.get(identifier="TC-1")
    assert tc1.origin == catalog.requirements.get(identifier="TC-1")
    assert tc1.statement == "Review the policy every quarter."  # modify/set-parameters applied
    assert catalog.requirements.get(identifier="TC-1").statement.endswith(
        "[Assignment: organization-defined frequency]."
    )


def test_profile_does_not_pick_a_different_version_of_its_catalog_by_title(manager):
    """Matching is by the catalog document the profile names, never by a similar title."""
    framework_import(actor=manager, name="other-catalog.json", data=orjson.dumps(tiny_catalog()))
    with pytest.raises(ValidationFailed, match="has not been imported"):
        framework_import(actor=manager, name="tiny-profile.json", data=orjson.dumps(tiny_profile()))


def test_profile_with_unknown_control_ids_is_rejected_unless_allowed(manager):
    framework_import(actor=manager, name="tiny-catalog.json", data=orjson.dumps(tiny_catalog()))
    profile = orjson.dumps(tiny_profile(ids=("tc-1", "tc-9", "zz-1")))
    with pytest.raises(ValidationFailed, match="tc-9, zz-1"):
        framework_import(actor=manager, name="tiny-profile.json", data=profile)
    assert Framework.objects.count() == 1
    result = framework_import(actor=manager, name="tiny-profile.json", data=profile, allow_unresolved=True)
    assert result.unresolved == ["tc-9", "zz-1"] and result.requirements == 1


def test_profile_with_broken_back_matter_reference(manager):
    framework_import(actor=manager, name="tiny-catalog.json", data=orjson.dumps(tiny_catalog()))
    profile = orjson.dumps(tiny_profile(href="#00000000-0000-4000-8000-000000000000"))
    with pytest.raises(ValidationFailed, match="broken reference"):
        framework_import(actor=manager, name="tiny-profile.json", data=profile)
    assert Framework.objects.count() == 1 and Requirement.objects.filter(framework__kind="profile").count() == 0


def test_moderate_profile_resolves_to_nist_own_resolution(manager):
    """Stand-in for the full rev5 catalog: the MODERATE resolved catalog, renamed to the file the profile names.

    NIST's resolved MODERATE catalog is the oracle: resolving the profile gives exactly its 287 ids.
    """
    resolved = REV5 / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json"
    stand_in = orjson.loads(read(resolved))
    stand_in["catalog"]["metadata"]["title"] = "Stand-in for the full SP 800-53 rev5 catalog"
    framework_import(actor=manager, name="NIST_SP-800-53_rev5_catalog.json", data=orjson.dumps(stand_in))
    for baseline, count in (("MODERATE", 287), ("LOW", 149)):
        path = REV5 / f"NIST_SP-800-53_rev5_{baseline}-baseline_profile.json"
        result = framework_import(actor=manager, name=path.name, data=read(path))
        assert result.requirements == count and result.unresolved == []
    oracle = orjson.loads(read(resolved))
    wanted = set()
    stack = list(oracle["catalog"]["groups"])
    while stack:
        node = stack.pop()
        stack += node.get("controls", [])
        if "title" in node and node.get("class") != "family":
            wanted.add(node["id"])
    moderate = Framework.objects.get(name__contains="MODERATE", kind="profile")
    assert set(moderate.requirements.filter(assessable=True).values_list("key", flat=True)) == wanted


def test_xml_profile_resolves_against_its_json_catalog(manager):
    catalog = framework_import(actor=manager, name="tiny-catalog.json", data=orjson.dumps(tiny_catalog())).framework
    xml = b"""<?xml version="1.0"?>
<profile xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="0f1e2d3c-4b5a-4968-8776-655443322111">
  <metadata><title>Tiny XML Baseline</title><last-modified>2026-01-01T00:00:00Z</last-modified>
    <version>1.0</version><oscal-version>1.1.2</oscal-version></metadata>
  <import href="catalogs/tiny-catalog.xml">
    <include-controls with-child-controls="yes"><with-id>tc-1</with-id></include-controls>
    <exclude-controls><matching pattern="*.1"/></exclude-controls>
  </import>
  <merge><as-is>true</as-is></merge>
</profile>"""
    result = framework_import(actor=manager, name="tiny-profile.xml", data=xml)
    assert result.framework.imported_from == catalog and result.framework.source == "oscal-xml"
    assert list(result.framework.requirements.values_list("identifier", flat=True)) == ["tc", "TC-1"]


def test_profile_alters_add_and_remove_parts(manager):
    framework_import(actor=manager, name="tiny-catalog.json", data=orjson.dumps(tiny_catalog()))
    doc = tiny_profile()
    doc["profile"]["modify"]["alters"] = [
        {
            "control-id": "tc-1",
            "removes": [{"by-name": "assessment-objective"}],
            "adds": [
                {
                    "position": "ending",
                    "parts": [
                        {"name": "guidance", "prose": "Our own note: review {{ insert: param, tc-1_prm_1 }}."},
                        {"name": "implementation", "title": "How we do it", "prose": "With the GRC tool."},
                    ],
                }
            ],
        }
    ]
    fw = framework_import(actor=manager, name="p.json", data=orjson.dumps(doc)).framework
    tc1 = fw.requirements.get(identifier="TC-1")
    assert tc1.guidance == "Why the policy matters.\nOur own note: review every quarter."
    assert [p["name"] for p in tc1.parts] == ["implementation"]
    doc["profile"]["metadata"]["version"] = "2"
    doc["profile"]["modify"]["alters"][0]["control-id"] = "xx-1"
    with pytest.raises(ValidationFailed, match="alters controls it does not select: xx-1"):
        framework_import(actor=manager, name="p.json", data=orjson.dumps(doc))
