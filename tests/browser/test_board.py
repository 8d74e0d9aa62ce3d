"""The board registry and the balance dashboard in a real browser, on the demo assessment.

The demo board (mab.demo) has 12 active members: 3 women and 9 men, Government holds 5 seats,
and nobody sits for the Individual Internet users; 2 more people are nominees.
"""
import re

from playwright.sync_api import expect
from sqlalchemy import update

from mab.auth.models import User
from mab.demo import BOARD, DEMO_PASSWORD, seed
from mab.extensions import db
from tests.browser.helpers import CYRILLIC, html_lang, sign_in

BALANCE = "/a/kz-2022/balance"
BOARD_URL = "/a/kz-2022/board"
PHONE = {"width": 360, "height": 740}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
INDIVIDUALS = "Individual Internet users"

BAD_CSV = (
    "email,name,group,gender\n"
    "not-an-email,Someone,Government,woman\n"
    "ok@example.org,Asel,Nowhere,woman\n"
)
CLEAN_CSV = (
    "email,name,group,organisation,gender,status,language\n"
    "asel@example.org,Асель Нурланова,Civil society,Интернет-клуб Алматы,woman,active,ru\n"
)


def _demo(*english):
    """Seed the demo; the listed people read the site in English (the demo mixes ru/kk/en)."""
    seed()
    if english:
        db.session.execute(update(User).where(User.email.in_(english)).values(language="en"))
    db.session.commit()


def _sign_in(page, base, email, axe_check):
    sign_in(page, base, email, DEMO_PASSWORD, axe_check=axe_check)
    expect(page).to_have_url(f"{base}/a/kz-2022/")


def _nav(page):
    return page.get_by_role("navigation", name="Main")


def _check(page, text):
    return page.locator("ul.checks li.check").filter(has_text=text)


def _group_row(page, name):
    return page.locator("table:has(#balance-caption) tbody tr").filter(
        has=page.locator("th", has_text=re.compile(f"^{re.escape(name)}$")))


def _chart_desc(page, ident):
    return page.locator(f"svg#{ident} desc")


def _page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def _add_member(page, *, name, email, group, gender="Woman"):
    """On /board/new: fill in the form and submit it; lands on the new member's page."""
    form = page.locator("main form")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Email").fill(email)
    form.get_by_label("Stakeholder group").select_option(label=group)
    form.get_by_label("Gender (recorded by the coordinator)").select_option(label=gender)
    form.get_by_label("Status").select_option(label="Active")
    form.get_by_role("button", name="Add and send the invitation").click()
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator(".flashes")).to_contain_text(
        f"{name} has been added to the board and invited by email.")


# --- 1. the main path ---------------------------------------------------------------

def test_coordinator_adds_women_until_the_balance_checks_pass(page, live_server, axe_check):
    _demo("coordinator@example.org")
    _sign_in(page, live_server, "coordinator@example.org", axe_check)

    _nav(page).get_by_role("link", name="Balance", exact=True).click()
    expect(page).to_have_url(f"{live_server}{BALANCE}")
    expect(page.locator("h1")).to_have_text("Board balance")
    expect(page.locator("p.lead")).to_contain_text("12 members on")
    women = _check(page, "Women hold")
    expect(women).to_contain_text("Women hold 3 of 12 seats held by members who disclosed their "
                                  "gender (25%), below 40%.")
    expect(women.locator(".check__status")).to_have_text("Not met")
    expect(women.locator(".check__remedy")).to_have_text("Add 3 women.")
    government = _check(page, "Government holds")
    expect(government).to_contain_text("Government holds 41.7% of seats, above the 30% limit.")
    expect(government.locator(".check__status")).to_have_text("Not met")
    missing = _check(page, f"No active member from {INDIVIDUALS}.")
    expect(missing).to_have_count(1)
    expect(missing.locator(".check__remedy")).to_have_text(f"Add 1 member from {INDIVIDUALS}.")
    # The coordinator sees every figure: charts and table agree.
    expect(_chart_desc(page, "gender-chart")).to_have_text("Women: 3; Men: 9")
    expect(_chart_desc(page, "group-chart")).to_contain_text("Government: 5; ")
    expect(_chart_desc(page, "group-chart")).to_contain_text(f"{INDIVIDUALS}: 0;")
    expect(_group_row(page, INDIVIDUALS).locator("td").last).to_have_text("0")
    expect(_group_row(page, "Government").locator("td").first).to_have_text("1")
    expect(page.locator("table:has(#balance-caption) tfoot td").last).to_have_text("12")
    axe_check(page)

    # Through the registry to the form; a wrong address is refused and the rest is kept.
    _nav(page).get_by_role("link", name="Board", exact=True).click()
    expect(page).to_have_url(f"{live_server}{BOARD_URL}")
    expect(page.locator("h1")).to_have_text("Advisory board")
    page.get_by_role("link", name="Add a member").click()
    expect(page).to_have_url(f"{live_server}{BOARD_URL}/new")
    expect(page.locator("h1")).to_have_text("Add a board member")
    axe_check(page)
    form = page.locator("main form")
    form.get_by_label("Name", exact=True).fill("Madina Serikova")
    form.get_by_label("Email").fill("madina-at-example.org")
    form.get_by_label("Stakeholder group").select_option(label=INDIVIDUALS)
    form.get_by_role("button", name="Add and send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    email_field = form.get_by_label("Email")
    expect(email_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_have_text(re.compile(r"email address", re.IGNORECASE))
    expect(email_field).to_have_attribute("aria-describedby", re.compile(r"\bemail-error\b"))
    expect(page.get_by_role("alert").get_by_role("link", name=re.compile("^Email:"))) \
        .to_have_attribute("href", "#email")
    expect(form.get_by_label("Name", exact=True)).to_have_value("Madina Serikova")
    expect(form.get_by_label("Email")).to_have_value("madina-at-example.org")
    expect(form.get_by_label("Stakeholder group").locator("option:checked")).to_have_text(INDIVIDUALS)
    axe_check(page)
    _add_member(page, name="Madina Serikova", email="madina@example.org", group=INDIVIDUALS)
    expect(page.locator("dl.meta")).to_contain_text(INDIVIDUALS)
    axe_check(page)

    # One woman for the Individual Internet users: that check clears and the figures move.
    _nav(page).get_by_role("link", name="Balance", exact=True).click()
    expect(page.locator("p.lead")).to_contain_text("13 members on")
    expect(_check(page, f"No active member from {INDIVIDUALS}")).to_have_count(0)
    expect(women).to_contain_text("Women hold 4 of 13 seats")
    expect(women.locator(".check__remedy")).to_have_text("Add 2 women.")
    expect(_chart_desc(page, "gender-chart")).to_have_text("Women: 4; Men: 9")
    expect(_chart_desc(page, "group-chart")).to_contain_text(f"{INDIVIDUALS}: 1;")
    expect(_group_row(page, INDIVIDUALS).locator("td").first).to_have_text("1")
    expect(_group_row(page, INDIVIDUALS).locator("td").last).to_have_text("1")
    expect(page.locator("table:has(#balance-caption) tfoot td").last).to_have_text("13")
    axe_check(page)

    # Two more women, from groups that are not over their share: the gender check is met.
    for name, email, group in (("Zhanna Tulegenova", "zhanna@example.org", "Private sector"),
                               ("Dinara Alieva", "dinara@example.org", "Technical community")):
        _nav(page).get_by_role("link", name="Board", exact=True).click()
        page.get_by_role("link", name="Add a member").click()
        _add_member(page, name=name, email=email, group=group)
    _nav(page).get_by_role("link", name="Balance", exact=True).click()
    expect(page.locator("p.lead")).to_contain_text("15 members on")
    expect(_check(page, "Women hold")).to_have_count(0)
    gender = _check(page, "of members who disclosed their gender: within 40%–60%")
    expect(gender).to_contain_text("Women 40%, men 60%")
    expect(gender.locator(".check__status")).to_have_text("Met")
    expect(gender.locator(".check__remedy")).to_have_count(0)
    expect(_chart_desc(page, "gender-chart")).to_have_text("Women: 6; Men: 9")
    # Government still holds too many seats (5 of 15).
    expect(_check(page, "Government holds 33.3% of seats")).to_have_count(1)
    expect(page.locator("table:has(#balance-caption) tfoot td").last).to_have_text("15")
    axe_check(page)

    # The projection counts the two nominees (a woman and a person who did not say).
    page.get_by_label(re.compile(r"Include the 2 current nominees")).check()
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"projection=y"))
    expect(page.locator("p.lead")).to_contain_text("17 members on")
    expect(page.locator("p.lead")).to_contain_text("projection with the nominees appointed")
    expect(_chart_desc(page, "gender-chart")).to_have_text("Women: 7; Men: 9; Not disclosed: 1")
    axe_check(page)


# --- 2. every page of the registry, in English and in Russian ---------------------------------

def test_registry_pages_in_english_and_russian(page, live_server, axe_check):
    _demo("coordinator@example.org")
    base = live_server
    _sign_in(page, base, "coordinator@example.org", axe_check)

    # The registry with filters applied.
    page.goto(f"{base}{BOARD_URL}")
    expect(page.locator("p[aria-live]")).to_have_text("14 members match.")
    search = page.get_by_role("search")
    search.get_by_label("Group", exact=True).select_option(label="Government")
    search.get_by_label("Status").select_option(label="Active")
    search.get_by_label("Sort by").select_option(label="Organisation")
    search.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"status=active"))
    expect(page.locator("p[aria-live]")).to_have_text("5 members match.")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("Akimat of Almaty")   # sorted by organisation
    expect(rows.first).to_contain_text("member05@example.org")
    filtered_url = page.url
    axe_check(page)

    # A member's page and the edit form.
    page.get_by_role("link", name="Nurlan Zhaksybekov").click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}{BOARD_URL}/") + r"\d+$"))
    member_url = page.url
    expect(page.locator("h1")).to_have_text("Nurlan Zhaksybekov")
    expect(page.locator("dl.meta")).to_contain_text("Ministry of Digital Development")
    expect(page.locator("dl.meta")).to_contain_text("member01@example.org")
    axe_check(page)
    page.locator("main").get_by_role("link", name="Edit", exact=True).click()
    expect(page).to_have_url(f"{member_url}/edit")
    expect(page.locator("h1")).to_have_text("Edit Nurlan Zhaksybekov")
    edit_url = page.url
    axe_check(page)
    page.get_by_label("Position").fill("Director")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(member_url)
    expect(page.locator(".flashes")).to_contain_text("The member's details have been saved.")
    expect(page.locator("dl.meta")).to_contain_text("Director")

    # Import: a bad file is refused line by line, a clean one is previewed, then imported.
    page.goto(f"{base}{BOARD_URL}/import")
    expect(page.locator("h1")).to_have_text("Import board members from CSV")
    axe_check(page)
    page.get_by_label("CSV file").set_input_files(
        {"name": "board.csv", "mimeType": "text/csv", "buffer": BAD_CSV.encode()})
    page.get_by_role("button", name="Check the file").click()
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("Nothing was imported: please correct the file")
    expect(errors.locator("li").filter(has_text="Line 2:")).to_contain_text(
        "“not-an-email” is not a valid email address.")
    expect(errors.locator("li").filter(has_text="Line 3:")).to_contain_text(
        "Unknown stakeholder group “Nowhere”.")
    axe_check(page)
    page.get_by_label("CSV file").set_input_files(
        {"name": "board.csv", "mimeType": "text/csv", "buffer": CLEAN_CSV.encode()})
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#preview-heading")).to_have_text("Preview: 1 member will be added")
    preview = page.locator("main table tbody tr")
    expect(preview).to_have_count(1)
    expect(preview).to_contain_text("Асель Нурланова")
    expect(preview).to_contain_text("asel@example.org")
    expect(preview).to_contain_text("Civil society")
    expect(preview).to_contain_text("Woman")
    expect(page.locator(".consequences")).to_contain_text(
        "1 invitation to create an account will be emailed.")
    axe_check(page)
    page.get_by_role("button", name="Import and send the invitations").click()
    expect(page).to_have_url(f"{base}{BOARD_URL}")
    expect(page.locator(".flashes")).to_contain_text("imported and invited")
    expect(page.locator("p[aria-live]")).to_have_text("15 members match.")
    expect(page.locator("table tbody tr").filter(has_text="Асель Нурланова")).to_contain_text(
        "Интернет-клуб Алматы")

    # Groups, and the policy with a band that does not make sense.
    _nav(page).get_by_role("link", name="Groups", exact=True).click()
    expect(page.locator("h1")).to_have_text("Stakeholder groups")
    expect(page.locator("tbody tr").filter(has_text="Civil society").locator("td").nth(3)) \
        .to_have_text("3")
    axe_check(page)
    _nav(page).get_by_role("link", name="Policy", exact=True).click()
    expect(page.locator("h1")).to_have_text("Balance policy")
    axe_check(page)
    _submit_bad_policy(page)
    expect(page.locator("#gender_max_pct-error")).to_have_text(
        "The highest share must be above the lowest share.")
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    axe_check(page)

    page.goto(f"{base}{BALANCE}?projection=y")
    expect(page.locator("#projection")).to_be_checked()
    axe_check(page)

    # In Russian: switched with the footer form, then every page again.
    page.locator("#language-select").select_option("ru")
    page.locator(".language-form button[type=submit]").click()
    expect(page).to_have_url(f"{base}{BALANCE}?projection=y")
    expect(page.locator("#projection")).to_be_checked()
    assert html_lang(page) == "ru"
    home = page.locator(".site-nav a[href='/a/kz-2022/']")
    assert CYRILLIC.search(home.inner_text()), home.inner_text()
    axe_check(page)

    def russian(url):
        page.goto(url)
        assert html_lang(page) == "ru", url
        assert home.inner_text() != "Home" and CYRILLIC.search(home.inner_text()), url
        axe_check(page)

    russian(f"{base}{BALANCE}")
    russian(filtered_url)
    expect(page.locator("table tbody tr")).to_have_count(5)
    russian(member_url)
    russian(edit_url)
    russian(f"{base}{BOARD_URL}/new")
    form = page.locator("main form")
    form.locator("#name").fill("Мадина Серикова")
    form.locator("#email").fill("madina-at-example.org")
    form.locator("button[type=submit]").click()
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#name")).to_have_value("Мадина Серикова")
    assert html_lang(page) == "ru"
    axe_check(page)
    russian(f"{base}{BOARD_URL}/import")
    page.locator("#file").set_input_files(
        {"name": "board.csv", "mimeType": "text/csv", "buffer": BAD_CSV.encode()})
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert").locator("li")).to_have_count(2)
    assert html_lang(page) == "ru"
    axe_check(page)
    page.locator("#file").set_input_files({"name": "board.csv", "mimeType": "text/csv",
                                           "buffer": CLEAN_CSV.replace("asel@", "asel2@").encode()})
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main table tbody tr")).to_contain_text("Асель Нурланова")
    assert html_lang(page) == "ru"
    axe_check(page)
    russian(f"{base}/a/kz-2022/groups")
    russian(f"{base}/a/kz-2022/policy")
    _submit_bad_policy(page)
    expect(page.locator("#gender_max_pct-error")).to_be_visible()
    assert html_lang(page) == "ru"
    axe_check(page)


def _submit_bad_policy(page):
    """The lowest share above the highest: refused, with what was typed kept."""
    page.locator("#gender_min_pct").fill("70")
    page.locator("#gender_max_pct").fill("60")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#gender_max_pct")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#gender_min_pct")).to_have_value("70")
    expect(page.locator("#gender_max_pct")).to_have_value("60")


# --- 3. a board member sees the balance without personal data -------------------------------

def test_board_member_sees_the_balance_without_personal_data(page, live_server, axe_check):
    _demo("member01@example.org")
    _sign_in(page, live_server, "member01@example.org", axe_check)

    _nav(page).get_by_role("link", name="Balance", exact=True).click()
    expect(page).to_have_url(f"{live_server}{BALANCE}")
    expect(page.locator("h1")).to_have_text("Board balance")
    html = page.content()
    others = [email for email in BOARD if email != "member01@example.org"]
    assert not [email for email in others + ["coordinator@example.org"] if email in html]
    assert {m.group(0) for m in EMAIL.finditer(html)} <= {"member01@example.org"}
    # A row with 1 or 2 people of a gender hides all its gender cells (zeros would tell).
    government = _group_row(page, "Government").locator("td")
    expect(government.nth(0)).to_have_text("*")                    # 1 woman, 4 men: hidden
    expect(government.nth(1)).to_have_text("*")
    expect(government.nth(4)).to_have_text("5")                    # the group size stays
    expect(_group_row(page, "Academia").locator("td").nth(1)).to_have_text("*")
    expect(page.locator("table.balance-table abbr").first).to_have_attribute(
        "title", "not shown: a number below 3 in this row could identify a person")
    expect(page.locator("main")).to_contain_text("Cells with fewer than 3 people are not shown")
    expect(_chart_desc(page, "gender-chart")).to_have_text("Women: 3; Men: 9")
    # The checks still say what to do.
    expect(_check(page, "Women hold 3 of 12")).to_have_count(1)
    axe_check(page)

    # The registry shows no email or gender column to a board member.
    _nav(page).get_by_role("link", name="Board", exact=True).click()
    expect(page.locator("h1")).to_have_text("Advisory board")
    expect(page.get_by_role("link", name="Add a member")).to_have_count(0)
    expect(page.locator("#gender")).to_have_count(0)
    assert {m.group(0) for m in EMAIL.finditer(page.content())} <= {"member01@example.org"}
    axe_check(page)


# --- 4. a phone-sized screen ---------------------------------------------------------------

def test_balance_and_board_fit_a_phone(new_page, live_server, axe_check):
    _demo("coordinator@example.org")
    page = new_page(viewport=PHONE)
    _sign_in(page, live_server, "coordinator@example.org", axe_check)
    for path, heading in ((BALANCE, "Board balance"), (f"{BALANCE}?projection=y", "Board balance"),
                          (BOARD_URL, "Advisory board")):
        page.goto(f"{live_server}{path}")
        expect(page.locator("h1")).to_have_text(heading)
        assert _page_width(page) <= PHONE["width"], (path, _page_width(page))
        for chart in page.locator("svg.chart").all():
            box = chart.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (path, box)
        # Wide tables scroll inside their own region, which the keyboard can reach.
        for region in page.locator("main .table-wrap").all():
            assert region.get_attribute("tabindex") == "0", path
        axe_check(page)
    # The registry's filters keep to the screen, even with the longest group name in the list.
    box = page.get_by_label("Group", exact=True).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    # The other pages of the board fit as well.
    for path in (f"{BOARD_URL}/new", f"{BOARD_URL}/import", "/a/kz-2022/groups",
                 "/a/kz-2022/policy"):
        page.goto(f"{live_server}{path}")
        assert _page_width(page) <= PHONE["width"], (path, _page_width(page))
