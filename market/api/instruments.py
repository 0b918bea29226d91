"""The instrument catalogue; regulators change terms and halt trading."""

from flask_smorest import Blueprint

from market.auth import current_actor, roles_required
from market.schemas.common import ReasonSchema
from market.schemas.instruments import InstrumentPatchSchema, InstrumentSchema
from market.services import catalogue

bp = Blueprint("instruments", __name__, url_prefix="/instruments",
               description="Instrument catalogue and terms")


@bp.get("")
@bp.response(200, InstrumentSchema(many=True))
def list_instruments():
    """The catalogue with its terms."""
    current_actor()
    return catalogue.list_instruments()


@bp.get("/<code>")
@bp.response(200, InstrumentSchema)
def get_instrument(code):
    """One instrument and its terms."""
    current_actor()
    return catalogue.instrument_by_code(code)


@bp.patch("/<code>")
@roles_required("regulator")
@bp.arguments(InstrumentPatchSchema)
@bp.response(200, InstrumentSchema)
def update_instrument(changes, code):
    """Change terms: guide, floor, band, deposit, window, fee, mode (audited)."""
    return catalogue.update_terms(current_actor(), code, changes)


@bp.post("/<code>/halt")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, InstrumentSchema)
def halt(data, code):
    """Halt trading."""
    return catalogue.set_instrument_status(current_actor(), code, "halted", data["reason"])


@bp.post("/<code>/resume")
@roles_required("regulator")
@bp.arguments(ReasonSchema)
@bp.response(200, InstrumentSchema)
def resume(data, code):
    """Resume trading."""
    return catalogue.set_instrument_status(current_actor(), code, "open", data["reason"])
