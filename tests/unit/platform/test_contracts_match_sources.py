"""The dbt sources must declare exactly the columns and types of the landing contracts."""

import pytest
import yaml

from vigie.platform.contracts import LANDING_TABLES
from vigie.platform.settings import DBT_PROJECT_DIR

SOURCES_YML = DBT_PROJECT_DIR / "models" / "staging" / "platform" / "_platform__sources.yml"


def _declared_tables() -> dict[str, list[tuple[str, str]]]:
    doc = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    (source,) = [s for s in doc["sources"] if s["name"] == "platform"]
    return {
        t["name"]: [(c["name"], c["data_type"].upper()) for c in t.get("columns", [])]
        for t in source["tables"]
    }


def test_every_landing_table_is_a_dbt_source_and_nothing_else():
    assert sorted(_declared_tables()) == sorted(LANDING_TABLES)


@pytest.mark.parametrize("table", sorted(LANDING_TABLES))
def test_source_columns_match_the_contract_fields_and_types(table):
    expected = [(c.name, c.sql_type) for c in LANDING_TABLES[table].columns()]
    assert _declared_tables()[table] == expected
