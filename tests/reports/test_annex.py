"""The report annex over HTTP: who may read it, its four sections, the date of the board
composition, its languages, the print view, and the ZIP of CSV files."""
import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext

from mab.extensions import db
from tests.reports.support import APPOINTED_DAYS_AGO, A, annex_world
from tests.validation.support import open_round, sign, text_of

CSV_FILES = ["board.csv", "balance.csv", "balance_checks.csv", "meetings.csv", "attendance.csv",
             "consultations.csv", "comments.csv", "validation_rounds.csv", "signoffs.csv"]


@pytest.fixture
def w(app, request_context):
    return annex_world()


SECTIONS = {1: "annex-board", 2: "annex-meetings", 3: "annex-consultations",
            4: "annex-validation"}


def section(response, number) -> str:
    """The text of one numbered section of the annex (1 to 4)."""
    html = response.get_data(as_text=True)
    match = re.search(rf'<section aria-labelledby="{SECTIONS[number]}">(.*?)</section>', html,
                      re.S)
    assert match, number
    return plain(match.group(1))


def plain(html) -> str:
    class Page:
        def get_data(self, as_text=True):
            return html
    return text_of(Page())


def unzip(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode("utf-8"))
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# --- who may read it ---------------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [("coordinator", 200), ("researcher", 200),
                                         ("observer", 200), ("board_member", 403),
                                         ("outsider", 404), ("other_coordinator", 404)])
def test_who_may_read_the_annex(client, login, w, who, status):
    login(w.people[who])
    page = client.get(f"{A}/annex")
    assert page.status_code == status
    archive = client.get(f"{A}/annex.zip")
    assert archive.status_code == status
    if status == 200:
        assert "Report annex" in text_of(page)
        assert archive.mimetype == "application/zip"
    else:
        assert "Policy findings" not in page.get_data(as_text=True)


# --- the sections ------------------------------------------------------------------------------

def test_the_board_on_a_chosen_date(client, login, w):
    login(w.people["coordinator"])
    board = section(client.get(f"{A}/annex"), 1)
    assert "3 members serving." in board
    assert "Aigerim Board" in board and "Second Member" in board and "Late Appointee" in board
    assert "Ministry of Digital Development" in board
    assert "Nominee Person" not in board                          # a nominee does not serve
    before = w.assessment.today() - timedelta(days=APPOINTED_DAYS_AGO + 1)
    earlier = section(client.get(f"{A}/annex?on={before.isoformat()}"), 1)
    assert "2 members serving." in earlier and "Late Appointee" not in earlier
    assert "Aigerim Board" in earlier
    appointed = w.assessment.today() - timedelta(days=APPOINTED_DAYS_AGO)
    assert "Late Appointee" in section(client.get(
        f"{A}/annex?on={appointed.isoformat()}"), 1)
    # A date that is not a date falls back to today.
    assert "3 members serving." in section(client.get(f"{A}/annex?on=soon"), 1)


def test_meetings_held_with_attendance(client, login, w):
    login(w.people["researcher"])
    meetings = section(client.get(f"{A}/annex"), 2)
    # Invited: coordinator, researcher, three active members; present: the two original members.
    assert "First board meeting" in meetings
    assert "Invited: 5 · present: 2 · absent: 2 · excused: 1" in meetings
    # A meeting still to come (the workshop) is not a meeting held.
    assert "Validation workshop" not in meetings


def test_consultations_per_draft_with_comment_and_disposition_counts(client, login, w):
    login(w.people["coordinator"])
    html = client.get(f"{A}/annex").get_data(as_text=True)
    table = re.search(r'<table>\s*<caption id="annex-cons-caption".*?</table>', html, re.S).group(0)
    body_rows = {}
    for row in re.findall(r"<tr><td>(.*?)</tr>", table, re.S):
        cells = [plain(c) for c in re.findall(r"(?:^|<td[^>]*>)(.*?)</td>", row, re.S)]
        body_rows[cells[0]] = cells[1:]
    # Columns: versions, comments, replies, accepted, partly, not accepted, noted, open.
    policy = body_rows["Policy findings"]
    assert policy[0].startswith("v1 on")
    assert policy[1:] == ["3", "1", "1", "0", "0", "1", "1"]
    assert body_rows["Recommendations"][1:] == ["0", "0", "0", "0", "0", "0", "0"]


def test_validation_rounds_with_their_outcome(client, login, w):
    open_round(w, w.second)
    login(w.people["observer"])
    validation = section(client.get(f"{A}/annex"), 4)
    assert "Policy findings, version 1" in validation and w.version.sha256 in validation
    assert "Validated · closed" in validation
    assert "Responded: 2 of 3 active members (67%, needs 50%)." in validation
    assert "Endorsed: 2 of 2 responses (100%, needs 67%), 1 with reservations; 0 objected." \
        in validation
    assert "Endorse: 1 · with reservations: 1 · object: 0" in validation
    assert "Recommendations, version 1" in validation and "Round open, sign-offs due by" \
        in validation



def test_a_changed_decision_counts_once_and_as_it_now_stands(client, login, w):
    round_ = open_round(w, w.second)
    sign(w, round_, "board_member", "object", "The figures are from 2019.")
    sign(w, round_, "board_member", "reservations", "Update the figures.")
    login(w.people["coordinator"])
    validation = section(client.get(f"{A}/annex"), 4)
    first, second = validation.split("Recommendations, version 1")
    assert "Endorse: 1 · with reservations: 1 · object: 0" in first
    assert "Endorse: 0 · with reservations: 1 · object: 0" in second

# --- languages and print -----------------------------------------------------------------------

def test_the_annex_in_another_language_of_the_assessment(client, login, w):
    with force_locale("ru"):
        headings = [gettext("2. Meetings held"), gettext("4. Validation"),
                    gettext("Report annex: the Multistakeholder Advisory Board")]
    assert headings[0] != "2. Meetings held"                   # Russian exists for them
    login(w.people["coordinator"])
    english = client.get(f"{A}/annex").get_data(as_text=True)
    assert "2. Meetings held" in english and 'lang="en"' in english
    russian = client.get(f"{A}/annex?lang=ru").get_data(as_text=True)
    assert 'lang="ru"' in russian
    for heading in headings:
        assert heading in russian
    assert "2. Meetings held" not in russian
    # A language the assessment does not use falls back to its first one.
    german = client.get(f"{A}/annex?lang=de").get_data(as_text=True)
    assert "2. Meetings held" in german and 'lang="en"' in german


def test_the_first_language_of_the_assessment_is_the_default(client, login, w):
    w.assessment.languages = "ru,en"
    db.session.commit()
    login(w.people["coordinator"])
    with force_locale("ru"):
        heading = gettext("3. Consultations on the drafts")
    assert heading in client.get(f"{A}/annex").get_data(as_text=True)
    assert "3. Consultations on the drafts" in client.get(f"{A}/annex?lang=en").get_data(
        as_text=True)


def test_the_print_view(client, login, w):
    login(w.people["coordinator"])
    screen = client.get(f"{A}/annex").get_data(as_text=True)
    assert "Print view" in screen and "annex.zip" in screen and 'name="on"' in screen
    printed = client.get(f"{A}/annex?print=1").get_data(as_text=True)
    assert "Print view" not in printed and "annex.zip" not in printed
    assert 'name="on"' not in printed
    for number in range(1, 5):
        assert f'id="annex-{("board", "meetings", "consultations", "validation")[number - 1]}"' \
            in printed
    assert "First board meeting" in printed and w.version.sha256 in printed


# --- the ZIP -----------------------------------------------------------------------------------

def test_the_zip_holds_every_csv_in_utf8_with_a_bom(client, login, w):
    login(w.people["coordinator"])
    response = client.get(f"{A}/annex.zip")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "kz-2022-annex-" in disposition
    files = unzip(response)
    assert sorted(files) == sorted(CSV_FILES)
    for name, data in files.items():
        assert data.startswith(b"\xef\xbb\xbf"), name
        data.decode("utf-8")

    board = rows(files["board.csv"])
    assert board[0][:2] == ["name", "group"]
    assert {r[0] for r in board[1:]} == {"Aigerim Board", "Second Member", "Late Appointee"}
    assert ["Aigerim Board", "Government", "Ministry of Digital Development"] in [
        r[:3] for r in board[1:]]

    meetings = rows(files["meetings.csv"])
    assert [r[1:] for r in meetings[1:]] == [
        ["First board meeting", "board_meeting", "5", "2", "2", "1"]]

    consultations = {r[0]: r for r in rows(files["consultations.csv"])[1:]}
    header = rows(files["consultations.csv"])[0]
    policy = dict(zip(header, consultations["Policy findings"], strict=True))
    assert (policy["comments"], policy["replies"], policy["accepted"], policy["noted"],
            policy["open"]) == ("3", "1", "1", "1", "1")

    rounds = rows(files["validation_rounds.csv"])
    [policy_round] = rounds[1:]
    record = dict(zip(rounds[0], policy_round, strict=True))
    assert record["sha256"] == w.version.sha256 and record["outcome"] == "validated"
    assert "Responded: 2 of 3 active members" in record["conditions"]

    signoffs = rows(files["signoffs.csv"])
    decided = {r[2]: r for r in signoffs[1:]}
    assert set(decided) == {"Aigerim Board", "Second Member"}
    assert decided["Aigerim Board"][4:6] == ["reservations", "Update the list of laws."]

    comments = rows(files["comments.csv"])
    assert len(comments) > 1 and any("Comment 0 on v1." in cell for r in comments for cell in r)


def test_the_zip_follows_the_chosen_date(client, login, w):
    login(w.people["coordinator"])
    before = w.assessment.today() - timedelta(days=APPOINTED_DAYS_AGO + 1)
    files = unzip(client.get(f"{A}/annex.zip?on={before.isoformat()}"))
    assert {r[0] for r in rows(files["board.csv"])[1:]} == {"Aigerim Board", "Second Member"}


def test_small_numbers_are_suppressed_for_the_observer_only(client, login, w):
    def balance(who):
        login(w.people[who])
        data = rows(unzip(client.get(f"{A}/annex.zip"))["balance.csv"])
        return {r[0]: r[1:] for r in data[1:]}

    full = balance("coordinator")
    # header: group, woman, man, another, undisclosed, total
    assert full["Government"] == ["1", "0", "0", "0", "1"]
    assert full["Academia"] == ["1", "1", "0", "0", "2"]
    assert "suppressed" not in {c for r in full.values() for c in r}
    observed = balance("observer")
    assert observed["Government"] == ["suppressed"] * 4 + ["1"]
    assert observed["Academia"] == ["suppressed"] * 4 + ["2"]
    # An empty group has nothing to hide.
    assert observed["Media and journalists"] == ["0", "0", "0", "0", "0"]
    assert balance("researcher")["Government"] == ["1", "0", "0", "0", "1"]
    # The same for the attendance table of the held meeting.
    login(w.people["observer"])
    attendance = rows(unzip(client.get(f"{A}/annex.zip"))["attendance.csv"])
    assert any("suppressed" in r for r in attendance[1:])
