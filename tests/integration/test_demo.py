"""`vigie demo --no-serve` in an empty VIGIE_HOME, checked against the landing files."""

import duckdb
import polars as pl
import pytest

from vigie.ingestion import landing
from vigie.platform.contracts.serving import current_snapshot
from vigie.platform.settings import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _landed_monthly_counts(settings) -> dict:
    frame = (
        landing.scan_table(settings.landing_dir, "invoices")
        .filter(pl.col("scope") == "B2G")  # the hub's activity, as the reports count it
        .select(
            pl.col("deposited_at")
            .dt.convert_time_zone("Europe/Paris")
            .dt.date()
            .dt.truncate("1mo")
            .alias("month")
        )
        .group_by("month")
        .len()
        .collect()
    )
    return dict(frame.iter_rows())


def test_demo_snapshot_answers_the_monthly_count_of_what_landed(demo_home):
    snapshot = current_snapshot(demo_home)
    assert snapshot is not None and snapshot.path.exists()
    with duckdb.connect(str(snapshot.path), read_only=True) as con:
        rows = con.execute(
            "select month_start_date, invoice_count from reports.rpt_monthly_volumes"
        ).fetchall()
    expected = _landed_monthly_counts(demo_home)
    assert dict(rows) == expected
    assert len(expected) == 6  # 2019-10 … 2020-03
    assert sum(expected.values()) > 1000


@pytest.mark.long
def test_demo_can_run_twice_and_publishes_a_new_snapshot_with_the_same_figures(
    demo_home, vigie_cli
):
    before = current_snapshot(demo_home)
    proc = vigie_cli(
        ["demo", "--no-serve", "--from", "2019-10-01", "--to", "2020-03-31", "--scale", "0.0001"],
        demo_home.home,
    )
    assert proc.returncode == 0, proc.stderr
    after = current_snapshot(demo_home)
    assert after.snapshot_id != before.snapshot_id
    assert after.tables == before.tables
    assert "published" in proc.stdout and "invoices" in proc.stdout


@pytest.mark.long
def test_demo_defaults_cover_two_years_in_an_empty_home(tmp_path, vigie_cli):
    home = tmp_path / "empty"
    proc = vigie_cli(["demo", "--no-serve"], home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    snapshot = current_snapshot(get_settings({"VIGIE_HOME": str(home)}))
    with duckdb.connect(str(snapshot.path), read_only=True) as con:
        years = con.execute(
            "select year, sum(invoice_count) from reports.rpt_monthly_volumes group by 1 order by 1"
        ).fetchall()
    assert [y for y, _ in years] == [2019, 2020]
    total = sum(n for _, n in years)
    assert 4000 <= total <= 6000  # "a few thousand invoices over two years"
    # the summary accounts for every generated invoice, as the landing files hold them
    settings = get_settings({"VIGIE_HOME": str(home)})
    landed = dict(
        landing.scan_table(settings.landing_dir, "invoices")
        .group_by("scope")
        .len()
        .collect()
        .iter_rows()
    )
    refused = (
        landing.scan_table(settings.landing_dir, "deposit_refusals")
        .select(pl.len())
        .collect()
        .item()
    )
    assert landed["B2G"] == total and set(landed) == {"B2G", "B2Bi"}
    assert (
        f"invoices     {sum(landed.values()):,} generated = {total:,} to public buyers (B2G, "
        f"the activity figures) + {landed['B2Bi']:,} international B2B" in proc.stdout
    ), proc.stdout
    assert f"refusals     {refused:,} deposits refused at the door" in proc.stdout
    assert "WARNING" not in proc.stdout
