from api import create_app
from tests.conftest import app_settings, borrower_payload


def test_requests_are_logged_without_personal_data(client, officer, capfd):
    payload = borrower_payload(full_name="Айгерим Садыкова")
    assert client.post("/api/v1/borrowers", json=payload, headers=officer).status_code == 201
    assert client.post("/api/v1/borrowers", json=payload, headers=officer).status_code == 409
    logged = capfd.readouterr().err
    assert "path=/api/v1/borrowers" in logged or '"path": "/api/v1/borrowers"' in logged
    assert payload["iin"] not in logged
    assert "Садыкова" not in logged


def test_an_iin_inside_an_exception_is_masked_in_the_log(database_url, capfd):
    app = create_app(app_settings(database_url, LOG_FORMAT="json"))

    @app.get("/boom")
    def boom():
        raise RuntimeError("lookup failed for 900412300018")

    assert app.test_client().get("/boom").status_code == 500
    logged = capfd.readouterr().err
    assert "unhandled_error" in logged
    assert "900412300018" not in logged
    assert "************" in logged
    app.extensions["restructure"].engine.dispose()
