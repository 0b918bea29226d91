"""Flask extensions, created unbound here and bound in create_app()."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from market.schemas.errors import ErrorSchema
from market.schemas.fields import int_bounds
from models import Base


class MarketApi(Api):
    """flask-smorest's Api, but every HTTP error uses the project's one error shape.

    The document says so too: smorest's stock error schema (`code` an integer, `status`,
    `errors`) would describe a body this service never sends.
    """

    ERROR_SCHEMA = ErrorSchema

    def init_app(self, app, *args, **kwargs):
        """Bind to the app, and document the integer bounds every Int field enforces."""
        super().init_app(app, *args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(int_bounds)

    def handle_http_exception(self, error):
        from market.errors import http_error_response

        return http_error_response(error)


# Objects stay loaded after commit: a use case commits once at its end and the handler then
# serializes what it returned; expiring everything would reload each row for the response.
# Each request has its own session, so nothing outlives the request it was read in.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = MarketApi()
csrf = CSRFProtect()
