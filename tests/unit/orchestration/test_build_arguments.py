"""The pure helpers that turn a run's request into dbt arguments, landing days and groups."""

import json
from datetime import date

import dagster as dg

from vigie.orchestration.defs.dbt.translator import group_for
from vigie.orchestration.partitions import landing_days, landing_window
from vigie.orchestration.pipeline import dbt_build_args, demo_run_config


def test_a_build_without_days_loads_from_the_last_day_loaded_and_runs_the_unit_tests():
    assert dbt_build_args() == ["build"]


def test_a_full_refresh_rebuilds_everything_with_the_unit_tests():
    assert dbt_build_args(full_refresh=True) == ["build", "--full-refresh"]


def test_a_run_over_days_passes_them_as_vars_and_leaves_out_the_unit_tests():
    args = dbt_build_args(landing_from=date(2020, 3, 1), landing_to=date(2020, 3, 31))
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {"landing_from": "2020-03-01", "landing_to": "2020-03-31"}
    assert args[3:] == ["--exclude-resource-type", "unit_test"]
    only_from = dbt_build_args(landing_from=date(2020, 3, 1))
    assert json.loads(only_from[2]) == {"landing_from": "2020-03-01"}


def test_a_full_refresh_over_days_keeps_the_days_and_the_unit_tests():
    args = dbt_build_args(landing_from=date(2020, 3, 1), full_refresh=True)
    assert args == ["build", "--vars", '{"landing_from": "2020-03-01"}', "--full-refresh"]


def test_models_whose_code_changed_are_named_for_a_rebuild_beside_the_days():
    args = dbt_build_args(landing_from=date(2020, 3, 1), rebuild=["fct_invoices", "rpt_x"])
    assert json.loads(args[2]) == {
        "landing_from": "2020-03-01",
        "rebuild_models": ["fct_invoices", "rpt_x"],
    }
    assert dbt_build_args(rebuild=["fct_invoices"]) == [
        "build",
        "--vars",
        '{"rebuild_models": ["fct_invoices"]}',
    ]
    # a full refresh rebuilds everything: no list
    assert dbt_build_args(full_refresh=True, rebuild=["fct_invoices"]) == [
        "build",
        "--full-refresh",
    ]


def test_a_partition_is_its_paris_day_even_on_the_day_clocks_change():
    # 29 March 2020 has 23 hours in Paris; 25 October 2020 has 25
    for day in ("2020-03-29", "2020-10-25", "2020-12-31"):
        window = landing_days.time_window_for_partition_key(day)
        assert landing_window(window) == (date.fromisoformat(day),) * 2


def test_a_range_of_partitions_is_one_window_of_landing_days():
    first = landing_days.time_window_for_partition_key("2020-03-01")
    last = landing_days.time_window_for_partition_key("2020-03-31")
    window = dg.TimeWindow(first.start, last.end)
    assert landing_window(window) == (date(2020, 3, 1), date(2020, 3, 31))


def test_a_dbt_node_is_grouped_by_its_folder():
    model = {"resource_type": "model", "fqn": ["vigie", "staging", "platform", "stg_x"]}
    assert group_for(model) == "staging"
    assert group_for({"resource_type": "seed", "fqn": ["vigie", "ref_x"]}) == "reference"
    assert group_for({"resource_type": "model", "fqn": ["vigie", "top_level"]}) == "warehouse"


def test_the_demo_job_generates_then_fully_rebuilds_what_it_generated():
    config = demo_run_config(date(2019, 10, 1), date(2020, 3, 31), 0.0001, 7)
    assert config["ops"] == {
        "synthetic_history": {
            "config": {"start": "2019-10-01", "end": "2020-03-31", "scale": 0.0001, "seed": 7}
        },
        "warehouse_dbt_assets": {"config": {"full_refresh": True}},
    }
