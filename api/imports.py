"""Bulk loan snapshots from the core system: NDJSON or CSV files, and Apache Fineract's loan JSON (SPEC §10)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from api.auth import requires
from api.errors import documents_problems
from api.import_rows import MEDIA_TYPES, RowReader, rows_of
from api.runtime import now, runtime, today
from api.schemas.imports import FineractImportArgsSchema, ImportSummarySchema
from restructure.access import ADMIN, CREDIT_OFFICER
from restructure.errors import InvalidInput
from restructure.fineract import fineract_rows
from restructure.imports import Row, import_snapshots
from restructure.uow import UnitOfWork

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports", description="Bulk imports from the core system")

IMPORT_MAX_BYTES = 256 * 1024 * 1024
_FILE_BODY = {
    "required": True,
    "content": {
        "application/x-ndjson": {"schema": {"type": "string", "description": "one loan snapshot (JSON) per line"}},
        "text/csv": {"schema": {"type": "string", "description": "a header of field names, one snapshot a row"}},
    },
}


_FINERACT_BODY = {
    "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}],
    "description": "GET /loans/{id}?associations=all, one loan or a list",
}


def _uow_factory() -> Any:
    factory = runtime().session_factory
    return lambda: UnitOfWork(factory)


@blp.route("/snapshots")
class Snapshots(MethodView):
    @requires(blp, CREDIT_OFFICER, ADMIN)
    @blp.doc(requestBody=_FILE_BODY)
    @blp.response(200, ImportSummarySchema)
    @documents_problems(blp, 415, 422)
    def post(self) -> Any:
        """Upsert loan snapshots by contract number (NDJSON or CSV, streamed; bad rows reported by line)."""
        if request.mimetype not in MEDIA_TYPES:
            abort(415, message="Send application/x-ndjson or text/csv.")
        request.max_content_length = IMPORT_MAX_BYTES
        rows = rows_of(request.stream, request.mimetype, RowReader())
        return import_snapshots(_uow_factory(), rows, today=today(), now=now()).as_dict()


@blp.route("/fineract")
class Fineract(MethodView):
    @requires(blp, CREDIT_OFFICER, ADMIN)
    @blp.arguments(FineractImportArgsSchema, location="query")
    @blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": _FINERACT_BODY}}})
    @blp.response(200, ImportSummarySchema)
    @documents_problems(blp, 415)
    def post(self, args: dict[str, Any]) -> Any:
        """Import Fineract loans (GET /loans/{id}?associations=all, one object or a list) as snapshots."""
        if not request.is_json:
            abort(415, message="Send application/json.")
        request.max_content_length = IMPORT_MAX_BYTES
        document = request.get_json()
        items = document if isinstance(document, list) else [document]
        if not isinstance(document, dict | list) or not all(isinstance(item, dict) for item in items):
            raise InvalidInput(
                "Send a Fineract loan object or a list of them.", {"_body": ["Must be an object or a list of objects."]}
            )
        reader = RowReader()
        rows = (
            reader.row(line, raw, core_loan_id=core_id) if not errors else _failed(line, errors)
            for line, raw, core_id, errors in fineract_rows(document, language=args["language"], today=today())
        )
        return import_snapshots(_uow_factory(), rows, today=today(), now=now()).as_dict()


def _failed(line: int, errors: dict[str, list[str]]) -> Row:
    return Row(line=line, errors=errors)
