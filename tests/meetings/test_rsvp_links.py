"""The answer links of a meeting invitation (issue 15, item 8): one link per answer, each opening
the answer page with that answer chosen and one button to send it; opening a link never changes
anything (mail scanners open links); nothing is chosen when there is no answer yet; once
answered, the page gives the agenda, the place or online link, the .ics and the meeting page."""
import re

import pytest
from sqlalchemy import select

from mab.audit.models import AuditEvent
from mab.extensions import db
from mab.meetings.models import Rsvp
from mab.notify.models import OutboxMessage
from tests.meetings.test_views import invitation_of, schedule, setup, state, text

LINK = re.compile(r"http://localhost(/rsvp/\S+)")


def invitation_mail(email) -> OutboxMessage:
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == email, OutboxMessage.kind == "meeting_invitation")).first()


def links(email) -> dict[str, str]:
    """The answer links of the person's invitation email, by the answer each names."""
    found = LINK.findall(invitation_mail(email).body_text)
    return {re.search(r"answer=(\w+)", link).group(1): link for link in found}


def base(link) -> str:
    return link.split("?")[0]


def checked(page) -> list[str]:
    return re.findall(r'name="answer" value="(\w+)"[^>]*\bchecked', text(page))


def test_the_email_has_one_link_per_answer(client, app):
    assessment, people, _groups = setup()
    schedule(app, assessment, people)
    mail = invitation_mail("board_member@example.org")
    found = links("board_member@example.org")
    assert list(found) == ["yes", "no", "maybe"]
    assert len({base(link) for link in found.values()}) == 1   # one token, three answers
    assert all("lang=en" in link for link in found.values())
    body = mail.body_text
    assert "Yes: http://localhost/rsvp/" in body and "No: http://localhost/rsvp/" in body
    assert "Maybe: http://localhost/rsvp/" in body
    assert "one click" not in body
    for link in found.values():   # the HTML part links each of them
        assert f'href="http://localhost{link.replace("&", "&amp;")}"' in mail.body_html


@pytest.mark.parametrize("answer", ["yes", "no", "maybe"])
def test_a_link_opens_the_page_with_its_answer_chosen_and_changes_nothing(client, app, answer):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    link = links("board_member@example.org")[answer]
    before = state()
    events = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    page = client.get(link)
    assert page.status_code == 200
    assert checked(page) == [answer]
    assert text(page).count('type="submit" class="button"') == 1   # one button to send it
    assert "It is not sent yet" in text(page)
    assert "Your answer: <strong>No answer yet</strong>" in text(page)
    assert state() == before   # a mail scanner opening the link changes nothing
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)) == events
    assert invitation_of(meeting, people["board_member"]).rsvp == Rsvp.PENDING


def test_the_button_sends_the_chosen_answer(client, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    link = links("board_member@example.org")["maybe"]
    client.get(link)
    done = client.post(base(link), data={"answer": "maybe"})
    assert done.status_code == 302 and done.headers["Location"] == base(link)
    assert invitation_of(meeting, people["board_member"]).rsvp == Rsvp.MAYBE
    # A POST to the link's own address (with its query) sends the form's answer, not the link's.
    client.post(links("board_member@example.org")["yes"], data={"answer": "no"})
    assert invitation_of(meeting, people["board_member"]).rsvp == Rsvp.NO


def test_nothing_is_chosen_without_an_answer(client, app):
    assessment, people, _groups = setup()
    schedule(app, assessment, people)
    page = client.get(base(links("board_member@example.org")["yes"]))
    assert page.status_code == 200 and checked(page) == []
    assert "It is not sent yet" not in text(page)
    # Without an answer, no meeting details section yet (it comes after answering).
    assert "Add to my calendar" not in text(page)
    # A POST without an answer changes nothing.
    before = state()
    assert client.post(base(links("board_member@example.org")["yes"]), data={}).status_code == 200
    assert state() == before


def test_the_recorded_answer_is_chosen_when_the_link_names_none(client, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    invitation_of(meeting, people["board_member"]).rsvp = Rsvp.NO
    db.session.commit()
    link = links("board_member@example.org")["yes"]
    assert checked(client.get(base(link))) == ["no"]
    assert checked(client.get(link)) == ["yes"]   # the link's answer, to confirm


def test_an_unknown_answer_in_the_link_chooses_nothing(client, app):
    assessment, people, _groups = setup()
    schedule(app, assessment, people)
    link = base(links("board_member@example.org")["yes"])
    for answer in ("pending", "sure", ""):
        page = client.get(f"{link}?answer={answer}")
        assert page.status_code == 200 and checked(page) == []


def test_after_answering_the_page_gives_the_meeting(client, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people, agenda="1. Opening\n2. **Balance**",
                       online_url="https://meet.example.org/board")
    link = base(links("board_member@example.org")["yes"])
    page = client.post(link, data={"answer": "yes"}, follow_redirects=True)
    html = text(page)
    assert "Your answer: <strong>Yes</strong>" in html
    assert "<strong>Balance</strong>" in html   # the agenda, rendered
    assert "Almaty, UNESCO office" in html
    assert 'href="https://meet.example.org/board"' in html
    assert f'href="{link}/meeting.ics"' in html
    assert f'href="/a/kz-2022/meetings/{meeting.id}"' in html
    assert checked(page) == ["yes"]

    ics = client.get(f"{link}/meeting.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert "METHOD:PUBLISH" in body and "ATTENDEE" not in body
    assert "coordinator@example.org" not in body   # the organiser's address stays private


def test_the_calendar_file_of_a_bad_link_is_refused(client, app):
    assessment, people, _groups = setup()
    schedule(app, assessment, people)
    link = base(links("board_member@example.org")["yes"])
    response = client.get(f"{link}x/meeting.ics")
    assert response.status_code == 400 and "This answer link is not valid" in text(response)


def test_the_page_opens_in_the_language_of_the_email(client, app):
    assessment, people, _groups = setup()
    people["board_member"].language = "kk"
    db.session.commit()
    schedule(app, assessment, people)
    link = links("board_member@example.org")["yes"]
    assert "lang=kk" in link
    page = client.get(link, headers={"Accept-Language": "en"})
    assert '<html lang="kk">' in text(page)


def test_the_meeting_page_chooses_nothing_before_an_answer(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    login(people["board_member"])
    url = f"/a/kz-2022/meetings/{meeting.id}"
    page = client.get(url)
    assert "Your answer: <strong>No answer yet</strong>" in text(page)
    assert checked(page) == []
    before = state()
    empty = client.post(f"{url}/rsvp", data={}, follow_redirects=True)
    assert "Choose yes, no or maybe." in text(empty)
    assert state() == before
    client.post(f"{url}/rsvp", data={"answer": "maybe"})
    assert checked(client.get(url)) == ["maybe"]
