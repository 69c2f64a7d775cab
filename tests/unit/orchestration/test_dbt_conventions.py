"""STYLE.md §5 read off the dbt manifest: prefixes, descriptions, key tests, contracts."""

import json

import pytest

PREFIXES = {"staging": "stg_", "intermediate": "int_", "marts": ("fct_", "dim_"), "reports": "rpt_"}


@pytest.fixture(scope="module")
def manifest(dbt_manifest):
    return json.loads(dbt_manifest.read_text(encoding="utf-8"))


def _models(manifest):
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def test_models_are_named_after_their_layer_and_described(manifest):
    models = _models(manifest)
    assert models
    for node in models:
        layer = node["fqn"][1]
        assert node["name"].startswith(PREFIXES[layer]), node["name"]
        assert node["description"].strip(), f"{node['name']} has no description"


def test_marts_and_reports_have_an_enforced_contract_and_a_unique_key_test(manifest):
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    for node in _models(manifest):
        if node["fqn"][1] not in ("marts", "reports"):
            continue
        assert node["config"]["contract"]["enforced"], node["name"]
        assert all(c.get("data_type") for c in node["columns"].values()), node["name"]
        # a unique column, or a unique combination of columns (our generic test)
        unique_tested = {
            t["unique_id"]
            for t in tests
            if t.get("test_metadata", {}).get("name") in ("unique", "unique_combination")
            and node["unique_id"] in t["depends_on"]["nodes"]
        }
        assert unique_tested, f"{node['name']} has no unique key test"
