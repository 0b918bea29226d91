"""The instrument catalogue; regulators change terms and halt trading."""


from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.schemas.common import ReasonSchema
from market.schemas.instruments import (
    InstrumentCreateSchema,
    InstrumentPatchSchema,
    InstrumentSchema,
    TermsQuerySchema,
    TermsSchema,
)
from market.services import catalogue

bp = Blueprint("instruments", __name__, url_prefix="/instruments",
               description="Instrument catalogue and terms")


@bp.get("")
@bp.response(200, InstrumentSchema(many=True))
def list_instruments():
    """The catalogue with its terms."""
    current_actor()
    return catalogue.list_instruments()


@bp.post("")
@roles_required("regulator")
@bp.arguments(InstrumentCreateSchema)
@bp.response(201, InstrumentSchema)
def create_instrument(data):
    """Add an instrument to the catalogue, every term validated (audited)."""
    return catalogue.create_instrument(current_actor(), data)


@bp.get("/<code>")
@bp.response(200, InstrumentSchema)
def get_instrument(code):
    """One instrument and its terms."""
    current_actor()
    return catalogue.instrument_by_code(code)


@bp.get("/<code>/terms")
@bp.arguments(TermsQuerySchema, location="query")
@bp.response(200, TermsSchema)
def terms_in_force(query, code):
    """The terms in force at ?at= (default now): guide, floor, band, deposit, windows."""
    current_actor()
    return catalogue.terms_view(catalogue.instrument_by_code(code), query.get("at"))


@bp.get("/<code>/terms/history")
@bp.response(200, TermsSchema(many=True))
def terms_history(code):
    """Every set of terms the instrument has had, each with the span it was in force."""
    current_actor()
    return catalogue.history_view(catalogue.instrument_by_code(code))


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
