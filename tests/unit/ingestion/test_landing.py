from datetime import UTC, date, datetime
from decimal import Decimal

import polars as pl
import pytest

from vigie.ingestion import landing
from vigie.platform.contracts import Solicitation


def _solicitations(**overrides) -> pl.DataFrame:
    rows = {
        "solicitation_id": ["SO1", "SO2"],
        "structure_id": ["ST1", "ST2"],
        "category": ["suivi_facture", "autre"],
        "channel": ["assistant", "human"],
        "invoice_id": [None, "FA1"],
        # 23:30 UTC on 31 Dec is already 1 Jan in Paris
        "created_at": [
            datetime(2019, 12, 31, 23, 30, tzinfo=UTC),
            datetime(2020, 1, 1, 9, 0, tzinfo=UTC),
        ],
    }
    rows.update(overrides)
    return pl.DataFrame(rows)


def test_write_table_writes_one_file_per_paris_day_and_no_temporary_file(tmp_path):
    written = landing.write_table(tmp_path, "solicitations", _solicitations(), part="p1")
    assert [(w.day, w.rows) for w in written] == [(date(2020, 1, 1), 2)]
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["solicitations/date=2020-01-01/p1.parquet"]
    back = landing.read_file(written[0].path, "solicitations")
    assert back.get_column("solicitation_id").to_list() == ["SO1", "SO2"]
    assert back.schema["created_at"] == pl.Datetime("us", "UTC")


def test_writing_the_same_part_again_replaces_it(tmp_path):
    landing.write_table(tmp_path, "solicitations", _solicitations(), part="p1")
    landing.write_table(tmp_path, "solicitations", _solicitations().head(1), part="p1")
    assert landing.scan_table(tmp_path, "solicitations").collect().height == 1


def test_a_code_outside_the_contract_is_refused_with_row_and_column_and_nothing_is_written(
    tmp_path,
):
    frame = _solicitations(channel=["assistant", "telephone"])
    with pytest.raises(landing.ContractViolation) as err:
        landing.write_table(tmp_path, "solicitations", frame, part="p1")
    assert (err.value.column, err.value.row) == ("channel", 1)
    assert "telephone" in str(err.value)
    assert not any(tmp_path.rglob("*.parquet"))


def test_a_naive_timestamp_is_refused(tmp_path):
    frame = _solicitations(created_at=[datetime(2020, 1, 1, 9), datetime(2020, 1, 2, 9)])
    with pytest.raises(landing.ContractViolation, match="time-zone-aware") as err:
        landing.write_table(tmp_path, "solicitations", frame, part="p1")
    assert err.value.column == "created_at"


def test_money_as_float_is_refused(tmp_path):
    frame = pl.DataFrame(
        {
            "invoice_id": ["FA1"],
            "line_number": [1],
            "deposited_at": [datetime(2020, 1, 1, 9, tzinfo=UTC)],
            "vat_category_code": ["S"],
            "vat_rate": [Decimal("20.00")],
            "taxable_amount": [100.10],
            "tax_amount": [Decimal("20.02")],
        }
    )
    with pytest.raises(landing.ContractViolation, match="never floats") as err:
        landing.write_table(tmp_path, "invoice_vat_lines", frame, part="p1")
    assert err.value.column == "taxable_amount"


def test_a_missing_required_value_and_a_duplicate_key_are_refused(tmp_path):
    with pytest.raises(landing.ContractViolation, match="must not be empty") as err:
        landing.write_table(
            tmp_path, "solicitations", _solicitations(structure_id=["ST1", None]), part="p"
        )
    assert (err.value.column, err.value.row) == ("structure_id", 1)
    with pytest.raises(landing.ContractViolation, match="duplicate primary key") as err:
        landing.write_table(
            tmp_path, "solicitations", _solicitations(solicitation_id=["SO1", "SO1"]), part="p"
        )
    assert err.value.row == 0


def test_reading_a_file_that_breaks_the_contract_names_the_file_row_and_column(tmp_path):
    bad = tmp_path / "solicitations" / "date=2020-01-01" / "bad.parquet"
    bad.parent.mkdir(parents=True)
    _solicitations(category=["autre", None]).write_parquet(bad)
    with pytest.raises(landing.ContractViolation) as err:
        landing.read_file(bad, "solicitations")
    assert (err.value.path, err.value.row, err.value.column) == (bad, 1, "category")


def test_records_are_validated_by_the_pydantic_contract():
    good = {
        "solicitation_id": "SO1",
        "structure_id": "ST1",
        "category": "autre",
        "channel": "human",
        "invoice_id": None,
        "created_at": datetime(2020, 1, 1, 9, tzinfo=UTC),
    }
    frame = landing.frame_from_records(Solicitation, [good])
    assert frame.schema == landing.landing_schema(Solicitation)
    with pytest.raises(ValueError, match="channel"):
        landing.frame_from_records(Solicitation, [{**good, "channel": "fax"}])
