"""Codes and signatures: what makes a certificate unguessable and tamper-evident.

A code is 12 symbols drawn by `secrets` from 31 that cannot be mistaken for one another when
read aloud or typed from paper (no 0/O, 1/I/L): about 59 bits, so nobody finds a certificate
by trying codes, and nothing about one code tells the next. It is printed in groups of four
(ABCD-EFGH-JKMN); input is read case-insensitively, with or without the dashes.

The signature is an HMAC-SHA256 under CERTIFICATE_KEY (market/config.py: set it, or it is
derived from SECRET_KEY) over the code, the kind, the issue time and the canonical facts.
The key never leaves the configuration, so whoever can write the database or edit a PDF still
cannot make changed facts verify.
"""

import hashlib
import hmac
import json
import re
import secrets
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import current_app

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
_GROUP = 4
_SEPARATORS = re.compile(r"[\s\-]")


def new_code() -> str:
    """A fresh random code (the caller checks it is not taken)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """A code as typed (any case, dashes, spaces) in its stored form, or None if it cannot be
    one."""
    code = _SEPARATORS.sub("", text or "").upper()
    if len(code) != CODE_LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code


def printed_code(code: str) -> str:
    """The code in groups of four, as printed on the PDF and the page."""
    return "-".join(code[i:i + _GROUP] for i in range(0, len(code), _GROUP))


def fact_text(value) -> str | None:
    """A fact as the text it is signed and printed as: exact decimals, ISO days and times."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def canonical_facts(facts: dict) -> str:
    """The facts as canonical JSON: text values, sorted keys, no facts that are empty."""
    texts = {str(key): fact_text(value) for key, value in facts.items()}
    return json.dumps({k: v for k, v in texts.items() if v is not None}, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":"))


def certificate_key() -> bytes:
    """The configured CERTIFICATE_KEY (create_app derives one from SECRET_KEY when unset)."""
    key = current_app.config.get("CERTIFICATE_KEY")
    if not key:
        raise RuntimeError("CERTIFICATE_KEY is not set (nor SECRET_KEY): certificates need a key")
    return str(key).encode()


def sign(code: str, kind: str, issued_at: datetime, facts_json: str) -> str:
    """The HMAC-SHA256 (hex) of everything a certificate states."""
    message = json.dumps([code, kind, fact_text(issued_at), json.loads(facts_json)],
                         sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(certificate_key(), message.encode(), hashlib.sha256).hexdigest()


def signature_holds(code: str, kind: str, issued_at: datetime, facts_json: str,
                    signature: str) -> bool:
    """Whether `signature` is the one these facts get (compared in constant time)."""
    return hmac.compare_digest(sign(code, kind, issued_at, facts_json), signature or "")
