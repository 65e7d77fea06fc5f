"""Reports for the client-rights officer: the quarterly report, as JSON or CSV."""

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
from api.schemas import QuarterlyReportArgsSchema, QuarterlyReportSchema
from restructure.access import ADMIN, RIGHTS_OFFICER
from restructure.reports import quarterly

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Client-rights officer's reports")

JSON = "application/json"
CSV = "text/csv"
CSV_COLUMNS = ("figure", "application_id", "value")
CSV_DOC = {
    "schema": {"type": "string"},
    "example": "figure,application_id,value\r\nintake.total,,2\r\nintake.total,12,\r\nintake.total,15,\r\n",
}


def _rows(node: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    """Flatten the JSON report: a figure gives one summary row (its count) and one row per application id."""
    if isinstance(node, Mapping) and set(node) == {"count", "ids"}:
        yield path, "", node["count"]
        for application_id in node["ids"]:
            yield path, application_id, ""
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from _rows(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):  # per-application detail: one row per field, keyed by the application
        for item in node:
            for key, value in item.items():
                if key != "application_id":
                    yield f"{path}.{key}", item["application_id"], value
    else:
        yield path, "", "" if node is None else node


def render_csv(document: Mapping[str, Any]) -> str:
    """One sheet of rows ``figure, application_id, value``: summary rows carry no id, detail rows one each."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for figure, application_id, value in _rows(document, ""):
        writer.writerow((figure, application_id, str(value).lower() if isinstance(value, bool) else value))
    return out.getvalue()


def _negotiated() -> str:
    if not request.headers.get("Accept"):
        return JSON
    chosen = request.accept_mimetypes.best_match((JSON, CSV))
    if chosen is None:
        abort(406, message=f"The report is available as {JSON} or {CSV}.")
    return str(chosen)


@blp.route("/quarterly")
class QuarterlyReport(MethodView):
    @requires(blp, RIGHTS_OFFICER, ADMIN)
    @blp.arguments(QuarterlyReportArgsSchema, location="query", unknown=ma.RAISE)  # webargs excludes by default
    @blp.response(200, QuarterlyReportSchema)
    @blp.doc(responses={200: {"content": {CSV: CSV_DOC}}})
    @documents_problems(blp, 406, 422)
    def get(self, args: dict[str, Any]) -> Any:
        """The quarterly report: intake, timeliness, breaches, mandatory approvals, relief, refusals.

        `Accept: application/json` (default) or `text/csv`. Every count comes with the ids of the applications
        it counts (JSON: `ids` next to `count`; CSV: a summary row per figure with its count, then a row per
        application id). The `definitions` section says exactly which applications each figure covers.
        A quarter that has not started yet is a 422.
        """
        content_type = _negotiated()
        report = quarterly(uow(), year=args["year"], quarter=args["quarter"], today=today())
        if content_type == JSON:
            return report
        body = render_csv(QuarterlyReportSchema().dump(report))
        filename = f"quarterly-{args['year']}-Q{args['quarter']}.csv"
        return Response(
            body,
            mimetype=CSV,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
