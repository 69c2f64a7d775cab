"""The platform's commands: invoice check, structure create, documents verify."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS
from helpers import siret

from vigie.platform.service import Platform
from vigie.platform.settings import get_settings
from vigie.platform.store import Caller

pytestmark = pytest.mark.integration


def test_invoice_check_prints_the_expected_columns_and_exits_0(vigie_cli, tmp_path):
    proc = vigie_cli(["invoice", "check", str(CORPUS / "cii/EN16931_Rabatte.cii.xml")], tmp_path)
    assert proc.returncode == 0, proc.stderr
    verdict = json.loads(proc.stdout)
    header = (CORPUS / "expected.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert set(header) <= set(verdict)
    assert (verdict["invoice_number"], verdict["total_with_vat"]) == (
        "471102",
        "215.07",
    )  # expected.csv BT-112
    assert verdict["errors"] == []


def test_invoice_check_exits_1_with_the_failed_rules(vigie_cli, tmp_path):
    bad = CORPUS / "invalid/not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.ubl.xml"
    proc = vigie_cli(["invoice", "check", str(bad)], tmp_path)
    assert proc.returncode == 1
    codes = [e["code"] for e in json.loads(proc.stdout)["errors"]]
    assert "BR-CO-10" in codes and "BR-CO-15" in codes


def test_structure_create_prints_id_siret_and_key(vigie_cli, tmp_path):
    proc = vigie_cli(
        [
            "structure",
            "create",
            "--siret",
            siret(42),
            "--name",
            "CHU Test",
            "--public",
            "health",
            "--service",
            "PHARMA",
        ],
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["siret"] == siret(42) and out["id"] and out["api_key"].startswith("vk_")
    assert out["legal_payment_delay_days"] == 50
    assert [s["code"] for s in out["services"]] == ["PHARMA"]
    bad = vigie_cli(
        ["structure", "create", "--siret", "12345678912345", "--name", "X", "--private"], tmp_path
    )
    assert bad.returncode != 0 and "STR-01" in bad.stderr


def test_documents_verify_lists_a_tampered_document(vigie_cli, tmp_path):
    settings = get_settings({"VIGIE_HOME": str(tmp_path)})
    platform = Platform(settings)
    recipient = platform.create_structure(siret=siret(1), name="R", public_category="state")
    supplier = platform.create_structure(siret=siret(2), name="S")
    caller = Caller("structure", supplier.id, "S")
    data = (CORPUS / "ubl/ubl-tc434-example1.xml").read_bytes()
    [outcome] = platform.deposit(caller, data, "a.xml", recipient_siret=recipient.siret)
    assert outcome.accepted
    platform.close()
    assert vigie_cli(["documents", "verify"], tmp_path).returncode == 0
    [path] = [p for p in settings.documents_dir.rglob("*") if p.is_file()]
    path.write_bytes(data + b" ")
    proc = vigie_cli(["documents", "verify"], tmp_path)
    assert proc.returncode == 1
    assert f"MISMATCH {path}" in proc.stdout and "1 mismatches" in proc.stdout


def test_bench_parse_prints_its_figures(vigie_cli, tmp_path):
    proc = vigie_cli(["bench", "parse", "--count", "60"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "bench parse: 60 UBL invoices of 10 lines" in proc.stdout
    assert "invoices/s on one core" in proc.stdout and "peak RSS" in proc.stdout
    assert "official artefacts (Saxon XSLT):" in proc.stdout and "% of the time" in proc.stdout


def test_bench_api_stores_every_acknowledged_deposit(vigie_cli, tmp_path):
    proc = vigie_cli(["bench", "api", "--count", "120", "--concurrency", "4"], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "bench api: 120 deposits, 4 concurrent clients" in proc.stdout
    assert "errors 0; acknowledged 120; stored 120" in proc.stdout


def test_access_commands_grant_list_revoke_and_refuse_a_grant_that_makes_no_sense(
    vigie_cli, tmp_path
):
    entity = siret(701)
    made = vigie_cli(
        [
            "access",
            "grant",
            "--email",
            "DAF@Ville.fr",
            "--role",
            "public_entity",
            "--structure",
            entity,
        ],
        tmp_path,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"granted public_entity to DAF@Ville.fr over {entity}"
    again = vigie_cli(
        [
            "access",
            "grant",
            "--email",
            "daf@ville.fr",
            "--role",
            "public_entity",
            "--structure",
            entity,
        ],
        tmp_path,
    )
    assert "(already in force)" in again.stdout
    listed = vigie_cli(["access", "list"], tmp_path).stdout.split()
    assert listed == ["daf@ville.fr", "public_entity", entity]

    wrong = vigie_cli(["access", "grant", "--email", "x@y.fr", "--role", "supplier"], tmp_path)
    assert wrong.returncode == 1
    assert "a supplier grant names its structures (--structure SIRET)" in wrong.stderr
    assert vigie_cli(["access", "list"], tmp_path).stdout.split() == listed  # nothing added

    gone = vigie_cli(["access", "revoke", "--email", "daf@ville.fr"], tmp_path)
    assert gone.stdout.strip() == "revoked 1 grant(s) of daf@ville.fr"
    assert vigie_cli(["access", "list"], tmp_path).stdout.strip() == ""
    history = vigie_cli(["access", "list", "--all"], tmp_path).stdout
    assert "revoked" in history and entity in history
