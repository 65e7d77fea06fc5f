"""What-if simulations: plans and the recommendation for a loan, computed and returned, never stored."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import current_actor, requires
from api.errors import documents_problems
from api.rule_texts import localise
from api.runtime import today, uow
from api.schemas import SimulationQuerySchema, SimulationRequestSchema, SimulationSchema
from restructure.access import CREDIT_OFFICER, RIGHTS_OFFICER
from restructure.simulation import simulate

blp = Blueprint("simulations", __name__, url_prefix="/api/v1/simulations", description="What-if simulations")


@blp.route("")
class Simulations(MethodView):
    @requires(blp, CREDIT_OFFICER, RIGHTS_OFFICER)
    @blp.arguments(SimulationQuerySchema, location="query", as_kwargs=True)
    @blp.arguments(SimulationRequestSchema)
    @blp.response(200, SimulationSchema)
    @documents_problems(blp, 404, 422)
    def post(self, data: dict[str, Any], lang: str) -> Any:
        """Simulate restructuring plans for a loan (stateless: nothing is stored)."""
        return localise(simulate(uow(), current_actor(), today=today(), **data), lang)
