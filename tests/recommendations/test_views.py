"""The register's pages over HTTP: who may see and do what, what each role sees, filters,
grouping, CSV, the forms' refusals (nothing saved), the details under a draft's paragraphs, and
a fixed number of queries whatever the number of recommendations."""
import csv
import io
import re

from sqlalchemy import func, select

from mab.assessments.models import Role
from mab.audit.models import AuditEvent
from mab.board.defaults import create_default_groups
from mab.drafts.models import Draft, DraftVersion
from mab.extensions import db
from mab.recommendations.models import Recommendation
from tests.factories import make_assessment, make_member
from tests.querycount import counting
from tests.recommendations.support_register import (
    A,
    add,
    circulate_latest,
    finding,
    group,
    indicator,
    rec_draft,
    world,
)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def state():
    return (count(Draft), count(DraftVersion), count(Recommendation), count(AuditEvent),
            [(v.id, v.body) for v in db.session.scalars(select(DraftVersion))])


def text_of(response) -> str:
    """The page's text without tags, whitespace folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def two_versions(assessment, people):
    """Version 1 (circulated) with two recommendations; version 2 (working) with a third."""
    first = add(assessment, people, "Publish the statistics of blocking requests.",
                groups=["Government", "Private sector"], indicators=["R.5.1"],
                findings=["Access findings", "Rights findings"], priority="high",
                time_frame="short", responsible="Ministry of Information")
    add(assessment, people, "Connect every village to broadband.", groups=["Private sector"],
        indicators=["A.3.1"], priority="medium", time_frame="long",
        responsible="Kazakhtelecom")
    circulate_latest(assessment, people)
    add(assessment, people, "Teach digital skills to older people.", groups=["Civil society"],
        indicators=["A.6.1", "R.7.1"], priority="low", time_frame="medium",
        responsible="Libraries", change_summary="A third recommendation")
    return first.version.draft


def test_who_may_open_the_register_and_its_pages(app, client, login):
    assessment, people = world()
    draft = two_versions(assessment, people)
    translator = people["translator"]
    pages = {"index": f"{A}/recommendations", "csv": f"{A}/recommendations.csv",
             "new": f"{A}/recommendations/new", "show": f"{A}/recommendations/{draft.id}/p1",
             "details": f"{A}/recommendations/{draft.id}/p1/details"}
    allowed = {"coordinator": {"index", "csv", "new", "show", "details"},
               "researcher": {"index", "csv", "new", "show", "details"},
               "board_member": {"index", "csv", "show"}, "observer": {"index", "csv", "show"}}
    for role in ("coordinator", "researcher", "board_member", "observer"):
        login(people[role])
        for name, url in pages.items():
            want = 200 if name in allowed[role] else 403
            assert client.get(url).status_code == want, (role, name)
    login(translator)
    for url in pages.values():
        assert client.get(url).status_code == 403, url
    login(people["outsider"])
    for url in pages.values():
        assert client.get(url).status_code == 404, url
    login(people["researcher"])
    assert client.post(f"{A}/recommendations/new").status_code == 422   # read, refused
    login(people["board_member"])
    before = state()
    assert client.post(f"{A}/recommendations/new", data={"text": "Mine."}).status_code == 403
    assert client.post(pages["details"], data={"priority": "low"}).status_code == 403
    assert state() == before


def test_the_board_reads_only_the_circulated_versions_recommendations(app, client, login):
    assessment, people = world()
    login(people["board_member"])
    assert "No recommendation has been circulated to the board yet." in text_of(
        client.get(f"{A}/recommendations"))
    draft = two_versions(assessment, people)
    for role in ("board_member", "observer"):
        login(people[role])
        page = text_of(client.get(f"{A}/recommendations"))
        assert "Publish the statistics of blocking requests." in page
        assert "Connect every village to broadband." in page
        assert "Teach digital skills" not in page
        assert "Add a recommendation" not in page and "Edit details" not in page
        assert "version 1, paragraph 1" in page
        assert client.get(f"{A}/recommendations/{draft.id}/p3").status_code == 404
        rows = list(csv.reader(io.StringIO(
            client.get(f"{A}/recommendations.csv").get_data(as_text=True).lstrip("\ufeff"))))
        assert len(rows) == 3 and {r[1] for r in rows[1:]} == {"1"}
        # The uncirculated finding is named, not linked.
        assert "Rights findings (not yet circulated)" in page
    login(people["researcher"])
    page = text_of(client.get(f"{A}/recommendations"))
    assert "Teach digital skills to older people." in page
    assert "version 2, paragraph 3" in page and "Drafting" in page
    assert page.count("Edit details") >= 3
    assert client.get(f"{A}/recommendations/{draft.id}/p3").status_code == 200


def test_an_editor_is_told_how_to_start(app, client, login):
    assessment, people = world()
    login(people["researcher"])
    page = text_of(client.get(f"{A}/recommendations"))
    assert "No recommendation yet." in page and "Add a recommendation" in page


def test_filters_work_without_javascript(app, client, login):
    assessment, people = world()
    two_versions(assessment, people)
    login(people["researcher"])

    def shown(**args):
        query = "&".join(f"{k}={v}" for k, v in args.items())
        page = text_of(client.get(f"{A}/recommendations?{query}"))
        return {name for name, text in (("publish", "Publish the statistics"),
                                        ("connect", "Connect every village"),
                                        ("teach", "Teach digital skills")) if text in page}

    assert shown() == {"publish", "connect", "teach"}
    assert shown(group=group(assessment, "Private sector").id) == {"publish", "connect"}
    assert shown(group=group(assessment, "Civil society").id) == {"teach"}
    rights = indicator(assessment, "R.5.1").parent.parent.parent
    assert shown(category=rights.id) == {"publish", "teach"}
    assert shown(priority="high") == {"publish"}
    assert shown(time_frame="long") == {"connect"}
    assert shown(priority="low", time_frame="long") == set()
    assert shown(priority="urgent", group="x") == {"publish", "connect", "teach"}   # ignored
    page = text_of(client.get(f"{A}/recommendations?priority=high"))
    assert "1 recommendation of 3 matches." in page
    assert "No recommendation matches these filters." in text_of(
        client.get(f"{A}/recommendations?priority=low&time_frame=long"))


def sections(response) -> list[tuple[str, list[str]]]:
    """Each h2 of the register with the first words of its recommendations."""
    html = response.get_data(as_text=True)
    found = []
    for part in html.split("<h2 ")[1:]:
        heading = " ".join(re.sub(r"<[^>]+>", " ", part.split("</h2>")[0].split(">", 1)[1])
                           .split())
        texts = re.findall(r'<div class="prose"[^>]*><p>(\w+)', part)
        found.append((heading, texts))
    return found


def test_grouped_by_category_and_by_addressee(app, client, login):
    assessment, people = world()
    two_versions(assessment, people)
    add(assessment, people, "Nobody yet.")
    login(people["researcher"])
    by_category = sections(client.get(f"{A}/recommendations"))
    assert [(h.split(" ")[0], t) for h, t in by_category] == [
        ("R", ["Publish", "Teach"]), ("A", ["Connect", "Teach"]), ("Not", ["Nobody"])]
    by_addressee = sections(client.get(f"{A}/recommendations?by=addressee&lang=en"))
    assert by_addressee == [("Government 1", ["Publish"]),
                            ("Private sector 2", ["Publish", "Connect"]),
                            ("Civil society 1", ["Teach"]),
                            ("Not yet addressed 1", ["Nobody"])]


def test_csv_has_a_row_per_recommendation_with_names_in_the_readers_language(app, client,
                                                                            login):
    assessment, people = world()
    draft = two_versions(assessment, people)
    login(people["researcher"])
    client.post("/language", data={"language": "ru"})
    response = client.get(f"{A}/recommendations.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["draft", "version", "paragraph", "text", "addressees", "categories",
                       "indicators", "findings", "priority", "time_frame", "responsible",
                       "status"]
    assert len(rows) == 4
    first = rows[1]
    assert first[0] == draft.title and first[1:3] == ["2", "1"]
    assert first[3] == "Publish the statistics of blocking requests."
    assert first[4] == "Правительство; Частный сектор"
    assert first[6] == "R.5.1" and first[7] == "Access findings; Rights findings"
    assert first[10] == "Ministry of Information"
    assert rows[3][6] == "R.7.1; A.6.1"
    # The filters apply to the download too.
    filtered = client.get(f"{A}/recommendations.csv?priority=low").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(filtered.lstrip("\ufeff"))))) == 2


def test_adding_a_recommendation_through_the_form(app, client, login):
    assessment, people = world()
    login(people["researcher"])
    page = client.get(f"{A}/recommendations/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Government" in html and "R.5.1" in html and "Access findings" in html
    assert 'name="change_summary"' not in html         # nothing circulated yet
    response = client.post(f"{A}/recommendations/new", data={
        "text": "Publish the statistics.", "groups": [str(group(assessment, "Government").id)],
        "indicators": [str(indicator(assessment, "R.5.1").id)],
        "findings": [str(finding(assessment, "Access findings").id)], "priority": "high",
        "time_frame": "short", "responsible": "Ministry"})
    assert response.status_code == 302, response.get_data(as_text=True)
    draft = rec_draft(assessment)
    assert response.headers["Location"].endswith(f"/recommendations/{draft.id}/p1")
    row = db.session.scalars(select(Recommendation)).one()
    assert (row.priority, row.time_frame, row.responsible) == ("high", "short", "Ministry")
    shown = text_of(client.get(response.headers["Location"]))
    assert "Publish the statistics." in shown and "Ministry" in shown and "High priority" in shown
    circulate_latest(assessment, people)
    html = client.get(f"{A}/recommendations/new").get_data(as_text=True)
    assert 'name="change_summary"' in html


def test_the_form_is_shown_again_with_the_error_and_the_input_and_nothing_saved(app, client,
                                                                                login):
    assessment, people = world()
    other = make_assessment(slug="kg-2023")
    foreign = create_default_groups(other)[0]
    db.session.commit()
    add(assessment, people, "The first one.", groups=["Government"])
    circulate_latest(assessment, people)
    login(people["researcher"])
    before = state()
    cases = [
        ({"text": ""}, "Write the recommendation."),
        ({"text": "One.\n\nTwo."}, "A recommendation is one paragraph"),
        ({"groups": [str(foreign.id)]}, "Choose the addressees among this assessment"),
        ({"change_summary": ""}, "Say what changed since version 1."),
    ]
    for change, message in cases:
        data = {"text": "A second one.", "responsible": "Ministry of Kept Input",
                "priority": "low", "time_frame": "long", "change_summary": "Added one",
                **change}
        response = client.post(f"{A}/recommendations/new", data=data)
        assert response.status_code == 422, change
        html = response.get_data(as_text=True)
        assert message in text_of(response), change
        assert "Ministry of Kept Input" in html
        assert state() == before, change


def test_editing_details(app, client, login):
    assessment, people = world()
    row = add(assessment, people, "Publish the statistics.", groups=["Government"],
              priority="high")
    draft = row.version.draft
    login(people["coordinator"])
    url = f"{A}/recommendations/{draft.id}/p1/details"
    html = client.get(url).get_data(as_text=True)
    gov = group(assessment, "Government").id
    assert re.search(rf'value="{gov}"[^>]*checked|checked[^>]*value="{gov}"', html)
    assert 'name="change_summary"' not in html
    academia = group(assessment, "Academia").id
    response = client.post(url, data={"groups": [str(academia)], "priority": "low",
                                      "time_frame": "long", "responsible": "Universities"})
    assert response.status_code == 302
    again = db.session.scalars(select(Recommendation)).one()
    db.session.refresh(again)
    assert [g.id for g in again.groups] == [academia] and again.priority == "low"
    assert client.get(f"{A}/recommendations/{draft.id}/p9/details").status_code == 404

    # A circulated version keeps its details: saving asks for a summary, then starts v2.
    circulate_latest(assessment, people)
    page = client.get(url).get_data(as_text=True)
    assert 'name="change_summary"' in page and "keeps the details it was read with" in page
    before = state()
    response = client.post(url, data={"groups": [str(gov)], "priority": "high",
                                      "time_frame": "short", "responsible": "Ministry"})
    assert response.status_code == 422 and "Say what changed" in text_of(response)
    assert state() == before
    response = client.post(url, data={"groups": [str(gov)], "priority": "high",
                                      "time_frame": "short", "responsible": "Ministry",
                                      "change_summary": "Addressed to the government"})
    assert response.status_code == 302
    versions = db.session.scalars(select(DraftVersion).where(DraftVersion.draft_id == draft.id)
                                  .order_by(DraftVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    page = text_of(client.get(f"{A}/recommendations/{draft.id}/p1"))
    assert "In the versions of the draft" in page and "Same text as the version before" in page


def test_the_drafts_version_page_shows_each_paragraphs_details(app, client, login):
    assessment, people = world()
    draft = two_versions(assessment, people)
    login(people["board_member"])
    page = text_of(client.get(f"{A}/drafts/{draft.id}"))
    assert ("Addressed to: Government, Private sector · High priority · Short term · "
            "Responsible actor: Ministry of Information") in page
    assert "Edit details" not in page
    login(people["researcher"])
    page = text_of(client.get(f"{A}/drafts/{draft.id}/v/2"))
    assert "Addressed to: Civil society · Low priority · Medium term" in page
    assert page.count("Edit details") == 3
    findings_page = text_of(client.get(f"{A}/drafts/{finding(assessment, 'Access findings').id}"))
    assert "Addressed to" not in findings_page


def test_another_assessments_recommendation_is_not_found(app, client, login):
    assessment, people = world()
    other = make_assessment(slug="kg-2023")
    researcher = make_member(other, Role.RESEARCHER, user=people["researcher"])
    db.session.commit()
    row = add(other, {"researcher": researcher}, "Elsewhere.")
    login(people["researcher"])
    assert client.get(f"{A}/recommendations/{row.version.draft_id}/p1").status_code == 404
    assert client.get(
        f"{A}/recommendations/{row.version.draft_id}/p1/details").status_code == 404
    findings = finding(assessment, "Access findings")
    assert client.get(f"{A}/recommendations/{findings.id}/p1").status_code == 404


def test_the_register_and_csv_read_a_fixed_number_of_queries(app, client, login):
    assessment, people = world()
    names = ["Government", "Academia", "Private sector", "Civil society"]
    codes = ["R.5.1", "R.7.1", "A.3.1", "A.6.1"]

    def add_some(start, stop):
        for n in range(start, stop):
            add(assessment, people, f"Recommendation number {n}.",
                groups=[names[n % 4], names[(n + 1) % 4]], indicators=[codes[n % 4]],
                findings=["Access findings"], priority=("high", "medium", "low")[n % 3],
                change_summary="More recommendations")

    def queries(url):
        client.get(url)                          # a visit is noted once: not in the count
        with counting() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    add_some(0, 3)
    circulate_latest(assessment, people)
    login(people["board_member"])
    urls = [f"{A}/recommendations", f"{A}/recommendations?by=addressee",
            f"{A}/recommendations.csv"]
    small = [queries(url) for url in urls]
    add_some(3, 30)
    draft = rec_draft(assessment)
    assert draft.versions[-1].number == 2
    circulate_latest(assessment, people)
    large = [queries(url) for url in urls]
    assert small == large
    assert text_of(client.get(urls[0])).count("Recommendation number") == 30
