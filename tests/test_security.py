"""Password hashing and who sees which matrices in lists."""

from optionsmatrix.core.security import password_hasher, verify_password
from optionsmatrix.schemas.matrices import MatrixCreate
from optionsmatrix.services.matrices import create_matrix
from tests.conftest import log_in


def test_passwords_are_stored_as_argon2id_hashes_with_the_library_defaults():
    hasher = password_hasher()

    stored = hasher.hash("a long password")

    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "a long password" not in stored
    assert verify_password(hasher, stored, "a long password")
    assert not verify_password(hasher, stored, "a long passwort")


def test_a_missing_or_corrupt_hash_never_verifies():
    hasher = password_hasher(fast=True)

    assert not verify_password(hasher, None, "anything at all")
    assert not verify_password(hasher, "not-a-hash", "anything at all")


def test_each_role_lists_only_what_it_may_read(app, session, make_instructor, anonymous):
    from fastapi.testclient import TestClient

    owner, other = make_instructor("owner@example.org"), make_instructor("other@example.org")
    admin = make_instructor("admin@example.org", is_admin=True)
    create_matrix(session, data=MatrixCreate(title="Public"), owner_id=None, is_public=True)
    create_matrix(session, data=MatrixCreate(title="Owner A"), owner_id=owner.id)
    create_matrix(session, data=MatrixCreate(title="Other B"), owner_id=other.id)

    def titles(client):
        api = {m["title"] for m in client.get("/api/v1/matrices").json()["items"]}
        page = client.get("/").text
        assert all(title in page for title in api)
        return api

    assert titles(anonymous) == {"Public"}
    for instructor, expected in ((owner, {"Public", "Owner A"}), (admin, {"Public", "Owner A", "Other B"})):
        with TestClient(app) as client:
            assert titles(log_in(client, session, instructor)) == expected
    assert "Other B" not in anonymous.get("/").text
