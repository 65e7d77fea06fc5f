"""The HTTP layer: the app factory, blueprints, schemas, auth and the error policy."""

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
