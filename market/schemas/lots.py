"""The registry: lots, their lineage and retirements."""


from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

import models
from market.schemas.fields import Int, Quantity, Text
from market.schemas.payouts import BeneficiarySchema
from market.schemas.pledges import PledgeSchema


class LotCreateSchema(Schema):
    """A lot registered from an accepted project."""

    instrument = Text(16, required=True)
    quantity = Quantity(required=True)
    origin_district_code = Text(12, required=True)
    project_name = Text(200, required=True)
    project_code = Text(64, required=True)
    accepted_on = fields.Date(required=True)
    vintage_year = Int(required=True, validate=validate.Range(min=1990, max=2100))
    expires_on = fields.Date(allow_none=True)
    quality_grade = Int(allow_none=True, validate=validate.Range(min=1, max=15))


class LotRefSchema(Schema):
    """A lot named by its serial, for lineage links."""

    serial = fields.String()
    quantity = Quantity()
    owner_account_id = Int()


class RetirementSchema(Schema):
    """Quantity used against a project."""

    id = Int()
    quantity = Quantity()
    project_name = fields.String()
    project_code = fields.String()
    obligation = fields.String(allow_none=True)
    obligation_id = Int(allow_none=True)
    retired_at = fields.DateTime()


class RetirementCreateSchema(Schema):
    """Retire quantity against a construction project (用地报批) or an obligation."""

    quantity = Quantity(required=True)
    project_name = Text(200, required=True)
    project_code = Text(64, required=True)
    obligation = Text(200)


class LotSchema(Schema):
    """A lot with its buckets and lineage."""

    serial = fields.String()
    instrument = fields.Function(lambda lot: lot.instrument.code)
    status = fields.String()
    status_reason = fields.String(allow_none=True)
    owner_account_id = Int()
    owner_name = fields.Function(lambda lot: lot.owner.name)
    origin_district_code = fields.Function(lambda lot: lot.origin_district.code)
    origin_district_name = fields.Function(lambda lot: lot.origin_district.name)
    project_name = fields.String()
    project_code = fields.String()
    accepted_on = fields.Date()
    vintage_year = Int()
    expires_on = fields.Date(allow_none=True)
    quality_grade = Int(allow_none=True)
    quantity = Quantity()
    available = Quantity()
    encumbered = Quantity()
    pledged = Quantity()
    retired = Quantity()
    registered_at = fields.DateTime()
    verified_at = fields.DateTime(allow_none=True)
    source = fields.String(metadata={"description": "project (an accepted project) or "
                                                    "allocation (issued by a regulator)"})
    allocation_reason = fields.String(allow_none=True)
    document_number = fields.String(allow_none=True)
    parent = fields.Nested(LotRefSchema, allow_none=True)


class LotDetailSchema(LotSchema):
    """One lot with its children, retirements, beneficiaries and pledges."""

    children = fields.List(fields.Nested(LotRefSchema))
    retirements = fields.List(fields.Nested(RetirementSchema))
    beneficiaries = fields.List(fields.Nested(BeneficiarySchema))
    pledges = fields.List(fields.Nested(PledgeSchema))


class LotQuerySchema(Schema):
    """Registry search filters."""

    instrument = Text(16)
    owner_account_id = Int()
    origin_district_code = Text(12)
    status = fields.String(validate=validate.OneOf(models.LOT_STATUSES))
    vintage_year = Int()
    quality_grade = Int(validate=validate.Range(min=1, max=15))
    max_quality_grade = Int(validate=validate.Range(min=1, max=15))
    limit = Int(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = Int(load_default=0, validate=validate.Range(min=0))


class EvidenceSchema(Schema):
    """An acceptance document attached to a lot: what was stored, never the file itself."""

    id = Int()
    filename = fields.String()
    content_type = fields.String()
    size = Int()
    sha256 = fields.String()
    uploaded_at = fields.DateTime()


class EvidenceUploadSchema(Schema):
    """One PDF, JPEG or PNG file of at most 10 MB; its type is read from its content."""

    file = Upload(required=True)
