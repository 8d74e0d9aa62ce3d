"""Meetings in a real browser, on the demo assessment (mab.demo).

The issue's path: the coordinator schedules a meeting, the invitation appears in the outbox, a
board member answers through the emailed link without signing in, the coordinator takes the roll
call and writes the minutes; axe-core finds nothing on any of these pages.

The demo board has 12 active members in 8 stakeholder groups, 2 nominees (member13, member14)
and an observer; its assessment's timezone is Asia/Almaty. The demo also holds two meetings of
2022 and a consultation two weeks ahead; the meeting scheduled here is found by its title.
"""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval
from playwright.sync_api import expect
from sqlalchemy import update

from mab.auth.models import User
from mab.demo import BOARD, DEMO_PASSWORD, PEOPLE, seed
from mab.extensions import db
from tests.browser.helpers import link_in_outbox, sign_in, sign_out

TZ = ZoneInfo("Asia/Almaty")
MEETINGS = "/a/kz-2022/meetings"
PHONE = {"width": 360, "height": 740}
TITLE = "Spring board meeting"
AGENDA = "1. Review [the balance](/a/kz-2022/balance)\n2. Any other business"
ACTIVE = [email for email, (*_rest, status) in BOARD.items() if status == "active"]
NOMINEES = [email for email, (*_rest, status) in BOARD.items() if status == "nominee"]
NAMES = {email: name for email, name, *_rest in PEOPLE}


def _demo():
    seed()
    # Everyone in English: emails are written in each recipient's language, and the checks
    # below read the outbox by English subjects.
    db.session.execute(update(User).values(language="en"))
    db.session.commit()


def _sign_in(page, base, axe_check):
    sign_in(page, base, "coordinator@example.org", DEMO_PASSWORD, axe_check=axe_check)
    expect(page).to_have_url(f"{base}/a/kz-2022/")


def _nav(page):
    return page.get_by_role("navigation", name="Main")


def _page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def _when(days=10, hour=10):
    """A start and an end ``days`` from now, at ``hour`` o'clock in Almaty (naive local times)."""
    day = datetime.now(TZ).date() + timedelta(days=days)
    starts = datetime(day.year, day.month, day.day, hour, 0)
    return starts, starts + timedelta(hours=2)


def _local(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


def _fill_meeting(page, *, title, starts, ends, place="Hotel Kazakhstan, Almaty", agenda=AGENDA):
    form = page.locator("main form")
    form.get_by_label("Kind").select_option(label="Board meeting")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Starts").fill(_local(starts))
    form.get_by_label("Ends").fill(_local(ends))
    form.get_by_label("Place").fill(place)
    form.get_by_label("Agenda").fill(agenda)
    return form


def _schedule(page):
    return page.get_by_role("button", name="Schedule and send the invitations")


def _answer_row(page, name):
    return page.locator("#answers-heading + .table-wrap tbody tr").filter(
        has=page.locator("td", has_text=re.compile(f"^{re.escape(name)}$")))


def _roll_call_row(page, name):
    return page.locator("main form tbody tr").filter(
        has=page.locator("th", has_text=re.compile(f"^{re.escape(name)}$")))


# --- 1. the main path ---------------------------------------------------------------

def test_schedule_invite_answer_roll_call_and_minutes(page, live_server, axe_check):
    base = live_server
    _demo()
    _sign_in(page, base, axe_check)

    # The list, with the month view.
    _nav(page).get_by_role("link", name="Meetings", exact=True).click()
    expect(page).to_have_url(f"{base}{MEETINGS}")
    expect(page.locator("h1")).to_have_text("Meetings")
    # The demo has two meetings held in 2022, the validation workshop on the policy
    # recommendations held three months ago, and a consultation coming up.
    expect(page.locator("#upcoming-heading + .table-wrap tbody tr")).to_contain_text(
        ["Consultation on the draft findings"])
    expect(page.locator("#past-heading + .table-wrap tbody tr")).to_have_count(3)
    expect(page.locator("table.month")).to_have_count(1)
    axe_check(page)

    # The form: the active board members are invited by default, the nominees are not, and the
    # observer (who does not answer invitations) is not offered at all.
    page.get_by_role("link", name="Schedule a meeting").click()
    expect(page).to_have_url(f"{base}{MEETINGS}/new")
    expect(page.locator("h1")).to_have_text("Schedule a meeting")
    expect(page.locator("main")).to_contain_text("Times are in the assessment's timezone: "
                                                 "Asia/Almaty.")
    invitees = page.get_by_role("group", name="Invitees")
    for email in ACTIVE + ["coordinator@example.org", "researcher@example.org"]:
        expect(invitees.get_by_label(NAMES[email], exact=True)).to_be_checked()
    expect(invitees.locator("input[type=checkbox]:checked")).to_have_count(len(ACTIVE) + 2)
    for email in NOMINEES:
        box = invitees.get_by_label(NAMES[email], exact=True)
        expect(box).to_have_count(1)
        expect(box).not_to_be_checked()
    expect(invitees.get_by_label(NAMES["observer@example.org"])).to_have_count(0)
    axe_check(page)

    # Ending before it starts is refused; what was typed is kept.
    starts, ends = _when()
    form = _fill_meeting(page, title=TITLE, starts=starts, ends=starts - timedelta(hours=1))
    _schedule(page).click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    expect(page.locator("#ends_at-error")).to_have_text("The meeting must end after it starts.")
    expect(form.get_by_label("Ends")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Title")).to_have_value(TITLE)
    expect(form.get_by_label("Agenda")).to_have_value(AGENDA)
    expect(invitees.locator("input[type=checkbox]:checked")).to_have_count(len(ACTIVE) + 2)
    axe_check(page)

    form.get_by_label("Ends").fill(_local(ends))
    _schedule(page).click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}{MEETINGS}/") + r"\d+$"))
    meeting_url = page.url
    expect(page.locator(".flashes")).to_contain_text(
        f"The meeting is scheduled; {len(ACTIVE) + 2} invitations are in the outbox.")
    expect(page.locator("h1")).to_have_text(TITLE)
    when = page.locator("dl.meta time")
    # One interval: the day once, both times without seconds (mab.i18n.interval_filter).
    expect(when).to_have_text(
        format_date(starts, "full", locale="en") + ", "
        + format_interval(starts.replace(tzinfo=TZ), ends.replace(tzinfo=TZ), "hm", tzinfo=TZ,
                          locale="en"))
    expect(page.locator("dl.meta")).to_contain_text("(Asia/Almaty)")
    expect(page.locator("dl.meta")).to_contain_text("Hotel Kazakhstan, Almaty")
    expect(page.locator("#agenda-heading + .prose").get_by_role("link", name="the balance")) \
        .to_have_attribute("href", "/a/kz-2022/balance")
    axe_check(page)

    # The list shows it as upcoming, and so does the month view (on the month it falls in).
    page.get_by_role("link", name="All meetings").click()
    upcoming = page.locator("#upcoming-heading + .table-wrap tbody tr").filter(has_text=TITLE)
    expect(upcoming).to_have_count(1)
    expect(upcoming.get_by_role("link", name=TITLE)).to_have_attribute(
        "href", meeting_url.removeprefix(base))
    expect(upcoming).to_contain_text(f"0 of {len(ACTIVE) + 2} coming")
    axe_check(page)
    page.goto(f"{base}{MEETINGS}?month={starts:%Y-%m}")
    expect(page.locator("#month-heading")).to_have_text(f"{starts:%B %Y}")
    expect(page.locator("table.month a.month__meeting").filter(has_text=TITLE)) \
        .to_have_text(re.compile(rf"^10:00\sAM {TITLE}\s*$"))
    axe_check(page)

    # 2. The invitation in the outbox, with its calendar file and its answer link.
    page.goto(f"{base}/outbox")
    expect(page.locator("h1")).to_have_text("Outbox")
    message = page.locator("article.message").filter(has_text="member01@example.org")
    expect(message).to_have_count(1)
    expect(message.locator("h2")).to_contain_text(TITLE)
    expect(message.locator("dl.meta")).to_contain_text("meeting.ics")
    for email in NOMINEES + ["observer@example.org"]:
        expect(page.locator("article.message").filter(has_text=email)).to_have_count(0)
    # One answer link per answer (yes / no / maybe), each naming its answer and the language.
    for answer in ("yes", "no"):
        expect(message.locator(f"pre a[href*='/rsvp/'][href*='answer={answer}']")).to_have_count(1)
    maybe_link = link_in_outbox(page, "member01@example.org", "answer=maybe")
    assert maybe_link.startswith(f"{base}/rsvp/") and maybe_link.endswith("?answer=maybe&lang=en"), \
        maybe_link
    rsvp_link = maybe_link.split("?")[0]
    expect(message.locator("pre a[href*='/meetings/']")).to_have_attribute("href", meeting_url)
    axe_check(page)

    # 3. The board member answers from the email, without signing in, and changes the answer.
    sign_out(page, base)
    page.goto(rsvp_link)   # without an answer in the link: nothing chosen
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("Invitation for Nurlan Zhaksybekov.")
    expect(page.locator("main")).to_contain_text("Your answer: No answer yet")
    expect(page.locator(".site-header nav")).to_have_count(0)
    answers = page.get_by_role("group", name="Will you attend?")
    expect(answers.locator("input:checked")).to_have_count(0)
    axe_check(page)
    answers.get_by_label("Yes, I will attend").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page).to_have_url(rsvp_link)
    expect(page.locator(".flashes")).to_contain_text(
        "Thank you: your answer is saved. You can change it with the same link.")
    expect(page.locator("main")).to_contain_text("Your answer: Yes")
    expect(answers.get_by_label("Yes, I will attend")).to_be_checked()
    axe_check(page)
    # After answering: the agenda, the calendar file and the meeting page.
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()
    expect(page.get_by_role("link", name="Add to my calendar (.ics)")).to_have_attribute(
        "href", rsvp_link.removeprefix(base) + "/meeting.ics")
    expect(page.get_by_role("link", name="The meeting page (sign-in needed)")).to_have_attribute(
        "href", meeting_url.removeprefix(base))
    page.goto(maybe_link)   # the email's "Maybe" link: chosen, not sent until the button
    expect(answers.get_by_label("Maybe")).to_be_checked()
    expect(page.locator("main")).to_contain_text("Your answer: Yes")
    axe_check(page)
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(".flashes")).to_contain_text("your answer is saved")
    expect(page.locator("main")).to_contain_text("Your answer: Maybe")
    expect(answers.get_by_label("Maybe")).to_be_checked()
    axe_check(page)

    # A link that was altered is refused with a clear page; nothing changes.
    token = rsvp_link.rsplit("/", 1)[1]
    response = page.goto(f"{base}/rsvp/{token[:-4]}{'AAAA' if token[-4:] != 'AAAA' else 'BBBB'}")
    assert response.status == 400
    expect(page.locator("h1")).to_have_text("This answer cannot be recorded")
    expect(page.locator("main")).to_contain_text("This answer link is not valid.")
    expect(page.locator("main")).to_contain_text("Nothing has been changed.")
    expect(page.get_by_role("link", name="Sign in to MAB")).to_be_visible()
    axe_check(page)

    # 4. The coordinator sees the answer, then takes the roll call.
    _sign_in(page, base, axe_check)
    page.goto(meeting_url)
    expect(_answer_row(page, NAMES["member01@example.org"]).locator("td").nth(3)) \
        .to_have_text("Maybe")
    expect(_answer_row(page, NAMES["member07@example.org"]).locator("td").nth(3)) \
        .to_have_text("No answer yet")
    expected = page.get_by_role("heading", name="Expected attendance of the board (yes or maybe)")
    expect(expected).to_have_count(1)
    expect(page.locator("main")).to_contain_text(
        "Women: 0 · Men: 1 · Another identity: 0 · Not disclosed: 0")
    expect(page.locator("main")).to_contain_text("No woman is expected.")
    expect(page.get_by_role("heading", name="Quorum")).to_have_count(0)   # not held yet
    axe_check(page)

    page.get_by_role("link", name="Roll call").click()
    expect(page).to_have_url(f"{meeting_url}/attendance")
    expect(page.locator("h1")).to_have_text(f"Roll call: {TITLE}")
    member01 = _roll_call_row(page, NAMES["member01@example.org"])
    expect(member01.locator("td").first).to_have_text("Maybe")
    # Maybe is not yes: pre-filled as absent.
    expect(member01.get_by_role("radio", name=re.compile("Absent$"))).to_be_checked()
    expect(member01.get_by_role("radio", name=re.compile("Present$"))).not_to_be_checked()
    expect(_roll_call_row(page, NAMES["member07@example.org"])
           .get_by_role("radio", name=re.compile("Absent$"))).to_be_checked()
    axe_check(page)
    # With the keyboard: from the checked "Absent", the left arrow moves to "Present".
    member01.get_by_role("radio", name=re.compile("Absent$")).focus()
    page.keyboard.press("ArrowLeft")
    expect(member01.get_by_role("radio", name=re.compile("Present$"))).to_be_checked()
    # Space on a focused radio button.
    present = _roll_call_row(page, NAMES["member06@example.org"]).get_by_role(
        "radio", name=re.compile("Present$"))
    present.focus()
    page.keyboard.press("Space")
    expect(present).to_be_checked()
    expect(present).to_have_accessible_name(f"{NAMES['member06@example.org']} Present")
    # And with clicks, for four more members of four more groups.
    for email in ("member07@example.org", "member08@example.org", "member10@example.org",
                  "member11@example.org"):
        _roll_call_row(page, NAMES[email]).get_by_role("radio", name=re.compile("Present$")) \
            .check()
    page.get_by_role("button", name="Save the roll call").click()
    expect(page).to_have_url(meeting_url)
    expect(page.locator(".flashes")).to_contain_text("The roll call is saved.")
    expect(_answer_row(page, NAMES["member01@example.org"]).locator("td").nth(4)) \
        .to_have_text("Present")
    expect(page.locator("dl.meta")).to_contain_text("Held")
    quorum = page.locator("p.check")
    expect(quorum).to_contain_text(f"Present: 6 of {len(ACTIVE)} active members (needs 6); "
                                   "groups represented: 6 of 8 (needs 4).")
    expect(quorum.locator(".check__status")).to_have_text("Met")
    expect(page.locator("main")).to_contain_text(
        "Present, by gender: women 2, men 4, another identity 0, not disclosed 0.")
    axe_check(page)

    # 5. The minutes, a decision and an action item; saved, circulated, then printed.
    page.get_by_role("link", name="Minutes", exact=True).click()
    expect(page).to_have_url(f"{meeting_url}/minutes")
    expect(page.locator("h1")).to_have_text(f"Minutes: {TITLE}")
    expect(page.locator("main")).to_contain_text("Status: Draft")
    axe_check(page)
    due = (starts + timedelta(days=30)).date()
    form = page.locator("main form").first
    form.get_by_label("Minutes", exact=True).fill(
        "The board reviewed **the balance** of its seats.")
    form.get_by_label("Decisions").fill("Invite two more women to the board.\n"
                                        "Meet again in three months.")
    item = form.locator(".action-item").first
    item.get_by_label("Action").fill("Propose two candidates")
    item.get_by_label("Owner").select_option(label=NAMES["member07@example.org"])
    item.get_by_label("Due").fill(due.isoformat())
    page.get_by_role("button", name="Save the minutes").click()
    expect(page).to_have_url(meeting_url)
    expect(page.locator(".flashes")).to_contain_text("The minutes are saved.")
    page.get_by_role("link", name="Minutes", exact=True).click()
    expect(page.locator(".action-item")).to_have_count(2)   # the saved one and an empty line
    expect(page.locator(".action-item").first.get_by_label("Action")) \
        .to_have_value("Propose two candidates")
    axe_check(page)
    page.get_by_role("button", name="Circulate to those present for corrections").click()
    expect(page).to_have_url(meeting_url)
    expect(page.locator(".flashes")).to_contain_text(
        "The minutes are sent to those present for corrections.")
    expect(page.locator("dl.meta")).to_contain_text("Circulated for corrections")

    page.get_by_role("link", name="Print view").click()
    expect(page).to_have_url(f"{meeting_url}/print")
    expect(page.locator("h1")).to_have_text(TITLE)
    main = page.locator("main")
    expect(main.locator(".prose strong")).to_have_text("the balance")
    expect(main).to_contain_text("The board reviewed the balance of its seats.")
    expect(main).to_contain_text("(Circulated for corrections)")
    expect(main.locator("h2:text-is('Decisions') + ol li")).to_have_text(["Invite two more women to the board.",
                                                "Meet again in three months."])
    attendance = page.get_by_role("region", name="Attendance")
    expect(attendance.locator("tbody tr")).to_have_count(len(ACTIVE) + 2)
    expect(attendance.locator("tbody tr").filter(has_text=NAMES["member01@example.org"])
           .locator("td").last).to_have_text("Present")
    expect(attendance.locator("tbody tr").filter(has_text=NAMES["member07@example.org"])
           .locator("td").last).to_have_text("Present")
    expect(attendance.locator("tbody tr").filter(has_text="Yerlan Kassymov")
           .locator("td").last).to_have_text("Absent")
    actions = page.get_by_role("region", name="Action items").locator("tbody tr")
    expect(actions).to_have_count(1)
    expect(actions.locator("td")).to_have_text([
        "Propose two candidates", NAMES["member07@example.org"],
        format_date(due, "medium", locale="en"), "No"])
    axe_check(page)

    # The minutes went to those present (six board members) and nobody else.
    page.goto(f"{base}/outbox")
    circulated = page.locator("article.message").filter(has_text="Minutes for corrections")
    expect(circulated).to_have_count(6)
    expect(circulated.filter(has_text="member02@example.org")).to_have_count(0)
    axe_check(page)


# --- 2. a phone-sized screen ---------------------------------------------------------------

def test_meeting_pages_fit_a_phone(new_page, live_server, axe_check):
    base = live_server
    _demo()
    page = new_page(viewport=PHONE)
    _sign_in(page, base, axe_check)
    page.goto(f"{base}{MEETINGS}")
    assert _page_width(page) <= PHONE["width"], ("list", _page_width(page))
    page.get_by_role("link", name="Schedule a meeting").click()
    starts, ends = _when(days=3, hour=15)
    _fill_meeting(page, title="A meeting with a rather long title about the national assessment",
                  starts=starts, ends=ends)
    assert _page_width(page) <= PHONE["width"], ("form", _page_width(page))
    _schedule(page).click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}{MEETINGS}/") + r"\d+$"))
    meeting_url = page.url
    for url, heading in (
            (f"{base}{MEETINGS}", "Meetings"),
            (meeting_url, "A meeting with a rather long title about the national assessment"),
            (f"{meeting_url}/attendance",
             "Roll call: A meeting with a rather long title about the national assessment")):
        page.goto(url)
        expect(page.locator("h1")).to_have_text(heading)
        assert _page_width(page) <= PHONE["width"], (url, _page_width(page))
        # Wide tables scroll inside their own region, which the keyboard can reach.
        for region in page.locator("main .table-wrap").all():
            assert region.get_attribute("tabindex") == "0", url
        axe_check(page)
