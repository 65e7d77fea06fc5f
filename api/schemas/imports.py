"""Bulk imports from the core system: the summary every import answers with."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from restructure.borrowers import LANGUAGES


class ImportErrorSchema(ma.Schema):
    line = fields.Integer(
        required=True, metadata={"description": "Line (NDJSON, CSV: the header is 1) or list item, from 1"}
    )
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)


class ImportSummarySchema(ma.Schema):
    rows = fields.Integer(required=True)
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    ignored_older = fields.Integer(required=True, metadata={"description": "Older than the stored snapshot"})
    errors = fields.List(fields.Nested(ImportErrorSchema), required=True)


class FineractImportArgsSchema(ma.Schema):
    language = fields.String(
        load_default="ru",
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "Language of borrowers registered by this import (Fineract has none)"},
    )
