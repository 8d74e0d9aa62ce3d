"""Issue 11, finding 1: a coordinator of another assessment took over a pending invitee.

The attack, step by step, fails at each of two barriers on its own: the outbox never shows a
link that claims an account (barrier 1), and a link claims only the membership it was issued
for (barrier 2).
"""
import re

import pytest
from sqlalchemy import select

from mab.assessments.models import Membership
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.factories import make_assessment, make_member, make_user, sign_in_client
from tests.records import mail

INVITE = re.compile(r"http://localhost(/invite/[\w.-]+)")
NEW_PASSWORD = "steppe-eagle-flies-high-7"
VICTIM = "x@example.org"


def link_in(message: OutboxMessage) -> str:
    """What the addressee reads in their own mailbox."""
    return INVITE.search(message.body_text).group(1)


@pytest.fixture
def two_assessments(app, client):   # client: every test_client() clears g per request
    kz = make_assessment(slug="kz-2022")
    other = make_assessment(slug="uz-2023")
    kz_coordinator = make_member(kz, "coordinator", email="coord-kz@example.org")
    attacker = make_member(other, "coordinator", email="coord-uz@example.org")
    db.session.commit()
    return kz, other, kz_coordinator, attacker


def invite(client, slug, role, email=VICTIM):
    response = client.post(f"/a/{slug}/people", data={"email": email, "name": "X",
                                                      "role": role, "language": "en"})
    assert response.status_code == 302, response.data


def test_attack_fails_at_the_outbox(app, client, two_assessments):
    """Barrier 1: the attacker's outbox shows the message without its link."""
    kz, other, kz_coordinator, attacker = two_assessments
    sign_in_client(client, kz_coordinator)
    invite(client, "kz-2022", "coordinator")
    attacker_client = app.test_client()
    sign_in_client(attacker_client, attacker)
    invite(attacker_client, "uz-2023", "observer")

    page = attacker_client.get("/outbox").get_data(as_text=True)
    assert "Invitation to" in page                        # the message is listed ...
    assert "/invite/" not in page                         # ... without its link
    assert "[link hidden: sent to the person]" in page
    assert "Send a new link" in page
    # The coordinator of kz-2022 does not read the link either.
    assert "/invite/" not in client.get("/outbox").get_data(as_text=True)


def test_attack_fails_at_the_membership(app, client, two_assessments):
    """Barrier 2: even holding the link of their own invitation, the attacker gets only that
    membership; the coordinator membership in kz-2022 stays pending for its own link."""
    kz, other, kz_coordinator, attacker = two_assessments
    sign_in_client(client, kz_coordinator)
    invite(client, "kz-2022", "coordinator")
    victim_link = link_in(mail(kind="invitation")[-1])
    attacker_client = app.test_client()
    sign_in_client(attacker_client, attacker)
    invite(attacker_client, "uz-2023", "observer")
    stolen_link = link_in(mail(kind="invitation")[-1])     # suppose it leaked anyway

    attacker_client.post("/logout")
    response = attacker_client.post(stolen_link, data={
        "name": "X", "language": "en", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/a/uz-2023/")
    for path in ("/a/kz-2022/", "/a/kz-2022/people", "/a/kz-2022/board/new", "/a/kz-2022/audit"):
        assert attacker_client.get(path).status_code == 404, path
    assert attacker_client.get("/a/uz-2023/").status_code == 200
    kz_membership = db.session.scalar(select(Membership).where(Membership.assessment_id == kz.id,
                                                               Membership.role == "coordinator",
                                                               Membership.accepted_at.is_(None)))
    assert kz_membership is not None

    # The home page lists the waiting invitation without a way to accept it there: only a new
    # link to the address's own mailbox.
    home = attacker_client.get("/").get_data(as_text=True)
    assert "Invitations waiting for you" in home and kz.title in home
    assert "Accept" not in home
    before = len(mail(kind="invitation"))
    attacker_client.post(f"/invitations/{kz_membership.id}/send-again")
    resent = mail(kind="invitation")
    assert len(resent) == before + 1 and resent[-1].recipient == VICTIM and resent[-1].secret
    assert attacker_client.get("/a/kz-2022/people").status_code == 404

    # The victim's own link still works (it is not spent by the other invitation): with the
    # account now set up it asks them to sign in, and never signs anybody in by itself.
    victim = app.test_client()
    page = victim.get(victim_link)
    assert page.status_code == 200
    assert b"already has a MAB account" in page.data
    assert victim.get("/a/kz-2022/").status_code == 302    # not signed in

    # The victim resets the password from their mailbox: the attacker's session ends.
    victim.post("/reset", data={"email": VICTIM})
    reset_link = re.search(r"http://localhost(/reset/\S+)",
                           mail(kind="password_reset")[-1].body_text).group(1)
    victim.post(reset_link, data={"password": "victim-own-pass-2026", "confirm":
                                  "victim-own-pass-2026"})
    assert attacker_client.get("/account").status_code == 302
    victim.post("/login", data={"email": VICTIM, "password": "victim-own-pass-2026"})
    confirm = victim.post(victim_link)
    assert confirm.status_code == 302 and confirm.headers["Location"].endswith("/a/kz-2022/")
    assert victim.get("/a/kz-2022/people").status_code == 200
    # ... and that link worked once only.
    assert victim.get(victim_link).status_code == 400


def test_signed_in_as_someone_else_cannot_use_the_link(app, client, two_assessments):
    kz, other, kz_coordinator, attacker = two_assessments
    sign_in_client(client, kz_coordinator)
    invite(client, "kz-2022", "researcher")
    kz_link = link_in(mail(kind="invitation")[-1])
    uz = app.test_client()
    sign_in_client(uz, attacker)
    invite(uz, "uz-2023", "observer")
    uz_link = link_in(mail(kind="invitation")[-1])
    app.test_client().post(uz_link, data={"name": "X", "language": "en",
                                          "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    # The account exists now; its kz-2022 link, opened by somebody else who is signed in:
    assert client.get(kz_link).status_code == 403
    assert client.post(kz_link).status_code == 403
    membership = db.session.scalar(select(Membership).where(
        Membership.assessment_id == kz.id, Membership.role == "researcher"))
    assert membership.accepted_at is None


def test_an_existing_account_joins_after_signing_in(app, client, two_assessments):
    kz, other, kz_coordinator, attacker = two_assessments
    person = make_member(other, "observer", user=make_user(email=VICTIM))
    make_member(kz, "board_member", user=person)   # an earlier membership, accepted
    db.session.commit()
    membership = db.session.scalar(select(Membership).where(Membership.assessment_id == other.id,
                                                            Membership.user_id == person.id))
    membership.accepted_at = None                  # pending in uz-2023, as after an invitation
    from mab.auth.services import send_invitation
    with app.test_request_context("/"):
        send_invitation(membership)
    db.session.commit()
    link = link_in(mail(kind="invitation")[-1])
    sign_in_client(client, person)
    assert client.get("/a/uz-2023/").status_code == 404
    page = client.get(link)
    assert page.status_code == 200 and b"Accept and open the assessment" in page.data
    response = client.post(link)
    assert response.headers["Location"].endswith("/a/uz-2023/")
    assert client.get("/a/uz-2023/").status_code == 200


class TestOutboxSecrets:
    def _setup(self, client, two_assessments):
        kz, other, kz_coordinator, attacker = two_assessments
        sign_in_client(client, kz_coordinator)
        invite(client, "kz-2022", "board_member")
        return mail(kind="invitation")[-1]

    def test_site_admin_reads_links_only_on_a_development_machine_without_mail(
            self, app, client, two_assessments):
        message = self._setup(client, two_assessments)
        admin = make_user(email="admin@example.org", is_site_admin=True)
        db.session.commit()
        admin_client = app.test_client()
        sign_in_client(admin_client, admin)
        assert "/invite/" not in admin_client.get("/outbox").get_data(as_text=True)   # test env
        app.config["ENV_NAME"] = "development"
        assert link_in(message) in admin_client.get("/outbox").get_data(as_text=True)
        assert "/invite/" not in client.get("/outbox").get_data(as_text=True)   # coordinator
        app.config["MAIL_SERVER"] = "smtp.example.org"
        assert "/invite/" not in admin_client.get("/outbox").get_data(as_text=True)

    def test_send_a_new_link(self, app, client, two_assessments):
        message = self._setup(client, two_assessments)
        response = client.post(f"/outbox/{message.id}/resend")
        assert response.status_code == 302
        newest = mail(kind="invitation")[-1]
        assert newest.id != message.id and newest.recipient == VICTIM and newest.secret
        assert link_in(newest) != link_in(message)

    def test_resend_a_password_reset(self, app, client, two_assessments):
        kz, other, kz_coordinator, attacker = two_assessments
        admin = make_user(email="admin@example.org", is_site_admin=True)
        db.session.commit()
        app.test_client().post("/reset", data={"email": "coord-kz@example.org"})
        message = mail(kind="password_reset")[-1]
        assert message.secret
        sign_in_client(client, admin)
        page = client.get("/outbox").get_data(as_text=True)
        assert "/reset/" not in page
        client.post(f"/outbox/{message.id}/resend")
        assert len(mail(kind="password_reset")) == 2

    def test_other_messages_keep_their_links_and_have_no_resend(self, app, client,
                                                                two_assessments):
        kz, other, kz_coordinator, attacker = two_assessments
        from mab.notify.services import queue_email
        with app.test_request_context("/"):
            plain = queue_email(to="someone@example.org", template="added_to_assessment",
                                assessment=kz, subject="Added", role="observer", inviter=None)
        db.session.commit()
        sign_in_client(client, kz_coordinator)
        assert client.post(f"/outbox/{plain.id}/resend").status_code == 404

    def test_outsider_cannot_resend(self, app, client, two_assessments):
        message = self._setup(client, two_assessments)
        kz, other, kz_coordinator, attacker = two_assessments
        outsider = app.test_client()
        sign_in_client(outsider, attacker)
        assert outsider.post(f"/outbox/{message.id}/resend").status_code == 404
