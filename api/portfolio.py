"""Portfolio what-if: one plan, or each loan's recommended plan, over many loans, with an aggregate."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import requires
from api.errors import PROBLEM_JSON, ProblemSchema
from api.runtime import today, uow
from api.schemas import WhatIfQuerySchema, WhatIfRequestSchema, WhatIfSchema
from restructure.access import ADMIN, CREDIT_OFFICER, RIGHTS_OFFICER
from restructure.portfolio import InlineLoan, WhatIfRequest, what_if
from restructure.snapshots import borrower_flags, incomes_mapping, plan_params

blp = Blueprint("portfolio", __name__, url_prefix="/api/v1/portfolio", description="Portfolio what-if")


def _request(data: dict[str, Any], query: dict[str, Any]) -> WhatIfRequest:
    loans = data.get("loans")
    return WhatIfRequest(
        start_on=data["start_on"],
        plan=None if data.get("recommended") else plan_params(data["plan"]),
        loan_ids=data.get("loan_ids"),
        loans=None if loans is None else [
            InlineLoan(
                snapshot=loan,
                borrower=borrower_flags(loan.get("borrower") or {}),
                incomes=incomes_mapping(loan["incomes"]) if loan.get("incomes") else None,
            )
            for loan in loans
        ],
        incomes_by_loan={int(k): incomes_mapping(v) for k, v in (data.get("incomes_by_loan") or {}).items()},
        limit=query["limit"],
        cursor=int(query["cursor"]) if "cursor" in query else None,
    )


@blp.route("/what-if")
class WhatIf(MethodView):
    @requires(blp, CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)
    @blp.arguments(WhatIfRequestSchema)
    @blp.arguments(WhatIfQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, WhatIfSchema)
    @blp.alt_response(422, schema=ProblemSchema, content_type=PROBLEM_JSON)
    def post(self, data: dict[str, Any], query: dict[str, Any]) -> Any:
        """Apply one plan, or each loan's recommended plan, to many loans; per-loan results and totals.

        Selection: `loan_ids` (each once), inline `loans` (items keyed by `index`), or neither: every stored loan.
        Items come in loan id (or index) order, `limit` a page; pass `next_cursor` as `cursor` for the next page.
        The `aggregate` always covers the whole selection, whatever the page.

        A `plan` runs on the vectorised engine (100,000 loans in seconds). `"recommended": true` runs the scalar
        waterfall per loan (a few milliseconds each), so it takes at most 2000 loans (422 beyond).

        Definitions:
        - `feasible`: no violation of the engine's checks (for `recommended`, also of the plan rules). Per-loan
          figures are null for infeasible plans; totals sum over feasible ones.
        - `relief` = `current_payment` (the loan's `scheduled_payment`) − the plan's `max_regular_payment`,
          negative when the plan raises the instalment. `concession` = NPV(contract) − NPV(plan) (SPEC §5).
        - Incomes: the store keeps none per borrower, so they come with the request — `incomes_by_loan`
          (stored loans, by id) or `incomes` (inline loans), the 12 months before the current month. With
          incomes, `kdn` and `dti_recent` use the plan's `max_regular_payment` plus the borrower's other monthly
          debt payments; `affordable` = the plan is feasible and `dti_recent` ≤ `target`. Without incomes they are
          null and the loan never counts as affordable; `aggregate.with_incomes` says how many had incomes.
          `recommended` without incomes walks the whole waterfall (no target can be met) and returns the plan
          with the lowest burden.
        - `mandatory`: R-MANDATORY would apply if the borrower asked for the loan's plan — it defers, or cuts the
          instalment by at least the set's minimum (50%), and the borrower is emergency-affected, or vulnerable
          (Housing Law Art. 68) and receives АСП or, where incomes are given, passes the income-drop test.
          Without incomes the income-drop ground counts as not met: a lower bound.
        """
        return what_if(uow(), _request(data, query), today=today())
