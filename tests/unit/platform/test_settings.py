from pathlib import Path

import pytest

from vigie.platform.settings import DBT_PROJECT_DIR, get_settings


def test_settings_default_home_is_data_under_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = get_settings({})
    assert settings.home == tmp_path / "data"
    assert settings.warehouse_path == tmp_path / "data" / "warehouse.duckdb"
    assert settings.landing_dir == tmp_path / "data" / "landing"


def test_settings_resolve_a_relative_home_to_an_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = get_settings({"VIGIE_HOME": "elsewhere/home"})
    assert settings.home == tmp_path / "elsewhere" / "home"
    assert settings.serving_pointer == tmp_path / "elsewhere" / "home" / "serving" / "current.json"


def test_dbt_environment_hands_absolute_paths_to_dbt(tmp_path):
    env = get_settings({"VIGIE_HOME": str(tmp_path)}).dbt_env()
    for key in ("WAREHOUSE_PATH", "VIGIE_LANDING_DIR", "VIGIE_SPILL_DIR", "DBT_LOG_PATH"):
        assert Path(env[key]).is_absolute(), key
        assert Path(env[key]).is_relative_to(tmp_path), key
    assert env["WAREHOUSE_PATH"] == str(tmp_path / "warehouse.duckdb")
    assert env["DBT_PROFILES_DIR"] == str(DBT_PROJECT_DIR)


def test_tests_never_run_with_the_repository_data_folder():
    from vigie.platform.settings import REPO_ROOT

    assert get_settings().home != REPO_ROOT / "data"


def test_the_spark_engine_selects_its_dbt_target_and_a_catalog_of_its_tables(tmp_path):
    duck = get_settings({"VIGIE_HOME": str(tmp_path)})
    assert (duck.engine, duck.dbt_target) == ("duckdb", "dev")
    assert duck.warehouse_path == tmp_path / "warehouse.duckdb"

    spark = get_settings({"VIGIE_HOME": str(tmp_path), "VIGIE_ENGINE": "Spark"})
    assert (spark.engine, spark.dbt_target) == ("spark", "spark")
    # the publication reads a DuckDB catalog of the Parquet files Spark wrote
    assert spark.warehouse_path == tmp_path / "spark" / "warehouse.duckdb"
    env = spark.dbt_env()
    assert env["VIGIE_SPARK_WAREHOUSE"] == str(tmp_path / "spark" / "warehouse")
    assert env["VIGIE_SPARK_METASTORE_URL"] == (
        f"jdbc:derby:;databaseName={tmp_path / 'spark' / 'metastore'};create=true"
    )
    memory = get_settings(
        {"VIGIE_HOME": str(tmp_path), "VIGIE_ENGINE": "spark", "VIGIE_SPARK_METASTORE": "memory"}
    )
    assert memory.dbt_env()["VIGIE_SPARK_METASTORE_URL"].startswith("jdbc:derby:memory:")
    assert not spark.warehouse_exists()


def test_an_unknown_engine_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="VIGIE_ENGINE='postgres': expected one of duckdb, spark"):
        get_settings({"VIGIE_HOME": str(tmp_path), "VIGIE_ENGINE": "postgres"})
