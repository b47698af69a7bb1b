"""The samples in docs/frameworks.md import as documented."""

import re
import textwrap
from pathlib import Path

import pytest

from ramparts.frameworks.services import builtin_install, framework_import, mapping_import

pytestmark = pytest.mark.django_db
DOC = (Path(__file__).resolve().parents[2] / "docs" / "frameworks.md").read_text()


def blocks(lang: str) -> list[str]:
    return [textwrap.dedent(b) for b in re.findall(rf"^ *```{lang}\n(.*?)^ *```", DOC, re.S | re.M)]


def test_yaml_csv_and_crosswalk_samples(manager):
    builtin_install()
    annex = framework_import(actor=manager, name="sample.yaml", data=blocks("yaml")[0].encode())
    assert annex.framework.slug == "example-security-annex-2024" and annex.requirements == 3
    criteria = framework_import(actor=manager, name="sample.csv", data=blocks("csv")[0].encode())
    assert criteria.requirements == 2
    crosswalk = mapping_import(actor=manager, name="crosswalk.csv", data=blocks("csv")[1].encode())
    assert crosswalk.created == 2
