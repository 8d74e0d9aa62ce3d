"""Circulating a version with its editions (issue 18 item 4): the confirmation names the
translations that go out (the complete ones) and those that do not, with their status; the
circulation records the languages sent and the email names them; with 'circulate only when every
translation is complete' a version with an incomplete translation is refused, nothing changed."""
import html
from datetime import timedelta

from sqlalchemy import select

from mab.audit.models import AuditEvent
from mab.drafts.models import Circulation
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.confirming import confirmation_fields, post_confirmed
from tests.drafts.editions_support import outdate, translate
from tests.drafts.support import A, make_draft, setup
from tests.drafts.test_circulate_confirmation import snapshot
from tests.factories import make_assessment, team

BODY = "Access is uneven.\n\nPrices fell.\n\nRural areas lag."


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def data(assessment):
    return {"deadline": (assessment.today() + timedelta(days=14)).isoformat(), "message": ""}


def draft_with_editions():
    assessment, people = setup()                     # ru (source), kk, en
    draft = make_draft(assessment, people["researcher"], BODY)
    version = draft.versions[-1]
    translate(version, "kk")
    outdate(translate(version, "en", count=2), "p1")
    return assessment, people, draft


def test_the_confirmation_names_the_editions_that_go_out_and_those_that_do_not(client, login):
    assessment, people, draft = draft_with_editions()
    login(people["researcher"])
    before = snapshot(draft.id)
    response = client.post(f"{A}/drafts/{draft.id}/circulate", data=data(assessment))
    assert response.status_code == 200
    body = page(response)
    assert "It goes out in Русский (the source), Қазақша." in body
    assert "Not circulated, not complete yet: English (1 of 3 paragraphs · 1 outdated)." in body
    assert snapshot(draft.id) == before


def test_circulating_records_the_complete_editions_and_the_email_names_them(client, login):
    assessment, people, draft = draft_with_editions()
    login(people["researcher"])
    response = post_confirmed(client, f"{A}/drafts/{draft.id}/circulate", data(assessment))
    assert response.status_code == 302
    circulation = db.session.scalar(select(Circulation))
    assert circulation.languages == "kk"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "draft.circulated"))
    assert event.changes["languages"] == ["kk"]
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "draft_circulated")).all()
    # Each in the recipient's language; the English ones say it in English.
    assert mail and all("Қазақша" in m.body_text for m in mail)
    assert any("It can be read in Русский, Қазақша." in m.body_text for m in mail)
    # The audit log names the language, never its code.
    login(people["coordinator"])
    log = page(client.get(f"{A}/audit"))
    assert "Translations circulated" in log and "Қазақша" in log


def test_a_one_language_assessment_circulates_as_before(client, login):
    assessment, people = team(make_assessment(slug="kz-2022", languages="ru"))
    draft = make_draft(assessment, people["researcher"], BODY)
    login(people["researcher"])
    first = client.post(f"{A}/drafts/{draft.id}/circulate", data=data(assessment))
    assert "goes out in" not in page(first) and "not complete" not in page(first)
    post_confirmed(client, f"{A}/drafts/{draft.id}/circulate", data(assessment))
    circulation = db.session.scalar(select(Circulation))
    assert circulation.languages == ""
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "draft.circulated"))
    assert "languages" not in event.changes
    assert not any("It can be read in" in m.body_text
                   for m in db.session.scalars(select(OutboxMessage)))


def test_with_the_policy_an_incomplete_translation_is_refused(client, login):
    assessment, people, draft = draft_with_editions()
    assessment.circulate_complete_only = True
    db.session.commit()
    login(people["researcher"])
    before = snapshot(draft.id)
    message = ("This assessment circulates a version only when every translation is complete. "
               "Not complete: English (1 of 3 paragraphs · 1 outdated).")
    # The first POST (the confirmation) is refused...
    response = client.post(f"{A}/drafts/{draft.id}/circulate", data=data(assessment),
                           follow_redirects=True)
    assert message in page(response)
    assert snapshot(draft.id) == before
    # ...and so is a confirmed POST made without it (say, the policy changed meanwhile).
    assessment.circulate_complete_only = False
    db.session.commit()
    fields = confirmation_fields(client.post(f"{A}/drafts/{draft.id}/circulate",
                                             data=data(assessment)))
    assessment.circulate_complete_only = True
    db.session.commit()
    response = client.post(f"{A}/drafts/{draft.id}/circulate",
                           data={**data(assessment), **fields}, follow_redirects=True)
    assert message in page(response)
    assert snapshot(draft.id) == before


def test_with_the_policy_every_translation_complete_circulates_them_all(client, login):
    assessment, people, draft = draft_with_editions()
    translate(draft.versions[-1], "en")
    assessment.circulate_complete_only = True
    db.session.commit()
    login(people["researcher"])
    first = client.post(f"{A}/drafts/{draft.id}/circulate", data=data(assessment))
    assert "It goes out in Русский (the source), Қазақша, English." in page(first)
    assert "not complete" not in page(first)
    post_confirmed(client, f"{A}/drafts/{draft.id}/circulate", data(assessment))
    assert db.session.scalar(select(Circulation)).languages == "kk,en"
