"""The administrator's pages: accounts and users, created, deactivated, given new passwords."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from market.auth import page_user
from market.errors import DomainError
from market.extensions import db
from market.services import identity
from market.web.access import refused
from market.web.blueprint import bp
from market.web.desk_forms import NewAccountForm, NewUserForm, PasswordForm, ReasonOnlyForm
from market.web.messages import ROLE
from models import USER_ROLES, User


@bp.get("/admin")
def admin_home():
    """Every account and user, and the forms that create accounts and users."""
    return _page()


@bp.post("/admin/accounts")
def admin_create_account():
    """Open a trading account in a district."""
    form = NewAccountForm()
    if not form.validate_on_submit():
        return _page(account_form=form), 422
    try:
        created = identity.create_account(page_user(), {
            "name": form.name.data.strip(), "kind": form.kind.data,
            "district_code": form.district_code.data.strip()})
    except DomainError as error:
        return _page(account_form=form, error=refused(error)), error.status
    flash(_("Account %(name)s opened.", name=created.name), "success")
    return redirect(url_for("web.admin_home"))


@bp.post("/admin/users")
def admin_create_user():
    """Create a user: a trader names its account, a regulator may name its jurisdiction."""
    form = _user_form()
    if not form.validate_on_submit():
        return _page(user_form=form), 422
    try:
        created = identity.create_user(page_user(), form.data_for_service())
    except DomainError as error:
        return _page(user_form=form, error=refused(error)), error.status
    flash(_("User %(name)s created.", name=created.username), "success")
    return redirect(url_for("web.admin_home"))


@bp.get("/admin/users/<int:user_id>")
def admin_user(user_id):
    """One user, with the forms to deactivate them and to set a new password."""
    return _user_page(user_id)


@bp.post("/admin/users/<int:user_id>/deactivate")
def admin_deactivate_user(user_id):
    """Stop a user from logging in; their sessions and tokens end at once."""
    form = ReasonOnlyForm()
    if not form.validate_on_submit():
        return _user_page(user_id, deactivate=form), 422
    try:
        identity.deactivate_user(page_user(), user_id, form.reason.data.strip())
    except DomainError as error:
        return _user_page(user_id, deactivate=form, error=refused(error)), error.status
    flash(_("User deactivated."), "success")
    return redirect(url_for("web.admin_user", user_id=user_id))


@bp.post("/admin/users/<int:user_id>/password")
def admin_set_password(user_id):
    """Set a new password; the user's sessions and tokens made before end."""
    form = PasswordForm()
    if not form.validate_on_submit():
        return _user_page(user_id, password=form), 422
    try:
        identity.change_password(page_user(), user_id, form.password.data)
    except DomainError as error:
        return _user_page(user_id, password=form, error=refused(error)), error.status
    flash(_("New password set."), "success")
    return redirect(url_for("web.admin_user", user_id=user_id))


def _user_form(**kwargs) -> NewUserForm:
    form = NewUserForm(**kwargs)
    form.role.choices = [SelectChoice(role, ROLE[role]) for role in USER_ROLES]
    return form


def _page(account_form=None, user_form=None, error: str | None = None) -> str:
    accounts = identity.list_accounts(page_user())
    users = list(db.session.scalars(select(User).order_by(User.id)))
    return render_template("admin/home.html", accounts=accounts, users=users, error=error,
                           account_form=account_form or NewAccountForm(formdata=None),
                           user_form=user_form or _user_form(formdata=None))


def _user_page(user_id: int, deactivate=None, password=None, error: str | None = None) -> str:
    return render_template("admin/user.html", user=identity.get_user(user_id), error=error,
                           deactivate_form=deactivate or ReasonOnlyForm(formdata=None),
                           password_form=password or PasswordForm(formdata=None))
