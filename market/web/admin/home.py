"""The administrator's home page: the trading accounts and the users of the platform."""

from flask import render_template
from sqlalchemy import select

from market.auth import page_user
from market.extensions import db
from market.services import identity
from market.web.blueprint import bp
from models import User


@bp.get("/admin")
def admin_home():
    """Every account with its district and balances, and every user with role and standing."""
    accounts = identity.list_accounts(page_user())
    users = list(db.session.scalars(select(User).order_by(User.id)))
    return render_template("admin/home.html", accounts=accounts, users=users)
