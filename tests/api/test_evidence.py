"""Lot evidence over the API: typed by content, capped at 10 MB, owner and regulator only."""

import hashlib
import io
import json

import pytest
from sqlalchemy import select

from models import AuditEvent, LotEvidence

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(caller, serial, content, filename="验收报告.pdf", mimetype="application/pdf"):
    return caller.post(f"/api/v1/lots/{serial}/evidence", data={
        "file": (io.BytesIO(content), filename, mimetype)}, content_type="multipart/form-data")


@pytest.fixture
def seller(world):
    return world.trader("yixing", "320282")


def test_a_pdf_is_stored_on_disk_by_its_digest_and_audited(world, seller, evidence_dir,
                                                           db_session):
    serial = world.lot(seller, verify=False)
    response = upload(seller, serial, PDF)
    assert response.status_code == 201, response.json
    digest = hashlib.sha256(PDF).hexdigest()
    assert response.json["sha256"] == digest
    assert response.json["content_type"] == "application/pdf"
    assert response.json["size"] == len(PDF)
    assert response.json["filename"] == "验收报告.pdf"
    assert (evidence_dir / digest).read_bytes() == PDF
    row = db_session.scalar(select(LotEvidence))
    assert (row.sha256, row.size) == (digest, len(PDF))
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "lot.evidence"))
    assert event.target_id == serial
    assert json.loads(event.details)["sha256"] == digest


def test_the_type_comes_from_the_content_not_the_name(world, seller, evidence_dir):
    serial = world.lot(seller, verify=False)
    renamed_exe = upload(seller, serial, b"MZ\x90\x00" + b"\x00" * 60, "report.pdf")
    assert renamed_exe.status_code == 415
    assert renamed_exe.json["error"]["code"] == "unsupported_evidence_type"
    text = upload(seller, serial, "验收合格".encode(), "scan.png", "image/png")
    assert text.status_code == 415
    png_named_pdf = upload(seller, serial, PNG, "scan.pdf", "application/pdf")
    assert png_named_pdf.status_code == 201
    assert png_named_pdf.json["content_type"] == "image/png"
    assert len(list(evidence_dir.iterdir())) == 1


def test_an_empty_file_is_refused(world, seller, evidence_dir):
    serial = world.lot(seller, verify=False)
    response = upload(seller, serial, b"")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "empty_evidence"


def test_a_file_over_10_mb_is_refused(world, seller, evidence_dir, db_session):
    serial = world.lot(seller, verify=False)
    just_over = upload(seller, serial, PDF + b"0" * (10 * 1024 * 1024 + 1 - len(PDF)))
    assert just_over.status_code == 413
    assert just_over.json["error"]["code"] == "evidence_too_large"
    far_over = upload(seller, serial, PDF + b"0" * (11 * 1024 * 1024))
    assert far_over.status_code == 413
    assert db_session.scalar(select(LotEvidence)) is None
    assert not evidence_dir.exists() or not any(evidence_dir.iterdir())


def test_a_file_of_10_mb_is_taken(world, seller, evidence_dir):
    serial = world.lot(seller, verify=False)
    response = upload(seller, serial, PDF + b"0" * (10 * 1024 * 1024 - len(PDF)))
    assert response.status_code == 201, response.json


def test_only_the_owner_and_a_regulator_download(world, seller, evidence_dir):
    serial = world.lot(seller, verify=False)
    evidence_id = upload(seller, serial, PDF).json["id"]
    path = f"/api/v1/lots/{serial}/evidence/{evidence_id}"
    own = seller.get(path)
    assert own.status_code == 200
    assert own.data == PDF
    assert own.mimetype == "application/pdf"
    assert "attachment" in own.headers["Content-Disposition"]
    assert world.regulator.get(path).data == PDF
    listed = world.regulator.get(f"/api/v1/lots/{serial}/evidence").json
    assert [item["id"] for item in listed] == [evidence_id]
    stranger = world.trader("xinwu", "320214")
    assert stranger.get(path).status_code == 404
    assert stranger.get(f"/api/v1/lots/{serial}/evidence").status_code == 404
    assert upload(stranger, serial, PDF).status_code == 404
    assert world.anonymous.get(path).status_code == 401


def test_a_regulator_outside_the_jurisdiction_sees_nothing(world, seller, evidence_dir):
    from market.services import identity

    serial = world.lot(seller, verify=False)
    evidence_id = upload(seller, serial, PDF).json["id"]
    ningbo = identity.create_user(world.admin_user, {
        "username": "ningbo", "password": "correct-horse-battery", "role": "regulator",
        "district_code": "330200"})
    outsider = world.caller(ningbo)
    assert outsider.get(f"/api/v1/lots/{serial}/evidence/{evidence_id}").status_code == 404


def test_a_regulator_cannot_upload(world, seller, evidence_dir):
    serial = world.lot(seller, verify=False)
    assert upload(world.regulator, serial, PDF).status_code == 403


def test_a_changed_file_on_disk_is_not_served(world, seller, evidence_dir):
    serial = world.lot(seller, verify=False)
    created = upload(seller, serial, PDF).json
    (evidence_dir / created["sha256"]).write_bytes(PDF + b"tampered")
    response = seller.get(f"/api/v1/lots/{serial}/evidence/{created['id']}")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "evidence_damaged"
