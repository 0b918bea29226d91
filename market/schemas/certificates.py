"""Certificates as anyone may read them, and a copy's facts to check against the signature."""

from marshmallow import Schema, fields, validate

from market.schemas.fields import Text

STANDING_DESCRIPTION = ("valid; suspended (its lot is frozen); void (its lot was revoked, its "
                        "transfer undone, or it was voided); tampered (the stored facts do not "
                        "match their signature)")


class CertificateSchema(Schema):
    """The facts a certificate states and whether it still holds."""

    code = fields.String(metadata={"description": "12 symbols, as stored"})
    printed_code = fields.String(metadata={"description": "the code in groups of four"})
    kind = fields.String(metadata={"description": "issuance, transfer, retirement, surrender "
                                                  "or pledge"})
    issued_at = fields.DateTime()
    facts = fields.Dict(keys=fields.String(), values=fields.String(),
                        metadata={"description": "what was signed, every value as text"})
    signature = fields.String(metadata={"description": "HMAC-SHA256 (hex) of code, kind, "
                                                       "issue time and facts"})
    status = fields.String(attribute="standing.status",
                           metadata={"description": STANDING_DESCRIPTION})
    valid = fields.Boolean(attribute="standing.valid")
    reasons = fields.List(fields.String(), attribute="standing.reasons")
    verify_url = fields.String(metadata={"description": "the public page of the certificate"})


class CopyCheckSchema(Schema):
    """The facts printed on a copy: any of them, by the keys the certificate shows."""

    code = Text(32, required=True, metadata={"example": "ABCD-EFGH-JKMN"})
    facts = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                        values=fields.String(validate=validate.Length(max=500)),
                        required=True, validate=validate.Length(min=1, max=64),
                        metadata={"example": {"quantity": "10.0000", "amount": "3000000.00"}})
    signature = fields.String(validate=validate.Length(max=128),
                              metadata={"description": "the signature printed on the copy"})


class CopyCheckResultSchema(Schema):
    """Whether the copy's facts are the signed ones (and whether the certificate holds)."""

    code = fields.String()
    matches = fields.Boolean(metadata={"description": "the copy's facts give the signature"})
    mismatched = fields.List(fields.String(), metadata={"description": "facts that differ"})
    unknown = fields.List(fields.String(), metadata={"description": "keys the certificate "
                                                                    "does not state"})
    status = fields.String(attribute="standing.status",
                           metadata={"description": STANDING_DESCRIPTION})
    valid = fields.Boolean(attribute="standing.valid")
