import orjson
import pytest

from ramparts.core.errors import ValidationFailed
from ramparts.frameworks.engine.mappings import csf_subcategory, find_cycle, normalise_800_53
from ramparts.frameworks.models import AttackTechnique, RequirementRelation, RequirementTechnique
from ramparts.frameworks.services import builtin_install, framework_import, mapping_import, related_requirements
from tests.frameworks.conftest import MAPPINGS, MODERATE_RESOLVED, read, tiny_catalog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AC-02", "AC-2"),
        ("ac-2", "AC-2"),
        ("AC-2(1)", "AC-2(1)"),
        ("AC-02(01)", "AC-2(1)"),
        ("ac-2.1", "AC-2(1)"),
        ("CM-10", "CM-10"),
    ],
)
def test_normalise_800_53(raw, expected):
    assert normalise_800_53(raw) == expected


def test_csf_subcategory_of_a_cri_statement():
    assert csf_subcategory("DE.AE-02.01") == "DE.AE-02"


def test_find_cycle():
    assert find_cycle([(1, 2), (2, 3)]) is None
    assert find_cycle([(1, 2), (2, 3), (3, 1)]) == [1, 2, 3, 1]


@pytest.fixture
def moderate(manager):
    return framework_import(actor=manager, name=MODERATE_RESOLVED.name, data=read(MODERATE_RESOLVED)).framework


def test_ctid_tsv(moderate, manager):
    path = MAPPINGS / "ctid-attack-12-1-to-nist800-53-r5-mappings.tsv"
    result = mapping_import(actor=manager, name=path.name, data=read(path))
    assert result.frameworks == [moderate.slug]
    assert result.created > 1000 and result.unmatched  # MODERATE holds 287 of the 1,189 rev5 items
    assert "AC-2(1)" not in result.unmatched and "AC-2(1)" in {r.identifier for r in moderate.requirements.all()}
    ac1 = moderate.requirements.get(identifier="AC-1")
    assert ac1.techniques.filter(technique__technique_id="T1556.006", mapping_type="mitigates").exists()
    assert AttackTechnique.objects.get(technique_id="T1556.006").name == "Multi-Factor Authentication"
    again = mapping_import(actor=manager, name=path.name, data=read(path))
    assert again.created == 0 and again.unchanged == result.created


def test_mapex_800_53(moderate, manager):
    path = MAPPINGS / "mapex_nist_800_53-rev5_attack-16.1-enterprise.json"
    result = mapping_import(actor=manager, name=path.name, data=read(path))
    assert result.created > 1000
    cm3 = moderate.requirements.get(identifier="CM-3")
    assert cm3.techniques.filter(capability="CM-03", attack_version="16.1").exists()


def test_mapex_cri_profile_lands_on_csf_subcategories(manager):
    csf = builtin_install()
    path = MAPPINGS / "mapex_cri_profile-v2.1_attack-16.1-enterprise.json"
    result = mapping_import(actor=manager, name=path.name, data=read(path))
    assert result.frameworks == [csf.slug] and result.created > 1000
    assert RequirementTechnique.objects.filter(
        requirement__identifier="DE.AE-02", capability__startswith="DE.AE-02."
    ).exists()


def test_technique_mapping_without_target_framework_is_refused(manager):
    path = MAPPINGS / "ctid-attack-12-1-to-nist800-53-r5-mappings.tsv"
    with pytest.raises(ValidationFailed, match="import a NIST SP 800-53 rev5"):
        mapping_import(actor=manager, name=path.name, data=read(path))
    assert not AttackTechnique.objects.exists()


@pytest.fixture
def pair(manager):
    csf = builtin_install()
    tiny = framework_import(actor=manager, name="tiny.json", data=orjson.dumps(tiny_catalog())).framework
    return tiny, csf


def crosswalk(*rows) -> bytes:
    return ("source_framework,source_id,relationship,target_framework,target_id,note\n" + "\n".join(rows)).encode()


def test_crosswalk_import_and_both_directions(pair, manager):
    tiny, csf = pair
    result = mapping_import(
        actor=manager,
        name="x.csv",
        data=crosswalk(
            f"{tiny.slug},TC-1,subset_of,{csf.slug},GV.PO-01,policy",
            f"{tiny.slug},XX-1,intersects with,{csf.slug},GV.PO-02,",
        ),
    )
    assert result.created == 2
    tc1 = tiny.requirements.get(identifier="TC-1")
    po1 = csf.requirements.get(identifier="GV.PO-01")
    assert [(r.identifier, rel) for r, rel in related_requirements(tc1)] == [("GV.PO-01", "subset_of")]
    assert [(r.identifier, rel) for r, rel in related_requirements(po1)] == [("TC-1", "superset_of")]
    again = mapping_import(
        actor=manager, name="x.csv", data=crosswalk(f"{csf.slug},GV.PO-01,superset_of,{tiny.slug},TC-1,")
    )
    assert again.created == 0 and again.unchanged == 1


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["{t},TC-1,equal,{t},TC-1,"], "cannot be mapped to itself"),
        (["{t},TC-1,subset_of,{c},GV.PO-01,", "{c},GV.PO-01,subset_of,{t},TC-1,"], "mapped differently"),
        (
            ["{t},TC-1,subset_of,{t},XX-1,", "{t},XX-1,subset_of,{t},TC-1(1),", "{t},TC-1(1),subset_of,{t},TC-1,"],
            "cycle",
        ),
        (["{t},TC-1,maybe,{c},GV.PO-01,"], "'maybe' is not one of"),
        (["{t},TC-404,equal,{c},GV.PO-01,"], "has no requirement 'TC-404'"),
        (["nope,TC-1,equal,{c},GV.PO-01,"], "no imported framework has the slug 'nope'"),
    ],
)
def test_bad_crosswalks_store_nothing(pair, rows, message, manager):
    tiny, csf = pair
    data = crosswalk(*[r.format(t=tiny.slug, c=csf.slug) for r in rows])
    with pytest.raises(ValidationFailed) as info:
        mapping_import(actor=manager, name="bad.csv", data=data)
    assert message in str(info.value)
    assert not RequirementRelation.objects.exists()


def test_cycle_through_stored_relations_is_refused(pair, manager):
    tiny, csf = pair
    mapping_import(actor=manager, name="a.csv", data=crosswalk(f"{tiny.slug},TC-1,subset_of,{csf.slug},GV.PO-01,"))
    with pytest.raises(ValidationFailed, match="cycle"):
        mapping_import(
            actor=manager,
            name="b.csv",
            data=crosswalk(
                f"{csf.slug},GV.PO-01,subset_of,{tiny.slug},XX-1,", f"{tiny.slug},XX-1,subset_of,{tiny.slug},TC-1,"
            ),
        )
    assert RequirementRelation.objects.count() == 1


def test_requirements_mitigating_a_technique(moderate, manager):
    from ramparts.frameworks.selectors import RequirementFilters, requirement_list

    path = MAPPINGS / "ctid-attack-12-1-to-nist800-53-r5-mappings.tsv"
    mapping_import(actor=manager, name=path.name, data=read(path))
    exact = requirement_list(manager, framework=moderate, filters=RequirementFilters(technique="t1556.006"))
    assert "AC-1" in {r.identifier for r in exact}
    parent = requirement_list(manager, framework=moderate, filters=RequirementFilters(technique="T1556"))
    assert {r.identifier for r in exact} <= {r.identifier for r in parent}
    assert len({r.pk for r in parent}) == parent.count()  # no duplicates
