"""The district tree."""


from market.api.document import Blueprint
from market.auth import current_actor
from market.schemas.accounts import DistrictSchema
from market.services import catalogue

bp = Blueprint("districts", __name__, url_prefix="/districts", description="District tree")


@bp.get("")
@bp.response(200, DistrictSchema(many=True))
def list_districts():
    """Every district with its level and parent."""
    current_actor()
    return catalogue.all_districts()
