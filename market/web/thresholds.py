"""Surveillance thresholds on the desk: every setting with its description, edited in place."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.services import surveillance
from market.web.access import refused
from market.web.blueprint import bp
from market.web.desk_forms import threshold_value
from market.web.messages import THRESHOLDS


@bp.get("/desk/thresholds")
def threshold_list():
    """Every threshold, its description and value, in one form."""
    return _page()


@bp.post("/desk/thresholds")
def threshold_update():
    """Change the thresholds whose value was edited; the rest stay as they are."""
    # CSRFProtect has checked the token before this view runs, as for every page form.
    changes, errors = {}, {}
    for row in surveillance.list_settings():
        raw = request.form.get(row.key)
        if raw is None:
            continue
        try:
            changes[row.key] = threshold_value(row.key, raw)
        except ValueError as problem:
            errors[row.key] = str(problem)
    if errors:
        return _page(typed=request.form, errors=errors), 422
    try:
        surveillance.update_settings(page_user(), changes)
    except DomainError as error:
        return _page(typed=request.form, error=refused(error)), error.status
    flash(_("Thresholds saved."), "success")
    return redirect(url_for("web.threshold_list"))


def _page(typed=None, errors=None, error: str | None = None) -> str:
    """The thresholds page; values typed in a refused form are shown again."""
    rows = [{"key": row.key, "description": THRESHOLDS.get(row.key, row.description),
             "value": (typed or {}).get(row.key, format(row.value.normalize(), "f"))}
            for row in surveillance.list_settings()]
    return render_template("desk/thresholds.html", rows=rows, errors=errors or {}, error=error)
