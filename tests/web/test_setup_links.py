"""One-time password links (/setup/…): only the newest works, and using one ends every earlier session."""

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from optionsmatrix.services import accounts
from tests.conftest import csrf_token_of


def _set_password(client, secret, password="a brand new password"):
    data = {"password": password, "confirm": password, "csrf_token": csrf_token_of(client)}
    return client.post(f"/setup/{secret}", data=data, follow_redirects=False)


def test_an_older_setup_link_dies_when_a_newer_one_is_issued(session, owner, anonymous):
    old = accounts.issue_password_link(session, instructor=owner, hours=24)
    new = accounts.issue_password_link(session, instructor=owner, hours=24)

    assert anonymous.get(f"/setup/{old}").status_code == 404
    assert anonymous.get(f"/setup/{new}").status_code == 200


def test_setting_a_password_through_a_link_ends_every_earlier_session(session, owner, client, anonymous):
    secret = accounts.issue_password_link(session, instructor=owner, hours=24)

    assert _set_password(anonymous, secret).status_code == 303

    assert client.get("/api/v1/tokens").status_code == 401  # the owner's old token
    assert client.get("/tokens", follow_redirects=False).status_code == 303  # and old browser session


def test_a_link_used_twice_at_once_sets_the_password_only_once(app, session, owner):
    secret = accounts.issue_password_link(session, instructor=owner, hours=24)
    clients = [TestClient(app).__enter__() for _ in range(4)]
    tokens = [csrf_token_of(c) for c in clients]

    def use(i):
        data = {"password": f"password number {i}", "confirm": f"password number {i}", "csrf_token": tokens[i]}
        return clients[i].post(f"/setup/{secret}", data=data, follow_redirects=False).status_code

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(use, range(4)))
    for c in clients:
        c.__exit__(None, None, None)

    assert statuses.count(303) == 1, statuses
    assert all(s in (303, 404, 422, 503) for s in statuses), statuses


def test_two_different_passwords_or_a_short_one_are_refused_in_sentences_and_the_link_still_works(session, owner,
                                                                                                   anonymous):
    secret = accounts.issue_password_link(session, instructor=owner, hours=24)
    token = csrf_token_of(anonymous)

    differ = anonymous.post(f"/setup/{secret}", data={"password": "a brand new password", "confirm": "another one!",
                                                      "csrf_token": token})  # fmt: skip
    short = _set_password(anonymous, secret, "short")

    assert differ.status_code == 422 and "The two passwords differ: type the same one in both fields." in differ.text
    assert short.status_code == 422
    message = short.text.split('class="field-error"', 1)[1].split(">", 1)[1].split("<", 1)[0]
    assert message[0].isupper() and message.endswith("."), message
    assert "a brand new password" not in differ.text  # never written back into a page
    assert _set_password(anonymous, secret).status_code == 303
