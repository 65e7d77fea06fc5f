from flask import Flask

from api import create_app
from tests.conftest import app_settings


def test_health_checks_the_database(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_reports_an_unreachable_database_as_503(database_url):
    app = create_app(app_settings("sqlite:////nonexistent-dir/never.db"))
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 503
    assert response.json["database"] == "error"
    assert response.mimetype == "application/problem+json"


def test_openapi_document_describes_every_endpoint(client):
    spec = client.get("/api/v1/openapi.json").json
    assert {"/api/v1/health", "/api/v1/borrowers", "/api/v1/loans", "/api/v1/loans/{loan_id}"} <= set(spec["paths"])
    post_loans = spec["paths"]["/api/v1/loans"]["post"]
    assert {"201", "401", "403", "409", "422"} <= set(post_loans["responses"])
    assert post_loans["security"] == [{"bearerAuth": []}]
    principal = spec["components"]["schemas"]["LoanCreate"]["properties"]["principal"]
    assert principal["oneOf"][0]["pattern"] == r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


def test_interactive_docs_are_served_without_internet(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert b"/api/v1/docs/assets/swagger-ui-bundle.js" in page.data
    with client.get("/api/v1/docs/assets/swagger-ui-bundle.js") as asset:
        assert asset.status_code == 200


def test_unknown_path_is_404_problem(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "not_found"


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/api/v1/health")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.json["code"] == "method_not_allowed"


def test_malformed_json_is_a_problem(client, officer):
    response = client.post(
        "/api/v1/borrowers", data="{not json", headers=officer | {"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_unexpected_failure_is_a_500_problem_without_internals(database_url):
    app: Flask = create_app(app_settings(database_url))

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals 900412300018")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.json["code"] == "internal_error"
    assert "secret" not in response.get_data(as_text=True)


def test_unknown_or_empty_query_parameters_are_rejected_everywhere(client, token_for):
    headers = token_for("rights_officer")
    for query in ("statuss=received", "=", "limit=5&x=1"):
        response = client.get(f"/api/v1/applications?{query}", headers=headers)
        assert response.status_code == 422, query
    assert client.get("/api/v1/reports/quarterly?year=2026&quarter=4&extra=1", headers=headers).status_code == 422
