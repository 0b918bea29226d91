"""Swagger UI's files, served from the installed package instead of a CDN."""

from flask import Blueprint, send_from_directory
from swagger_ui_bundle import swagger_ui_path

bp = Blueprint("api_docs_assets", __name__)


@bp.get("/api/v1/docs/assets/<path:filename>")
def asset(filename: str):
    """One Swagger UI asset (JavaScript, CSS, icon)."""
    return send_from_directory(swagger_ui_path, filename, max_age=86400)
