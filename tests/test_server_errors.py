"""An unexpected failure inside a handler: a plain 500 that gives nothing away and keeps the security headers."""

from fastapi.testclient import TestClient

from optionsmatrix.app import create_app


def test_an_unexpected_error_is_a_plain_500_that_still_carries_the_security_headers(settings, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("optionsmatrix.api.matrices.matrices.list_matrices", explode)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/matrices")

    assert response.status_code == 500
    assert response.json() == {"detail": "internal error"} and "boom" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
