"""The versioned rule sets (GET /rulesets)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields


class PenaltyCapsSchema(ma.Schema):
    daily_pct_until_day = fields.String(required=True)
    daily_pct_after = fields.String(required=True)
    tier_days = fields.Integer(required=True)
    annual_cap_pct_of_principal = fields.String(required=True)
    stop_after_days = fields.Integer(required=True)
    stop_after_days_mortgage = fields.Integer(required=True)


class RuleSetSchema(ma.Schema):
    id = fields.String(required=True)
    effective_from = fields.Date(required=True)
    in_force = fields.Boolean(required=True, metadata={"description": "The set in force today"})
    title = fields.String(required=True)
    sources = fields.List(fields.String(), required=True)
    notes = fields.List(fields.String(), required=True)
    income_drop_threshold_pct = fields.String(required=True)
    kdn_limit = fields.String(required=True)
    dti_target = fields.String(required=True)
    mandatory_min_months = fields.Integer(required=True)
    mandatory_request_grounds = fields.List(fields.String(), required=True)
    mandatory_fee_free = fields.Boolean(required=True)
    payment_cut_min_pct = fields.String(required=True, allow_none=True)
    gesv_cap_pct = fields.String(required=True)
    penalty = fields.Nested(PenaltyCapsSchema, required=True)
    kdn_scope = fields.String(required=True)
    max_term_months = fields.Integer(required=True)
    rate_floor_pct = fields.String(required=True)
    discount_rate_pct = fields.String(required=True)


class RuleSetListSchema(ma.Schema):
    items = fields.List(fields.Nested(RuleSetSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True, metadata={"description": "Always null: one page"})


# --- applications ---------------------------------------------------------------------------------------------------
