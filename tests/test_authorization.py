"""Who may reach which route: every route in the app, against every role.

The table is checked against the app's own router, so a new route without a
row here fails `test_every_route_has_a_row` until someone decides who may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount

from optionsmatrix.models import TokenKind
from optionsmatrix.schemas.matrices import MatrixCreate
from optionsmatrix.schemas.sessions import BallotIn, SessionCreate
from optionsmatrix.services import ballots, seminars, session_files, sharing, tokens
from optionsmatrix.services.matrices import create_matrix, get_matrix
from tests.conftest import csrf_token_of, log_in

# "participant": joined the owner's session (a participant token as bearer, no login);
# "outsider": joined another instructor's session.
ROLES = ("anonymous", "other", "owner", "admin", "participant", "outsider")
LOGIN = "login"  # a page that sends the visitor to /login (303)
# API routes that read no token at all; on every other API route a participant's
# token, not being an instructor's, is refused (401) rather than ignored.
TOKEN_FREE = {
    "/api/v1/health", "/api/v1/openapi.json", "/api/v1/auth/login", "/api/v1/analyze", "/api/v1/weights",
    "/api/v1/sensitivity", "/api/v1/sessions/join", "/api/v1/shared/{secret}",
}  # fmt: skip


def everyone(status):  # noqa: ANN001, ANN201
    """Every instructor role and anonymous; participants by the default rule (see `roles`)."""
    return roles(status, status, status, status)


def roles(anonymous, other, owner, admin, participant=None, outsider=None):  # noqa: ANN001, ANN201
    """Participants default to: pages as anonymous; the API as a refused token (401) unless the route reads none."""
    return {
        "anonymous": anonymous, "other": other, "owner": owner, "admin": admin,
        "participant": participant, "outsider": outsider,
    }  # fmt: skip


def session_roles(anonymous, other, owner, admin, participant, outsider):  # noqa: ANN001, ANN201
    return roles(anonymous, other, owner, admin, participant, outsider)


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # the route's path template, exactly as the router has it
    expected: dict
    path: str | None = None  # the concrete path, when it differs from `route` filled from World
    json: object = None
    data: dict | None = None
    files: dict | None = None

    def __post_init__(self) -> None:
        for role in ("participant", "outsider"):
            if self.expected.get(role) is None:
                api = self.route.startswith("/api/v1") and self.route not in TOKEN_FREE
                self.expected[role] = 401 if api else self.expected["anonymous"]


PRIVATE = roles(401, 404, 200, 200)
PRIVATE_CREATED = roles(401, 404, 201, 201)
PRIVATE_DELETED = roles(401, 404, 204, 204)
PAGE_PRIVATE = roles(404, 404, 200, 200)
PAGE_PRIVATE_POST = roles(404, 404, 303, 303)

ROWS = [
    # API: public
    Row("GET", "/api/v1/health", everyone(200)),
    Row("GET", "/api/v1/openapi.json", everyone(200)),
    Row(
        "POST", "/api/v1/auth/login", everyone(401), json={"email": "nobody@example.org", "password": "wrong password"}
    ),
    Row("GET", "/api/v1/matrices", everyone(200)),
    Row(
        "POST",
        "/api/v1/analyze",
        everyone(200),
        json={
            "options": ["A", "B"],
            "criteria": [{"name": "C", "direction": "benefit", "weight": 1}],
            "scores": [[1], [2]],
            "method": "topsis",
        },
    ),
    Row("POST", "/api/v1/weights", everyone(200), json={"scheme": "roc", "ranks": [1, 2, 3]}),
    Row(
        "POST",
        "/api/v1/sensitivity",
        everyone(200),
        json={
            "options": ["A", "B"],
            "criteria": [{"name": "C", "direction": "benefit", "weight": 1}],
            "scores": [[1], [2]],
            "method": "wsm",
            "analysis": "dominance",
        },
    ),
    # API: tokens are always the caller's own
    Row("GET", "/api/v1/tokens", roles(401, 200, 200, 200)),
    Row("POST", "/api/v1/tokens", roles(401, 201, 201, 201), json={"name": "script"}),
    Row("DELETE", "/api/v1/tokens/{token_id}", roles(401, 404, 204, 404)),
    # API: matrices
    Row("POST", "/api/v1/matrices", roles(401, 201, 201, 201), json={"title": "New"}),
    Row(
        "GET", "/api/v1/matrices/{matrix_id:not_import}", roles(404, 404, 200, 200), path="/api/v1/matrices/{matrix_id}"
    ),
    Row("GET", "/api/v1/matrices/{matrix_id:not_import}", everyone(200), path="/api/v1/matrices/{public_id}"),
    Row(
        "PATCH",
        "/api/v1/matrices/{matrix_id:not_import}",
        PRIVATE,
        path="/api/v1/matrices/{matrix_id}",
        json={"title": "Renamed"},
    ),
    Row(
        "PATCH",
        "/api/v1/matrices/{matrix_id:not_import}",
        roles(401, 403, 403, 200),
        path="/api/v1/matrices/{public_id}",
        json={"title": "Renamed"},
    ),
    Row("DELETE", "/api/v1/matrices/{matrix_id:not_import}", PRIVATE_DELETED, path="/api/v1/matrices/{matrix_id}"),
    # API: files
    Row("GET", "/api/v1/matrices/{matrix_id}/export", roles(404, 404, 200, 200)),
    Row("GET", "/api/v1/matrices/{matrix_id}/export", everyone(200), path="/api/v1/matrices/{public_id}/export"),
    Row("POST", "/api/v1/matrices/import", roles(401, 201, 201, 201), files={"file": ("m.csv", b"option,C\nA,1\n")}),
    Row("POST", "/api/v1/matrices/{matrix_id}/copy", PRIVATE_CREATED),
    Row(
        "POST", "/api/v1/matrices/{matrix_id}/copy", roles(401, 201, 201, 201), path="/api/v1/matrices/{public_id}/copy"
    ),
    Row("POST", "/api/v1/matrices/{matrix_id}/options", PRIVATE_CREATED, json={"name": "New option"}),
    Row(
        "POST",
        "/api/v1/matrices/{matrix_id}/options",
        roles(401, 403, 403, 201),
        path="/api/v1/matrices/{public_id}/options",
        json={"name": "New option"},
    ),
    Row("PUT", "/api/v1/matrices/{matrix_id}/options/order", PRIVATE, json="option_order"),
    Row(
        "PUT",
        "/api/v1/matrices/{matrix_id}/options/order",
        roles(401, 403, 403, 200),
        path="/api/v1/matrices/{public_id}/options/order",
        json="public_order",
    ),
    Row(
        "PATCH",
        "/api/v1/matrices/{matrix_id}/options/{option_id:not_order}",
        roles(401, 403, 403, 200),
        path="/api/v1/matrices/{public_id}/options/{public_option_id}",
        json={"name": "Renamed"},
    ),
    Row(
        "DELETE",
        "/api/v1/matrices/{matrix_id}/options/{option_id:not_order}",
        roles(401, 403, 403, 204),
        path="/api/v1/matrices/{public_id}/options/{public_option_id}",
    ),
    Row(
        "PATCH",
        "/api/v1/matrices/{matrix_id}/options/{option_id:not_order}",
        PRIVATE,
        path="/api/v1/matrices/{matrix_id}/options/{option_id}",
        json={"name": "Renamed"},
    ),
    Row(
        "DELETE",
        "/api/v1/matrices/{matrix_id}/options/{option_id:not_order}",
        PRIVATE_DELETED,
        path="/api/v1/matrices/{matrix_id}/options/{option_id}",
    ),
    Row("POST", "/api/v1/matrices/{matrix_id}/criteria", PRIVATE_CREATED, json={"name": "New criterion"}),
    Row("PUT", "/api/v1/matrices/{matrix_id}/criteria/order", PRIVATE, json="criterion_order"),
    Row(
        "PATCH",
        "/api/v1/matrices/{matrix_id}/criteria/{criterion_id:not_order}",
        PRIVATE,
        path="/api/v1/matrices/{matrix_id}/criteria/{criterion_id}",
        json={"weight": 3},
    ),
    Row(
        "DELETE",
        "/api/v1/matrices/{matrix_id}/criteria/{criterion_id:not_order}",
        PRIVATE_DELETED,
        path="/api/v1/matrices/{matrix_id}/criteria/{criterion_id}",
    ),
    # API: sharing (the owner's and admins' business; the link itself opens to anyone)
    Row(
        "PATCH", "/api/v1/matrices/{matrix_id:not_import}", PRIVATE, path="/api/v1/matrices/{matrix_id}",
        json={"is_public": True},
    ),
    Row(
        "PATCH", "/api/v1/matrices/{matrix_id:not_import}", roles(401, 403, 403, 200),
        path="/api/v1/matrices/{public_id}",
        json={"is_public": False},
    ),
    Row("PUT", "/api/v1/matrices/{matrix_id}/scores", PRIVATE, json={}),
    Row(
        "PUT", "/api/v1/matrices/{matrix_id}/scores", roles(401, 403, 403, 200),
        path="/api/v1/matrices/{public_id}/scores", json={},  # nobody owns it: only admins change it
    ),
    Row("POST", "/api/v1/matrices/{matrix_id}/share-link", PRIVATE_CREATED),
    Row(
        "POST", "/api/v1/matrices/{matrix_id}/share-link", roles(401, 403, 403, 201),
        path="/api/v1/matrices/{public_id}/share-link",
    ),
    Row("GET", "/api/v1/matrices/{matrix_id}/share-link", PRIVATE),
    Row(
        "GET", "/api/v1/matrices/{matrix_id}/share-link", roles(401, 403, 403, 404),
        path="/api/v1/matrices/{public_id}/share-link",  # it has no link: admins learn so
    ),
    Row("DELETE", "/api/v1/matrices/{matrix_id}/share-link", PRIVATE_DELETED),
    Row("GET", "/api/v1/shared/{secret}", everyone(200), path="/api/v1/shared/{share_secret}"),
    Row("GET", "/api/v1/shared/{secret}", everyone(404), path="/api/v1/shared/not-a-real-link"),
    # Pages: public
    Row("GET", "/", everyone(200)),
    Row("GET", "/matrices", everyone(303)),  # to the list at /
    Row("GET", "/docs", everyone(200)),
    Row("GET", "/login", everyone(200)),
    Row("POST", "/login", everyone(401), data={"email": "nobody@example.org", "password": "wrong password"}),
    Row("GET", "/logout", everyone(200)),
    Row("POST", "/logout", everyone(303)),
    Row("GET", "/setup/{secret}", everyone(404), path="/setup/not-a-real-link"),
    Row(
        "POST",
        "/setup/{secret}",
        everyone(404),
        path="/setup/not-a-real-link",
        data={"password": "x" * 12, "confirm": "x" * 12},
    ),
    Row("GET", "/static", everyone(200), path="/static/app.css"),
    # API: seminar sessions
    Row("POST", "/api/v1/matrices/{matrix_id}/sessions", session_roles(401, 404, 201, 201, 401, 401), json={}),
    Row(
        "POST",
        "/api/v1/matrices/{matrix_id}/sessions",
        session_roles(401, 201, 201, 201, 401, 401),
        path="/api/v1/matrices/{public_id}/sessions",
        json={},
    ),
    Row("GET", "/api/v1/sessions", session_roles(401, 200, 200, 200, 200, 200)),
    Row(
        "GET",
        "/api/v1/sessions/{session_id:digits}",
        session_roles(401, 404, 200, 200, 200, 404),
        path="/api/v1/sessions/{session_id}",
    ),
    Row(
        "DELETE",
        "/api/v1/sessions/{session_id:digits}",
        session_roles(401, 404, 204, 204, 403, 404),
        path="/api/v1/sessions/{session_id}",
    ),
    Row("POST", "/api/v1/sessions/join", everyone(201), json="join_body"),
    Row(
        "PUT",
        "/api/v1/sessions/{session_id:digits}/ballot",
        session_roles(401, 404, 403, 403, 200, 404),
        json="ballot",
        path="/api/v1/sessions/{session_id}/ballot",
    ),
    Row(
        "GET",
        "/api/v1/sessions/{session_id:digits}/ballot",
        session_roles(401, 404, 403, 403, 200, 404),
        path="/api/v1/sessions/{session_id}/ballot",
    ),
    Row(
        "GET",
        "/api/v1/sessions/{session_id:digits}/results",
        session_roles(401, 404, 200, 200, 403, 404),
        path="/api/v1/sessions/{session_id}/results",
    ),
    Row(
        "POST",
        "/api/v1/sessions/{session_id:digits}/sensitivity",
        session_roles(401, 404, 200, 200, 403, 404),
        json={"analysis": "dominance"},
        path="/api/v1/sessions/{session_id}/sensitivity",
    ),
    Row(
        "POST",
        "/api/v1/sessions/{session_id:digits}/reveal",
        session_roles(401, 404, 200, 200, 403, 404),
        path="/api/v1/sessions/{session_id}/reveal",
    ),
    Row(
        "POST",
        "/api/v1/sessions/{session_id:digits}/hide",
        session_roles(401, 404, 200, 200, 403, 404),
        path="/api/v1/sessions/{session_id}/hide",
    ),
    Row(
        "POST",
        "/api/v1/sessions/{session_id:digits}/close",
        session_roles(401, 404, 200, 200, 403, 404),
        path="/api/v1/sessions/{session_id}/close",
    ),
    Row(
        "POST",
        "/api/v1/sessions/{session_id:digits}/reopen",
        session_roles(401, 404, 200, 200, 403, 404),
        path="/api/v1/sessions/{session_id}/reopen",
    ),
    Row(
        "POST",
        "/api/v1/sessions/{session_id:digits}/rounds",
        session_roles(401, 404, 201, 201, 403, 404),
        path="/api/v1/sessions/{session_id}/rounds",
    ),
    Row(
        "GET",
        "/api/v1/sessions/{session_id:digits}/rounds",
        session_roles(401, 404, 200, 200, 403, 404),
        path="/api/v1/sessions/{session_id}/rounds",
    ),
    Row(
        "GET",
        "/api/v1/sessions/{session_id:digits}/participants",
        session_roles(401, 404, 200, 200, 403, 404),
        path="/api/v1/sessions/{session_id}/participants",
    ),
    Row(
        "DELETE",
        "/api/v1/sessions/{session_id:digits}/participants/{participant_id}",
        session_roles(401, 404, 204, 204, 403, 404),
        path="/api/v1/sessions/{session_id}/participants/{participant_id}",
    ),
    # API: session files (everyone's ballots: the session's instructor and admins only)
    Row(
        "GET",
        "/api/v1/sessions/{session_id:digits}/export",
        session_roles(401, 404, 200, 200, 403, 404),
        path="/api/v1/sessions/{session_id}/export?format=csv",
    ),
    Row("POST", "/api/v1/sessions/import", roles(401, 201, 201, 201), json="session_document"),
    # API: comparisons (instructors only; a session of someone else's is 404 even beside one's own)
    Row("GET", "/api/v1/comparisons", PRIVATE, path="/api/v1/comparisons?session={session_id}&method=all"),
    Row(
        "GET", "/api/v1/comparisons", roles(401, 404, 404, 422),
        path="/api/v1/comparisons?sessions={session_id},{elsewhere_id}",
    ),
    Row(
        "GET", "/api/v1/comparisons/export", PRIVATE,
        path="/api/v1/comparisons/export?session={session_id}&method=all&format=json",
    ),
    # Pages: matrices
    Row("POST", "/matrices", roles(LOGIN, 303, 303, 303), data={"title": "New"}),
    Row("GET", "/matrices/{matrix_id}", PAGE_PRIVATE),
    Row("GET", "/matrices/{matrix_id}", everyone(200), path="/matrices/{public_id}"),
    Row("GET", "/matrices/{matrix_id}/score", PAGE_PRIVATE),
    Row("GET", "/matrices/{matrix_id}/score", everyone(200), path="/matrices/{public_id}/score"),
    Row("GET", "/matrices/{matrix_id}/how-sure", roles(404, 404, 200, 200)),
    Row("GET", "/matrices/{matrix_id}/how-sure", everyone(200), path="/matrices/{public_id}/how-sure"),
    Row("POST", "/matrices/{matrix_id}/copy", PAGE_PRIVATE_POST),
    Row("POST", "/matrices/{matrix_id}/scores", PAGE_PRIVATE_POST, data={}),
    Row("POST", "/matrices/{matrix_id}/scores", roles(LOGIN, 403, 403, 303), path="/matrices/{public_id}/scores"),
    Row("GET", "/matrices/{matrix_id}/export", PAGE_PRIVATE),
    Row("GET", "/matrices/{matrix_id}/export", everyone(200), path="/matrices/{public_id}/export"),
    Row("POST", "/matrices/import", roles(LOGIN, 303, 303, 303), files={"file": ("m.csv", b"option,C\nA,1\n")}),
    Row("POST", "/matrices/{matrix_id}/copy", roles(LOGIN, 303, 303, 303), path="/matrices/{public_id}/copy"),
    Row("POST", "/matrices/{matrix_id}/delete", PAGE_PRIVATE_POST),
    Row("POST", "/matrices/{matrix_id}/delete", roles(LOGIN, 403, 403, 303), path="/matrices/{public_id}/delete"),
    Row("GET", "/matrices/{matrix_id}/edit", PAGE_PRIVATE),
    Row("GET", "/matrices/{matrix_id}/header", PAGE_PRIVATE),
    Row("POST", "/matrices/{matrix_id}", PAGE_PRIVATE_POST, data={"title": "Renamed"}),
    Row("GET", "/matrices/{matrix_id}/{section}", PAGE_PRIVATE, path="/matrices/{matrix_id}/options"),
    Row(
        "GET",
        "/matrices/{matrix_id}/{section}/{item_id}/edit",
        PAGE_PRIVATE,
        path="/matrices/{matrix_id}/options/{option_id}/edit",
    ),
    Row(
        "POST",
        "/matrices/{matrix_id}/{section}",
        PAGE_PRIVATE_POST,
        path="/matrices/{matrix_id}/criteria",
        data={"name": "New", "direction": "cost", "weight": "1", "scale_min": "1", "scale_max": "5"},
    ),
    Row(
        "POST",
        "/matrices/{matrix_id}/{section}",
        roles(LOGIN, 403, 403, 303),
        path="/matrices/{public_id}/options",
        data={"name": "New", "escalation_level": "1"},
    ),
    Row(
        "POST",
        "/matrices/{matrix_id}/{section}/{item_id}",
        PAGE_PRIVATE_POST,
        path="/matrices/{matrix_id}/options/{option_id}",
        data={"name": "Renamed", "escalation_level": "2"},
    ),
    Row(
        "POST",
        "/matrices/{matrix_id}/{section}/{item_id}/delete",
        PAGE_PRIVATE_POST,
        path="/matrices/{matrix_id}/criteria/{criterion_id}/delete",
    ),
    Row(
        "POST",
        "/matrices/{matrix_id}/{section}/{item_id}/move",
        PAGE_PRIVATE_POST,
        path="/matrices/{matrix_id}/options/{option_id}/move",
        data={"direction": "down"},
    ),
    # Pages: sharing
    Row("POST", "/matrices/{matrix_id}/sharing/visibility", PAGE_PRIVATE_POST, data={"visibility": "public"}),
    Row(
        "POST", "/matrices/{matrix_id}/sharing/visibility", roles(LOGIN, 403, 403, 303),
        path="/matrices/{public_id}/sharing/visibility", data={"visibility": "private"},
    ),
    Row("POST", "/matrices/{matrix_id}/sharing/link", PAGE_PRIVATE_POST),
    Row(
        "POST", "/matrices/{matrix_id}/sharing/link", roles(LOGIN, 403, 403, 303),
        path="/matrices/{public_id}/sharing/link",
    ),
    Row("POST", "/matrices/{matrix_id}/sharing/link/delete", PAGE_PRIVATE_POST),
    Row("GET", "/shared/{secret}", everyone(200), path="/shared/{share_secret}"),
    Row("GET", "/shared/{secret}", everyone(404), path="/shared/not-a-real-link"),
    Row("GET", "/shared/{secret}/score", everyone(200), path="/shared/{share_secret}/score"),
    Row("GET", "/shared/{secret}/score", everyone(404), path="/shared/not-a-real-link/score"),
    Row("GET", "/shared/{secret}/how-sure", everyone(200), path="/shared/{share_secret}/how-sure"),
    Row("GET", "/shared/{secret}/how-sure", everyone(404), path="/shared/not-a-real-link/how-sure"),
    Row("GET", "/shared/{secret}/export", everyone(200), path="/shared/{share_secret}/export?format=csv"),
    Row("GET", "/shared/{secret}/export", everyone(404), path="/shared/not-a-real-link/export"),
    # Pages: seminar sessions
    Row("POST", "/matrices/{matrix_id}/sessions", PAGE_PRIVATE_POST, data={"weight_mode": "fixed"}),
    Row(
        "POST",
        "/matrices/{matrix_id}/sessions",
        roles(LOGIN, 303, 303, 303),
        path="/matrices/{public_id}/sessions",
        data={"weight_mode": "fixed"},
    ),
    Row("GET", "/sessions", roles(LOGIN, 200, 200, 200)),
    Row("GET", "/sessions/{session_id}", roles(LOGIN, 404, 200, 200)),
    Row("GET", "/sessions/{session_id}/live", roles(LOGIN, 404, 200, 200)),
    Row("GET", "/sessions/{session_id}/how-sure", roles(LOGIN, 404, 200, 200)),
    Row("GET", "/sessions/{session_id}/export", roles(LOGIN, 404, 200, 200)),
    Row("POST", "/sessions/{session_id}/{action}", roles(LOGIN, 404, 303, 303), path="/sessions/{session_id}/reveal"),
    Row("POST", "/sessions/{session_id}/delete", roles(LOGIN, 404, 303, 303)),
    Row(
        "POST",
        "/sessions/{session_id}/participants/{participant_id}/remove",
        roles(LOGIN, 404, 303, 303),
    ),
    # Pages: comparisons (only sessions the caller runs; an admin runs them all)
    Row("GET", "/comparisons", roles(LOGIN, 404, 200, 200), path="/comparisons?session={session_id}&method=all"),
    Row(
        "GET", "/comparisons/export", roles(LOGIN, 404, 200, 200),
        path="/comparisons/export?session={session_id}&method=all&format=csv",
    ),
    Row("GET", "/join", everyone(200)),
    # A participant's page knows them by the cookie set when they joined; without it, off to join.
    Row("GET", "/s/{session_id}", everyone(303)),
    Row("POST", "/s/{session_id}/ballot", everyone(303), data={}),
    Row("GET", "/s/{session_id}/status", everyone(204)),
    Row("GET", "/join/{code}", everyone(200), path="/join/{join_code}"),
    Row("POST", "/join/{code}", everyone(303), path="/join/{join_code}", data={"display_name": "Cy"}),
    # Pages: accounts
    Row("GET", "/tokens", roles(LOGIN, 200, 200, 200)),
    # Making a token or an account answers with the page showing its secret (never a redirect, see web/tokens.py).
    Row("POST", "/tokens", roles(LOGIN, 201, 201, 201), data={"name": "script"}),
    Row("POST", "/tokens/{token_id}/revoke", roles(LOGIN, 404, 303, 404)),
    Row("GET", "/admin", roles(LOGIN, 404, 404, 200)),
    Row("POST", "/admin/instructors", roles(LOGIN, 404, 404, 200), data={"email": "new@example.org"}),
    Row(
        "POST",
        "/admin/instructors/{instructor_id}/{action}",
        roles(LOGIN, 404, 404, 303),
        path="/admin/instructors/{other_id}/disable",
    ),
]


def _app_routes(app) -> set[tuple[str, str]]:  # noqa: ANN001
    """(method, path) for every route, including those of included routers."""
    found = set()
    for route in app.routes:
        if isinstance(route, Mount):
            found.add(("GET", route.path))
            continue
        # FastAPI keeps included routers as lazy branches; this flattens them.
        flattened = list(route.effective_route_contexts()) if hasattr(route, "effective_route_contexts") else [route]
        for leaf in flattened:
            for method in set(leaf.methods) - {"HEAD", "OPTIONS"}:
                found.add((method, leaf.path))
    return found


def test_every_route_has_a_row(app):
    assert _app_routes(app) == {(row.method, row.route) for row in ROWS}


@dataclass
class World:
    values: dict
    people: dict


@pytest.fixture
def world(session, make_instructor):  # noqa: ANN001, ANN201
    owner = make_instructor("owner@example.org")
    other = make_instructor("other@example.org")
    admin = make_instructor("admin@example.org", is_admin=True)
    matrix = create_matrix(
        session,
        data=MatrixCreate(
            title="Private", options=[{"name": "A"}, {"name": "B"}], criteria=[{"name": "C"}, {"name": "D"}]
        ),
        owner_id=owner.id,
    )
    public = create_matrix(
        session,
        data=MatrixCreate(title="Public", options=[{"name": "P"}], criteria=[{"name": "Q"}]),
        owner_id=None,
        is_public=True,
    )
    owner_token = tokens.issue(session, instructor=owner, kind=TokenKind.API, name="owner's")
    share_link = sharing.create_link(session, matrix=get_matrix(session, matrix_id=matrix.id))  # a private matrix
    seminar = seminars.start_session(
        session, matrix=get_matrix(session, matrix_id=matrix.id), owner=owner, data=SessionCreate(), max_participants=50
    )
    elsewhere = seminars.start_session(
        session, matrix=get_matrix(session, matrix_id=public.id), owner=other, data=SessionCreate(), max_participants=50
    )
    participant = ballots.join(session, code=seminar.seminar.join_code, display_name="Ann")
    outsider = ballots.join(session, code=elsewhere.seminar.join_code, display_name="Bob")
    scores = {str(o.id): {str(c.id): 3.0 for c in seminar.criteria} for o in seminar.options}
    ballots.save_ballot(session, participant=participant.participant, body=BallotIn(scores=scores))
    values = {
        "matrix_id": matrix.id, "public_id": public.id, "option_id": matrix.options[0].id,
        "criterion_id": matrix.criteria[0].id, "token_id": owner_token.token.id, "other_id": other.id,
        "option_order": {"ids": [o.id for o in matrix.options][::-1]},
        "public_option_id": public.options[0].id,
        "public_order": {"ids": [o.id for o in public.options]},
        "criterion_order": {"ids": [c.id for c in matrix.criteria][::-1]},
        "session_id": seminar.seminar.id, "participant_id": participant.participant.id,
        "elsewhere_id": elsewhere.seminar.id,
        "join_body": {"join_code": seminar.seminar.join_code}, "join_code": seminar.seminar.join_code,
        "ballot": {"scores": scores}, "share_secret": share_link.secret,
        "session_document": session_files.session_document(session, seminar.seminar),
    }
    people = {
        "anonymous": None, "other": other, "owner": owner, "admin": admin,
        "participant": participant.secret, "outsider": outsider.secret,
    }  # fmt: skip
    return World(values=values, people=people)


@pytest.fixture
def client_as(app, session):  # noqa: ANN001, ANN201
    opened = []

    def open_as(instructor):  # noqa: ANN001, ANN202
        client = TestClient(app).__enter__()
        opened.append(client)
        if instructor is None or isinstance(instructor, str):
            client.headers["X-CSRF-Token"] = csrf_token_of(client)  # anonymous, but not forging requests
            if isinstance(instructor, str):  # a participant: their token, and no login
                client.headers["Authorization"] = f"Bearer {instructor}"
            return client
        return log_in(client, session, instructor)

    yield open_as
    for client in opened:
        client.__exit__(None, None, None)


CASES = [(row, role) for row in ROWS for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r.method} {r.path or r.route} as {role}" for r, role in CASES])
def test_route_answers_each_role_as_the_table_says(world, client_as, row, role):
    client = client_as(world.people[role])
    path = (row.path or row.route).format(**world.values)
    body = world.values[row.json] if isinstance(row.json, str) else row.json

    response = client.request(row.method, path, json=body, data=row.data, files=row.files, follow_redirects=False)

    expected = row.expected[role]
    if expected == LOGIN:
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), response.text[:300]
    else:
        assert response.status_code == expected, response.text[:300]
