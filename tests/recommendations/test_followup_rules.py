"""The follow-up's rules at their edges, without an app: the standing status, the dashboard's
lines and shares, the annual rows, the checks of a report."""
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from types import SimpleNamespace

from mab.recommendations import followup as rules

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


@dataclass
class U:
    status: str
    reported_on: date
    state: str = "confirmed"
    created_at: datetime | None = T0
    id: int = 0
    draft_id: int = 1
    block_id: str = "p1"


@dataclass
class Item:
    key: tuple
    groups: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    addressed: bool = True

    @property
    def details(self):
        if not self.addressed:
            return None
        return SimpleNamespace(groups=self.groups, indicators=self.indicators)


def node(id_, kind, parent=None):
    return SimpleNamespace(id=id_, kind=kind, parent=parent, title=f"{kind} {id_}")


# --- the standing status ---------------------------------------------------------------------------

def test_no_update_is_no_status():
    assert rules.latest([]) is None
    assert rules.standing_update([]) is None


def test_the_newest_confirmed_update_gives_the_status():
    updates = [U("in_progress", date(2025, 1, 10), id=1), U("implemented", date(2025, 6, 1), id=2),
               U("partly_implemented", date(2025, 3, 1), id=3)]
    assert rules.latest(updates) == "implemented"


def test_proposed_and_declined_updates_do_not_count():
    updates = [U("in_progress", date(2025, 1, 10), id=1),
               U("implemented", date(2025, 6, 1), state="declined", id=2),
               U("abandoned", date(2025, 7, 1), state="proposed", id=3)]
    assert rules.latest(updates) == "in_progress"
    assert rules.latest(updates[1:]) is None     # only unconfirmed ones: no update yet


def test_on_the_same_day_the_one_written_later_wins():
    earlier = U("in_progress", date(2025, 5, 5), created_at=T0, id=9)
    later = U("partly_implemented", date(2025, 5, 5), created_at=T0.replace(hour=10), id=2)
    assert rules.latest([later, earlier]) == "partly_implemented"
    # written in the same instant: the higher id (the one stored last) wins
    a = U("in_progress", date(2025, 5, 5), id=1)
    b = U("abandoned", date(2025, 5, 5), id=2)
    assert rules.latest([b, a]) == "abandoned"


def test_a_report_on_an_earlier_day_written_later_does_not_supersede():
    newer_day = U("implemented", date(2025, 6, 1), created_at=T0, id=1)
    back_dated = U("in_progress", date(2025, 2, 1), created_at=T0.replace(day=20), id=2)
    assert rules.latest([newer_day, back_dated]) == "implemented"


def test_the_status_on_a_day():
    updates = [U("in_progress", date(2024, 11, 1), id=1), U("implemented", date(2025, 2, 1), id=2)]
    assert rules.standing_update(updates, on=date(2024, 12, 31)).status == "in_progress"
    assert rules.standing_update(updates, on=date(2024, 10, 31)) is None
    assert rules.standing_update(updates, on=date(2025, 2, 1)).status == "implemented"


# --- the dashboard ---------------------------------------------------------------------------------

def _categories():
    r, a = node(100, "category"), node(200, "category")
    ind_r = node(3, "indicator", node(2, "question", node(1, "theme", r)))
    ind_a = node(6, "indicator", node(5, "question", node(4, "theme", a)))
    return r, a, ind_r, ind_a


def test_dashboard_counts_each_line_and_the_share_implemented():
    gov, media, academia = (SimpleNamespace(id=i, name=n) for i, n in
                            ((1, "Government"), (2, "Media"), (3, "Academia")))
    r, a, ind_r, ind_a = _categories()
    items = [Item((1, "p1"), [gov, media], [ind_r, ind_a]),   # two groups, two categories
             Item((1, "p2"), [gov], [ind_r]),
             Item((1, "p3"), [], []),                         # not addressed, no indicator
             Item((1, "p4"), addressed=False)]                # no details at all
    status = {(1, "p1"): "implemented", (1, "p2"): "in_progress", (1, "p3"): "implemented"}
    board = rules.dashboard(items, status, [gov, media, academia], rules.category_of, [r, a])

    gov_row, media_row, academia_row, rest = board.by_group
    assert gov_row.subject is gov and gov_row.total == 2 and gov_row.implemented == 1
    assert gov_row.share == 50
    assert media_row.counts["implemented"] == 1 and media_row.share == 100
    # a group with no recommendation: a line of zeros whose share is "none", not 0 %
    assert academia_row.total == 0 and academia_row.share is None
    assert rest.subject is None and rest.total == 2           # p3 and p4
    assert rest.counts[None] == 1 and rest.counts["implemented"] == 1

    r_row, a_row, no_category = board.by_category
    assert (r_row.subject, r_row.total, r_row.implemented) == (r, 2, 1)
    assert (a_row.subject, a_row.total, a_row.implemented) == (a, 1, 1)
    assert no_category.total == 2
    # the total counts each recommendation once
    assert board.total.total == 4 and board.total.implemented == 2 and board.total.share == 50
    assert [n for _s, n in board.total.cells()] == [0, 1, 0, 2, 0, 1]
    assert [s for s, _n in board.total.cells()] == [*rules.STATUSES, None]


def test_dashboard_without_recommendations_has_no_share_and_no_rest_line():
    gov = SimpleNamespace(id=1)
    board = rules.dashboard([], {}, [gov], rules.category_of, [])
    assert board.empty and board.total.share is None
    assert [row.subject for row in board.by_group] == [gov]
    assert board.by_category == []


def test_a_group_not_given_still_gets_its_line():
    retired = SimpleNamespace(id=9)
    board = rules.dashboard([Item((1, "p1"), [retired])], {}, [], rules.category_of)
    assert [(row.subject, row.total, row.counts[None]) for row in board.by_group] == [
        (retired, 1, 1)]


def test_share_implemented_with_zero_implemented_is_zero_percent():
    gov = SimpleNamespace(id=1)
    board = rules.dashboard([Item((1, "p1"), [gov])], {(1, "p1"): "abandoned"}, [gov],
                            rules.category_of)
    assert board.by_group[0].share == 0


def test_category_of_walks_up_to_the_category_once_each():
    r, a, ind_r, ind_a = _categories()
    other_r = node(7, "indicator", node(8, "question", node(9, "theme", r)))
    assert rules.category_of(Item((1, "p"), [], [ind_r, ind_a, other_r])) == [r, a]
    assert rules.category_of(Item((1, "p"), addressed=False)) == []


# --- the annual report ---------------------------------------------------------------------------

def test_annual_rows_give_the_status_at_the_years_end_and_the_years_updates():
    updates = [U("not_started", date(2023, 6, 1), id=1),
               U("in_progress", date(2024, 3, 1), id=2),
               U("partly_implemented", date(2024, 12, 31), id=3),
               U("implemented", date(2024, 7, 1), state="declined", id=4),
               U("implemented", date(2025, 1, 1), id=5),
               U("in_progress", date(2024, 5, 1), block_id="p2", id=6)]
    rows = rules.annual(updates, 2024, [(1, "p1"), (1, "p2"), (1, "p3")])
    p1, p2, p3 = rows
    assert p1.status == "partly_implemented"           # 31 December counts; 1 January not
    assert [u.id for u in p1.updates] == [2, 3]        # the declined one left out
    assert (p2.status, [u.id for u in p2.updates]) == ("in_progress", [6])
    assert (p3.status, p3.updates, p3.standing) == (None, [], None)
    # a year before any update: no status; a later year: the standing one, no update of its own
    assert rules.annual(updates, 2022, [(1, "p1")])[0].status is None
    later = rules.annual(updates, 2026, [(1, "p1")])[0]
    assert later.status == "implemented" and later.updates == []
    # without keys: every recommendation named by an update
    assert [r.key for r in rules.annual(updates, 2024)] == [(1, "p1"), (1, "p2")]


# --- a report's checks ---------------------------------------------------------------------------

def test_the_date_of_a_report():
    today, validated = date(2025, 5, 10), date(2024, 5, 10)
    assert rules.date_problem(None, today=today, validated_on=validated) == "missing"
    assert rules.date_problem(date(2025, 5, 11), today=today, validated_on=validated) == "future"
    assert rules.date_problem(today, today=today, validated_on=validated) is None
    assert rules.date_problem(validated, today=today, validated_on=validated) is None
    assert rules.date_problem(date(2024, 5, 9), today=today,
                              validated_on=validated) == "before_validation"
    assert rules.date_problem(date(2000, 1, 1), today=today, validated_on=None) is None


def test_an_evidence_link_is_a_web_address():
    assert rules.is_web_link("https://adilet.zan.kz/rus/docs/Z1500000418")
    assert rules.is_web_link("http://example.org")
    for bad in ("javascript:alert(1)", "ftp://example.org/a", "mailto:a@example.org",
                "https://", "example.org", "https://exa mple.org", "file:///etc/passwd",
                "https://example.org/" + "a" * 1000):
        assert not rules.is_web_link(bad), bad


def test_the_years_of_annual_reports():
    today = date(2026, 2, 1)
    assert rules.years(date(2024, 11, 3), today) == [2026, 2025, 2024]
    assert rules.years(None, today) == [2026]
    assert rules.years(date(2027, 1, 1), today) == [2026]
