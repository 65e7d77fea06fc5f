"""Liveness with a real database round trip."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import text

from api.errors import documents_problems, problem
from api.runtime import uow
from api.schemas import HealthSchema

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="Service health")


@blp.route("")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @documents_problems(blp, 503)
    def get(self) -> Any:
        """Report whether the service and its database answer."""
        try:
            with uow() as work:
                work.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means "not healthy"
            return problem(503, detail="The database does not answer.", database="error")
        return {"status": "ok", "database": "ok"}
