"""Validation, the audit log and the report annex in a real browser, on the demo assessment.

The issue's path: the coordinator opens a validation round on a circulated version; three active
board members sign it (one endorses, one endorses with reservations, one objects after changing
their mind), each confirming the exact version and its SHA-256; the coordinator follows the
progress, reminds the others, closes the round and issues the certificate (checked in print and
as a PDF); the report annex and its ZIP carry the result; the audit log shows every step and its
chain is intact. axe-core finds nothing on any of these pages, in English and once in Russian,
and the round page and the certificate fit a phone.

The demo (mab.demo) has 12 active board members in 8 of its 9 stakeholder groups (none in
"Individual Internet users"), a closed round on "Policy and regulatory framework", and
"Freedom of expression online" with version 1 circulated and no round yet. Its assessment speaks
ru, kk and en (in that order) and its timezone is Asia/Almaty.
"""
import re
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from playwright.sync_api import expect
from sqlalchemy import func, select, update

from mab.assessments.models import Assessment
from mab.auth.models import User
from mab.demo import BOARD, DEMO_PASSWORD, PEOPLE, seed
from mab.drafts.models import Draft, DraftVersion
from mab.extensions import db
from mab.notify.models import OutboxMessage
from mab.validation.models import ValidationRound
from tests.browser.helpers import CYRILLIC, html_lang, sign_in, sign_out

TZ = ZoneInfo("Asia/Almaty")
HOME = "/a/kz-2022/"
VALIDATION = "/a/kz-2022/validation"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
DRAFT = "Freedom of expression online"
CHOICE = f"{DRAFT}, version 1"
ACTIVE = [email for email, (*_rest, status) in BOARD.items() if status == "active"]
NAMES = {email: name for email, name, *_rest in PEOPLE}
COORDINATOR = "coordinator@example.org"
ENDORSER = "member01@example.org"     # Government, a man
RESERVER = "member07@example.org"     # Civil society, a woman
OBJECTOR = "member06@example.org"     # Academia, a man: endorses first, then objects
RESERVATION = "Endorsed; the recommendation should name the ministry in charge."
OBJECTION = "The findings on self-censorship rest on too few interviews."
EARLY_REASON = "The board agreed at its meeting to close a week early."
MISSING = ("Media and journalists, National IGF community, Private sector, Technical community, "
           "UN agencies and intergovernmental organisations")
# Each condition as its text content: the status for screen readers, the mark, the figures.
CONDITIONS = [
    "Not met:✗ Responded: 3 of 12 active members (25%, needs 50%).",
    "Met:✓ Endorsed: 2 of 3 responses (67%, needs 67%), 1 with reservations; 1 objected.",
    f"Not met:✗ Groups responding: 3 of 8. Missing: {MISSING}.",
]


def _demo():
    seed()
    # Everyone in English: emails are written in each recipient's language.
    db.session.execute(update(User).values(language="en"))
    db.session.commit()


def _no_axe(page):
    """The login page is checked once (the coordinator's); the members skip it."""


def _nav(page):
    return page.get_by_role("navigation", name="Main")


def _page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def _meta(page, term):
    """The <dd> after the <dt> ``term`` in the page's dl.meta."""
    return page.locator("dl.meta dt", has_text=re.compile(f"^{re.escape(term)}$")) \
        .locator("xpath=following-sibling::dd[1]")


def _words(locator):
    """The visible and visually hidden text of each element, whitespace collapsed."""
    return [" ".join(t.split()) for t in locator.all_text_contents()]


def _sign_form(page):
    return page.locator("form[action$='/sign']")


def _decide(page, decision, *, statement=None, confirm=True):
    form = _sign_form(page)
    form.get_by_role("group", name="Your decision").get_by_label(decision, exact=True).check()
    if statement is not None:
        form.get_by_label("Statement").fill(statement)
    if confirm:
        form.get_by_label("I have read this exact version and this is my decision.").check()
    form.get_by_role("button", name="Record my decision").click()


def _sees_the_exact_version(page, sha256):
    form = _sign_form(page)
    expect(form).to_contain_text(
        f"You are deciding on version 1 of “{DRAFT}”, SHA-256: {sha256}")
    expect(form.locator("code.hash")).to_have_text(sha256)
    expect(_meta(page, "SHA-256").locator("code")).to_have_text(sha256)
    confirm = form.get_by_label("I have read this exact version and this is my decision.")
    expect(confirm).not_to_be_checked()


def _member(new_page, base, email):
    member = new_page()
    sign_in(member, base, email, DEMO_PASSWORD, axe_check=_no_axe)
    expect(member).to_have_url(f"{base}{HOME}")
    return member


def test_open_sign_close_certify_annex_and_audit(page, new_page, live_server, axe_check):
    base = live_server
    _demo()
    version = db.session.scalar(select(DraftVersion).join(Draft).where(
        Draft.title == DRAFT, DraftVersion.number == 1))
    sha256 = version.sha256
    assert re.fullmatch(r"[0-9a-f]{64}", sha256)
    consultation_until = version.circulation.deadline
    version_url = f"/a/kz-2022/drafts/{version.draft_id}/v/1"
    policy_version_url = "/a/kz-2022/drafts/{}/v/1".format(db.session.scalar(
        select(Draft.id).where(Draft.title == "Policy and regulatory framework")))
    db.session.remove()
    today = datetime.now(TZ).date()
    deadline = today + timedelta(days=7)

    # 1. The coordinator opens the round.
    sign_in(page, base, COORDINATOR, DEMO_PASSWORD, axe_check=axe_check)
    expect(page).to_have_url(f"{base}{HOME}")
    _nav(page).get_by_role("link", name="Validation", exact=True).click()
    expect(page).to_have_url(f"{base}{VALIDATION}")
    expect(page.locator("h1")).to_have_text("Validation")
    rounds = page.get_by_role("region", name="Validation rounds", exact=True)
    # The demo's two closed rounds: a finding and the policy recommendations (version 2).
    expect(rounds.locator("tbody tr")).to_have_count(2)
    policy_row = rounds.locator("tbody tr").filter(
        has_text="Policy and regulatory framework, version 1")
    expect(policy_row.locator(".badge")).to_have_text(re.compile(r"^(Not v|V)alidated$"))
    expect(rounds.locator("tbody tr").filter(has_text="Policy recommendations, version 2")
           .locator(".badge")).to_have_text("Validated")
    opening = page.get_by_role("region", name="Open a validation round", exact=True)
    # Only the latest circulated version of a draft without a round is offered.
    expect(opening.get_by_label("Version to validate").locator("option")).to_have_text(
        ["—", "Connectivity and usage, version 1", CHOICE,
         "Доступ к интернету и цифровые права, version 1", "Равный доступ к интернету, version 1"])
    axe_check(page)

    # A deadline in the past is refused; the choices are kept.
    workshop = opening.get_by_label("Validation workshop (optional)")
    meeting = workshop.locator("option", has_text="Consultation on the draft findings")
    expect(meeting).to_have_count(1)
    meeting_value = meeting.get_attribute("value")
    opening.get_by_label("Version to validate").select_option(label=CHOICE)
    opening.get_by_label("Sign-offs due by").fill((today - timedelta(days=1)).isoformat())
    workshop.select_option(meeting_value)
    opening.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("alert")).to_contain_text("Give a deadline today or later.")
    expect(opening.get_by_label("Sign-offs due by")).to_have_attribute("aria-invalid", "true")
    expect(opening.get_by_label("Version to validate").locator("option:checked")) \
        .to_have_text(CHOICE)
    expect(workshop).to_have_value(meeting_value)
    axe_check(page)

    # The consultation on version 1 runs until the demo's deadline, and three of its comments
    # have no disposition: the assessment's policy (on by default) refuses, naming them.
    opening.get_by_label("Sign-offs due by").fill(deadline.isoformat())
    opening.get_by_role("button", name="Open the round").click()
    without = page.get_by_role("region", name="Comments still without a disposition")
    expect(without.locator("li a")).to_have_count(3)
    expect(without.locator("li a").first).to_have_attribute(
        "href", re.compile(r"^/a/kz-2022/drafts/\d+/v/1\?comment=\d+#c\d+$"))
    axe_check(page)
    db.session.remove()
    assert db.session.scalar(select(func.count(ValidationRound.id))) == 2   # the demo's two
    db.session.remove()
    # The coordinator lifts the policy for this assessment (the responses will follow).
    page.goto(f"{base}/a/kz-2022/policy")
    page.get_by_label("Every comment must have a disposition before a validation round opens") \
        .uncheck()
    page.get_by_role("button", name="Save the policy").click()
    expect(page.locator(".flashes")).to_contain_text("The policy has been saved.")
    page.goto(f"{base}{VALIDATION}")
    opening = page.get_by_role("region", name="Open a validation round", exact=True)
    opening.get_by_label("Version to validate").select_option(label=CHOICE)
    opening.get_by_label("Sign-offs due by").fill(deadline.isoformat())
    opening.get_by_label("Validation workshop (optional)").select_option(meeting_value)
    opening.get_by_role("button", name="Open the round").click()
    # The comment period is still running: the warning with its figures, and nothing opened.
    expect(page.locator("h1")).to_have_text("End the consultation and open the round?")
    consequences = page.get_by_role("region", name="What will happen")
    expect(page.locator("main")).to_contain_text(
        f"is still open until {format_date(consultation_until, 'medium', locale='en')}")
    expect(consequences).to_contain_text("3 comments on this version have no disposition yet")
    expect(consequences).to_contain_text(
        f"The round opens: {len(ACTIVE)} active board members are emailed to sign off.")
    axe_check(page)
    page.set_viewport_size(PHONE)
    assert _page_width(page) <= PHONE["width"], ("end consultation", _page_width(page))
    page.set_viewport_size(DESKTOP)
    db.session.remove()
    assert db.session.scalar(select(func.count(ValidationRound.id))) == 2
    db.session.remove()
    page.get_by_role("button", name="End the consultation now and open the round").click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}{VALIDATION}/") + r"\d+$"))
    round_url = page.url
    expect(page.locator(".flashes")).to_contain_text(
        "The round is open and the active board members are told.")
    expect(page.locator("h1")).to_have_text(f"Validation of “{DRAFT}”, version 1")
    expect(_meta(page, "SHA-256").locator("code")).to_have_text(sha256)
    expect(_meta(page, "Sign-offs due by")).to_have_text(format_date(deadline, "medium",
                                                                     locale="en"))
    expect(_meta(page, "Validation workshop")).to_contain_text(
        "Consultation on the draft findings")
    expect(_meta(page, "Status")).to_have_text("Open · 0 responses")
    expect(page.locator("form[action$='/sign']")).to_have_count(0)   # not a board member
    progress = page.get_by_role("region", name="Progress", exact=True)
    expect(progress).to_contain_text("No decision yet.")
    expect(progress.locator("h3:text-is('Pending') + ul > li")).to_have_count(len(ACTIVE))
    expect(progress.get_by_role("button", name="Remind the 12 pending members")).to_be_visible()

    # Once in Russian, through the footer's language switch, and back to English (axe-core
    # checks the page in English below, once decisions have come in).
    footer = page.locator("footer")
    footer.get_by_label("Language", exact=True).select_option("ru")
    footer.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(round_url)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_contain_text(DRAFT)
    assert CYRILLIC.search(page.locator("h1").inner_text()), page.locator("h1").inner_text()
    assert CYRILLIC.search(page.locator("#close-heading").inner_text())
    axe_check(page)
    page.locator("footer select").select_option("en")
    page.locator("footer button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(f"Validation of “{DRAFT}”, version 1")

    # The active board members (and nobody else) are emailed a link to the round.
    db.session.remove()
    told = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "validation_opened")).all()
    assert sorted(m.recipient for m in told) == sorted(ACTIVE)
    assert all(m.subject == f"Validation: please sign off on {DRAFT}" for m in told)
    assert all(round_url in m.body_text and sha256 in m.body_text for m in told)
    db.session.remove()

    # 2. The first member: from the home page; the confirmation is required.
    endorser = _member(new_page, base, ENDORSER)
    signoffs = endorser.get_by_role("region", name="Sign-offs", exact=True)
    item = signoffs.locator("li").filter(has_text=CHOICE)
    expect(item.locator(".badge")).to_have_text("Your decision is awaited")
    item.get_by_role("link", name=CHOICE).click()
    expect(endorser).to_have_url(round_url)
    expect(endorser.locator("#sign-heading")).to_have_text("Your decision")
    _sees_the_exact_version(endorser, sha256)
    expect(endorser.get_by_role("region", name="Progress", exact=True)).to_have_count(0)
    axe_check(endorser)
    _decide(endorser, "Endorse", confirm=False)
    expect(endorser.get_by_role("alert")).to_contain_text(
        "Confirm that this decision is about this exact version.")
    expect(_sign_form(endorser).get_by_label("Endorse", exact=True)).to_be_checked()
    _decide(endorser, "Endorse")
    expect(endorser).to_have_url(round_url)
    expect(endorser.locator(".flashes")).to_contain_text("Your decision is recorded.")
    expect(endorser.locator("#sign-heading")).to_have_text("Change your decision")
    expect(endorser.locator("main")).to_contain_text("You gave: Endorse, on ")

    # 3. The second member: through the link in her email; endorses with reservations.
    reserver = _member(new_page, base, RESERVER)
    reserver.goto(round_url)
    _sees_the_exact_version(reserver, sha256)
    _decide(reserver, "Endorse with reservations", statement=RESERVATION)
    expect(reserver.locator(".flashes")).to_contain_text("Your decision is recorded.")
    expect(reserver.locator("main")).to_contain_text("You gave: Endorse with reservations, on ")
    expect(_sign_form(reserver).get_by_label("Statement")).to_have_value(RESERVATION)

    # 4. The third member: from the list; endorses, then objects, first without a statement.
    objector = _member(new_page, base, OBJECTOR)
    _nav(objector).get_by_role("link", name="Validation", exact=True).click()
    row = objector.locator("main tbody tr").filter(has_text=CHOICE)
    expect(row.locator("td").last).to_have_text("Not yet given")
    row.get_by_role("link", name=CHOICE).click()
    expect(objector).to_have_url(round_url)
    _sees_the_exact_version(objector, sha256)
    _decide(objector, "Endorse")
    expect(objector.locator(".flashes")).to_contain_text("Your decision is recorded.")
    expect(objector.get_by_role("region", name="Your decisions in this round")).to_have_count(0)
    _sees_the_exact_version(objector, sha256)   # to be confirmed again for a change
    _decide(objector, "Object", statement="")
    expect(objector.get_by_role("alert")).to_contain_text(
        "Write your statement: it is required with reservations or an objection.")
    form = _sign_form(objector)
    expect(form.get_by_label("Statement")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#statement-error")).to_have_text(
        "Write your statement: it is required with reservations or an objection.")
    expect(form.get_by_label("Object", exact=True)).to_be_checked()
    expect(form.get_by_label("Endorse", exact=True)).not_to_be_checked()
    expect(form.get_by_label("I have read this exact version and this is my decision.")) \
        .to_be_checked()
    axe_check(objector)
    form.get_by_label("Statement").fill(OBJECTION)
    form.get_by_role("button", name="Record my decision").click()
    expect(objector).to_have_url(round_url)
    expect(objector.locator(".flashes")).to_contain_text("Your decision is recorded.")
    expect(objector.locator("main")).to_contain_text("You gave: Object, on ")
    history = objector.get_by_role("region", name="Your decisions in this round").locator("li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Endorse (superseded)")
    expect(history.nth(1)).to_contain_text(f"Object · “{OBJECTION}”")
    expect(history.nth(1)).not_to_contain_text("superseded")

    # 5. The coordinator: progress by group and gender, pending members, reminders.
    page.reload()
    expect(_meta(page, "Status")).to_have_text("Open · 3 responses")
    progress = page.get_by_role("region", name="Progress", exact=True)
    expect(progress).to_contain_text("If the round closed now: not validated")
    expect(progress.locator("ul.checks li")).to_have_text(CONDITIONS)
    responded = page.get_by_role("region", name="Members who responded, by group and gender")
    expect(responded.locator("thead th")).to_have_text(
        ["Group", "Woman", "Man", "Another identity", "Not disclosed", "Total"])
    for group, cells in (("Government", ["0", "1", "0", "0", "1"]),
                         ("Academia", ["0", "1", "0", "0", "1"]),
                         ("Civil society", ["1", "0", "0", "0", "1"]),
                         ("Private sector", ["0", "0", "0", "0", "0"])):
        expect(responded.locator("tbody tr").filter(
            has=page.locator("th", has_text=re.compile(f"^{group}$"))).locator("td")) \
            .to_have_text(cells)
    expect(responded.locator("tfoot td")).to_have_text(["1", "2", "0", "0", "3"])
    active = page.get_by_role("region", name="Active members, by group and gender")
    expect(active.locator("tfoot td").last).to_have_text("12")
    decisions = page.get_by_role("region", name="Decisions", exact=True).locator("tbody tr")
    expect(decisions).to_have_count(4)
    expect(decisions.filter(has_text="(superseded)")).to_have_count(1)
    expect(decisions.filter(has_text=NAMES[RESERVER])).to_contain_text(RESERVATION)
    pending = progress.locator("h3:text-is('Pending') + ul > li")
    expect(pending).to_have_count(len(ACTIVE) - 3)
    for email in (ENDORSER, RESERVER, OBJECTOR):
        expect(pending.filter(has_text=NAMES[email])).to_have_count(0)
    expect(pending.filter(has_text=NAMES["member11@example.org"])) \
        .to_contain_text("· Media and journalists")
    progress.get_by_role("button", name="Remind the 9 pending members").click()
    expect(page).to_have_url(round_url)
    expect(page.locator(".flashes")).to_contain_text("9 reminders are in the outbox.")
    db.session.remove()
    reminded = db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.kind == "validation_reminder")).all()
    assert sorted(reminded) == sorted(set(ACTIVE) - {ENDORSER, RESERVER, OBJECTOR})
    db.session.remove()
    axe_check(page)

    # The open round with its forms fits a phone.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_role("region", name="Close the round", exact=True)).to_be_visible()
    assert _page_width(page) <= PHONE["width"], ("round", _page_width(page))
    page.set_viewport_size(DESKTOP)

    # 6. Closing: a confirmation page with the figures, the deadline and who has not
    # responded; a week early, so a reason; the workshop (in two weeks) was not held.
    closing = page.get_by_role("region", name="Close the round", exact=True)
    closing.get_by_role("link", name="Close the round…").click()
    expect(page).to_have_url(f"{round_url}/close")
    confirmation = page.locator("main")
    expect(confirmation).to_contain_text("Closing now is 7 days early.")
    expect(confirmation).to_contain_text(
        f"{len(ACTIVE) - 3} active members have not responded")
    expect(confirmation.locator("ul.checks li")).to_have_text(CONDITIONS)
    axe_check(page)
    page.get_by_role("button", name="Close the round").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Confirm that closing is final.")
    expect(alert).to_contain_text("Give the reason for closing before the deadline")
    expect(alert).to_contain_text("Choose: remove the link to the workshop")
    page.get_by_label("Why close before the deadline?").fill(EARLY_REASON)
    page.get_by_label(re.compile("^The workshop was not held")).check()
    page.get_by_label("I understand that closing is final.").check()
    page.get_by_role("button", name="Close the round").click()
    expect(page).to_have_url(round_url)
    expect(page.locator(".flashes")).to_contain_text(
        "The round is closed: the version is not validated.")
    expect(_meta(page, "Status")).to_contain_text(re.compile(r"^Closed .+ · Not validated$"))
    outcome = page.get_by_role("region", name="Outcome", exact=True)
    expect(outcome.locator("ul.checks li")).to_have_text(CONDITIONS)
    expect(outcome.locator(".check--fail")).to_have_count(2)
    for name in ("Close the round", "Record a decision given at a meeting"):
        expect(page.get_by_role("region", name=name)).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Remind"))).to_have_count(0)
    axe_check(page)
    # The members can no longer sign; they see their decision.
    objector.reload()
    expect(_sign_form(objector)).to_have_count(0)
    expect(objector.locator("main")).to_contain_text("Your decision: Object.")
    # Nor comment: the version's consultation ended when the round opened, and the round is
    # closed; on the demo's validated version neither.
    for url, why in ((version_url, "A validation round on this version has closed"),
                     (policy_version_url, "The board has validated this version")):
        objector.goto(f"{base}{url}")
        expect(objector.locator("main")).to_contain_text(why)
        expect(objector.locator("main form textarea")).to_have_count(0)
        expect(objector.get_by_role("button", name=re.compile("comment", re.I))).to_have_count(0)
    axe_check(objector)

    # 7. The certificate: signatories by stakeholder group, with their statements.
    outcome.get_by_role("link", name="Certificate").click()
    expect(page).to_have_url(f"{round_url}/certificate")
    expect(page.locator("h1")).to_have_text("Validation certificate")
    expect(_meta(page, "Draft")).to_have_text(f"{DRAFT} (R.B.1.1)")
    expect(_meta(page, "Version")).to_have_text("1")
    expect(_meta(page, "SHA-256").locator("code")).to_have_text(sha256)
    expect(_meta(page, "Validation workshop")).to_contain_text(
        "Consultation on the draft findings, scheduled for")
    expect(_meta(page, "Validation workshop")).to_contain_text("workshop not held")
    expect(_meta(page, "Closed before the deadline")).to_contain_text(EARLY_REASON)
    expect(page.locator("main")).to_contain_text(
        re.compile(r"Audit record at closing: the closing is event \d+ of the audit chain"))
    expect(_meta(page, "Outcome")).to_have_text("Not validated")
    expect(page.locator("main ul.checks li")).to_have_text(CONDITIONS)
    sections = page.locator("article.certificate section:has(ul.signatories)")
    expect(sections.locator("h3")).to_have_text(["Government", "Academia", "Civil society"])
    signatories = sections.locator("ul.signatories > li")
    expect(signatories).to_have_count(3)   # the superseded endorsement is not listed
    expect(sections.nth(0).locator("li")).to_contain_text(
        f"{NAMES[ENDORSER]}, Ministry of Digital Development: Endorse (")
    expect(sections.nth(0).locator("blockquote")).to_have_count(0)
    expect(sections.nth(1).locator("li")).to_contain_text(
        f"{NAMES[OBJECTOR]}, Al-Farabi Kazakh National University: Object (")
    expect(sections.nth(1).locator("blockquote")).to_have_text(OBJECTION)
    expect(sections.nth(2).locator("li")).to_contain_text(
        f"{NAMES[RESERVER]}, Digital Rights Centre (example): Endorse with reservations (")
    expect(sections.nth(2).locator("blockquote")).to_have_text(RESERVATION)
    axe_check(page)

    # Printed: only the certificate; and Chromium makes a PDF of it.
    page.emulate_media(media="print")
    for hidden in (".site-header", "nav", ".site-footer", ".skip-link", "article .no-print"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("form")).to_have_count(2)   # signing out and the language switch
    expect(page.locator("form:visible, a:visible")).to_have_count(0)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("code.hash").first).to_be_visible()
    expect(signatories.first).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 2_000, len(pdf)
    page.emulate_media(media="screen")
    expect(page.locator(".site-header")).to_be_visible()

    # On a phone: no sideways scrolling, long hash included.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("code.hash").first).to_be_visible()
    assert _page_width(page) <= PHONE["width"], ("certificate", _page_width(page))
    # Each condition starts beside its mark, even when it runs over several lines.
    assert page.locator("ul.checks li").evaluate_all(
        "items => items.map(li => Math.abs(li.querySelector('[aria-hidden]').getBoundingClientRect()"
        ".top - li.querySelector('.check__text').getClientRects()[0].top) < 4)") == [True] * 3
    page.set_viewport_size(DESKTOP)

    # 8. The report annex: in the assessment's first language by default, here in English.
    _nav(page).get_by_role("link", name="Annex", exact=True).click()
    expect(page).to_have_url(f"{base}/a/kz-2022/annex")
    expect(page.locator("article.annex")).to_have_attribute("lang", "ru")
    page.locator("article.annex form").locator("select[name=lang]").select_option("en")
    page.locator("article.annex form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/annex\?(.+&)?lang=en"))
    annex = page.locator("article.annex")
    expect(annex).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Report annex: the Multistakeholder Advisory Board")
    shown_today = format_date(today, "medium", locale="en")
    headings = [f"1. Board composition and balance on {shown_today}", "2. Meetings held",
                "3. Consultations on the drafts", "4. Validation"]
    expect(annex.locator("section > h2")).to_have_text(headings)
    expect(annex.get_by_role("region", name="Members of the board").locator("tbody tr")) \
        .to_have_count(len(ACTIVE))
    validation = annex.get_by_role("region", name="4. Validation")
    expect(validation.locator("h3")).to_have_text(
        ["Policy recommendations, version 2", "Policy and regulatory framework, version 1",
         CHOICE])
    ours = validation.locator(f"h3:text-is('{CHOICE}') ~ *")
    expect(ours.filter(has_text="SHA-256").locator("code")).to_have_text(sha256)
    expect(ours.filter(has=page.locator("strong", has_text="Not validated")).first) \
        .to_contain_text(f"Not validated · closed {shown_today}")
    expect(ours.locator("li")).to_have_text(CONDITIONS)
    expect(ours.filter(has_text="Endorse: 1 · with reservations: 1 · object: 1")).to_have_count(1)
    axe_check(page)

    # The ZIP of CSV files.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the CSV files (ZIP)").click()
    download = info.value
    assert download.suggested_filename == f"kz-2022-annex-{today.isoformat()}.zip"
    with zipfile.ZipFile(download.path()) as archive:
        names = set(archive.namelist())
        assert {f"kz-2022-annex/{n}" for n in (
            "board.csv", "balance.csv", "meetings.csv", "consultations.csv", "comments.csv",
            "validation_rounds.csv", "signoffs.csv")} <= names, names
        rounds_csv = archive.read("kz-2022-annex/validation_rounds.csv").decode("utf-8-sig")
        signoffs_csv = archive.read("kz-2022-annex/signoffs.csv").decode("utf-8-sig")
    ours_csv = [line for line in rounds_csv.splitlines() if line.startswith(DRAFT)]
    assert len(ours_csv) == 1 and sha256 in ours_csv[0] and "not validated" in ours_csv[0], \
        rounds_csv
    ours_signoffs = [line for line in signoffs_csv.splitlines() if line.startswith(DRAFT)]
    assert len(ours_signoffs) == 3, signoffs_csv   # the current decisions only
    assert any(OBJECTION in line and ",object," in line for line in ours_signoffs), signoffs_csv
    assert any(RESERVATION in line and ",reservations," in line for line in ours_signoffs)

    # The print view: the same four sections, without the form and the buttons.
    page.get_by_role("link", name="Print view").click()
    expect(page).to_have_url(re.compile(r"/annex\?.*print=1"))
    annex = page.locator("article.annex")
    expect(annex.locator("section > h2")).to_have_text(headings)
    expect(annex.locator("form")).to_have_count(0)
    expect(page.get_by_role("link", name="Download the CSV files (ZIP)")).to_have_count(0)
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(annex.locator("section > h2").last).to_be_visible()
    page.emulate_media(media="screen")

    # 9. The audit log: every step of the round, and the chain verified.
    _nav(page).get_by_role("link", name="Audit log", exact=True).click()
    expect(page).to_have_url(f"{base}/a/kz-2022/audit")
    expect(page.locator("h1")).to_have_text("Audit log")
    actions = page.locator("table.audit tbody tr td.event")
    expect(actions.first).to_have_attribute("data-action", "validation.closed")
    expect(actions.first).to_contain_text("Validation round closed")
    expect(actions.first).to_contain_text("closed the validation round on")
    # Long hashes in the changes wrap: the table fits its frame.
    assert page.evaluate("() => { const t = document.querySelector('table.audit');"
                         " return t.scrollWidth <= t.parentElement.clientWidth; }")
    codes = actions.evaluate_all("cells => cells.map(c => c.dataset.action)")
    assert [c for c in codes if c.startswith("validation.")] == (
        ["validation.closed", "validation.reminded"] + ["validation.signed"] * 4
        + ["validation.opened"])
    # No code in the visible text: the stored JSON is behind "Technical details".
    assert "validation.closed" not in page.locator("table.audit").inner_text()
    opened = page.locator("table.audit tbody tr").filter(
        has=page.locator('td[data-action="validation.opened"]'))
    expect(opened.locator("td").nth(1)).to_have_text(NAMES[COORDINATOR])
    expect(opened).to_contain_text(sha256)
    signed = page.locator("table.audit tbody tr").filter(
        has=page.locator('td[data-action="validation.signed"]'))
    expect(signed.filter(has_text=OBJECTION).locator("td").nth(1)).to_have_text(NAMES[OBJECTOR])
    # Filtered to the sign-offs, then verified: the filter is kept.
    filters = page.get_by_role("search", name="Filter the audit log")
    filters.get_by_label("Kind of record", exact=True).select_option("SignOff")
    filters.get_by_role("button", name="Apply").click()
    expect(page.locator("#audit-caption")).to_have_text("4 events")
    page.get_by_role("link", name="Verify the chain now").click()
    expect(page).to_have_url(re.compile(r"/audit\?.*verify=1"))
    expect(page.get_by_role("status").filter(has_text="The chain is")).to_have_text(
        "The chain is intact: every event matches its hash and follows the one before.")
    expect(page.locator("#audit-caption")).to_have_text("4 events")
    axe_check(page)

    sign_out(page, base)
    assert html_lang(page) == "en"


def test_the_guard_pages_in_russian_on_a_phone(page, live_server, axe_check):
    """The refusal naming the comments without a disposition, the end-of-consultation warning
    and the closing confirmation, in Russian at 360 px: no violation, no sideways scrolling."""
    base = live_server
    seed()
    db.session.execute(update(User).where(User.email == COORDINATOR).values(language="ru"))
    db.session.commit()
    version_id = db.session.scalar(select(DraftVersion.id).join(Draft).where(
        Draft.title == DRAFT, DraftVersion.number == 1))
    db.session.remove()
    deadline = datetime.now(TZ).date() + timedelta(days=7)
    page.set_viewport_size(PHONE)

    def fits(what):
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        assert CYRILLIC.search(page.locator("h1").inner_text()), page.locator("h1").inner_text()
        axe_check(page)
        assert _page_width(page) <= PHONE["width"], (what, _page_width(page))

    def open_round():
        page.goto(f"{base}{VALIDATION}")
        form = page.locator("form:has(select[name=version_id])")
        form.locator("select[name=version_id]").select_option(str(version_id))
        form.locator("input[name=deadline]").fill(deadline.isoformat())
        form.locator("button[type=submit]").click()

    sign_in(page, base, COORDINATOR, DEMO_PASSWORD, axe_check=axe_check)
    open_round()
    without = page.locator("section[aria-labelledby=without-heading]")
    expect(without.locator("li a")).to_have_count(3)
    fits("refusal")

    db.session.execute(update(Assessment).values(require_dispositions=False))
    db.session.commit()
    db.session.remove()
    open_round()
    expect(page.locator("input[name=confirm_end]")).to_have_count(1)
    fits("end consultation")
    page.locator("form:has(input[name=confirm_end]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}{VALIDATION}/") + r"\d+$"))
    round_url = page.url

    page.goto(f"{round_url}/close")
    expect(page.locator("textarea[name=reason]")).to_have_count(1)   # a week early
    fits("close")
    page.locator("main form button[type=submit]").last.click()      # nothing confirmed
    expect(page.get_by_role("alert")).to_be_visible()
    fits("close refused")
    db.session.remove()
    assert db.session.scalar(select(ValidationRound.closed_at).where(
        ValidationRound.version_id == version_id)) is None
