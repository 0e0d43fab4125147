"""Seminar sessions in the browser, through HTTP: the instructor's dashboard and a participant's page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import csrf_token_of

HTMX = {"HX-Request": "true"}


@pytest.fixture
def dashboard_url(client, case_study_id):
    started = client.post(
        f"/matrices/{case_study_id}/sessions", data={"weight_mode": "fixed", "method": "wsm"}, follow_redirects=False
    )
    assert started.status_code == 303
    return started.headers["location"]


def _code(client, dashboard_url):
    return re.search(r'class="join-code"[^>]*>(\w+)<', client.get(dashboard_url).text).group(1)


def _join(app, code, name="Ann"):
    phone = TestClient(app)
    found = phone.get("/join", params={"code": code.lower()}, follow_redirects=False)
    assert found.status_code == 303
    page = phone.get(found.headers["location"])
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    joined = phone.post(found.headers["location"], data={"display_name": name, "csrf_token": token},
                        follow_redirects=False)  # fmt: skip
    assert joined.status_code == 303 and re.match(r".*/s/\d+$", joined.headers["location"])
    return phone, joined.headers["location"]


def _fill(page_html, value="3"):
    """Every score field of the ballot form, set to `value`."""
    names = sorted(set(re.findall(r'name="(s\.\d+\.\d+)"', page_html)))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)
    version = re.search(r'name="version" value="(\d+)"', page_html)
    return {**dict.fromkeys(names, value), "csrf_token": token, **({"version": version.group(1)} if version else {})}


def test_the_dashboard_shows_the_code_link_and_a_qr_code(client, dashboard_url):
    page = client.get(dashboard_url)

    code = re.search(r'class="join-code"[^>]*>(\w+)<', page.text).group(1)
    assert page.status_code == 200 and len(code) == 6
    assert f"/join/{code}" in page.text and 'class="qr-code"' in page.text and "<svg" in page.text
    # Scaled by the stylesheet to the screen's width, not cropped at a fixed 330 px (a phone is narrower).
    svg = re.search(r"<svg[^>]*>", page.text).group(0)
    assert 'viewBox="0 0 ' in svg and "width=" not in svg and "height=" not in svg


def test_a_participant_joins_by_code_scores_and_sees_their_own_ranking(app, client, dashboard_url):
    phone, url = _join(app, _code(client, dashboard_url))

    page = phone.get(url)
    submitted = phone.post(f"{url}/ballot", data=_fill(page.text), follow_redirects=False)
    after = phone.get(submitted.headers["location"])

    assert submitted.status_code == 303
    assert "Your ranking" in after.text and "Your ballot was saved" in after.text
    assert "appears here when the instructor reveals it" in after.text


def test_the_dashboard_fills_in_as_ballots_arrive_and_answers_304_when_nothing_changed(app, client, dashboard_url):
    live_url = f"{dashboard_url}/live"
    before = client.get(live_url, headers=HTMX)
    unchanged = client.get(live_url, headers={**HTMX, "If-None-Match": before.headers["etag"]})
    phone, url = _join(app, _code(client, dashboard_url), "Bea")
    phone.post(f"{url}/ballot", data=_fill(phone.get(url).text))

    after = client.get(live_url, headers={**HTMX, "If-None-Match": before.headers["etag"]})

    assert unchanged.status_code == 304
    assert after.status_code == 200 and "Bea" in after.text and "complete" in after.text
    assert after.headers["etag"] != before.headers["etag"]


def test_after_reveal_the_participant_sees_the_group_and_where_they_stand(app, client, dashboard_url):
    phone, url = _join(app, _code(client, dashboard_url))
    phone.post(f"{url}/ballot", data=_fill(phone.get(url).text, "4"))

    client.post(f"{dashboard_url}/reveal")
    status = phone.get(f"{url}/status", headers=HTMX)

    assert "The group" in status.text and "Where you stand" in status.text


def test_a_display_name_is_text_never_html(app, client, dashboard_url):
    _join(app, _code(client, dashboard_url), '<img src=x onerror="alert(1)">')

    page = client.get(dashboard_url).text

    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_a_wrong_code_says_so_plainly(anonymous):
    page = anonymous.get("/join", params={"code": "zzzzzz"})

    assert page.status_code == 404 and "There is no session with the code ZZZZZZ" in page.text


def test_a_score_outside_the_scale_is_an_inline_message_and_nothing_is_stored(app, client, dashboard_url):
    phone, url = _join(app, _code(client, dashboard_url))
    form = _fill(phone.get(url).text)
    first = next(name for name in form if name.startswith("s."))
    form[first] = "9"

    refused = phone.post(f"{url}/ballot", data=form)

    assert refused.status_code == 422 and "is scored from 1 to 5; got 9." in refused.text
    assert "<h3>Your ranking</h3>" not in refused.text


def test_a_new_round_starts_the_form_from_the_ballot_before_and_shows_that_rounds_result(app, client, dashboard_url):
    phone, url = _join(app, _code(client, dashboard_url))
    phone.post(f"{url}/ballot", data=_fill(phone.get(url).text, "2"))

    client.post(f"{dashboard_url}/rounds")
    page = phone.get(url).text

    assert "starts from your ballot of round 1" in page
    assert "The group's result in round 1" in page
    assert re.search(r'value="2" checked', page)


def test_the_ballot_form_needs_the_csrf_token(app, client, dashboard_url):
    phone, url = _join(app, _code(client, dashboard_url))
    form = _fill(phone.get(url).text)
    del form["csrf_token"]

    assert phone.post(f"{url}/ballot", data=form).status_code == 403


def test_a_browser_that_has_not_joined_is_sent_to_join(anonymous, client, dashboard_url):
    session_id = dashboard_url.rsplit("/", 1)[1]

    response = anonymous.get(f"/s/{session_id}", follow_redirects=False)

    assert response.status_code == 303 and response.headers["location"].endswith("/join")  # the code is not given
    assert csrf_token_of(anonymous)


def test_the_matrix_page_lists_its_sessions_with_status_and_ballots(app, client, case_study_id, dashboard_url):
    phone, url = _join(app, _code(client, dashboard_url))
    phone.post(f"{url}/ballot", data=_fill(phone.get(url).text), follow_redirects=False)

    page = client.get(f"/matrices/{case_study_id}").text
    listed = page[page.index("Sessions of this matrix"):]
    assert f'href="{dashboard_url}"' in listed and "open · round 1 · 1 ballot ·" in listed


def test_an_anonymous_reader_of_the_matrix_sees_no_sessions(app, client, case_study_id, dashboard_url):
    assert "Sessions of this matrix" not in TestClient(app).get(f"/matrices/{case_study_id}").text


def test_a_session_starts_with_the_chosen_normalisation(client, case_study_id):
    started = client.post(
        f"/matrices/{case_study_id}/sessions",
        data={"weight_mode": "fixed", "method": "topsis", "normalization": "minmax"},
        follow_redirects=False,
    )
    session_id = int(started.headers["location"].rstrip("/").rsplit("/", 1)[1])

    assert "normalisation: min–max (range of the scores given)" in client.get(started.headers["location"]).text
    assert client.get(f"/api/v1/sessions/{session_id}").json()["normalization"] == "minmax"


def test_a_normalisation_the_method_does_not_take_is_refused_beside_the_form(client, case_study_id):
    refused = client.post(
        f"/matrices/{case_study_id}/sessions",
        data={"weight_mode": "fixed", "method": "promethee2", "normalization": "vector", "title": "Kept title"},
        follow_redirects=False,
    )

    assert refused.status_code == 422
    assert 'id="session-form-error"' in refused.text and 'value="Kept title"' in refused.text
    assert "normalization" not in refused.text.split('id="session-form-error"')[1].split("</p>")[0]
    assert "works on the raw scores" in refused.text


def test_a_refused_start_keeps_participant_weights_and_reveal_as_chosen(client, case_study_id):
    """The radio and checkbox came back reset: resubmitting started a session with the instructor's weights."""
    refused = client.post(
        f"/matrices/{case_study_id}/sessions",
        data={"weight_mode": "participant", "method": "promethee2", "normalization": "vector", "reveal": "on"},
        follow_redirects=False,
    )

    assert refused.status_code == 422
    assert 'value="participant" checked' in refused.text and 'value="fixed" checked' not in refused.text
    assert 'name="reveal" checked' in refused.text


def test_counting_session_ids_reveals_no_join_code_nor_which_sessions_exist(anonymous, client, dashboard_url):
    session_id = int(dashboard_url.rsplit("/", 1)[1])
    code = _code(client, dashboard_url)
    token = csrf_token_of(anonymous)

    answers = [
        anonymous.get(f"/s/{sid}", follow_redirects=False) for sid in (session_id, session_id + 1)
    ] + [
        anonymous.post(f"/s/{sid}/ballot", data={"csrf_token": token}, follow_redirects=False)
        for sid in (session_id, session_id + 1)
    ]  # fmt: skip

    assert {(a.status_code, a.headers["location"].rsplit("/", 1)[1]) for a in answers} == {(303, "join")}
    assert not any(code in a.headers["location"] or code in a.text for a in answers)
    statuses = {anonymous.get(f"/s/{sid}/status").status_code for sid in (session_id, session_id + 1)}
    assert statuses == {204}


def test_a_second_tab_cannot_silently_overwrite_the_ballot_sent_from_the_first(app, client, dashboard_url):
    phone, url = _join(app, _code(client, dashboard_url))
    first_tab, second_tab = phone.get(url).text, phone.get(url).text  # both loaded before either submits

    assert phone.post(f"{url}/ballot", data=_fill(first_tab, "4"), follow_redirects=False).status_code == 303
    refused = phone.post(f"{url}/ballot", data=_fill(second_tab, "2"), follow_redirects=False)

    assert refused.status_code == 409 and "changed from another tab or device" in refused.text
    assert len(re.findall(r'role="alert">[^<]*changed from another tab', refused.text)) == 1  # read out once
    assert 'value="2" checked' in refused.text  # what was just sent is still in the form
    again = _fill(refused.text, "2")  # the form now carries the saved version: sending it again is deliberate
    assert phone.post(f"{url}/ballot", data=again, follow_redirects=False).status_code == 303


@pytest.mark.parametrize("version", ["abc", "-1", "9" * 12, "١"])
def test_a_ballot_with_a_damaged_version_is_refused_not_saved_unchecked(app, client, dashboard_url, version):
    phone, url = _join(app, _code(client, dashboard_url))
    form = {**_fill(phone.get(url).text, "3"), "version": version}

    refused = phone.post(f"{url}/ballot", data=form, follow_redirects=False)

    assert refused.status_code == 422 and "This form is damaged or out of date; reload the page." in refused.text
    assert "Your ballot was saved" not in phone.get(url).text


def test_after_the_session_closes_the_ballot_page_says_so_and_no_longer_invites_changes(app, client, dashboard_url):
    phone, url = _join(app, _code(client, dashboard_url))
    assert "You can change your ballot until the session closes." in phone.get(url).text
    session_id = dashboard_url.rstrip("/").rsplit("/", 1)[1]

    assert client.post(f"/sessions/{session_id}/close", follow_redirects=False).status_code == 303
    page = phone.get(url).text

    assert "This session is closed: your ballot shows as you last sent it and can no longer be changed." in page
    assert "You can change your ballot until the session closes." not in page
    assert re.search(r'<button type="submit" disabled>Submit my ballot</button>', page)
    dashboard = client.get(dashboard_url).text
    assert "The session is closed" in dashboard and 'class="join-code"' not in dashboard and "qr-code" not in dashboard
    assert "Results shown to participants" in dashboard  # a closed session shows them, whatever the round's setting


def test_a_ballot_sent_incomplete_names_what_it_still_lacks(app, client, case_study_id):
    started = client.post(f"/matrices/{case_study_id}/sessions", data={"weight_mode": "participant", "method": "wsm"},
                          follow_redirects=False)  # fmt: skip
    phone, url = _join(app, _code(client, started.headers["location"]))
    page = phone.get(url).text
    assert "Still to score" not in page  # nothing in yet: the count says enough
    form = _fill(page, "3")
    first_option = sorted(name for name in form if name.startswith("s."))[0].split(".")[1]
    for name in [n for n in form if n.startswith(f"s.{first_option}.")][:2]:
        del form[name]  # two cells of one option left empty
    weights = sorted(set(re.findall(r'name="(w\.\d+)"', page)))
    form.update(dict.fromkeys(weights[1:], "1"))  # every weight but the first

    answer = phone.post(f"{url}/ballot", data=form, follow_redirects=True).text

    missing = re.search(r'<div class="sc-still-missing">(.*?)</div>', answer, re.S).group(1)
    assert missing.count("<li>") == 1 and "Still to score when this ballot was last sent" in missing
    assert "Still without a weight:" in missing and missing.count(",") >= 1  # the option's two criteria listed


def test_a_phone_polling_for_the_result_reloads_once_the_session_closes_or_a_round_begins(app, client, dashboard_url):
    phone, url = _join(app, _code(client, dashboard_url))
    poll = re.search(r'id="group" hx-get="([^"]+)"', phone.get(url).text).group(1).replace("&amp;", "&")
    session_id = dashboard_url.rstrip("/").rsplit("/", 1)[1]
    assert poll.endswith("?drawn=open-1")

    unchanged = phone.get(poll, headers=HTMX)
    client.post(f"/sessions/{session_id}/close", follow_redirects=False)
    closed = phone.get(poll, headers=HTMX)
    client.post(f"/sessions/{session_id}/reopen", follow_redirects=False)
    client.post(f"/sessions/{session_id}/rounds", follow_redirects=False)
    next_round = phone.get(poll, headers=HTMX)

    assert unchanged.status_code == 200 and "HX-Refresh" not in unchanged.headers and 'id="group"' in unchanged.text
    assert closed.headers.get("HX-Refresh") == "true" and next_round.headers.get("HX-Refresh") == "true"
    assert re.search(r'id="group" hx-get="[^"]+\?drawn=open-2"', phone.get(url).text)  # drawn again: round 2


def test_how_sure_shows_sentences_weight_ranges_smaa_and_every_method(app, client, dashboard_url):
    for name, value in (("Ann", "2"), ("Bo", "4")):
        phone, url = _join(app, _code(client, dashboard_url), name)
        page = phone.get(url).text
        fields = _fill(page, value)
        first_option = sorted(k for k in fields if k.startswith("s."))[0].split(".")[1]
        fields |= {k: "5" for k in fields if k.startswith(f"s.{first_option}.")}  # one option stands out
        assert phone.post(f"{url}/ballot", data=fields, follow_redirects=False).status_code == 303

    dashboard = client.get(dashboard_url).text
    fragment = client.get(f"{dashboard_url}/how-sure", headers=HTMX)
    page = client.get(f"{dashboard_url}/how-sure")

    assert 'id="how-sure"' in dashboard and 'hx-trigger="toggle once"' in dashboard
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "would have to weigh" in fragment.text or "changes which option ranks first" in fragment.text
    assert fragment.text.count('class="interval-bar"') == 8 and fragment.text.count('class="acceptability-bar"') == 5
    assert "10,000 samples, each one participant's complete ballot" in fragment.text
    assert "Weighted sum" in fragment.text and "TOPSIS" in fragment.text
    assert page.status_code == 200 and "How sure is the group's ranking?" in page.text
    assert client.get(f"{dashboard_url}/how-sure", headers=HTMX).text == fragment.text  # a fixed seed: stable figures


def test_how_sure_before_any_ranking_says_what_it_needs(client, dashboard_url):
    page = client.get(f"{dashboard_url}/how-sure")

    assert page.status_code == 200 and "The analysis needs a group ranking" in page.text


def test_a_participant_cannot_open_how_sure(app, client, dashboard_url):
    phone, _url = _join(app, _code(client, dashboard_url))

    assert phone.get(f"{dashboard_url}/how-sure", follow_redirects=False).status_code in (303, 404)


def test_the_ballot_offers_each_criterion_s_quotation_one_tap_away(app, client, dashboard_url):
    phone, url = _join(app, _code(client, dashboard_url))

    page = phone.get(url).text

    assert page.count("What the source says<span class=\"visually-hidden\"> about ") == 8


def test_the_group_chart_uses_short_names_and_names_the_method_in_words(app, client, dashboard_url):
    """On a projector the full names made each bar four lines tall: the ranking no longer fitted the screen."""
    phone, url = _join(app, _code(client, dashboard_url))
    phone.post(f"{url}/ballot", data=_fill(phone.get(url).text, "4"))
    client.post(f"{dashboard_url}/reveal")

    live = client.get(f"{dashboard_url}/live", headers=HTMX).text
    group = phone.get(f"{url}/status", headers=HTMX).text

    for page in (live, group):
        bar_names = " ".join(re.findall(r'<text class="bar-name"[^>]*>([^<]*)<', page))
        assert "CBP support" in bar_names and "Bolster CBP capacity" not in bar_names
        assert "method Weighted sum (WSM)" in page and "method wsm" not in page


def test_a_ballot_without_weights_says_the_weights_are_what_is_missing(app, client, case_study_id):
    """Participant weights: every cell scored but no weights used to read "(40 of 40 so far)" and no ranking."""
    started = client.post(f"/matrices/{case_study_id}/sessions", data={"weight_mode": "participant", "method": "wsm"},
                          follow_redirects=False)  # fmt: skip
    phone, url = _join(app, _code(client, started.headers["location"]))
    sent = phone.post(f"{url}/ballot", data=_fill(phone.get(url).text), follow_redirects=False)

    page = phone.get(sent.headers["location"]).text

    assert "Your ranking</h3>" not in page
    assert "and gives every criterion a weight" in page and "40 of 40</span> scored so far" in page


def test_deleting_a_session_or_removing_a_participant_asks_first(app, client, dashboard_url):
    """Both were one click on the projector's page, with every ballot (or one person's) gone at once."""
    _join(app, _code(client, dashboard_url), "Cleo")
    page = client.get(dashboard_url).text

    assert re.search(r'hx-post="[^"]*/delete" hx-confirm="Delete “[^"]+” and every ballot in it\?', page)
    assert 'hx-confirm="Remove Cleo and their ballot?"' in page
    token = csrf_token_of(client)
    deleted = client.post(f"{dashboard_url}/delete", data={"csrf_token": token}, headers=HTMX)
    assert deleted.status_code == 204 and deleted.headers["HX-Redirect"].endswith("/sessions")
