"""The HTTP layer: the app factory, blueprints, schemas, auth and the error policy.

Modules (one line each; ``tests/unit/test_module_maps.py`` keeps this list equal to the files):

- ``applications``: Hardship applications: receipt, documents, decision, concurrence, the answer, the trail
- ``asgi``: The production entry point: an async front that reads each body in full before Flask runs
- ``auth``: Bearer-token authentication and role checks
- ``borrowers``: Borrowers: registered by officers from the core system or the office
- ``cli``: The ``restructure`` command: migrations, users and tokens, the production server, demo data
- ``clock``: The one clock of the service: "today" and "now" for everything below ``api/``
- ``complaint_letters``: Complaint letters (answer, thanks, refusal) rendered with the notices' catalogues
- ``complaint_reports``: The quarterly analysis of the complaint register, as JSON or CSV
- ``complaints``: The complaint register (SPEC §9): intake, the clocks, the workflow, the trail, the letters
- ``config``: Configuration: the only module that reads the environment (``RESTRUCTURE_*``)
- ``delinquency``: Delinquency notices (LMF Art. 9-2 p.1-2): whom to notify, dispatch, the notice
- ``demo``: Demo data: borrowers, loans in arrears, applications in every state of the workflow
- ``errors``: One error policy: every error is ``application/problem+json`` with a stable ``code``
- ``fineract``: Apache Fineract: an agreed plan as the body of Fineract's ``POST /rescheduleloans``
- ``health``: Liveness with a real database round trip
- ``idempotency``: Idempotency-Key on every state-changing API request (SPEC §11), for every blueprint at once
- ``import_rows``: Reading import files: NDJSON lines or CSV rows, each checked by the schemas
- ``imports``: Bulk loan snapshots from the core system: NDJSON, CSV and Fineract loan JSON (SPEC §10)
- ``limits``: Limits on what a request may carry (SPEC §11)
- ``loans``: Loan snapshots from the core banking system
- ``logging``: Structured logs (structlog); IIN-like digit runs are masked
- ``notices``: Borrower notices rendered from Flask-Babel catalogues (kk, ru, en), as HTML or PDF
- ``portfolio``: Portfolio what-if: one plan, or each loan's recommended plan, over many loans, with an aggregate
- ``ratelimit``: Rate limits on failed sign-ins and bad bearer tokens, per client address (SPEC §11)
- ``reports``: Reports for the client-rights officer: the quarterly report, as JSON or CSV
- ``rule_texts``: The rules' explanations and the words for their codes, worded here from the catalogues
- ``rulesets``: The versioned rule sets (SPEC §3), read-only: every limit the rules apply, by effective date
- ``runtime``: What a request needs from the app: a unit of work, the clock, the authenticated actor
- ``security``: Security headers on every answer, a strict policy on the pages, and the session cookie's flags
- ``simulations``: What-if simulations: plans and the recommendation for a loan, never stored
- ``schemas``: the HTTP schemas, one module per resource (its own map)
- ``web``: the server-rendered pages (its own map)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import marshmallow
import swagger_ui_bundle
from flask import Flask, send_from_directory
from flask_smorest import Blueprint
from werkzeug.middleware.proxy_fix import ProxyFix

from api import idempotency, limits, notices, ratelimit, security
from api import logging as service_logging
from api.clock import make_clock
from api.config import defaults, from_environment, validate
from api.errors import Api, register_error_handlers
from api.runtime import Runtime
from api.schemas import FIELD_DESCRIBERS
from restructure.db import make_engine, make_session_factory

# webargs ignores unknown query parameters by default; a typo in a filter must be a 422, not a silent full list
Blueprint.ARGUMENTS_PARSER.DEFAULT_UNKNOWN_BY_LOCATION = {
    **Blueprint.ARGUMENTS_PARSER.DEFAULT_UNKNOWN_BY_LOCATION,
    "query": marshmallow.RAISE,
    "querystring": marshmallow.RAISE,
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` replaces the environment (tests); without it ``RESTRUCTURE_*`` is read."""
    app = Flask(__name__, instance_relative_config=True)
    settings = defaults(app.instance_path)
    settings.update(from_environment() if config is None else config)
    fixed_today = validate(settings)
    app.config.update(
        RESTRUCTURE=settings,
        SECRET_KEY=settings["SECRET_KEY"],
        API_TITLE="Restructuring decision service",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/api/v1/docs/assets/",
        API_SPEC_OPTIONS={
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "info": {
                "description": "Hardship applications, rules, schedules and decisions for KZ microloans."
            },
        },
        JSON_SORT_KEYS=False,
    )
    if settings["DATABASE_URL"] == defaults(app.instance_path)["DATABASE_URL"]:
        os.makedirs(app.instance_path, exist_ok=True)
    engine = make_engine(settings["DATABASE_URL"])
    app.extensions["restructure"] = Runtime(
        engine=engine, session_factory=make_session_factory(engine), clock=make_clock(fixed_today)
    )
    service_logging.configure(settings.get("LOG_FORMAT", "console"))
    service_logging.init_app(app)
    limits.init_app(app)  # size, type, depth and encoding before any view reads the body
    idempotency.init_app(app)  # after the limits: a refused body never claims a key
    security.init_app(app, development=settings["ENV"] in ("development", "test"))
    ratelimit.init_app(app, redis_url=settings.get("REDIS_URL"), failures=settings.get("AUTH_FAILURE_LIMIT"))
    proxies = int(settings.get("PROXIES") or 0)
    if proxies > 0:  # behind nginx: the client address and scheme come from its X-Forwarded-* headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    from api import web

    web.init_app(app)  # the borrower's cabinet and the officers' console (server-rendered pages)

    # one Api per app: flask-smorest keeps the spec on the Api object
    api = Api()
    api.init_app(app)
    for describe in FIELD_DESCRIBERS:
        api.ma_plugin.converter.add_attribute_function(describe)
    _register_blueprints(api)
    register_error_handlers(app)
    notices.init_app(app)  # Flask-Babel: the notice view picks the locale per request

    @app.get("/api/v1/docs/assets/<path:filename>")
    def swagger_assets(filename: str) -> Any:
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)

    return app


def _register_blueprints(api: Api) -> None:
    from api import applications, borrowers, health, loans, portfolio, reports, rulesets, simulations

    for module in (health, borrowers, loans, simulations, rulesets, applications, portfolio, reports):
        api.register_blueprint(module.blp)
    from api import complaint_reports, complaints

    api.register_blueprint(complaints.blp)
    api.register_blueprint(complaint_reports.blp)
    from api import delinquency, fineract, imports

    for extra in (imports, fineract, delinquency):
        api.register_blueprint(extra.blp)
