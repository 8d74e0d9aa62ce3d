"""Issue 13, item 6: the coordinator downloads a signed audit anchor from the audit page, and
whoever reads the log uploads one to check it against the chain; removing the newest events is
named, and a forged or foreign file is refused."""
import io
import json
import re

import pytest
from flask import current_app
from sqlalchemy import delete, select

from mab.audit.anchor import Anchor, dump_anchor, load_anchor
from mab.audit.models import AuditEvent
from mab.audit.services import chain_head, record_event
from mab.extensions import db
from tests.factories import team

A = "/a/kz-2022"
ANCHOR = f"{A}/audit/anchor"
CHECK = f"{A}/audit/anchor/check"


def text_of(response) -> str:
    import html
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", response.get_data(as_text=True),
                  flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture
def kz(app):
    assessment, people = team()
    for i in range(5):
        record_event(f"test.step{i}", actor=people["coordinator"], assessment=assessment,
                     object_type="Thing", object_id=i)
    db.session.commit()
    return assessment, people


def upload(client, data: bytes, name="mab-audit-anchor.json"):
    return client.post(CHECK, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def download(client) -> bytes:
    response = client.get(ANCHOR)
    assert response.status_code == 200
    return response.data


def events_now() -> int:
    return chain_head().count


def delete_newest(k):
    newest = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id.desc())
                                .limit(k)).all()
    db.session.execute(delete(AuditEvent).where(AuditEvent.id.in_(newest)))
    db.session.commit()


def test_the_coordinator_downloads_a_signed_anchor_of_the_chain(client, login, kz):
    assessment, people = kz
    login(people["coordinator"])
    page = client.get(f"{A}/audit").get_data(as_text=True)
    assert f'href="{ANCHOR}"' in page
    response = client.get(ANCHOR)
    assert response.status_code == 200 and response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition == (f'attachment; filename="mab-audit-anchor-kz-2022-'
                           f'{assessment.today().isoformat()}.json"')
    anchor = load_anchor(response.data, current_app.config["SECRET_KEY"])
    head = chain_head()
    assert (anchor.head, anchor.count) == (head.head, head.count) and anchor.count >= 5
    assert set(json.loads(response.data)) == {"format", "head", "count", "at", "hmac"}


@pytest.mark.parametrize("role", ["researcher", "board_member", "observer"])
def test_only_the_coordinator_downloads_one(client, login, kz, role):
    _, people = kz
    login(people[role])
    assert client.get(ANCHOR).status_code == 403
    if role == "observer":     # the observer reads the log and may check, without the button
        page = client.get(f"{A}/audit").get_data(as_text=True)
        assert f'href="{ANCHOR}"' not in page and f'action="{CHECK}"' in page


@pytest.mark.parametrize("role", ["researcher", "board_member"])
def test_who_cannot_read_the_log_cannot_check(client, login, kz, role):
    assessment, people = kz
    login(people["coordinator"])
    data = download(client)
    login(people[role])
    assert upload(client, data).status_code == 403


def test_an_intact_record_is_said_so(client, login, kz):
    assessment, people = kz
    login(people["coordinator"])
    data = download(client)
    anchored = events_now()
    record_event("test.later", actor=people["coordinator"], assessment=assessment,
                 object_type="Thing", object_id=99)         # later events are fine
    db.session.commit()
    login(people["observer"])
    response = upload(client, data)
    assert response.status_code == 200
    text = text_of(response)
    assert (f"The record is intact: all {anchored} events of the anchor of" in text
            and f"the chain now holds {anchored + 1} events" in text), text


def test_removing_the_newest_events_is_named(client, login, kz):
    _, people = kz
    login(people["coordinator"])
    data = download(client)
    anchored = events_now()
    delete_newest(2)
    response = upload(client, data)
    assert response.status_code == 200
    text = text_of(response)
    assert "The record is not intact" in text and "The record is intact" not in text
    assert f"counts {anchored} events, the chain now holds {anchored - 2}" in text
    assert (f"Missing: events {anchored - 1} to {anchored}, the newest 2 of the anchor."
            in text), text


def test_removing_only_the_newest_event_is_named(client, login, kz):
    _, people = kz
    login(people["coordinator"])
    data = download(client)
    anchored = events_now()
    delete_newest(1)
    text = text_of(upload(client, data))
    assert f"Missing: event {anchored}, the newest of the anchor." in text


def test_an_event_replaced_at_the_anchors_position_is_named(client, login, kz):
    assessment, people = kz
    login(people["coordinator"])
    data = download(client)
    anchored = events_now()
    delete_newest(1)
    record_event("test.forged", actor=people["coordinator"], assessment=assessment,
                 object_type="Thing", object_id=4)     # the chain is whole again, one different
    db.session.commit()
    text = text_of(upload(client, data))
    assert (f"The record is not intact: event {anchored} of the chain is not the one the "
            f"anchor of") in text
    assert chain_head().head in text


@pytest.mark.parametrize("tamper, message", [
    (lambda raw: raw.replace(b'"count": ', b'"count": 1'), "its signature does not match"),
    (lambda raw: b"hello", "This file is not an audit anchor."),
    (lambda raw: b"x" * 10_000, "This file is not an audit anchor."),
])
def test_a_forged_or_foreign_file_is_refused(client, login, kz, tamper, message):
    _, people = kz
    login(people["coordinator"])
    response = upload(client, tamper(download(client)))
    assert response.status_code == 422
    text = text_of(response)
    assert message in text and "The record is" not in text


def test_an_anchor_signed_by_another_installation_is_refused(client, login, kz):
    _, people = kz
    login(people["coordinator"])
    head = chain_head()
    foreign = dump_anchor(Anchor(head.head, head.count, head.at), "another installation")
    response = upload(client, foreign)
    assert response.status_code == 422 and "its signature does not match" in text_of(response)


def test_no_file_is_a_field_error(client, login, kz):
    _, people = kz
    login(people["observer"])
    response = client.post(CHECK, data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose an audit anchor file." in text_of(response)
