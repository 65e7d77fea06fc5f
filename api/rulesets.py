"""The versioned rule sets (SPEC §3), read-only: every limit the rules apply, by effective date."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import requires
from api.runtime import today
from api.schemas import RuleSetListSchema
from restructure.access import ADMIN, CREDIT_OFFICER, RIGHTS_OFFICER
from rules.ruleset import all_rulesets

blp = Blueprint("rulesets", __name__, url_prefix="/api/v1/rulesets", description="Rule sets")


@blp.route("")
class RuleSets(MethodView):
    @requires(blp, ADMIN, CREDIT_OFFICER, RIGHTS_OFFICER)
    @blp.response(200, RuleSetListSchema)
    def get(self) -> Any:
        """List every rule set, oldest first, with its limits and sources."""
        sets = all_rulesets()
        on = today()
        current = next((s.id for s in reversed(sets) if s.effective_from <= on), None)
        items = [dataclasses.asdict(s) | {"in_force": s.id == current} for s in sets]
        return {"items": items, "next_cursor": None}
