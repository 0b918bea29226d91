"""Small factories: people, accounts and lots made through the real use cases."""

from datetime import date
from decimal import Decimal

from market.extensions import db
from market.services import identity, registry
from market.services.identity.credentials import new_token

PASSWORD = "correct-horse-battery"


class Caller:
    """A test client that sends one user's bearer token with every request."""

    def __init__(self, client, token: str | None, user=None):
        self.client = client
        self.token = token
        self.user = user

    def _headers(self, extra=None):
        headers = dict(extra or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, path, **kwargs):
        return self.client.get(path, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.client.post(path, json=json, headers=self._headers(kwargs.pop("headers", None)),
                                **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.client.patch(path, json=json,
                                 headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.client.put(path, json=json, headers=self._headers(kwargs.pop("headers", None)),
                               **kwargs)

    def delete(self, path, **kwargs):
        return self.client.delete(path, headers=self._headers(kwargs.pop("headers", None)),
                                  **kwargs)


class World:
    """Builds the cast of a scenario: admin, regulator, traders in real districts."""

    def __init__(self, app, client):
        self.app = app
        self.client = client
        self.admin_user = identity.create_user(None, {"username": "admin", "password": PASSWORD,
                                              "role": "admin"})
        self.regulator_user = identity.create_user(self.admin_user, {
            "username": "regulator", "password": PASSWORD, "role": "regulator"})
        self.admin = self.caller(self.admin_user)
        self.regulator = self.caller(self.regulator_user)
        self.anonymous = Caller(client, None)

    def caller(self, user) -> Caller:
        """An API client authenticated as `user`."""
        raw, _token = new_token(user)
        db.session.commit()
        return Caller(self.client, raw, user)

    def trader(self, username: str, district_code: str, cash: str | None = None) -> Caller:
        """A trader with a new account in the district, optionally funded."""
        account = identity.create_account(self.admin_user, {"name": f"{username} account",
                                                    "district_code": district_code})
        user = identity.create_user(self.admin_user, {"username": username, "password": PASSWORD,
                                              "role": "trader", "account_id": account.id})
        if cash:
            identity.deposit_cash(self.regulator_user, account.id, Decimal(cash), f"T-{username}")
        return self.caller(user)

    def lot(self, owner: Caller, instrument="FO-QTY", quantity="100", origin=None,
            grade=5, verify=True) -> str:
        """A lot registered by `owner` (and verified unless told otherwise); its serial."""
        account = owner.user.account
        data = {
            "instrument": instrument, "quantity": Decimal(quantity),
            "origin_district_code": origin or account.district.code,
            "project_name": "土地综合整治项目", "project_code": f"P-{account.id}-{instrument}",
            "accepted_on": date(2024, 5, 1), "vintage_year": 2024,
            "quality_grade": grade if instrument.startswith("FO-") else None,
        }
        lot = registry.register_lot(owner.user, account, data)
        if verify:
            registry.verify_lot(self.regulator_user, lot.serial)
        return lot.serial
