"""The audit log and its chain check."""

import json

from marshmallow import Schema, fields, validate

from market.schemas.fields import Int


class AuditEventSchema(Schema):
    """One audited act."""

    seq = Int()
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    target_type = fields.String()
    target_id = fields.String()
    details = fields.Function(lambda event: json.loads(event.details))
    digest = fields.String()
    prev_digest = fields.String()
    # The X-Request-ID (or scheduler run) that made it: find its log lines. Not in the digest.
    request_id = fields.String(allow_none=True)


class AuditQuerySchema(Schema):
    """Filters for the audit log, newest first."""

    action = fields.String(validate=validate.Length(max=64))
    target_type = fields.String(validate=validate.Length(max=32))
    target_id = fields.String(validate=validate.Length(max=64))
    before_seq = Int()
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))


class ChainReportSchema(Schema):
    """The result of walking the hash chain."""

    ok = fields.Boolean()
    checked = Int()
    first_broken_seq = Int(allow_none=True)
    reason = fields.String(allow_none=True)
    checkpoint_seq = Int(allow_none=True)
