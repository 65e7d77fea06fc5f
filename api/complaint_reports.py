"""The quarterly analysis of the complaint register (SPEC §9), as JSON or CSV, with the ids behind every figure."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

import marshmallow as ma
from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from api.auth import requires
from api.errors import documents_problems
from api.runtime import today, uow
from api.schemas.complaints import ComplaintReportArgsSchema, ComplaintReportSchema
from restructure.access import ADMIN, DIRECTOR, RIGHTS_OFFICER
from restructure.complaints_reports import quarterly_complaints

blp = Blueprint("complaint_reports", __name__, url_prefix="/api/v1/reports", description="Complaint analysis")

JSON = "application/json"
CSV = "text/csv"


def _rows(node: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    """A figure gives a summary row (its count) and one row per complaint id; other values one row each."""
    if isinstance(node, Mapping) and {"count", "ids"} <= set(node):
        yield path, "", node["count"]
        for complaint_id in node["ids"]:
            yield path, complaint_id, ""
        for item in node.get("items", []):
            for key, value in item.items():
                if key != "complaint_id":
                    yield f"{path}.{key}", item["complaint_id"], value
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from _rows(value, f"{path}.{key}" if path else key)
    else:
        yield path, "", "" if node is None else node


def render_csv(document: Mapping[str, Any]) -> str:
    """Rows ``figure, complaint_id, value``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("figure", "complaint_id", "value"))
    for figure, complaint_id, value in _rows(document, ""):
        writer.writerow((figure, complaint_id, str(value).lower() if isinstance(value, bool) else value))
    return out.getvalue()


@blp.route("/complaints")
class ComplaintReport(MethodView):
    @requires(blp, RIGHTS_OFFICER, DIRECTOR, ADMIN)
    @blp.arguments(ComplaintReportArgsSchema, location="query", unknown=ma.RAISE)
    @blp.response(200, ComplaintReportSchema)
    @blp.doc(responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}})
    @documents_problems(blp, 406, 422)
    def get(self, args: dict[str, Any]) -> Any:
        """The quarterly complaint analysis (`Accept: application/json` or `text/csv`); ids behind every figure."""
        chosen = request.accept_mimetypes.best_match((JSON, CSV)) if request.headers.get("Accept") else JSON
        if chosen is None:
            abort(406, message=f"The report is available as {JSON} or {CSV}.")
        report = quarterly_complaints(uow(), year=args["year"], quarter=args["quarter"], today=today())
        if chosen == JSON:
            return report
        body = render_csv(ComplaintReportSchema().dump(report))
        filename = f"complaints-{args['year']}-Q{args['quarter']}.csv"
        return Response(body, mimetype=CSV, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
