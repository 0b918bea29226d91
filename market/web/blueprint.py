"""The pages' blueprint, in a module of its own so page modules can attach views to it."""

from flask import Blueprint

bp = Blueprint("web", __name__)
