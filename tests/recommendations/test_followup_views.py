"""The follow-up over HTTP: who may read, report, confirm and download; refusals with their
message and nothing saved; the dashboard, the annual report and its CSV; query counts."""
import io
from datetime import date, timedelta

import pytest

from mab.extensions import db
from mab.recommendations.models import FollowUpUpdate, UpdateState
from tests.confirming import post_confirmed
from tests.querycount import counting
from tests.recommendations.support_followup import (
    PDF,
    A,
    add_updates,
    counts,
    report,
    states,
    validated_draft,
    world,
)
from tests.records import last_mail_id, mail
from tests.validation.support import text_of

DASHBOARD = f"{A}/recommendations/follow-up"


def _form(f, **values):
    data = {"status": "in_progress", "reported_on": f.assessment.today().isoformat(),
            "note": "The ministry drafted the regulation.", "evidence_url": ""}
    data.update(values)
    return data


# --- who may read ----------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["coordinator", "researcher", "board_member", "observer"])
def test_the_readers_see_the_dashboard_and_a_recommendations_history(app, client, login, who):
    f = world()
    report(f, "coordinator", status="implemented", note="Published in 2024.")
    login(f.people[who])
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    text = text_of(page)
    assert "Follow-up of the recommendations" in text
    assert "Recommendation 1 of “Policy recommendations”" in text
    assert "Publish statistics on content removal requests every year." in text
    history = client.get(f.url(0))
    assert history.status_code == 200
    assert "Published in 2024." in text_of(history) and "Implemented" in text_of(history)
    can_report = who != "observer"
    assert ("Report an update" in text_of(history)) is can_report


def test_the_translator_is_refused_and_an_outsider_finds_nothing(app, client, login):
    f = world()
    update = report(f, "coordinator", filename="a.pdf", data=PDF)
    urls = [DASHBOARD, f.url(0), f"{A}/follow-up/{update.id}/file",
            f"{DASHBOARD}/{date.today().year}", f"{DASHBOARD}/{date.today().year}.csv"]
    login(f.people["translator"])
    assert [client.get(u).status_code for u in urls] == [403] * len(urls)
    login(f.people["outsider"])
    assert [client.get(u).status_code for u in urls] == [404] * len(urls)
    login(f.people["other_coordinator"])   # coordinator of uz-2023
    assert [client.get(u).status_code for u in urls] == [404] * len(urls)


def test_a_recommendation_not_validated_or_not_ours_is_not_found(app, client, login):
    f = world()
    login(f.people["coordinator"])
    assert client.get(f"{A}/recommendations/{f.draft.id}/nope/follow-up").status_code == 404
    findings = f.w.draft     # a findings draft, circulated, not a recommendation
    block = findings.versions[0].blocks[0]["id"]
    assert client.get(f"{A}/recommendations/{findings.id}/{block}/follow-up").status_code == 404
    before = counts()
    refused = client.post(f"{A}/recommendations/{findings.id}/{block}/follow-up",
                          data=_form(f))
    assert refused.status_code == 404 and counts() == before
    # kz-2022's recommendation under uz-2023's address: found by nobody there
    login(f.people["other_coordinator"])
    draft_id, block_id = f.keys[0]
    assert client.get(f"/a/uz-2023/recommendations/{draft_id}/{block_id}/follow-up"
                      ).status_code == 404


# --- reporting ------------------------------------------------------------------------------------

def test_a_board_member_proposes_an_update_with_a_file(app, client, login):
    f = world()
    login(f.people["board_member"])
    before = last_mail_id()
    response = client.post(f.url(1), data=_form(
        f, status="partly_implemented", evidence_url="https://example.org/decree",
        file=(io.BytesIO(PDF), "decree.pdf")), content_type="multipart/form-data",
        follow_redirects=True)
    assert response.status_code == 200
    text = text_of(response)
    assert "The update is sent to the coordinator, who confirms it." in text
    assert "Partly implemented" in text and "Proposed" in text and "decree.pdf" in text
    [update] = db.session.scalars(db.select(FollowUpUpdate)).all()
    assert (update.state, update.block_id, update.file_name) == (
        UpdateState.PROPOSED, f.keys[1][1], "decree.pdf")
    assert len(mail(before, "follow_up_proposed")) == 1
    # not counted yet: the dashboard says "no update yet" for it, and shows no buttons to them
    dashboard = client.get(DASHBOARD)
    assert "wait for your confirmation" not in text_of(dashboard)
    assert "/confirm" not in dashboard.get_data(as_text=True)


def test_the_observer_cannot_propose(app, client, login):
    f = world()
    login(f.people["observer"])
    before = counts()
    assert client.post(f.url(0), data=_form(f)).status_code == 403
    assert counts() == before


def test_bad_input_is_refused_with_the_fields_message_and_the_input_kept(app, client, login):
    f = world()
    login(f.people["board_member"])
    before = counts()
    tomorrow = (f.assessment.today() + timedelta(days=1)).isoformat()
    cases = [
        (_form(f, reported_on=tomorrow), "The date cannot be in the future."),
        (_form(f, reported_on=(f.validated_on - timedelta(days=1)).isoformat()),
         "The date cannot be before the recommendation was validated"),
        (_form(f, evidence_url="javascript:alert(1)"), "starts with http:// or https://"),
        (_form(f, reported_on=""), "Give the date of this status."),
        (_form(f, status="done"), "Not a valid choice"),
    ]
    for data, message in cases:
        response = client.post(f.url(0), data=data)
        assert response.status_code == 422, message
        body = response.get_data(as_text=True)
        assert message in text_of(response), message
        assert "The ministry drafted the regulation." in body    # the note is kept
        assert counts() == before
    refused = client.post(f.url(0), data=_form(f, file=(io.BytesIO(b"MZ\x90\x00" * 50),
                                                        "tool.exe")),
                          content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Evidence file: Files of type" in text_of(refused)
    assert "are not accepted" in text_of(refused)
    assert counts() == before and states() == []


def test_the_coordinator_records_confirms_and_declines(app, client, login):
    f = world()
    proposed = report(f, "board_member", n=0, status="implemented", days_ago=5)
    other = report(f, "researcher", n=1, status="abandoned", days_ago=5)
    login(f.people["coordinator"])
    dashboard = client.get(DASHBOARD)
    text = text_of(dashboard)
    assert "2 updates wait for your confirmation" in text
    # confirm from the dashboard, decline from the recommendation's page
    response = client.post(f"{A}/follow-up/{proposed.id}/confirm", data={"back": "dashboard"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#waiting")
    # declining asks first, naming who reported what; the first POST changes nothing
    page = client.post(f"{A}/follow-up/{other.id}/decline", data={"back": "recommendation"})
    assert page.status_code == 200
    assert "Decline the update of" in text_of(page) and "Abandoned" in text_of(page)
    assert f.people["researcher"].display_name in text_of(page)
    assert states() == ["confirmed", "proposed"]
    response = post_confirmed(client, f"{A}/follow-up/{other.id}/decline",
                              {"back": "recommendation"})
    assert response.headers["Location"].endswith(f.url(1))
    assert states() == ["confirmed", "declined"]
    text = text_of(client.get(DASHBOARD))
    assert "wait for your confirmation" not in text
    # deciding again: refused with a message, nothing changes
    again = client.post(f"{A}/follow-up/{proposed.id}/decline", follow_redirects=True)
    assert "already confirmed or declined" in text_of(again)
    assert states() == ["confirmed", "declined"]
    # the coordinator's own update counts at once
    response = client.post(f.url(2), data=_form(f, status="not_started"), follow_redirects=True)
    assert "The update is recorded." in text_of(response)
    assert states() == ["confirmed", "declined", "confirmed"]


def test_only_the_coordinator_decides(app, client, login):
    f = world()
    update = report(f, "board_member")
    for who in ("researcher", "board_member", "observer", "translator"):
        login(f.people[who])
        assert client.post(f"{A}/follow-up/{update.id}/confirm").status_code == 403, who
        assert client.post(f"{A}/follow-up/{update.id}/decline").status_code == 403, who
    login(f.people["other_coordinator"])
    assert client.post(f"/a/uz-2023/follow-up/{update.id}/confirm").status_code == 404
    assert states() == ["proposed"]


def test_a_declined_updates_file_is_for_the_team_and_its_reporter(app, client, login):
    f = world()
    kept = report(f, "coordinator", filename="kept.pdf", data=PDF)
    declined = report(f, "board_member", filename="claim.pdf", data=PDF)
    from mab.recommendations import followup_services
    followup_services.decline_update(declined, f.assessment, actor=f.people["coordinator"])
    db.session.commit()
    for who, sees in (("coordinator", True), ("researcher", True), ("board_member", True),
                      ("member2", False), ("observer", False)):
        login(f.people[who])
        response = client.get(f"{A}/follow-up/{kept.id}/file")
        assert response.status_code == 200 and response.data == PDF
        assert "attachment" in response.headers["Content-Disposition"]
        assert client.get(f"{A}/follow-up/{declined.id}/file").status_code == (
            200 if sees else 404), who
        assert ("claim.pdf" in text_of(client.get(f.url(0)))) is sees, who
    no_file = report(f, "coordinator")
    assert client.get(f"{A}/follow-up/{no_file.id}/file").status_code == 404


# --- the annual report ---------------------------------------------------------------------------

def test_the_annual_report_and_its_csv(app, client, login):
    f = world()
    year = f.validated_on.year + 1
    lead = f.m("coordinator")
    add_updates(f.assessment, f.keys[0], ["in_progress", "partly_implemented"],
                start=date(year - 1, 12, 20), by=lead)           # 20 Dec and 19 Jan
    add_updates(f.assessment, f.keys[1], ["implemented"], start=date(year, 3, 1), by=lead)
    add_updates(f.assessment, f.keys[1], ["abandoned"], start=date(year + 1, 1, 1), by=lead)
    add_updates(f.assessment, f.keys[2], ["implemented"], start=date(year, 5, 1), by=lead,
                state=UpdateState.PROPOSED)
    login(f.people["observer"])
    page = client.get(f"{DASHBOARD}/{year}")
    assert page.status_code == 200
    text = text_of(page)
    assert f"Follow-up report {year}" in text
    assert "Status at the end of" in text
    assert "This report online:" in text
    # the first: partly implemented at the year's end, one update in the year (19 January)
    first = text.split("Recommendation 1 of")[-1].split("Recommendation 2 of")[0]
    assert "Partly implemented" in first and "Jan 19" in first and "Dec 20" not in first
    second = text.split("Recommendation 2 of")[-1].split("Recommendation 3 of")[0]
    assert "Implemented" in second and "Abandoned" not in second
    third = text.split("Recommendation 3 of")[-1]
    assert "No update yet" in third and f"No update confirmed in {year}." in third
    # figures: 1 of 3 implemented in total
    assert "33%" in text

    csv = client.get(f"{DASHBOARD}/{year}.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.data.startswith("\ufeff".encode())
    assert f"follow-up-kz-2022-{year}.csv" in csv.headers["Content-Disposition"]
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("draft,version,recommendation,text,addressees,categories")
    import csv as csvlib
    rows = list(csvlib.DictReader(io.StringIO(csv.data.decode("utf-8-sig"))))
    assert [r["status_at_year_end"] for r in rows] == [
        "Partly implemented", "Implemented", "No update yet"]
    assert rows[0]["updates_in_year"] == "1"
    assert rows[0]["updates"].startswith(f"{year}-01-19 Partly implemented")
    assert rows[0]["addressees"] and rows[0]["categories"]
    assert rows[1]["status_as_of"] == f"{year}-03-01"
    assert rows[0]["link"].endswith(f.url(0))
    # a year to come has no report
    assert client.get(f"{DASHBOARD}/{f.assessment.today().year + 1}").status_code == 404


def test_the_dashboard_figures(app, client, login):
    f = world()
    report(f, "coordinator", n=0, status="implemented")
    report(f, "coordinator", n=1, status="in_progress")
    login(f.people["board_member"])
    text = text_of(client.get(DASHBOARD))
    assert "By addressee group" in text and "By ROAM-X category" in text
    assert "Share implemented" in text
    assert "Not linked to an indicator" in text            # the third rests on no indicator
    assert "All validated recommendations" in text
    assert f"Follow-up report {f.assessment.today().year}" in text


def test_the_dashboard_before_any_validation(app, client, login):
    from tests.validation.support import world as plain_world
    w = plain_world()
    login(w.people["observer"])
    text = text_of(client.get(DASHBOARD))
    assert "No recommendation is validated yet" in text


def test_the_register_slot_links_a_validated_recommendation_to_its_follow_up(app, client, login):
    f = world()
    login(f.people["observer"])
    draft_id, block_id = f.keys[0]
    page = client.get(f"{A}/recommendations/{draft_id}/{block_id}")
    if page.status_code == 404:
        pytest.skip("the register's recommendation page is not there yet")
    assert f.url(0) in page.get_data(as_text=True)
    from tests.drafts.support import circulate, make_draft
    pending = make_draft(f.assessment, f.people["researcher"], "Not validated yet.",
                         title="Later recommendations", subject="recommendations")
    circulate(pending, f.assessment, f.people["researcher"])
    page = client.get(f"{A}/recommendations/{pending.id}/{pending.versions[0].blocks[0]['id']}")
    assert page.status_code == 200 and "/follow-up" not in page.get_data(as_text=True)


# --- query counts -----------------------------------------------------------------------------------

def _queries(client, url) -> int:
    with counting() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def test_the_pages_run_a_fixed_number_of_queries(app, client, login):
    f = world()
    lead = f.m("coordinator")
    start = f.validated_on + timedelta(days=1)
    statuses = ["not_started", "in_progress", "partly_implemented", "in_progress", "implemented"]

    def five_each(keys):
        for key in keys:
            add_updates(f.assessment, key, statuses, start=start, by=lead)
            add_updates(f.assessment, key, ["abandoned"], start=start, by=f.m("board_member"),
                        state=UpdateState.PROPOSED)

    five_each(f.keys)
    login(f.people["coordinator"])
    year = start.year
    urls = [DASHBOARD, f"{DASHBOARD}/{year}", f"{DASHBOARD}/{year}.csv", f.url(0)]
    small = [_queries(client, u) for u in urls]
    texts = [f"Recommendation number {n} for every group." for n in range(27)]
    draft, version = validated_draft(f.w, texts, title="More recommendations")
    five_each([(draft.id, b["id"]) for b in version.blocks])
    large = [_queries(client, u) for u in urls]
    assert large == small
    assert "30 updates wait for your confirmation" in text_of(client.get(DASHBOARD))
