"""The audit log page: who may see it, its filters (in the assessment's time zone), what a
validation round leaves in it, and a fixed number of queries however long the log."""
import re
from datetime import datetime, timezone

import pytest

from mab.audit import services as audit_services
from mab.audit.services import record_event
from mab.extensions import db
from tests.factories import make_assessment, make_member, make_user, team
from tests.querycount import counting
from tests.validation.support import open_round, sign_form, world

A = "/a/kz-2022"
UTC = timezone.utc


def record_at(monkeypatch, moment, *args, **kwargs):
    """Record an event as if it were ``moment`` (the hash covers the time)."""
    monkeypatch.setattr(audit_services, "utcnow", lambda: moment)
    event = record_event(*args, **kwargs)
    monkeypatch.undo()
    return event


def shown(response) -> list[str]:
    """The actions listed on the page, newest first."""
    return re.findall(r'<td class="event" data-action="([^"]+)"', response.get_data(as_text=True))


@pytest.fixture
def log(app, monkeypatch):
    """Four events in kz-2022 (Asia/Almaty, UTC+6 in 2022) and one in another assessment."""
    assessment, people = team()
    other = make_assessment(slug="uz-2023")
    coordinator, researcher = people["coordinator"], people["researcher"]
    record_at(monkeypatch, datetime(2022, 3, 10, 10, 0, tzinfo=UTC), "test.first",
              actor=coordinator, assessment=assessment, object_type="Draft", object_id=5)
    # 19:00 UTC on the 10th is 01:00 on the 11th in Almaty.
    record_at(monkeypatch, datetime(2022, 3, 10, 19, 0, tzinfo=UTC), "test.second",
              actor=researcher, assessment=assessment, object_type="Draft", object_id=6)
    record_at(monkeypatch, datetime(2022, 3, 12, 12, 0, tzinfo=UTC), "test.third",
              actor=researcher, assessment=assessment, object_type="Meeting", object_id=5)
    record_at(monkeypatch, datetime(2022, 3, 13, 12, 0, tzinfo=UTC), "test.system",
              assessment=assessment, object_type="Meeting", object_id=7)
    record_at(monkeypatch, datetime(2022, 3, 11, 12, 0, tzinfo=UTC), "test.elsewhere",
              actor=make_user(), assessment=other, object_type="Draft", object_id=5)
    db.session.commit()
    return assessment, people


# --- who may see it ----------------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [("coordinator", 200), ("observer", 200),
                                         ("researcher", 403), ("board_member", 403),
                                         ("outsider", 404), ("admin", 404)])
def test_who_may_read_the_audit_log(client, login, log, who, status):
    login(log[1][who])
    response = client.get(f"{A}/audit")
    assert response.status_code == status
    if status == 200:
        assert shown(response) == ["test.system", "test.third", "test.second", "test.first"]
    else:
        assert "test.first" not in response.get_data(as_text=True)
    assert client.get(f"{A}/audit?verify=1").status_code == status


def test_anonymous_visitors_are_sent_to_the_login(client, log):
    response = client.get(f"{A}/audit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- filters -----------------------------------------------------------------------------------

def test_the_filters_return_the_right_events(client, login, log):
    people = log[1]
    login(people["observer"])
    researcher, coordinator = people["researcher"].id, people["coordinator"].id
    cases = {
        f"actor={researcher}": ["test.third", "test.second"],
        f"actor={coordinator}": ["test.first"],
        "object_type=Meeting": ["test.system", "test.third"],
        "object_type=Draft": ["test.second", "test.first"],
        "object_id=5": ["test.third", "test.first"],
        "object_type=Draft&object_id=5": ["test.first"],
        "object_id=%205%20": ["test.third", "test.first"],
        f"actor={researcher}&object_type=Draft": ["test.second"],
        # Days are the assessment's (Almaty) days, not UTC days.
        "start=2022-03-11": ["test.system", "test.third", "test.second"],
        "end=2022-03-10": ["test.first"],
        "start=2022-03-11&end=2022-03-11": ["test.second"],
        "start=2022-03-12&end=2022-03-12": ["test.third"],
        "start=2022-03-14": [],
        "": ["test.system", "test.third", "test.second", "test.first"],
    }
    for query, expected in cases.items():
        response = client.get(f"{A}/audit?{query}")
        assert response.status_code == 200, query
        assert shown(response) == expected, query
    assert "No event matches." in client.get(f"{A}/audit?start=2022-03-14").get_data(
        as_text=True)


def test_the_actor_choices_are_the_people_of_this_assessment(client, login, log):
    people = log[1]
    login(people["coordinator"])
    html = client.get(f"{A}/audit").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="actor".*?</select>', html, re.S).group(0)
    values = set(re.findall(r'value="(\d+)"', select_html))
    assert values == {str(people["coordinator"].id), str(people["researcher"].id)}
    types = re.search(r'<select[^>]*name="object_type".*?</select>', html, re.S).group(0)
    assert set(re.findall(r'value="(\w+)"', types)) == {"Draft", "Meeting"}


def test_filters_keep_to_the_assessment_and_bad_values_are_harmless(client, login, log):
    people = log[1]
    login(people["coordinator"])
    for query in ("object_id=5&object_type=Draft", "start=2022-03-11&end=2022-03-11"):
        assert "test.elsewhere" not in shown(client.get(f"{A}/audit?{query}"))
    for query in ("start=yesterday", "actor=abc", "object_type=Nonsense", "end=2022-13-40",
                  "page=999"):
        response = client.get(f"{A}/audit?{query}")
        assert response.status_code == 200, query
        assert "test.elsewhere" not in response.get_data(as_text=True)


def test_the_verify_link_keeps_the_filters(client, login, log):
    people = log[1]
    login(people["coordinator"])
    html = client.get(f"{A}/audit?object_type=Meeting").get_data(as_text=True)
    link = re.search(r'href="([^"]*verify=1[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "object_type=Meeting" in link
    response = client.get(link)
    assert "The chain is intact" in response.get_data(as_text=True)
    assert shown(response) == ["test.system", "test.third"]


# --- a validation round in the log -------------------------------------------------------------

def test_a_round_leaves_its_events_in_the_log(client, login, app):
    with app.test_request_context("/"):
        w = world(other=False)
    round_ = open_round(w)
    login(w.people["board_member"])
    client.post(f"{A}/validation/{round_.id}/sign", data=sign_form(round_, "endorse"))
    login(w.people["coordinator"])
    client.post(f"{A}/validation/{round_.id}/remind")
    client.post(f"{A}/validation/{round_.id}/close",
                data={"confirm": "y", "reason": "The board agreed to close early."})
    response = client.get(f"{A}/audit?object_type=ValidationRound&object_id={round_.id}")
    assert shown(response) == ["validation.closed", "validation.reminded", "validation.opened"]
    signed = shown(client.get(f"{A}/audit?object_type=SignOff"))
    assert signed == ["validation.signed"]
    assert shown(client.get(f"{A}/audit?actor={w.people['board_member'].id}")) == [
        "validation.signed"]
    assert "The chain is intact" in client.get(f"{A}/audit?verify=1").get_data(as_text=True)


# --- queries -----------------------------------------------------------------------------------

def grow(assessment, people, n):
    # The chain check empties the session: work on fresh copies.
    assessment = db.session.merge(assessment)
    people = {k: db.session.merge(v) for k, v in people.items()}
    actors = [people["coordinator"], people["researcher"]] + [
        make_member(assessment, email=f"actor{n}-{k}@example.org") for k in range(n // 10)]
    for k in range(n):
        record_event(f"test.bulk{k % 7}", actor=actors[k % len(actors)], assessment=assessment,
                     object_type=("Draft", "Meeting", "Comment", "Membership")[k % 4],
                     object_id=k, changes={"k": k, "field": [k, k + 1]})
    db.session.commit()


def measure(client):
    counts = {}
    for query in ("", "?object_type=Draft", "?start=2000-01-01&end=2100-01-01", "?verify=1",
                  "?page=2"):
        with counting() as statements:
            response = client.get(f"{A}/audit{query}")
        assert response.status_code == 200
        counts[query] = len(statements)
    return counts


def test_the_audit_page_runs_the_same_queries_for_a_long_log(client, login, app):
    assessment, people = team()
    login(people["observer"])
    grow(assessment, people, 120)
    small = measure(client)
    grow(assessment, people, 600)
    large = measure(client)
    # Verification reads the chain in batches of 1000: compare like with like.
    assert {k: v for k, v in large.items() if k != "?verify=1"} == \
        {k: v for k, v in small.items() if k != "?verify=1"}
    assert large["?verify=1"] == small["?verify=1"]
    html = client.get(f"{A}/audit").get_data(as_text=True)
    assert "720 events" in html

