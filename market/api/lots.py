"""The registry: register, search, verify, retire."""

from flask import send_file

from market.api.document import Blueprint
from market.auth import current_account, current_actor, roles_required
from market.request_guard import body_limit
from market.schemas.common import ReasonSchema
from market.schemas.lots import (
    EvidenceSchema,
    EvidenceUploadSchema,
    LotCreateSchema,
    LotDetailSchema,
    LotQuerySchema,
    LotSchema,
    RetirementCreateSchema,
    RetirementSchema,
)
from market.services import registry, supervision
from market.services.registry import FORM_OVERHEAD, MAX_EVIDENCE_BYTES

bp = Blueprint("lots", __name__, url_prefix="/lots", description="The indicator registry")


@bp.post("")
@roles_required("trader")
@bp.arguments(LotCreateSchema)
@bp.response(201, LotDetailSchema)
def register_lot(data):
    """Register a lot from an accepted project; it waits for verification."""
    return registry.register_lot(current_actor(), current_account(), data)


@bp.get("")
@roles_required("trader", "regulator")
@bp.arguments(LotQuerySchema, location="query")
@bp.response(200, LotSchema(many=True))
def search_lots(filters):
    """Search the registry (traders see their own lots only)."""
    return registry.search_lots(current_actor(), filters)


@bp.get("/<serial>")
@roles_required("trader", "regulator")
@bp.response(200, LotDetailSchema)
def get_lot(serial):
    """One lot with its parent, children and retirements."""
    return registry.lot_visible_to(current_actor(), serial)


@bp.post("/<serial>/verify")
@roles_required("regulator")
@bp.response(200, LotDetailSchema)
def verify(serial):
    """Accept a pending lot; its quantity becomes available to trade."""
    return registry.verify_lot(current_actor(), serial)


@bp.post("/<serial>/reject")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, LotDetailSchema)
def reject(data, serial):
    """Refuse a pending lot, with a reason."""
    return registry.reject_lot(current_actor(), serial, data["reason"])


@bp.post("/<serial>/freeze")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, LotDetailSchema)
def freeze(data, serial):
    """Freeze an active lot."""
    return supervision.freeze_lot(current_actor(), serial, data["reason"])


@bp.post("/<serial>/unfreeze")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, LotDetailSchema)
def unfreeze(data, serial):
    """Unfreeze a lot."""
    return supervision.unfreeze_lot(current_actor(), serial, data["reason"])


@bp.post("/<serial>/revoke")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, LotDetailSchema)
def revoke(data, serial):
    """Revoke a lot: its free quantity leaves the market."""
    return supervision.revoke_lot(current_actor(), serial, data["reason"])


@bp.post("/<serial>/retirements")
@roles_required("trader")
@bp.arguments(RetirementCreateSchema)
@bp.response(201, RetirementSchema)
def retire(data, serial):
    """Retire quantity against a construction project or an obligation."""
    return registry.retire_from_lot(current_actor(), current_account(), serial, data)


@bp.post("/<serial>/evidence")
@body_limit(MAX_EVIDENCE_BYTES + FORM_OVERHEAD)
@roles_required("trader")
@bp.arguments(EvidenceUploadSchema, location="files")
@bp.response(201, EvidenceSchema)
def upload_evidence(files, serial):
    """Attach an acceptance document (PDF, JPEG or PNG, ≤ 10 MB) to one of your lots."""
    upload = files["file"]
    content = upload.read(MAX_EVIDENCE_BYTES + 1)
    return registry.attach_evidence(current_actor(), serial,
                                    [registry.Upload(upload.filename or "", content)])[0]


@bp.get("/<serial>/evidence")
@roles_required("trader", "regulator")
@bp.response(200, EvidenceSchema(many=True))
def list_evidence(serial):
    """The acceptance documents of a lot (its owner, or a regulator in jurisdiction)."""
    return registry.list_evidence(current_actor(), serial)


@bp.get("/<serial>/evidence/<int:evidence_id>")
@roles_required("trader", "regulator")
@bp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf",
             description="the stored file, as uploaded")
@bp.alt_response(200, schema={"type": "string", "format": "binary"},
                 content_type="image/jpeg", success=True)
@bp.alt_response(200, schema={"type": "string", "format": "binary"},
                 content_type="image/png", success=True)
def download_evidence(serial, evidence_id):
    """The file of one acceptance document (its owner, or a regulator in jurisdiction)."""
    row, path = registry.evidence_file(current_actor(), serial, evidence_id)
    return send_file(path, mimetype=row.content_type, as_attachment=True,
                     download_name=row.filename)
