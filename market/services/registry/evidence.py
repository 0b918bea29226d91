"""Lot evidence: acceptance documents (验收材料), typed by content, kept on disk, audited.

A file's type is read from its first bytes, never from its name or the browser's word for
it, so a renamed executable is refused. Files are named by their SHA-256 in EVIDENCE_DIR:
the same document uploaded twice is stored once, and a rolled-back upload leaves only a
harmless, unreferenced file. The digest is checked again on every download.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from market.errors import DomainError, InvalidInput, NotFound
from market.extensions import db
from market.services import audit
from market.services.registry.lots import lot_visible_to, register_lot
from market.services.transaction import use_case
from models import Account, Lot, LotEvidence, User

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_LOT = 20
# What a request carrying one file (or a form with MAX_FILES_PER_FORM) may weigh in all.
FORM_OVERHEAD = 64 * 1024
MAX_FILES_PER_FORM = 3
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the uploader gave it and its bytes."""

    filename: str
    content: bytes


def sniff_type(content: bytes) -> str | None:
    """The evidence type the content's magic bytes announce, or None."""
    return next((kind for magic, kind in SIGNATURES if content.startswith(magic)), None)


def check_upload(upload: Upload) -> str:
    """The upload's content type; refuses empty, oversized or unrecognised files."""
    if not upload.content:
        raise InvalidInput("file", "the file is empty", code="empty_evidence")
    if len(upload.content) > MAX_EVIDENCE_BYTES:
        raise DomainError("evidence_too_large",
                          f"{upload.filename} is over {MAX_EVIDENCE_BYTES} bytes",
                          {"file": ["larger than 10 MB"]}, status=413)
    kind = sniff_type(upload.content)
    if kind is None:
        raise DomainError("unsupported_evidence_type",
                          f"{upload.filename} is not a PDF, JPEG or PNG file",
                          {"file": ["must be a PDF, JPEG or PNG file"]}, status=415)
    return kind


def _clean_name(filename: str) -> str:
    # Only the last path part: a name is shown and offered back, never used as a path.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (name or "evidence")[:200]


def _folder() -> Path:
    folder = Path(current_app.config["EVIDENCE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store(content: bytes, digest: str) -> None:
    target = _folder() / digest
    if target.exists():
        return
    # Written aside and renamed, so a reader never sees half a file under its digest.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)
    os.replace(temporary, target)


def add_evidence(actor: User, lot: Lot, uploads: list[Upload]) -> list[LotEvidence]:
    """Attach files to a lot the actor owns; a part of the caller's use case."""
    if actor.role != "trader" or lot.owner_account_id != actor.account_id:
        raise DomainError("not_lot_owner", "only the lot's owner attaches evidence",
                          status=403)
    kinds = [check_upload(upload) for upload in uploads]
    held = len(evidence_of(lot))
    if held + len(uploads) > MAX_FILES_PER_LOT:
        raise InvalidInput("file", f"a lot holds at most {MAX_FILES_PER_LOT} files",
                           code="too_many_evidence_files")
    rows = []
    for upload, kind in zip(uploads, kinds, strict=True):
        digest = hashlib.sha256(upload.content).hexdigest()
        _store(upload.content, digest)
        row = LotEvidence(lot=lot, filename=_clean_name(upload.filename), content_type=kind,
                          size=len(upload.content), sha256=digest,
                          uploaded_by_user_id=actor.id)
        db.session.add(row)
        db.session.flush()
        audit.record(actor, "lot.evidence", "lot", lot.serial,
                     {"evidence_id": row.id, "filename": row.filename, "type": kind,
                      "size": row.size, "sha256": digest})
        rows.append(row)
    return rows


@use_case
def attach_evidence(actor: User, serial: str, uploads: list[Upload]) -> list[LotEvidence]:
    """Attach acceptance documents to one of the actor's lots, each upload audited."""
    return add_evidence(actor, lot_visible_to(actor, serial), uploads)


@use_case
def register_lot_with_evidence(actor: User, account: Account, data: dict,
                               uploads: list[Upload]) -> Lot:
    """Register a lot and attach its acceptance documents in one transaction."""
    for upload in uploads:
        check_upload(upload)
    lot = register_lot(actor, account, data)
    add_evidence(actor, lot, uploads)
    return lot


def evidence_of(lot: Lot) -> list[LotEvidence]:
    """A lot's evidence, oldest first (callers have checked the lot is in sight)."""
    return list(db.session.scalars(
        select(LotEvidence).where(LotEvidence.lot_id == lot.id).order_by(LotEvidence.id)))


def evidence_of_lots(lots: list[Lot]) -> dict[str, list[LotEvidence]]:
    """Each lot's evidence by serial, in one query (callers have checked the lots are in
    sight, as search_lots does): a queue of pending lots would otherwise ask once per lot."""
    found: dict[str, list[LotEvidence]] = {lot.serial: [] for lot in lots}
    serials = {lot.id: lot.serial for lot in lots}
    if serials:
        for row in db.session.scalars(select(LotEvidence).where(
                LotEvidence.lot_id.in_(serials)).order_by(LotEvidence.id)):
            found[serials[row.lot_id]].append(row)
    return found


def list_evidence(actor: User, serial: str) -> list[LotEvidence]:
    """The evidence of a lot the actor may see."""
    return evidence_of(lot_visible_to(actor, serial))


def evidence_file(actor: User, serial: str, evidence_id: int) -> tuple[LotEvidence, Path]:
    """One evidence row and its file, for the lot's owner or a regulator in jurisdiction."""
    lot = lot_visible_to(actor, serial)
    row = db.session.get(LotEvidence, evidence_id)
    if row is None or row.lot_id != lot.id:
        raise NotFound("evidence", evidence_id)
    path = _folder() / row.sha256
    if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != row.sha256:
        raise DomainError("evidence_damaged",
                          f"the stored file of evidence {evidence_id} is missing or changed")
    return row, path
