"""Hostile input never hurts: each attack gets a clear 4xx, the server keeps serving and
nothing is stored (no invoice, no archived document)."""

from __future__ import annotations

import io
import sqlite3
import zipfile

import pytest
from conftest import CORPUS
from helpers import siret

pytestmark = pytest.mark.integration

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&xxe;</ID></Invoice>
"""
XXE_NETWORK = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>
"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<lolz>&lol9;</lolz>
"""
UTF16_XXE = (
    XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
)


@pytest.fixture(scope="module")
def supplier(api):
    op = api.client(api.operator_key)
    recipient = op.post(
        "/v1/structures",
        json={"siret": siret(300), "name": "Préfecture", "public_category": "state"},
    ).json()
    me = op.post("/v1/structures", json={"siret": siret(301), "name": "Attaquant"}).json()
    return {"key": me["api_key"], "recipient": recipient["siret"]}


def _stored(api) -> tuple[int, int]:
    with sqlite3.connect(api.home / "platform.sqlite") as con:
        invoices = con.execute("select count(*) from invoices").fetchone()[0]
    documents = len([p for p in (api.home / "documents").rglob("*") if p.is_file()])
    return invoices, documents


def _post(api, supplier, name, data, **form):
    with api.client(supplier["key"]) as c:
        return c.post(
            "/v1/invoices",
            files={"file": (name, data)},
            data={"recipient_siret": supplier["recipient"], **form},
        )


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _bomb() -> bytes:
    """A ZIP whose one entry inflates from ~100 KB to 100 MB of zeros."""
    buf = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("bomb.xml", "w", force_zip64=True) as f,
    ):
        for _ in range(100):
            f.write(chunk)
    return buf.getvalue()


CASES = {
    "xxe_file": ("x.xml", XXE, "XML-02"),
    "xxe_network_dtd": ("x.xml", XXE_NETWORK, "XML-02"),
    "billion_laughs": ("x.xml", BILLION_LAUGHS, "XML-02"),
    "xxe_utf16": ("x.xml", UTF16_XXE, "XML-02"),
    "claims_pdf": ("invoice.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20, "FMT-03"),
    "claims_xml": ("invoice.xml", b"<?xml version='1.0'?>\x00\xff\xfe garbage", "XML-01"),
    "random_bytes": ("invoice.pdf", bytes(range(256)) * 10, "FMT-01"),
    "truncated_xml": (
        "t.xml",
        (CORPUS / "ubl/EN16931_Einfach.ubl.xml").read_bytes()[:2000],
        "XML-01",
    ),
    "truncated_pdf": ("t.pdf", (CORPUS / "facturx/EN16931_Einfach.pdf").read_bytes()[:30000], None),
    "empty_file": ("e.xml", b"", "FMT-01"),
    "not_an_invoice": ("n.xml", b"<html><body>hello</body></html>", "FMT-02"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_document_gets_a_clear_refusal_and_nothing_is_stored(api, supplier, case):
    name, data, code = CASES[case]
    before = _stored(api)
    r = _post(api, supplier, name, data)
    assert r.status_code == 422, r.text
    codes = [e["code"] for e in r.json()["errors"]]
    assert len(codes) == 1
    if code is None:  # a truncated PDF: unreadable, or readable without its XML
        assert codes[0] in {"FMT-03", "FMT-04", "XML-01"}
    else:
        assert codes == [code]
    assert _stored(api) == before
    assert api.client().get("/v1/health").status_code == 200


def test_xxe_never_leaks_the_file_it_points_to(api, supplier):
    r = _post(api, supplier, "x.xml", XXE)
    assert "root:" not in r.text


def test_zip_entries_with_absolute_or_parent_paths_are_refused(api, supplier):
    valid = (CORPUS / "cii/CII_example1.xml").read_bytes()
    data = _zip(
        {
            "../../etc/cron.d/x.xml": valid,
            "/abs/x.xml": valid,
            "C:\\\\windows\\\\x.xml": valid,
            "ok/../../x.xml": valid,
        }
    )
    before = _stored(api)
    r = _post(api, supplier, "paths.zip", data)
    assert r.status_code == 200
    assert {res["errors"][0]["code"] for res in r.json()["results"]} == {"ZIP-01"}
    assert r.json()["accepted"] == 0
    assert _stored(api) == before
    assert not list(api.home.parent.rglob("cron.d"))


def test_zip_bomb_is_stopped_by_ratio_before_it_is_inflated(api, supplier):
    before = _stored(api)
    bomb = _bomb()
    assert len(bomb) < 1024 * 1024
    r = _post(api, supplier, "bomb.zip", bomb)
    assert r.status_code == 200
    assert [res["errors"][0]["code"] for res in r.json()["results"]] == ["ZIP-02"]
    assert _stored(api) == before
    assert api.client().get("/v1/health").status_code == 200


def test_nested_and_corrupt_archives_are_refused(api, supplier):
    inner = _zip({"a.xml": (CORPUS / "cii/CII_example1.xml").read_bytes()})
    r = _post(api, supplier, "nested.zip", _zip({"inner.zip": inner}))
    assert [res["errors"][0]["code"] for res in r.json()["results"]] == ["ZIP-05"]
    r = _post(api, supplier, "corrupt.zip", b"PK\x03\x04" + b"\x00" * 100)
    assert [res["errors"][0]["code"] for res in r.json()["results"]] == ["ZIP-04"]


def test_oversized_upload_is_refused_with_413_before_being_read(api, supplier):
    # the module's server caps uploads at 2 MiB (VIGIE_MAX_UPLOAD_BYTES)
    before = _stored(api)
    r = _post(api, supplier, "big.xml", b"<a>" + b" " * (3 * 1024 * 1024) + b"</a>")
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "SIZE-01"
    assert _stored(api) == before
    assert api.client().get("/v1/health").status_code == 200


def test_a_bad_entry_does_not_stop_the_rest_of_the_batch(api, supplier):
    data = _zip(
        {"xxe.xml": XXE, "good.xml": (CORPUS / "ubl/ubl-tc434-creditnote1.xml").read_bytes()}
    )
    r = _post(api, supplier, "mixed.zip", data)
    by_file = {res["file"]: res for res in r.json()["results"]}
    assert by_file["good.xml"]["status"] == "accepted"
    assert by_file["xxe.xml"]["errors"][0]["code"] == "XML-02"
