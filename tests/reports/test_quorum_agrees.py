"""The meeting page and the annex count the same board for one meeting (meetings.rules
board_attendance): a member who stepped down before the meeting and one appointed after it were
invited and marked present, but neither counts as present nor as serving that day."""
import re
from datetime import timedelta

from mab.auth.models import Gender
from mab.extensions import db
from tests.reports.support import A, hold_meeting
from tests.validation.support import add_board_member, world

QUORUM = re.compile(r"Present: (\d+) of (\d+) active members \(needs (\d+)\); "
                    r"groups represented: (\d+) of (\d+) \(needs (\d+)\)")
TOTAL = re.compile(r"<tfoot><tr><th scope=\"row\">Total</th>(.*?)</tr></tfoot>", re.S)


def present_figures(html, caption):
    """The quorum sentence's figures and the totals row of the table with this caption."""
    (quorum,) = QUORUM.findall(html)
    table = html[html.index(f">{caption}</caption>"):]
    totals = re.findall(r'<td class="num"[^>]*>(\d+)</td>', TOTAL.search(table).group(1))
    return tuple(int(n) for n in quorum), [int(n) for n in totals]


def test_the_meeting_page_and_the_annex_give_the_same_present_and_expected(client, login, app,
                                                                         request_context):
    w = world(other=False)
    w.assessment.languages = "en,ru"
    today = w.assessment.today()
    w.people["gone"] = add_board_member(w.assessment, "gone@example.org", w.groups[2],
                                        gender=Gender.MAN, name="Gone Before",
                                        status="stepped_down")
    w.m("gone").appointed_on = today - timedelta(days=200)
    w.m("gone").stepped_down_on = today - timedelta(days=30)
    w.people["late"] = add_board_member(w.assessment, "late@example.org", w.groups[3],
                                        gender=Gender.WOMAN, name="Appointed After")
    w.m("late").appointed_on = today - timedelta(days=1)
    for who in ("board_member", "member2"):
        w.m(who).appointed_on = today - timedelta(days=100)
    db.session.commit()
    invitees = [w.m(who) for who in ("board_member", "member2", "gone", "late")]
    meeting = hold_meeting(w, "Board meeting", days_ago=5, invitees=invitees,
                           present=("board_member", "gone", "late"))

    login(w.people["coordinator"])
    page = client.get(f"{A}/meetings/{meeting.id}").get_data(as_text=True)
    annex = client.get(f"{A}/annex").get_data(as_text=True)
    annex = annex[annex.index(f'id="annex-meeting-{meeting.id}"'):]

    on_page = present_figures(page, "Board members present")
    in_annex = present_figures(annex, "Board members present, by group and gender")
    assert on_page == in_annex
    # Present: only the board member; serving that day: the board member and member2.
    (present, members, _needed, groups_present, _groups, _gneeded), totals = on_page
    assert (present, members, groups_present) == (1, 2, 1)
    assert totals[-1] == 1
