"""docs/inventory-import.md must describe exactly the columns the code accepts."""

from pathlib import Path

from ramparts.inventory.importexport.columns import ENTITIES
from ramparts.inventory.importexport.docs import sections, table

DOC = Path(__file__).resolve().parents[2] / "docs" / "inventory-import.md"


def test_every_entity_has_its_column_table_and_it_matches_the_code():
    found = sections(DOC.read_text(encoding="utf-8"))
    assert set(found) == set(ENTITIES)
    for slug, entity in ENTITIES.items():
        assert found[slug] == table(entity), (
            f"The {slug} table in {DOC.name} is out of date: run "
            "`python -m ramparts.inventory.importexport.docs docs/inventory-import.md`"
        )
        for column in entity.columns:
            assert f"`{column.name}`" in found[slug]
            for choice in column.choices:
                assert choice in found[slug]
