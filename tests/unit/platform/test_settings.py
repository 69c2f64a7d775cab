from pathlib import Path

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
