import pytest

from ramparts.core.errors import ValidationFailed
from ramparts.frameworks.models import Framework
from ramparts.frameworks.services import framework_import

pytestmark = pytest.mark.django_db

YAML = b"""
framework:
  name: Example Annex
  version: "2022"
  publisher: Example Org
requirements:
  - id: A.5
    title: Organizational controls
    children:
      - id: A.5.1
        title: Policies for information security
        text: Policies are defined, approved, published and reviewed.
        guidance: Start with a top-level policy.
      - id: A.5.2
        title: Roles and responsibilities
  - id: A.6
    title: People controls
  - id: A.6.1
    parent: A.6
    title: Screening
  - id: A.6.9
    parent: A.6
    title: Retired item
    withdrawn: true
"""

CSV = b"""# framework: Example Criteria
# version: 2017 (2022 points of focus)
id,parent,title,text,kind
CC1,,Control environment,,group
CC1.1,CC1,Integrity and ethical values,The entity demonstrates a commitment to integrity.,
CC1.2,CC1,Board independence,"Text with, a comma",
CC2,,Communication,,
"""


def test_yaml_tree(manager):
    result = framework_import(actor=manager, name="annex.yaml", data=YAML)
    fw = result.framework
    assert (fw.kind, fw.source, fw.name, fw.version) == ("custom", "yaml", "Example Annex", "2022")
    assert result.requirements == 4  # A.5.1, A.5.2, A.6.1 and the withdrawn A.6.9; groups are structure
    a51 = fw.requirements.get(identifier="A.5.1")
    assert a51.parent.identifier == "A.5" and a51.statement.startswith("Policies") and a51.guidance
    assert fw.requirements.get(identifier="A.6").kind == "group"
    assert fw.requirements.get(identifier="A.6.9").withdrawn
    assert list(fw.requirements.values_list("identifier", flat=True)) == [
        "A.5",
        "A.5.1",
        "A.5.2",
        "A.6",
        "A.6.1",
        "A.6.9",
    ]


def test_csv_tree(manager):
    fw = framework_import(actor=manager, name="criteria.csv", data=CSV).framework
    assert (fw.source, fw.version) == ("csv", "2017 (2022 points of focus)")
    assert fw.requirements.get(identifier="CC1.2").statement == "Text with, a comma"
    assert fw.requirements.get(identifier="CC1.1").parent.identifier == "CC1"
    assert fw.requirements.get(identifier="CC2").kind == "requirement"  # no children, no kind: assessable


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("dup.yaml", YAML.replace(b"id: A.5.2", b"id: A.5.1"), "duplicate requirement id 'A.5.1'"),
        ("noparent.yaml", YAML.replace(b"parent: A.6\n    title: Screening", b"parent: A.7\n    title: Screening"),
         "no requirement has id 'A.7'"),
        ("cycle.csv", b"# framework: X\n# version: 1\nid,parent\na,b\nb,a\n", "cycle"),
        ("self.csv", b"# framework: X\n# version: 1\nid,parent\na,a\n", "its own parent"),
        ("noversion.csv", b"# framework: X\nid\na\n", "framework.version"),
        ("nokind.csv", b"# framework: X\n# version: 1\nid,kind\na,banana\n", "unknown kind 'banana'"),
        ("badyaml.yaml", b"framework: [\n", "not valid YAML"),
        ("noid.csv", b"title\nx\n", "`id` column"),
        ("latin1.csv", b"# framework: X\n# version: 1\nid\n\xe9\n", "not UTF-8"),
    ],
)  # fmt: skip
def test_bad_custom_files(name, data, message, manager):
    with pytest.raises(ValidationFailed) as info:
        framework_import(actor=manager, name=name, data=data)
    assert message in str(info.value)
    assert not Framework.objects.exists()


def test_hostile_strings_are_stored_as_is(manager):
    data = (
        b'framework: {name: "<script>alert(1)</script>", version: "1"}\nrequirements: [{id: "=cmd|x", title: "<b>"}]\n'
    )
    fw = framework_import(actor=manager, name="x.yaml", data=data).framework
    assert fw.name == "<script>alert(1)</script>"
    assert fw.requirements.get().identifier == "=cmd|x"
