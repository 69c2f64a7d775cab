"""A publication whose sort spills to disk works on a home whose temporary folder is gone."""

import duckdb
import pytest

from vigie.orchestration.publish import publish_snapshot
from vigie.platform.settings import get_settings

pytestmark = pytest.mark.integration


def test_a_sort_that_spills_recreates_the_spill_folder(tmp_path):
    # nothing but the warehouse: no VIGIE_HOME/tmp (cleared, or a home set up by hand)
    settings = get_settings({"VIGIE_HOME": str(tmp_path), "VIGIE_DUCKDB_MEMORY_LIMIT": "80MB"})
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("create schema reports")
        # published sorted by recipient then payment date: 80 MB cannot hold the sort
        con.execute(
            "create table reports.rpt_late_invoices as select"
            " 'S' || (i * 7919 % 100003) as recipient_structure_id,"
            " date '2020-01-01' + cast(i % 366 as integer) as payment_date,"
            " md5(i::varchar) || md5((i + 1)::varchar) as invoice_id"
            " from range(1500000) as t(i)"
        )
    assert not settings.spill_dir.exists()

    snapshot = publish_snapshot(settings)

    with duckdb.connect(str(snapshot.path), read_only=True) as con:
        (count,) = con.execute("select count(*) from reports.rpt_late_invoices").fetchone()
        (unsorted,) = con.execute(
            "select count(*) from (select (recipient_structure_id, payment_date)"
            " < lag((recipient_structure_id, payment_date)) over (order by rowid) as before"
            " from reports.rpt_late_invoices) where before"
        ).fetchone()
    assert count == 1_500_000
    assert unsorted == 0  # stored in the order the overdue pages filter on
