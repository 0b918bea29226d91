"""Helpers for the quota tests: an obligation set over the API, a period moved into the past."""

from datetime import timedelta

from market.calendar import market_day
from market.extensions import db
from models import Obligation


def obligation_body(**overrides) -> dict:
    today = market_day()
    body = {"district_code": "320282", "instrument": "ECO-CARBON", "quantity": "100",
            "period_start": (today - timedelta(days=10)).isoformat(),
            "period_end": (today + timedelta(days=30)).isoformat()}
    body.update(overrides)
    return body


def set_obligation(world, **overrides) -> dict:
    """An obligation the national regulator sets; its JSON."""
    response = world.regulator.post("/api/v1/obligations", json=obligation_body(**overrides))
    assert response.status_code == 201, response.json
    return response.json


def end_period(obligation_id: int, days_ago: int = 1) -> None:
    """Move an obligation's period into the past, as time passing would."""
    row = db.session.get(Obligation, obligation_id)
    row.period_start = market_day() - timedelta(days=days_ago + 30)
    row.period_end = market_day() - timedelta(days=days_ago)
    db.session.commit()
