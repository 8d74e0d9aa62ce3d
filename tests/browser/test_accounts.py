"""Accounts in a real browser: sign in and out, language, invitation, password reset."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from mab.assessments.models import Role
from mab.auth.models import User
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.browser.helpers import CYRILLIC, html_lang, sign_in, sign_out
from tests.factories import PASSWORD, make_assessment, make_member, make_user

NEW_PASSWORD = "steppe-wind-2022"


def test_sign_in_lands_on_the_assessment_and_sign_out(page, live_server, axe_check):
    assessment = make_assessment(slug="kz-2022", title="Kazakhstan ROAM-X 2022")
    make_member(assessment, Role.BOARD_MEMBER, email="aigerim@example.org", name="Aigerim")
    db.session.commit()

    # A wrong password keeps the person on the form, with the reason and the address kept.
    sign_in(page, live_server, "aigerim@example.org", "not-the-password", axe_check=axe_check)
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.get_by_role("alert")).to_have_text("The email or password is not correct.")
    expect(page.get_by_label("Email")).to_have_value("aigerim@example.org")
    axe_check(page)

    sign_in(page, live_server, "aigerim@example.org", axe_check=axe_check)
    expect(page).to_have_url(f"{live_server}/a/kz-2022/")
    expect(page.locator("h1")).to_have_text("Kazakhstan ROAM-X 2022")
    header = page.locator(".site-header")
    expect(header.locator(".badge")).to_have_text("Board member")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="People")).to_be_visible()
    # A board member does not manage people, nor see the outbox or the administration.
    expect(nav.get_by_role("link", name="Outbox")).to_have_count(0)
    expect(nav.get_by_role("link", name="Administration")).to_have_count(0)
    expect(page.locator("#blocked-heading")).to_have_count(0)   # what holds the coordinator up
    axe_check(page)

    sign_out(page, live_server)
    axe_check(page)
    # Signed out for real: the assessment now asks for a login again.
    page.goto(f"{live_server}/a/kz-2022/")
    expect(page).to_have_url(re.compile(re.escape(f"{live_server}/login?next=")))
    expect(page.locator("h1")).to_have_text("Sign in")
    axe_check(page)


def _change_language(page, code):
    page.locator("#language-select").select_option(code)
    page.locator(".language-form button[type=submit]").click()
    page.wait_for_load_state("load")


def test_language_switch_to_russian_then_kazakh(page, live_server, axe_check):
    assessment = make_assessment(slug="kz-2022", title="Kazakhstan ROAM-X 2022")
    make_member(assessment, Role.COORDINATOR, email="dana@example.org")
    db.session.commit()

    page.goto(f"{live_server}/login")
    assert html_lang(page) == "en"
    h1 = page.locator("h1")
    expect(h1).to_have_text("Sign in")
    axe_check(page)

    # Signed out: the choice is kept in the session and the page comes back translated.
    seen = {"en": h1.inner_text()}
    for code in ("ru", "kk"):
        _change_language(page, code)
        expect(page).to_have_url(re.compile(re.escape(f"{live_server}/login")))
        assert html_lang(page) == code
        expect(page.locator("#language-select")).to_have_value(code)
        text = h1.inner_text()
        assert text not in seen.values(), f"login h1 in {code} is {text!r}, as in {seen}"
        assert CYRILLIC.search(text), f"login h1 in {code} is not Cyrillic: {text!r}"
        seen[code] = text
        axe_check(page)

    # The account has its own language (English here), but the choice made on the sign-in page
    # holds after signing in (issue 15, item 4).
    sign_in_button = page.locator("main button[type=submit]")
    page.locator("#email").fill("dana@example.org")
    page.locator("#password").fill(PASSWORD)
    sign_in_button.click()
    expect(page).to_have_url(f"{live_server}/a/kz-2022/")
    assert html_lang(page) == "kk"
    nav = page.get_by_role("navigation")
    axe_check(page)

    nav_texts = {}
    for code in ("ru", "kk"):
        _change_language(page, code)
        expect(page).to_have_url(f"{live_server}/a/kz-2022/")
        assert html_lang(page) == code
        expect(page.locator("h1")).to_have_text("Kazakhstan ROAM-X 2022")
        current = nav.locator("a[aria-current=page]").inner_text()
        assert current != "Home" and CYRILLIC.search(current), current
        badge = page.locator(".site-header .badge").inner_text()
        assert badge != "Coordinator" and CYRILLIC.search(badge), badge
        text = nav.inner_text()
        assert text not in nav_texts.values(), f"nav in {code}: {text!r}"
        nav_texts[code] = text
        axe_check(page)

    # Signed in, the choice is the session's; the account keeps English until asked.
    db.session.rollback()
    assert db.session.scalar(select(User.language).where(User.email == "dana@example.org")) == "en"
    page.locator("#language-remember").check()
    _change_language(page, "kk")
    assert html_lang(page) == "kk"
    db.session.rollback()
    assert db.session.scalar(select(User.language).where(User.email == "dana@example.org")) == "kk"


def test_invitation_accepted_end_to_end(page, live_server, axe_check):
    assessment = make_assessment(slug="kz-2022", title="Kazakhstan ROAM-X 2022")
    make_member(assessment, Role.COORDINATOR, email="coordinator@example.org", name="Dana")
    db.session.commit()

    sign_in(page, live_server, "coordinator@example.org", axe_check=axe_check)
    expect(page).to_have_url(f"{live_server}/a/kz-2022/")
    axe_check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page).to_have_url(f"{live_server}/a/kz-2022/people")
    expect(page.locator("h1")).to_have_text("People")
    axe_check(page)

    form = page.locator("section[aria-labelledby=invite-heading] form")
    form.get_by_label("Email").fill("Saule@Example.org")
    form.get_by_label("Name", exact=True).fill("Saule Omarova")
    form.get_by_label("Role").select_option(label="Board member")
    form.get_by_label("Language of the invitation").select_option("en")
    form.get_by_role("button", name="Send the invitation").click()
    expect(page).to_have_url(f"{live_server}/a/kz-2022/people")
    expect(page.locator(".flashes")).to_contain_text("saule@example.org has been invited.")
    row = page.locator("tbody tr").filter(has_text="saule@example.org")
    expect(row).to_contain_text("Saule Omarova")
    expect(row).to_contain_text("invitation pending")
    expect(row.locator("td").last).to_have_text("Board member")
    axe_check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Outbox").click()
    expect(page).to_have_url(f"{live_server}/outbox?a=kz-2022")   # keeps the assessment's menu
    expect(page.locator("article.message")).to_have_count(1)
    expect(page.locator("article.message h2")).to_have_text("Invitation to Kazakhstan ROAM-X 2022")
    # The coordinator sees the message, not its link: that goes to Saule's mailbox only.
    message = page.locator("article.message").filter(has_text="saule@example.org")
    message.locator("summary").click()
    expect(message.locator("pre")).to_contain_text("[link hidden: sent to the person]")
    expect(message.locator("pre a")).to_have_count(0)
    expect(message.get_by_role("button", name="Send a new link")).to_be_visible()
    axe_check(page)   # with the message text open
    link = _mailbox_link("saule@example.org", live_server, "/invite/")
    # The page opens in the language of the email (Saule's, English here).
    assert re.fullmatch(re.escape(f"{live_server}/invite/") + r"[\w.-]+\?lang=en", link), link

    sign_out(page, live_server)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Accept your invitation")
    expect(page.locator("main")).to_contain_text(
        "You are setting up the account for saule@example.org.")
    main = page.locator("main")
    expect(main.get_by_label("Your name")).to_have_value("Saule Omarova")
    axe_check(page)

    main.get_by_label("Your name").fill("Saule O.")
    # One language selector, the footer's; the account takes the page's language.
    expect(page.get_by_label("Language", exact=True)).to_have_count(1)
    expect(page.get_by_label("Language", exact=True)).to_have_value("en")
    expect(main).to_contain_text("MAB will write to you in English, the language of this page.")
    main.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    main.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    main.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(f"{live_server}/a/kz-2022/")
    expect(page.locator("h1")).to_have_text("Kazakhstan ROAM-X 2022")
    expect(page.locator(".flashes")).to_contain_text("Welcome, Saule O.. Your account is ready.")
    expect(page.locator(".site-header .badge")).to_have_text("Board member")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    axe_check(page)

    # The link worked once only.
    response = page.goto(link)
    assert response.status == 400
    expect(page.locator("h1")).to_have_text("This link cannot be used")
    axe_check(page)

    # And the chosen password is the account's password from now on.
    sign_out_form = page.get_by_role("button", name="Sign out")
    sign_out_form.click()
    sign_in(page, live_server, "saule@example.org", NEW_PASSWORD, axe_check=axe_check)
    expect(page).to_have_url(f"{live_server}/a/kz-2022/")
    axe_check(page)


def _mailbox_link(recipient, base_url, path="/reset/"):
    """The link in the newest message to ``recipient``: what they read in their own mailbox."""
    db.session.rollback()   # see what the server committed
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                 .order_by(OutboxMessage.id.desc())).first()
    assert message is not None, f"no message to {recipient}"
    match = re.search(re.escape(base_url + path) + r"\S+", message.body_text)
    assert match, message.body_text
    return match.group(0)


def test_password_reset(page, live_server, axe_check):
    assessment = make_assessment(slug="kz-2022", title="Kazakhstan ROAM-X 2022")
    make_member(assessment, Role.RESEARCHER, email="marat@example.org")
    make_user(email="other@example.org")
    db.session.commit()

    page.goto(f"{live_server}/login")
    axe_check(page)
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page).to_have_url(f"{live_server}/reset")
    expect(page.locator("h1")).to_have_text("Reset your password")
    axe_check(page)

    page.get_by_label("Email").fill("marat@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.locator(".flashes")).to_contain_text("If an account exists for that address")
    axe_check(page)

    link = _mailbox_link("marat@example.org", live_server)
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.recipient == "other@example.org")) is None

    page.goto(link)
    expect(page.locator("h1")).to_have_text("Choose a new password")
    axe_check(page)

    # A mismatch is refused, in an accessible way.
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator(".error-summary")).to_contain_text("The two passwords differ.")
    expect(page.get_by_label("Repeat the new password")).to_have_attribute("aria-invalid", "true")
    axe_check(page)

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.locator(".flashes")).to_contain_text("Your password has been changed.")
    axe_check(page)

    # The old password no longer works; the new one does.
    sign_in(page, live_server, "marat@example.org", PASSWORD, axe_check=axe_check)
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.get_by_role("alert")).to_have_text("The email or password is not correct.")
    axe_check(page)

    sign_in(page, live_server, "marat@example.org", NEW_PASSWORD, axe_check=axe_check)
    expect(page).to_have_url(f"{live_server}/a/kz-2022/")
    expect(page.locator("h1")).to_have_text("Kazakhstan ROAM-X 2022")
    expect(page.locator(".site-header .badge")).to_have_text("Researcher")
    axe_check(page)


def test_sign_out_another_device_and_a_copied_cookie_stops_working(new_page, live_server,
                                                                    axe_check):
    """Issue 11: the laptop signs the phone out; the phone's cookies, replayed, meet sign-in."""
    assessment = make_assessment(slug="kz-2022", title="Kazakhstan ROAM-X 2022")
    make_member(assessment, Role.BOARD_MEMBER, email="aigerim@example.org", name="Aigerim")
    db.session.commit()
    phone = new_page(viewport={"width": 360, "height": 740}, user_agent=(
        "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"))
    sign_in(phone, live_server, "aigerim@example.org", axe_check=axe_check)
    expect(phone).to_have_url(f"{live_server}/a/kz-2022/")
    stolen = phone.context.cookies()

    laptop = new_page()
    sign_in(laptop, live_server, "aigerim@example.org", axe_check=axe_check)
    laptop.goto(f"{live_server}/account")
    devices = laptop.locator("section[aria-labelledby=sessions-heading]")
    expect(devices.locator(".sessions__item")).to_have_count(2)
    expect(devices).to_contain_text("Firefox on Android")
    expect(devices.locator(".badge").filter(has_text="this device")).to_have_count(1)
    axe_check(laptop)
    devices.locator(".sessions__item").filter(has_text="Firefox on Android") \
        .get_by_role("button", name="Sign out this device").click()
    expect(laptop.locator(".flashes")).to_contain_text("That device has been signed out.")
    expect(laptop.locator(".sessions__item")).to_have_count(1)
    axe_check(laptop)

    phone.reload()
    expect(phone).to_have_url(re.compile(re.escape(f"{live_server}/login")))
    replay = new_page()
    replay.context.add_cookies(stolen)
    replay.goto(f"{live_server}/account")
    expect(replay).to_have_url(re.compile(re.escape(f"{live_server}/login")))

    # Signing out on the laptop ends its session too: its copied cookie is refused after.
    laptop_cookies = laptop.context.cookies()
    sign_out(laptop, live_server)
    again = new_page()
    again.context.add_cookies(laptop_cookies)
    again.goto(f"{live_server}/account")
    expect(again).to_have_url(re.compile(re.escape(f"{live_server}/login")))


def test_admin_disables_an_account(page, new_page, live_server, axe_check):
    make_user(email="admin@example.org", name="Admin", is_site_admin=True)
    assessment = make_assessment(slug="kz-2022", title="Kazakhstan ROAM-X 2022")
    make_member(assessment, Role.RESEARCHER, email="marat@example.org", name="Marat")
    db.session.commit()
    marat = new_page()
    sign_in(marat, live_server, "marat@example.org", axe_check=axe_check)
    expect(marat).to_have_url(f"{live_server}/a/kz-2022/")

    sign_in(page, live_server, "admin@example.org", axe_check=axe_check)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts").click()
    expect(page.locator("h1")).to_have_text("Accounts")
    axe_check(page)
    page.get_by_label("Search by address or name").fill("marat")
    page.get_by_role("button", name="Search", exact=True).click()
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Disable").click()
    expect(page.locator(".flashes")).to_contain_text("marat@example.org is disabled")
    expect(page.locator("tbody tr")).to_contain_text("disabled")
    axe_check(page)

    marat.reload()
    expect(marat).to_have_url(re.compile(re.escape(f"{live_server}/login")))
