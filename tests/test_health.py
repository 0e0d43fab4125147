from optionsmatrix import __version__
from tests.conftest import ON_POSTGRES


def test_health_reports_ok_the_backend_and_the_version(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "postgresql" if ON_POSTGRES else "sqlite",
        "version": __version__,
    }


def test_every_response_carries_the_security_headers(client):
    for path in ("/api/v1/health", "/", "/api/v1/matrices/999999", "/static/app.css"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
