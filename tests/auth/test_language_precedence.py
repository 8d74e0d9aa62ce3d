"""Which language a page is in (issue 15, item 4): a choice made on a page holds for the browser
session, sign-in included, and is saved to the account only when asked; a page opened from an
emailed link is in that email's language; one language selector per page."""
import re

from sqlalchemy import select

from mab.audit.models import AuditEvent
from mab.auth.models import User
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.factories import PASSWORD, make_assessment, make_member, make_user

LINK = re.compile(r"http://localhost(/\S+)")


def html_lang(page) -> str:
    return re.search(r'<html lang="(\w+)"', page.get_data(as_text=True)).group(1)


def selectors(page) -> list[str]:
    """The selected option of every language selector on the page."""
    html = page.get_data(as_text=True)
    return [re.search(r'<option value="(\w+)"[^>]*selected', block).group(1)
            for block in re.findall(r"<select[^>]*>.*?</select>", html, re.S)
            if 'lang="kk"' in block]


def last_link(recipient) -> str:
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                 .order_by(OutboxMessage.id.desc())).first()
    return LINK.search(message.body_text).group(1)


def sign_in(client, email):
    return client.post("/login", data={"email": email, "password": PASSWORD})


def test_english_chosen_on_the_sign_in_page_holds_after_signing_in(client):
    user = make_user(email="aigerim@example.org", language="ru")
    db.session.commit()
    client.post("/language", data={"language": "en", "next": "/login"})
    assert html_lang(client.get("/login")) == "en"
    assert sign_in(client, "aigerim@example.org").status_code == 302
    account = client.get("/account")
    assert html_lang(account) == "en" and "Sign out" in account.get_data(as_text=True)
    db.session.refresh(user)
    assert user.language == "ru"   # the account keeps its language: nothing asked to save it


def test_without_a_choice_the_account_language_applies_after_sign_in(client):
    make_user(email="aigerim@example.org", language="ru")
    db.session.commit()
    assert html_lang(client.get("/login", headers={"Accept-Language": "en"})) == "en"
    sign_in(client, "aigerim@example.org")
    assert html_lang(client.get("/account", headers={"Accept-Language": "en"})) == "ru"


def test_a_choice_is_saved_to_the_account_only_when_asked(client):
    user = make_user(email="aigerim@example.org", language="ru")
    db.session.commit()
    sign_in(client, "aigerim@example.org")
    page = client.get("/account").get_data(as_text=True)
    assert 'id="language-remember"' in page   # the checkbox beside the selector, when signed in

    client.post("/language", data={"language": "kk", "next": "/account"})
    db.session.refresh(user)
    assert user.language == "ru" and html_lang(client.get("/account")) == "kk"
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "account.profile_updated")) == 0

    done = client.post("/language", data={"language": "en", "remember": "y", "next": "/account"},
                       follow_redirects=True)
    db.session.refresh(user)
    assert user.language == "en" and html_lang(done) == "en"
    assert "MAB will use English for your emails and future sign-ins." in done.get_data(as_text=True)

    # A later sign-in, in a new browser session, opens in the saved language.
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    sign_in(client, "aigerim@example.org")
    assert html_lang(client.get("/account", headers={"Accept-Language": "ru"})) == "en"


def test_the_checkbox_is_not_offered_when_signed_out(client):
    assert 'id="language-remember"' not in client.get("/login").get_data(as_text=True)


def test_changing_the_account_language_changes_the_page_now(client, login):
    user = login(make_user(language="ru"))
    db.session.commit()
    client.post("/language", data={"language": "kk", "next": "/account"})
    client.post("/account", data={"name": user.name, "language": "en", "gender": "",
                                  "timezone": ""})
    assert html_lang(client.get("/account")) == "en"


def invite(client, login, language):
    assessment = make_assessment(slug="kz-2022")
    coordinator = make_member(assessment, "coordinator", language="en")
    db.session.commit()
    login(coordinator)
    client.post("/a/kz-2022/people", data={"email": "saule@example.org", "name": "Saule",
                                           "role": "board_member", "language": language})
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    return last_link("saule@example.org")


def test_the_invitation_opens_in_the_language_of_its_email(client, login):
    link = invite(client, login, "kk")
    assert "lang=kk" in link
    page = client.get(link, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and html_lang(page) == "kk"
    assert selectors(page) == ["kk"]   # one selector, showing Kazakh
    assert 'name="language"' in page.get_data(as_text=True)   # the footer's, no other
    assert page.get_data(as_text=True).count('name="language"') == 1

    # The choice of the link holds for the session; the account takes the page's language.
    assert html_lang(client.get("/login", headers={"Accept-Language": "en"})) == "kk"
    client.post(link, data={"name": "Saule K.", "password": "steppe-wind-2022",
                            "confirm": "steppe-wind-2022"})
    user = db.session.scalar(select(User).where(User.email == "saule@example.org"))
    assert user.has_account and user.language == "kk"


def test_a_language_chosen_on_the_invitation_page_holds_and_becomes_the_account_s(client, login):
    link = invite(client, login, "kk")
    client.get(link)
    back = client.post("/language", data={"language": "ru", "next": link})
    assert "lang=" not in back.headers["Location"]   # the return address drops the link's lang
    page = client.get(back.headers["Location"])
    assert html_lang(page) == "ru" and selectors(page) == ["ru"]
    client.post(back.headers["Location"], data={"name": "Saule K.",
                                                "password": "steppe-wind-2022",
                                                "confirm": "steppe-wind-2022"})
    user = db.session.scalar(select(User).where(User.email == "saule@example.org"))
    assert user.language == "ru"


def test_an_unknown_link_language_is_ignored(client, login):
    link = invite(client, login, "kk").replace("lang=kk", "lang=fr")
    page = client.get(link, headers={"Accept-Language": "ru"})
    assert page.status_code == 200 and html_lang(page) == "ru"


def test_the_reset_link_opens_in_the_language_of_its_email(client):
    make_user(email="nurlan@example.org", language="kk")
    db.session.commit()
    client.post("/reset", data={"email": "nurlan@example.org"})
    with client.session_transaction() as session:
        session.clear()
    link = last_link("nurlan@example.org")
    assert "lang=kk" in link
    page = client.get(link, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and html_lang(page) == "kk" and selectors(page) == ["kk"]
