"""Newer snapshots of a stored loan (SPEC §8): the fields of ``POST /loans`` that change, and the history."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from api.schemas.loans import LoanCreateSchema
from restructure.loan_snapshots import FIXED

TERMS = ("annual_rate_pct", "term_months", "method", "day_count", "payment_day", "secured_by", "collateral_value")
"""Contract terms: omitted from a newer snapshot, they keep their stored values."""


class LoanSnapshotUpdateSchema(LoanCreateSchema):
    """``POST /loans`` without the contract's identity (fields added there flow through). ``as_of`` and the
    balances state the loan as of that day, with the defaults of ``POST /loans``; omitted terms are unchanged."""

    class Meta(LoanCreateSchema.Meta):  # type: ignore[name-defined,misc]
        exclude = FIXED

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TERMS:
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].load_default = ma.missing


class LoanSnapshotRecordSchema(ma.Schema):
    as_of = fields.Date(required=True)
    snapshot = fields.Dict(required=True, metadata={"description": "The snapshot's fields as received"})
    recorded_at = fields.DateTime(required=True)
    recorded_by = fields.Integer(allow_none=True, metadata={"description": "Null for the registered snapshot"})


class LoanSnapshotListSchema(ma.Schema):
    items = fields.List(fields.Nested(LoanSnapshotRecordSchema), required=True)
