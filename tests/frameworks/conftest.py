import pytest

from ramparts.core.roles import Role
from tests.conftest import SHARED_DATA

FRAMEWORKS = SHARED_DATA / "frameworks"
OSCAL = FRAMEWORKS / "nist-oscal"
REV5 = OSCAL / "sp800-53-rev5"
MODERATE_RESOLVED = REV5 / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json"
CSF_XML = OSCAL / "csf-2.0" / "NIST_CSF_v2.0_catalog.xml"
MAPPINGS = FRAMEWORKS / "mappings"


def read(path) -> bytes:
    return path.read_bytes()


@pytest.fixture
def manager(make_user):
    return make_user(Role.SECURITY_MANAGER)


def tiny_catalog(uuid="6c9f0c88-8f0c-4a8e-9b3e-0c1d2e3f4a5b", version="1.0", extra_control=None) -> dict:
    """A small catalog of our own: two families, params, an enhancement, a withdrawn control."""
    controls = [
        {
            "id": "tc-1",
            "class": "test",
            "title": "Test Policy",
            "params": [{"id": "tc-1_prm_1", "label": "organization-defined frequency"}],
            "props": [{"name": "label", "value": "TC-1"}],
            "parts": [
                {"id": "tc-1_smt", "name": "statement", "prose": "Review the policy {{ insert: param, tc-1_prm_1 }}."},
                {"id": "tc-1_gdn", "name": "guidance", "prose": "Why the policy matters."},
                {"id": "tc-1_obj", "name": "assessment-objective", "prose": "the policy is reviewed;"},
            ],
            "controls": [
                {
                    "id": "tc-1.1",
                    "title": "Automated Review",
                    "props": [{"name": "label", "value": "TC-1(1)"}],
                    "parts": [{"id": "tc-1.1_smt", "name": "statement", "prose": "Automate the review."}],
                }
            ],
        },
        {
            "id": "tc-2",
            "title": "Old Control",
            "props": [{"name": "label", "value": "TC-2"}, {"name": "status", "value": "Withdrawn"}],
            "links": [{"href": "#tc-1", "rel": "incorporated-into"}],
        },
    ]
    if extra_control:
        controls.append(extra_control)
    return {
        "catalog": {
            "uuid": uuid,
            "metadata": {
                "title": "Tiny Test Catalog",
                "last-modified": "2026-01-01T00:00:00Z",
                "version": version,
                "oscal-version": "1.1.2",
            },
            "groups": [
                {"id": "tc", "class": "family", "title": "Test Controls", "controls": controls},
                {
                    "id": "xx",
                    "class": "family",
                    "title": "Other",
                    "controls": [
                        {
                            "id": "xx-1",
                            "title": "Other One",
                            "props": [{"name": "label", "value": "XX-1"}],
                            "parts": [{"name": "statement", "prose": "Do the other thing."}],
                        }
                    ],
                },
            ],
        }
    }


def tiny_profile(
    href="#b3c1f6a2-5d4e-4f3a-9c2b-1a0e9d8c7b6a", ids=("tc-1", "tc-1.1"), rlink="tiny-catalog.json"
) -> dict:
    return {
        "profile": {
            "uuid": "0f1e2d3c-4b5a-4968-8776-655443322110",
            "metadata": {
                "title": "Tiny Test Baseline",
                "last-modified": "2026-01-02T00:00:00Z",
                "version": "1.0",
                "oscal-version": "1.1.2",
            },
            "imports": [{"href": href, "include-controls": [{"with-ids": list(ids)}]}],
            "merge": {"as-is": True},
            "modify": {"set-parameters": [{"param-id": "tc-1_prm_1", "values": ["every quarter"]}]},
            "back-matter": {
                "resources": [
                    {
                        "uuid": "b3c1f6a2-5d4e-4f3a-9c2b-1a0e9d8c7b6a",
                        "title": "Tiny Test Catalog",
                        "rlinks": [{"href": f"../catalogs/{rlink}"}],
                    }
                ]
            },
        }
    }
