"""Evidence behind an indicator and policy recommendations (issue 19) in a real browser, on the
demo assessment (mab.demo).

The issue's path: a researcher adds two sources to an indicator through the form (one with a
link and an attached file, one disaggregated by gender) and sets the indicator's data status;
writes a finding for that indicator citing both (``[@src-N]``): the version shows numbered
citations [1], [2] and a references list, and a save citing an unknown source is refused with
the field's error and the text kept. The researcher adds three recommendations addressed to
different groups (version 3 of the demo's "Policy recommendations", whose version 2 is
validated) and circulates them; a board member comments on one; the coordinator puts them on a
validation workshop's agenda (the meeting is made through the services, started an hour ago),
records the board's positions (endorsed, amended with new wording, rejected) and carries them
into version 4: the register shows the amended wording and no longer the rejected one. Version
4 is circulated and validated (the members' decisions through the services, the round opened
and closed in the browser); the coordinator records a follow-up update ("Implemented") and the
follow-up dashboard counts it in the share implemented.

axe-core finds nothing on each page of issue 19 visited, in English here and in Russian in the
second test (a tour of the same pages on the demo's data as the coordinator and a board
member); the register, an indicator's evidence page and the follow-up dashboard fit a 360 px
phone in both languages.

The demo assessment speaks ru, kk and en and its timezone is Asia/Almaty. Its comment policy
(every comment answered before validation) is lifted here: the comment path is tested in
tests/browser/test_comments.py and tests/browser/test_validation.py.
"""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import func, select, update

from mab.assessments.models import Assessment
from mab.auth.models import User
from mab.comments.models import Comment
from mab.demo import DEMO_PASSWORD, SLUG as DEMO_SLUG, seed
from mab.drafts.models import Draft, DraftVersion, Subject
from mab.evidence.models import IndicatorEvidence, Source
from mab.extensions import db
from mab.framework.models import FrameworkItem
from mab.meetings import services as meeting_services
from mab.meetings.models import Meeting, MeetingKind
from mab.recommendations import workshop_services
from mab.recommendations.models import (
    FollowUpUpdate,
    Recommendation,
    UpdateState,
    WorkshopItem,
)
from mab.types import utcnow
from mab.validation import services as validation_services
from mab.validation.models import ValidationRound
from tests.browser.helpers import (
    CYRILLIC,
    circulate_version,
    demo_in,
    fits_a_phone,
    flash,
    html_lang,
    sign_in,
)

TZ = ZoneInfo("Asia/Almaty")
A = f"/a/{DEMO_SLUG}"
RESEARCHER = "researcher@example.org"
COORDINATOR = "coordinator@example.org"
MEMBER = "member10@example.org"        # Private sector
MEMBER_NAME = "Askar Dzhaksybekov"
INDICATOR = "A.E.1.1"                  # core; no source nor data status in the demo
RECOMMENDATIONS_TITLE = "Policy recommendations"

# Two sources: (title, publisher, year, kind, link, means of verification, gender, other
# dimensions).
SURVEY = ("Survey of Internet users on personal data, 2022", "Bureau of National Statistics",
          "2022", "Survey", "https://stat.gov.kz/privacy-survey-2022",
          "Questions 12 to 18 of the questionnaire; tables 4 and 5.", True, "age, region")
LAW = ("Law “On Personal Data and Their Protection” (No. 94-V, as amended)",
       "Adilet legal database", "2021", "Legal text",
       "https://adilet.zan.kz/eng/docs/Z1300000094", "Articles 20 to 25, consolidated text.",
       False, "")
ATTACHED = ("privacy-survey-2022.csv", b"question,women,men\nq12,61,58\nq13,44,47\n")
QUALITY_NOTE = "The survey asks adults only; the law's application is not measured."
FINDING_TITLE = "Personal data protection online"

RECOMMENDATIONS = [
    # (text, addressee groups (in the assessment's order), priority, time frame, responsible)
    ("Publish each year the number of personal data breaches reported and the sanctions "
     "imposed, by sector.", ["Government"], "High priority", "Short term",
     "Ministry of Digital Development"),
    ("Build privacy by design into the mobile applications of banks and telecom operators.",
     ["Technical community", "Private sector"], "Medium priority", "Medium term",
     "Association of Financiers of Kazakhstan"),
    ("Teach secondary school pupils how to protect their personal data online.",
     ["Academia", "Civil society"], "Low priority", "Long term",
     "Ministry of Education"),
]
AMENDED = ("Banks and telecom operators assess the privacy of their mobile applications before "
           "each release and publish a summary of the assessment.")
COMMENT = "Which regulator would check that the applications respect privacy by design?"
FOLLOW_UP_NOTE = "The ministry published the 2023 figures on breaches and sanctions by sector."
FOLLOW_UP_LINK = "https://www.gov.kz/memleket/entities/mdai/documents/breaches-2023"


# --- the world ----------------------------------------------------------------------------------

def _demo():
    """The demo, everyone in English, the comment policy lifted; the indicator's id."""
    seed()
    db.session.execute(update(User).values(language="en"))
    assessment = _assessment()
    assessment.require_dispositions = False
    db.session.commit()
    item_id = _indicator().id
    db.session.remove()
    return item_id


def _assessment():
    return db.session.scalar(select(Assessment).where(Assessment.slug == DEMO_SLUG))


def _indicator():
    return db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == _assessment().framework_id,
        FrameworkItem.code == INDICATOR))


def _recommendations_draft():
    return db.session.scalar(select(Draft).where(Draft.assessment_id == _assessment().id,
                                                 Draft.subject == Subject.RECOMMENDATIONS))


def _workshop(hours_ago=1):
    """A validation workshop that started an hour ago (positions are recorded from its start),
    made through the services as the coordinator would schedule it."""
    assessment = _assessment()
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
    starts = utcnow() - timedelta(hours=hours_ago)
    meeting = meeting_services.schedule_meeting(
        assessment, actor=coordinator, invitees=meeting_services.default_invitees(assessment),
        kind=MeetingKind.VALIDATION_WORKSHOP,
        title="Validation workshop on personal data protection", starts_at=starts,
        ends_at=starts + timedelta(hours=3), place="Astana, Ministry of Digital Development",
        online_url="", agenda="The recommendations on personal data protection")
    db.session.commit()
    meeting_id = meeting.id
    db.session.remove()
    return meeting_id


def _counts():
    """Rows that a refused form must leave as they were."""
    return {"sources": db.session.scalar(select(func.count(Source.id))),
            "versions": db.session.scalar(select(func.count(DraftVersion.id))),
            "recommendations": db.session.scalar(select(func.count(Recommendation.id))),
            "positions": db.session.scalar(select(func.count(WorkshopItem.id)).where(
                WorkshopItem.position.is_not(None))),
            "updates": db.session.scalar(select(func.count(FollowUpUpdate.id)))}


# --- small steps --------------------------------------------------------------------------------

def _no_axe(_page):
    """The login page is checked once (the researcher's); the others skip it."""


def _signed_in(new_page, base, email):
    page = new_page()
    sign_in(page, base, email, DEMO_PASSWORD, axe_check=_no_axe)
    expect(page).to_have_url(f"{base}{A}/")
    return page


def _meta(page, term):
    """The <dd> after the <dt> ``term`` in the page's dl.meta."""
    return page.locator("dl.meta dt", has_text=re.compile(f"^{re.escape(term)}$")) \
        .locator("xpath=following-sibling::dd[1]").first


def _add_source(page, base, item_id, source, *, upload=None):
    """Fill the new-source form opened from the indicator's page; return the reference the
    flash names ("[@src-N]")."""
    title, publisher, year, kind, link, verification, gender, dimensions = source
    page.goto(f"{base}{A}/framework/{item_id}/evidence")
    page.get_by_role("link", name="Add a new source").click()
    expect(page).to_have_url(f"{base}{A}/sources/new?item={item_id}")
    expect(page.locator("h1")).to_have_text("Add a source")
    form = page.locator("main form")
    # Opened from the indicator: it is chosen already.
    expect(form.get_by_label("Indicators it serves")).to_have_values([str(item_id)])
    form.get_by_label("Title").fill(title)
    form.get_by_label("Publisher").fill(publisher)
    form.get_by_label("Year of the data").fill(year)
    form.get_by_label("Kind of source").select_option(label=kind)
    form.get_by_label("Link").fill(link)
    if upload:
        name, data = upload
        form.get_by_label("File", exact=True).set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    form.get_by_label("Means of verification").fill(verification)
    if gender:
        form.get_by_label("The data are disaggregated by gender").check()
    form.get_by_label("Other dimensions of disaggregation").fill(dimensions)
    page.get_by_role("button", name="Add the source").click()
    # Back on the indicator's evidence page.
    expect(page).to_have_url(f"{base}{A}/framework/{item_id}/evidence")
    message = flash(page).inner_text()
    found = re.search(r"Cite it in a finding as (\[@src-\d+\])\.", message)
    assert found, message
    return found.group(1)


def _sources_row(page, title):
    return page.locator("main table tbody tr").filter(has_text=title)


def _register_card(scope, text):
    """The register's card of a recommendation in ``scope`` (a page or one of its sections)."""
    return scope.locator("article.card").filter(has_text=text)


def _total_line(page, table_id):
    """The footer line of a follow-up dashboard table: {column header: cell text}."""
    table = page.locator(f"table:has(caption#{table_id}-caption)")
    headers = [" ".join(h.split()) for h in table.locator("thead th").all_inner_texts()]
    cells = [" ".join(c.split()) for c in table.locator("tfoot tr").first
             .locator("th, td").all_inner_texts()]
    return dict(zip(headers, cells))


def _government_implemented(page):
    """The follow-up dashboard's cell: recommendations to the Government implemented."""
    return page.locator("table:has(caption#by-group-caption) tbody tr").filter(
        has=page.locator("th", has_text=re.compile("^Government$"))) \
        .locator("td[data-label='Implemented']")


# --- the path -----------------------------------------------------------------------------------

def test_sources_finding_recommendations_workshop_validation_follow_up(page, new_page,
                                                                        live_server, axe_check):
    base = live_server
    item_id = _demo()

    # 1. The researcher: the indicator's evidence page, empty for now.
    researcher = page
    sign_in(researcher, base, RESEARCHER, DEMO_PASSWORD, axe_check=axe_check)
    expect(researcher).to_have_url(f"{base}{A}/")
    evidence_url = f"{base}{A}/framework/{item_id}/evidence"
    researcher.goto(evidence_url)
    expect(researcher.locator("h1")).to_have_text(f"Evidence for {INDICATOR}")
    expect(_meta(researcher, "Data status")).to_have_text("Not yet assessed")
    expect(researcher.locator("main")).to_contain_text("No source yet for this indicator.")
    axe_check(researcher)

    # A source without a title is refused, the rest kept, nothing saved.
    before = _counts()
    researcher.get_by_role("link", name="Add a new source").click()
    form = researcher.locator("main form")
    form.get_by_label("Publisher").fill(SURVEY[1])
    researcher.get_by_role("button", name="Add the source").click()
    expect(researcher.get_by_role("alert")).to_contain_text("Give the source a title.")
    expect(form.get_by_label("Title")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Publisher")).to_have_value(SURVEY[1])
    axe_check(researcher)
    assert _counts() == before
    db.session.remove()

    # Two sources: the survey with its link and a file, disaggregated by gender; the law.
    survey_ref = _add_source(researcher, base, item_id, SURVEY, upload=ATTACHED)
    law_ref = _add_source(researcher, base, item_id, LAW)
    assert survey_ref != law_ref
    expect(researcher.locator("h1")).to_have_text(f"Evidence for {INDICATOR}")
    survey_row = _sources_row(researcher, SURVEY[0])
    law_row = _sources_row(researcher, LAW[0])
    expect(survey_row.locator("td[data-label='Disaggregation']")).to_have_text(
        "By gender; age, region")
    expect(survey_row.locator("td[data-label='Kind of source']")).to_have_text("Survey")
    expect(survey_row.locator("td[data-label='Cite as']")).to_have_text(survey_ref)
    expect(survey_row.get_by_role("link", name=ATTACHED[0])).to_have_count(1)
    expect(law_row.locator("td[data-label='Disaggregation']")).to_have_text("Not by gender")
    expect(law_row.locator("td[data-label='Cite as']")).to_have_text(law_ref)
    # The data status and the note on quality.
    researcher.locator("summary", has_text="Change the data status or the note").click()
    researcher.get_by_role("combobox", name="Data status").select_option(label="Partial data")
    researcher.get_by_label("Note on the quality of the data").fill(QUALITY_NOTE)
    researcher.get_by_role("button", name="Save", exact=True).click()
    expect(researcher).to_have_url(evidence_url)
    expect(flash(researcher)).to_contain_text(f"The data status of {INDICATOR} is saved.")
    expect(_meta(researcher, "Data status")).to_have_text("Partial data")
    expect(_meta(researcher, "Note on the quality of the data")).to_have_text(QUALITY_NOTE)
    axe_check(researcher)
    fits_a_phone(researcher, "indicator evidence")

    # The survey's page, its file as uploaded; the list of sources.
    survey_row.get_by_role("link", name=SURVEY[0], exact=True).click()
    expect(researcher.locator("h1")).to_contain_text(SURVEY[0])
    axe_check(researcher)
    with researcher.expect_download() as download:
        researcher.get_by_role("link", name=ATTACHED[0]).first.click()
    assert download.value.suggested_filename == ATTACHED[0]
    with open(download.value.path(), "rb") as downloaded:
        assert downloaded.read() == ATTACHED[1]
    researcher.goto(f"{base}{A}/sources")
    expect(_sources_row(researcher, SURVEY[0])).to_have_count(1)
    expect(_sources_row(researcher, LAW[0])).to_have_count(1)
    axe_check(researcher)
    db.session.remove()
    evidence = db.session.scalar(select(IndicatorEvidence).where(
        IndicatorEvidence.item_id == item_id))
    assert (evidence.data_status.value, evidence.quality_note) == ("partial", QUALITY_NOTE)
    db.session.remove()

    # The coverage dashboard counts them.
    researcher.goto(f"{base}{A}/evidence")
    expect(researcher.locator("h1")).to_have_text("Evidence coverage")
    row = researcher.locator("main table tbody tr").filter(
        has=researcher.locator(f"a[href$='/framework/{item_id}/evidence']"))
    expect(row.locator("td[data-label='Data status']")).to_have_text("Partial data")
    expect(row.locator("td[data-label='Sources']")).to_have_text("2")
    expect(row.locator("td[data-label='Disaggregated by gender']")).to_have_text("1")
    axe_check(researcher)

    # The finding for the indicator cites both sources.
    researcher.goto(f"{base}{A}/drafts/new")
    form = researcher.locator("main form")
    form.get_by_label("Title").fill(FINDING_TITLE)
    form.get_by_label("About").select_option(label="Indicator")
    form.get_by_label("Indicator, question, theme or chapter").select_option(str(item_id))
    form.get_by_label("Written in").select_option(label="English")
    first = (f"Three in five adults worry about their personal data online {survey_ref}; the "
             f"law gives them a right to have it erased {law_ref}.")
    second = f"Women worry more often than men {survey_ref}."
    form.get_by_label("Text").fill(f"{first}\n\n{second}")
    researcher.get_by_role("button", name="Create the draft").click()
    expect(flash(researcher)).to_contain_text("The draft is created.")
    finding_url = researcher.url
    finding_id = int(finding_url.rsplit("/", 1)[1])
    # Numbered by first appearance, each linked to its entry in the references list.
    citations = researcher.locator(".draft-body sup.cite a")
    expect(citations).to_have_text(["[1]", "[2]", "[1]"])
    survey_number = survey_ref.removeprefix("[@src-").removesuffix("]")
    law_number = law_ref.removeprefix("[@src-").removesuffix("]")
    expect(citations.first).to_have_attribute("href", f"#ref-{survey_number}")
    expect(citations.first).to_have_attribute("title", f"{SURVEY[0]}, {SURVEY[1]}, 2022")
    references = researcher.get_by_role("region", name="References")
    expect(references.locator("li")).to_have_count(2)
    expect(references.locator(f"li#ref-{survey_number}")).to_contain_text(SURVEY[0])
    expect(references.locator(f"li#ref-{law_number}")).to_contain_text(LAW[0])
    expect(references.locator("li").first).to_have_id(f"ref-{survey_number}")
    expect(researcher.locator(".draft-body")).not_to_contain_text("[@src-")
    axe_check(researcher)

    # A save citing a source the register does not have: refused, the text kept.
    researcher.get_by_role("link", name="Edit", exact=True).click()
    edit = researcher.locator("main form")
    wrong = f"{first}\n\n{second}\n\nThe regulator fined two banks [@src-999]."
    edit.get_by_label("Text").fill(wrong)
    before = _counts()
    researcher.get_by_role("button", name="Save", exact=True).click()
    expect(researcher.get_by_role("alert")).to_contain_text("Unknown source reference [@src-999]")
    expect(edit.get_by_label("Text")).to_have_attribute("aria-invalid", "true")
    expect(edit.get_by_label("Text")).to_have_value(wrong)
    assert _counts() == before
    body = db.session.scalar(select(DraftVersion.body).where(DraftVersion.draft_id == finding_id))
    assert "[@src-999]" not in body
    db.session.remove()

    # The version's page as saved: the citations and their references.
    researcher.goto(f"{finding_url}/v/1")
    expect(researcher.locator(".draft-body sup.cite a")).to_have_text(["[1]", "[2]", "[1]"])
    expect(researcher.get_by_role("region", name="References").locator("li")).to_have_count(2)
    # ... and in print.
    researcher.emulate_media(media="print")
    expect(researcher.get_by_role("region", name="References").locator("li").first).to_be_visible()
    researcher.emulate_media(media="screen")

    # 2. Three recommendations, addressed to different groups: version 3 of the demo's
    # recommendations draft (its version 2 is validated).
    blocks = []
    for n, (text, groups, priority, time_frame, responsible) in enumerate(RECOMMENDATIONS):
        researcher.goto(f"{base}{A}/recommendations")
        researcher.get_by_role("link", name="Add a recommendation").click()
        expect(researcher).to_have_url(f"{base}{A}/recommendations/new")
        form = researcher.locator("main form")
        addressed = form.get_by_role("group", name="Addressed to")
        if n == 0:
            # Refused without its text; nothing saved, the choices kept.
            before = _counts()
            addressed.get_by_label(groups[0], exact=True).check()
            form.get_by_label("What changed").fill("Recommendations on personal data.")
            researcher.get_by_role("button", name="Add the recommendation").click()
            expect(researcher.get_by_role("alert")).to_be_visible()
            expect(form.get_by_label("Recommendation", exact=True)).to_have_attribute(
                "aria-invalid", "true")
            expect(addressed.get_by_label(groups[0], exact=True)).to_be_checked()
            axe_check(researcher)
            assert _counts() == before
            db.session.remove()
        form.get_by_label("Recommendation", exact=True).fill(text)
        for group in groups:
            addressed.get_by_label(group, exact=True).check()
        form.get_by_label("Indicators it rests on").select_option(str(item_id))
        form.get_by_label("Findings it rests on").select_option(label=FINDING_TITLE)
        form.get_by_label("Priority").select_option(label=priority)
        form.get_by_label("Time frame").select_option(label=time_frame)
        form.get_by_label("Responsible actor").fill(responsible)
        if n == 0:
            expect(form.get_by_label("What changed")).to_have_value(
                "Recommendations on personal data.")
        else:   # version 3 is the working version now
            expect(form.get_by_label("What changed")).to_have_count(0)
        researcher.get_by_role("button", name="Add the recommendation").click()
        expect(flash(researcher)).to_contain_text(
            f"The recommendation is added to version 3 of “{RECOMMENDATIONS_TITLE}”.")
        match = re.search(r"/recommendations/(\d+)/([^/?#]+)$", researcher.url)
        assert match, researcher.url
        draft_id, block_id = int(match.group(1)), match.group(2)
        blocks.append(block_id)
        expect(researcher.locator("main .prose").first).to_have_text(text)
        expect(_meta(researcher, "Addressed to")).to_have_text(", ".join(groups))
        if n == 0:
            axe_check(researcher)
    assert len(set(blocks)) == 3
    draft_url = f"{base}{A}/drafts/{draft_id}"

    # The register: each under its addressees (and axe on the form once more).
    researcher.goto(f"{base}{A}/recommendations?by=addressee")
    for text, groups, *_rest in RECOMMENDATIONS:
        for group in groups:
            section = researcher.locator("main section").filter(
                has=researcher.locator("h2", has_text=group))
            expect(_register_card(section, text)).to_have_count(1)
    axe_check(researcher)
    researcher.goto(f"{base}{A}/recommendations/new")
    axe_check(researcher)

    # ... circulated with the draft's other recommendations.
    circulate_version(researcher, draft_url, 3, tz=TZ)

    # 3. A board member comments on the second recommendation, in the draft.
    member = _signed_in(new_page, base, MEMBER)
    member.goto(draft_url)
    expect(member.locator(f"[data-block-text='{blocks[1]}']")).to_have_text(RECOMMENDATIONS[1][0])
    new_comment = member.locator(f"details.comment-new[data-block='{blocks[1]}']")
    new_comment.locator("> summary").click()
    member.locator(f"#body-{blocks[1]}").fill(COMMENT)
    new_comment.locator("button[type=submit]").click()
    expect(member).to_have_url(re.compile(r"#c\d+$"))
    comment_id = int(member.url.rsplit("#c", 1)[1])
    expect(member.locator(f"#{blocks[1]} #c{comment_id} .comment__text")).to_have_text(COMMENT)
    axe_check(member)
    comment = db.session.get(Comment, comment_id)
    assert (comment.block_id, comment.version.number) == (blocks[1], 3)
    db.session.remove()
    # The register, as the board reads it: version 3.
    member.goto(f"{base}{A}/recommendations")
    expect(_register_card(member, RECOMMENDATIONS[1][0])).to_have_count(1)
    axe_check(member)

    # 4. The coordinator at the validation workshop.
    meeting_id = _workshop()
    coordinator = _signed_in(new_page, base, COORDINATOR)
    coordinator.goto(f"{base}{A}/meetings/{meeting_id}")
    coordinator.get_by_role("link",
                            name="Recommendations on the agenda and the board's positions").click()
    workshop_url = f"{base}{A}/meetings/{meeting_id}/recommendations"
    expect(coordinator).to_have_url(workshop_url)
    expect(coordinator.locator("main")).to_contain_text("No recommendation is on the agenda yet.")
    axe_check(coordinator)
    choose = coordinator.get_by_role("region", name="Choose the recommendations to discuss")
    for text, *_rest in RECOMMENDATIONS:
        choose.get_by_label(text).check()
    choose.get_by_role("button", name="Update the agenda").click()
    expect(flash(coordinator)).to_contain_text(
        "The agenda is updated: 3 recommendations added, 0 taken off.")
    items = coordinator.locator("main article.card[id^='item-']")
    expect(items).to_have_count(3)
    for n, (text, *_rest) in enumerate(RECOMMENDATIONS):
        expect(items.nth(n).locator("blockquote").first).to_have_text(text)
        expect(_meta(items.nth(n), "The board's position")).to_have_text("Not recorded yet")
    axe_check(coordinator)

    def record(n, position, wording=None):
        card = coordinator.locator("main article.card[id^='item-']").nth(n)
        card.get_by_role("group", name=re.compile("^The board's position")).get_by_label(
            position, exact=True).check()
        if wording is not None:
            card.get_by_label("New wording").fill(wording)
        card.get_by_role("button", name="Record the position").click()

    record(0, "Endorsed")
    expect(flash(coordinator)).to_contain_text("The position is recorded: Endorsed.")
    # Amended without the new wording: refused, nothing recorded.
    before = _counts()
    record(1, "Amended")
    expect(coordinator.get_by_role("alert")).to_be_visible()
    expect(items.nth(1).get_by_label("New wording")).to_have_attribute("aria-invalid", "true")
    axe_check(coordinator)
    assert _counts() == before
    db.session.remove()
    record(1, "Amended", AMENDED)
    expect(flash(coordinator)).to_contain_text("The position is recorded: Amended.")
    record(2, "Rejected")
    expect(flash(coordinator)).to_contain_text("The position is recorded: Rejected.")
    expect(_meta(items.nth(0), "The board's position")).to_contain_text("Endorsed")
    expect(_meta(items.nth(1), "New wording")).to_have_text(AMENDED)
    expect(_meta(items.nth(2), "The board's position")).to_contain_text("Rejected")
    axe_check(coordinator)

    # Carried into version 4, after the confirmation page (nothing started before).
    before = _counts()
    coordinator.get_by_role("button", name="Carry the positions into a new version").click()
    expect(coordinator.locator("h1")).to_have_text(re.compile(
        r"^Carry the positions of “.+” into new versions\?$"))
    expect(coordinator.locator(".consequences")).to_contain_text(RECOMMENDATIONS_TITLE)
    axe_check(coordinator)
    assert _counts() == before
    db.session.remove()
    coordinator.get_by_role("button", name="Start the new versions").click()
    expect(coordinator).to_have_url(re.compile(re.escape(workshop_url)))
    expect(flash(coordinator)).to_contain_text(
        f"Version 4 of “{RECOMMENDATIONS_TITLE}” is started with the workshop's positions.")
    axe_check(coordinator)

    # The register (the research team reads the working version 4): the amended wording, the
    # rejected recommendation gone.
    coordinator.goto(f"{base}{A}/recommendations")
    expect(_register_card(coordinator, AMENDED)).to_have_count(1)
    expect(_register_card(coordinator, RECOMMENDATIONS[1][0])).to_have_count(0)
    expect(_register_card(coordinator, RECOMMENDATIONS[2][0])).to_have_count(0)
    expect(_register_card(coordinator, RECOMMENDATIONS[0][0])).to_have_count(1)
    axe_check(coordinator)
    fits_a_phone(coordinator, "register")
    coordinator.goto(f"{base}{A}/recommendations/{draft_id}/{blocks[1]}")
    expect(coordinator.locator("main .prose").first).to_have_text(AMENDED)
    # It keeps its addressees.
    expect(_meta(coordinator, "Addressed to")).to_have_text(", ".join(RECOMMENDATIONS[1][1]))
    axe_check(coordinator)

    # 5. Validation: version 4 circulated, the round opened, the members' decisions (through
    # the services: signing is tested in tests/browser/test_validation.py), closed early.
    circulate_version(coordinator, draft_url, 4, tz=TZ)
    today = datetime.now(TZ).date()
    coordinator.goto(f"{base}{A}/validation")
    opening = coordinator.get_by_role("region", name="Open a validation round", exact=True)
    opening.get_by_label("Version to validate").select_option(
        label=f"{RECOMMENDATIONS_TITLE}, version 4")
    opening.get_by_label("Sign-offs due by").fill((today + timedelta(days=7)).isoformat())
    opening.get_by_role("button", name="Open the round").click()
    expect(coordinator.locator("h1")).to_have_text("End the consultation and open the round?")
    coordinator.get_by_role("button", name="End the consultation now and open the round").click()
    expect(flash(coordinator)).to_contain_text("The round is open")
    round_url = coordinator.url
    round_ = db.session.scalar(select(ValidationRound).join(DraftVersion).where(
        DraftVersion.draft_id == draft_id, DraftVersion.number == 4))
    assessment = _assessment()
    for membership in validation_services.active_members(assessment):
        validation_services.sign(round_, assessment, membership, decision="endorse",
                                 statement="", seen_sha256=round_.version_sha256, replaces=None)
    db.session.commit()
    db.session.remove()
    coordinator.goto(f"{round_url}/close")
    coordinator.get_by_label("Why close before the deadline?").fill(
        "Every active member has responded.")
    coordinator.get_by_label("I understand that closing is final.").check()
    coordinator.get_by_role("button", name="Close the round").click()
    expect(flash(coordinator)).to_contain_text("The round is closed: the version is validated.")

    # 6. Follow-up: from the register's page of the first recommendation to its follow-up.
    coordinator.goto(f"{base}{A}/recommendations/follow-up")
    before_total = _total_line(coordinator, "by-group")
    before_government = int(_government_implemented(coordinator).inner_text())
    coordinator.goto(f"{base}{A}/recommendations/{draft_id}/{blocks[0]}")
    coordinator.get_by_role("link",
                            name="Follow-up after publication: status and updates").click()
    follow_up_url = f"{base}{A}/recommendations/{draft_id}/{blocks[0]}/follow-up"
    expect(coordinator).to_have_url(follow_up_url)
    expect(_meta(coordinator, "Status")).to_contain_text("No update yet")
    expect(coordinator.locator("main")).to_contain_text("No update yet.")
    axe_check(coordinator)
    report = coordinator.get_by_role("region", name="Report an update")
    # The day defaults to today; an update dated tomorrow is refused, nothing saved.
    expect(report.get_by_label("Status as of")).to_have_value(today.isoformat())
    report.get_by_label("Status", exact=True).select_option(label="Implemented")
    report.get_by_label("What was done").fill(FOLLOW_UP_NOTE)
    report.get_by_label("Evidence link").fill(FOLLOW_UP_LINK)
    report.get_by_label("Status as of").fill((today + timedelta(days=1)).isoformat())
    before = _counts()
    report.get_by_role("button", name="Record the update").click()
    expect(coordinator.get_by_role("alert")).to_be_visible()
    expect(report.get_by_label("What was done")).to_have_value(FOLLOW_UP_NOTE)
    assert _counts() == before
    db.session.remove()
    axe_check(coordinator)
    report.get_by_label("Status as of").fill(today.isoformat())
    report.get_by_role("button", name="Record the update").click()
    expect(coordinator).to_have_url(follow_up_url)
    expect(flash(coordinator)).to_contain_text("The update is recorded.")
    expect(_meta(coordinator, "Status")).to_contain_text("Implemented")
    history = coordinator.locator("main table tbody tr")
    expect(history).to_have_count(1)
    expect(history.first.locator("td[data-label='What was done']")).to_have_text(FOLLOW_UP_NOTE)
    expect(history.first.locator("td[data-label='State']")).to_contain_text("Confirmed")
    expect(history.first.locator("td[data-label='Evidence'] a")).to_have_attribute(
        "href", FOLLOW_UP_LINK)
    axe_check(coordinator)

    # The dashboard counts it: one more implemented in the total, the share follows.
    coordinator.get_by_role("link", name="Back to the follow-up of the recommendations").click()
    expect(coordinator.locator("h1")).to_have_text("Follow-up of the recommendations")
    after_total = _total_line(coordinator, "by-group")
    total = int(after_total["Recommendations"])
    implemented = int(after_total["Implemented"])
    assert implemented == int(before_total["Implemented"]) + 1, (before_total, after_total)
    assert after_total["Share implemented"] == f"{round(100 * implemented / total)}%", after_total
    expect(_government_implemented(coordinator)).to_have_text(str(before_government + 1))
    listed = coordinator.locator("main section[aria-labelledby='list-heading'] tbody tr").filter(
        has_text=RECOMMENDATIONS[0][0])
    expect(listed.locator("td[data-label='Status']")).to_have_text("Implemented")
    expect(listed.locator("td[data-label='As of']")).not_to_have_text("—")
    axe_check(coordinator)
    fits_a_phone(coordinator, "follow-up dashboard")

    # The annual report of this year lists it.
    coordinator.goto(f"{base}{A}/recommendations/follow-up/{today.year}")
    expect(coordinator.locator("main")).to_contain_text(RECOMMENDATIONS[0][0])
    axe_check(coordinator)


# --- in Russian ---------------------------------------------------------------------------------

# The page's own words (not the data it shows): headings, column and row headers, terms,
# labels, legends, buttons, disclosures.
# (The agenda's checkboxes are labelled with the recommendations' texts: data.)
CHROME = ("main h2, main h3, main th, main dt, main label:not([for^='key-']), main legend, "
          "main button, main summary, main .hint, main .empty")
ENGLISH = re.compile(r"\b[A-Za-z]{3,}\b")
# Data that stay as written: the demo's titles and names in English (framework codes, sources,
# drafts, people: "Olga Petrova"), inside some of those elements.
DATA = re.compile(r"^(?:[A-Z]\.[A-Z0-9.]+|[A-Z]{2,}.*|.*“.+”.*|.*@example\.org.*"
                  r"|[A-Z][a-z]+(?: [A-Z][a-z]+)+)$")


def _english_left(page):
    """The page's own words still in English: elements of CHROME with English words and no
    Cyrillic (each element's own text, without its children's)."""
    texts = page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector))
        .filter(e => e.offsetParent !== null || e.closest('details'))
        .map(e => Array.from(e.childNodes).filter(n => n.nodeType === 3)
             .map(n => n.textContent).join(' ').replace(/\\s+/g, ' ').trim())
        .filter(t => t)""", CHROME)
    return [t for t in texts if ENGLISH.search(t) and not CYRILLIC.search(t)
            and not DATA.match(t)]


def _ru_visit(page, base, path, axe_check, *, phone=False):
    response = page.goto(f"{base}{path}")
    assert response.status == 200, (path, response.status)
    assert html_lang(page) == "ru", path
    assert CYRILLIC.search(page.locator("main").inner_text()), path
    left = _english_left(page)
    assert not left, (path, left)
    axe_check(page)
    if phone:
        fits_a_phone(page, path)


def test_issue_19_pages_in_russian(page, new_page, live_server, axe_check):
    """The pages of issue 19 on the demo's data, as the coordinator (who also edits the evidence
    and the recommendations) and as a board member, with every account in Russian: each in
    Russian, no axe violation; the register, an indicator's evidence and the follow-up
    dashboard fit a phone."""
    base = live_server
    demo_in("ru")
    assessment = _assessment()
    source = db.session.scalar(select(Source).where(Source.assessment_id == assessment.id)
                               .order_by(Source.number))
    item_id, source_id = source.indicators[0].id, source.id
    draft = _recommendations_draft()
    validated = draft.versions[-1]
    block_id = validated.blocks[0]["id"]
    # The recommendation with an update a member proposed: the coordinator's buttons.
    followed = db.session.scalar(select(FollowUpUpdate.block_id).where(
        FollowUpUpdate.draft_id == draft.id, FollowUpUpdate.state == UpdateState.PROPOSED))
    held = db.session.scalar(select(Meeting.id).where(
        Meeting.assessment_id == assessment.id,
        Meeting.kind == MeetingKind.VALIDATION_WORKSHOP))
    year = datetime.now(TZ).year
    draft_id = draft.id
    keys = [(draft_id, block["id"]) for block in validated.blocks[:2]]
    db.session.remove()
    # A second workshop, under way, with two of the validated recommendations on its agenda:
    # its forms (the agenda, a position per recommendation).
    workshop = _workshop()
    coordinator_user = db.session.scalar(select(User).where(User.email == COORDINATOR))
    workshop_services.set_agenda(db.session.get(Meeting, workshop), _assessment(), keys,
                                 actor=coordinator_user)
    db.session.commit()
    db.session.remove()

    coordinator = page
    sign_in(coordinator, base, COORDINATOR, DEMO_PASSWORD, axe_check=_no_axe)
    for path, phone in [
            (f"{A}/framework/{item_id}/evidence", True),
            (f"{A}/sources", False),
            (f"{A}/sources/new?item={item_id}", False),
            (f"{A}/sources/{source_id}", False),
            (f"{A}/sources/{source_id}/edit", False),
            (f"{A}/evidence", False),
            (f"{A}/recommendations", True),
            (f"{A}/recommendations?by=addressee", False),
            (f"{A}/recommendations/new", False),
            (f"{A}/recommendations/{draft_id}/{block_id}", False),
            (f"{A}/drafts/{draft_id}", False),
            (f"{A}/meetings/{held}/recommendations", False),
            (f"{A}/recommendations/follow-up", True),
            (f"{A}/recommendations/{draft_id}/{followed}/follow-up", False),
            (f"{A}/recommendations/follow-up/{year}", False)]:
        _ru_visit(coordinator, base, path, axe_check, phone=phone)
    # The details of a validated recommendation (saving them would start version 3).
    _ru_visit(coordinator, base, f"{A}/recommendations/{draft_id}/{block_id}/details", axe_check)

    # At the workshop: a position refused (amended without its wording), then recorded; the
    # confirmation page of carrying it into a new version.
    _ru_visit(coordinator, base, f"{A}/meetings/{workshop}/recommendations", axe_check)
    card = coordinator.locator("main article.card[id^='item-']").first
    card.locator("input[type=radio][value=amended]").check()
    card.locator("button[type=submit]").click()
    expect(coordinator.get_by_role("alert")).to_be_visible()
    assert not _english_left(coordinator), _english_left(coordinator)
    axe_check(coordinator)
    card.locator("input[type=radio][value=endorsed]").check()
    card.locator("button[type=submit]").click()
    expect(coordinator.locator(".flashes")).to_contain_text("Одобрена")
    coordinator.locator("form[action$='/apply'] button[type=submit]").click()
    expect(coordinator.locator(".consequences")).to_be_visible()
    assert html_lang(coordinator) == "ru"
    assert not _english_left(coordinator), _english_left(coordinator)
    axe_check(coordinator)

    # A board member reads them, and may propose a follow-up update.
    member = new_page()
    sign_in(member, base, MEMBER, DEMO_PASSWORD, axe_check=_no_axe)
    for path, phone in [
            (f"{A}/framework/{item_id}/evidence", True),
            (f"{A}/sources/{source_id}", False),
            (f"{A}/evidence", False),
            (f"{A}/recommendations", True),
            (f"{A}/meetings/{held}/recommendations", False),
            (f"{A}/recommendations/follow-up", True),
            (f"{A}/recommendations/{draft_id}/{followed}/follow-up", False)]:
        _ru_visit(member, base, path, axe_check, phone=phone)
