"""The built-in CSF 2.0 (src/ramparts/frameworks/data/nist-csf-2.0.yaml) against NIST's OSCAL XML, id by id.

NIST's XML 1.0.0 also carries the CSF 1.1 items that CSF 2.0 withdrew, unmarked. Per the shared data
README: the real categories are those with a non-empty statement, the real subcategories those with
at least one implementation example. The XML is read here with plain ElementTree, independently of
the importer.
"""

import re
import xml.etree.ElementTree as ET

import pytest

from ramparts.frameworks.models import Framework
from ramparts.frameworks.services import BUILTIN_CSF_SLUG, builtin_install
from tests.frameworks.conftest import CSF_XML

pytestmark = pytest.mark.django_db
NS = {"o": "http://csrc.nist.gov/ns/oscal/1.0"}


def _text(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip() if el is not None else ""


def nist_core():
    root = ET.parse(CSF_XML).getroot()
    functions, categories, subcategories = {}, {}, {}
    for group in root.findall("o:group", NS):
        functions[group.get("id")] = (
            _text(group.find("o:title", NS)),
            _text(group.find("o:part[@name='overview']", NS)),
        )
        for category in group.findall("o:control", NS):
            statement = _text(category.find("o:part[@name='statement']", NS))
            if statement:
                categories[category.get("id")] = (_text(category.find("o:title", NS)), statement, group.get("id"))
            for sub in category.findall("o:control", NS):
                if sub.find("o:part[@name='example']", NS) is not None:
                    subcategories[sub.get("id")] = (
                        _text(sub.find("o:part[@name='statement']", NS)),
                        category.get("id"),
                    )
    return functions, categories, subcategories


def test_nist_xml_has_the_expected_real_core():
    functions, categories, subcategories = nist_core()
    assert (len(functions), len(categories), len(subcategories)) == (6, 22, 106)


def test_builtin_csf_matches_nist_id_by_id_and_text_by_text():
    functions, categories, subcategories = nist_core()
    fw = builtin_install()
    assert fw.slug == BUILTIN_CSF_SLUG and fw.built_in and fw.version == "2.0"
    ours = {r.identifier: r for r in fw.requirements.select_related("parent")}
    assert {i for i, r in ours.items() if r.kind == "function"} == set(functions)
    assert {i for i, r in ours.items() if r.kind == "category"} == set(categories)
    assert {i for i, r in ours.items() if r.kind == "subcategory"} == set(subcategories)
    assert len(ours) == 6 + 22 + 106
    for ident, (title, overview) in functions.items():
        assert ours[ident].title.upper() == title and ours[ident].statement == overview, ident
    for ident, (title, statement, function) in categories.items():
        r = ours[ident]
        assert (r.title, r.statement, r.parent.identifier) == (title, statement, function), ident
        assert not r.assessable
    for ident, (statement, category) in subcategories.items():
        r = ours[ident]
        assert (r.title, r.parent.identifier) == (statement, category), ident
        assert r.assessable
    assert fw.requirement_count == 106
    # in NIST's order
    assert [i for i in ours if ours[i].kind == "function"] == ["GV", "ID", "PR", "DE", "RS", "RC"]


def test_builtin_install_is_idempotent():
    first = builtin_install()
    assert builtin_install() == first
    assert Framework.objects.filter(built_in=True).count() == 1
