"""Pure tests of the balance rules: plain values in, exact figures and remedies out."""
from datetime import date, timedelta

import pytest

from mab.board import rules
from mab.board.rules import (
    ACTIVE,
    ANOTHER,
    MAN,
    NOMINEE,
    STEPPED_DOWN,
    UNDISCLOSED,
    WOMAN,
    Check,
    Group,
    Policy,
    Seat,
)

TODAY = date(2024, 6, 15)
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)
POLICY = Policy()   # 40–60 % each gender, 20 % undisclosed, 30 % per group


def seats(n, gender=None, group_id=1, status=ACTIVE, **dates):
    return [Seat(group_id=group_id, gender=gender, status=status, **dates) for _ in range(n)]


def board(women=0, men=0, another=0, undisclosed=0, unrecorded=0, group_id=1):
    return (seats(women, WOMAN, group_id) + seats(men, MAN, group_id)
            + seats(another, ANOTHER, group_id) + seats(undisclosed, UNDISCLOSED, group_id)
            + seats(unrecorded, None, group_id))


def by_code(checks):
    found = {}
    for check in checks:
        assert check.code not in found, f"{check.code} reported twice"
        found[check.code] = check
    return found


def failing(checks):
    return sorted(c.code for c in checks if not c.ok)


class TestPolicy:
    def test_defaults_are_those_of_the_design(self):
        assert Policy() == Policy(40, 60, 20, 30)

    def test_of_reads_the_assessment(self):
        class Assessment:
            gender_min_pct, gender_max_pct, undisclosed_max_pct, group_max_pct = 35, 65, 10, 25
        assert Policy.of(Assessment()) == Policy(35, 65, 10, 25)


class TestEmptyBoard:
    def test_balance_of_an_empty_board_is_one_failing_check(self):
        assert rules.balance_checks([], [Group(1, "Government")], POLICY) == [
            Check("board_empty", False, {})]

    def test_gender_checks_of_nobody(self):
        checks = by_code(rules.gender_checks([], POLICY))
        assert set(checks) == {"gender_unknown", "undisclosed_ok"}
        assert checks["gender_unknown"].figures == {"total": 0}
        assert checks["undisclosed_ok"].ok and checks["undisclosed_ok"].figures["pct"] == 0.0

    def test_group_checks_of_nobody_ask_for_every_group(self):
        checks = rules.group_checks([], [Group(1, "Government"), Group(2, "Academia", 2)], POLICY)
        assert [(c.code, c.figures["group"], c.figures["add"]) for c in checks] == [
            ("group_missing", "Government", 1), ("group_missing", "Academia", 2)]

    def test_empty_table(self):
        table = rules.group_gender_table([], [Group(1, "Government")])
        assert table.total == 0
        assert table.rows == [("Government", {WOMAN: 0, MAN: 0, ANOTHER: 0, UNDISCLOSED: 0}, 0)]
        assert table.totals == {WOMAN: 0, MAN: 0, ANOTHER: 0, UNDISCLOSED: 0}


class TestGender:
    def test_three_women_nine_men_needs_exactly_three_more_women(self):
        checks = by_code(rules.gender_checks(board(women=3, men=9), POLICY))
        low = checks["gender_women_low"]
        assert not low.ok
        assert low.figures == {"count": 3, "disclosed": 12, "pct": 25.0, "min_pct": 40, "add": 3}
        # The other side of the same imbalance is not reported a second time.
        assert "gender_men_high" not in checks and "gender_ok" not in checks
        assert checks["undisclosed_ok"].ok

    def test_adding_the_remedy_passes_and_one_less_does_not(self):
        assert failing(rules.gender_checks(board(women=6, men=9), POLICY)) == []
        assert by_code(rules.gender_checks(board(women=6, men=9), POLICY))["gender_ok"].figures[
            "women_pct"] == 40.0
        assert failing(rules.gender_checks(board(women=5, men=9), POLICY)) == ["gender_women_low"]

    def test_exactly_on_the_lower_edge_passes(self):
        checks = by_code(rules.gender_checks(board(women=4, men=6), POLICY))
        assert checks["gender_ok"].ok
        assert checks["gender_ok"].figures == {
            "women": 4, "men": 6, "disclosed": 10, "women_pct": 40.0, "men_pct": 60.0,
            "min_pct": 40, "max_pct": 60}

    def test_just_below_the_lower_edge_fails_with_a_remedy_of_one(self):
        checks = by_code(rules.gender_checks(board(women=9, men=14), POLICY))   # 39.13 %
        low = checks["gender_women_low"]
        assert 39 < low.figures["pct"] < 40
        assert low.figures["add"] == 1
        assert failing(rules.gender_checks(board(women=10, men=14), POLICY)) == []

    def test_exactly_on_the_upper_edge_passes(self):
        assert failing(rules.gender_checks(board(women=6, men=4), POLICY)) == []
        assert failing(rules.gender_checks(board(women=4, men=6), POLICY)) == []

    def test_too_few_men(self):
        low = by_code(rules.gender_checks(board(women=7, men=4), POLICY))["gender_men_low"]
        assert (low.figures["count"], low.figures["disclosed"], low.figures["add"]) == (4, 11, 1)
        assert "gender_women_high" not in by_code(rules.gender_checks(board(women=7, men=4), POLICY))

    def test_too_many_women_with_a_wide_lower_band(self):
        policy = Policy(gender_min_pct=10, gender_max_pct=60)
        high = by_code(rules.gender_checks(board(women=7, men=3), policy))["gender_women_high"]
        assert not high.ok
        assert high.figures["pct"] == 70.0 and high.figures["max_pct"] == 60
        assert high.figures["add"] == 2        # 7 / 12 = 58.3 %; 7 / 11 = 63.6 % is not enough
        assert failing(rules.gender_checks(board(women=7, men=5), policy)) == []
        assert failing(rules.gender_checks(board(women=7, men=4), policy)) == ["gender_women_high"]

    def test_too_many_men_with_a_wide_lower_band(self):
        policy = Policy(gender_min_pct=10, gender_max_pct=60)
        high = by_code(rules.gender_checks(board(women=2, men=8), policy))["gender_men_high"]
        assert (high.figures["count"], high.figures["add"]) == (8, 4)   # 8 / 14 = 57.1 %

    def test_another_identity_counts_as_disclosed(self):
        checks = by_code(rules.gender_checks(board(women=4, men=4, another=2), POLICY))
        assert checks["gender_ok"].figures["disclosed"] == 10
        assert checks["gender_ok"].figures["women_pct"] == 40.0
        assert checks["undisclosed_ok"].figures["count"] == 0

    def test_undisclosed_members_are_left_out_of_the_gender_shares(self):
        checks = by_code(rules.gender_checks(board(women=2, men=2, undisclosed=1), POLICY))
        assert checks["gender_ok"].figures["disclosed"] == 4
        assert checks["gender_ok"].figures["women_pct"] == 50.0
        assert checks["undisclosed_ok"].figures == {"count": 1, "total": 5, "pct": 20.0,
                                                    "max_pct": 20}   # exactly on the limit

    def test_everyone_undisclosed(self):
        checks = by_code(rules.gender_checks(board(undisclosed=3, unrecorded=2), POLICY))
        assert set(checks) == {"gender_unknown", "undisclosed_high"}
        assert checks["gender_unknown"].figures == {"total": 5}
        assert checks["undisclosed_high"].figures == {"count": 5, "total": 5, "pct": 100.0,
                                                      "max_pct": 20}
        assert not checks["undisclosed_high"].ok

    def test_undisclosed_just_above_the_limit(self):
        check = by_code(rules.gender_checks(board(women=4, men=3, undisclosed=2), POLICY))[
            "undisclosed_high"]
        assert check.figures["count"] == 2 and check.figures["total"] == 9
        assert 22 < check.figures["pct"] < 23

    def test_not_recorded_counts_with_the_undisclosed(self):
        assert Seat(1, None, ACTIVE).gender_key == UNDISCLOSED
        assert Seat(1, "something else", ACTIVE).gender_key == UNDISCLOSED
        assert Seat(1, WOMAN, ACTIVE).gender_key == WOMAN

    @pytest.mark.parametrize("women,men", [(0, 1), (1, 0), (0, 5)])
    def test_one_gender_only(self, women, men):
        checks = by_code(rules.gender_checks(board(women=women, men=men), POLICY))
        code = "gender_women_low" if women == 0 else "gender_men_low"
        present = women or men
        # n / (present + n) >= 40 %  ⇔  n >= 2/3 · present
        assert checks[code].figures["add"] == -(-2 * present // 3)


class TestGroups:
    GROUPS = [Group(1, "Government"), Group(2, "Academia"), Group(3, "Media"), Group(4, "Civil")]

    def test_a_group_exactly_at_the_maximum_passes(self):
        seats_ = (seats(3, WOMAN, 1) + seats(3, MAN, 2) + seats(2, WOMAN, 3) + seats(2, MAN, 4))
        checks = rules.group_checks(seats_, self.GROUPS, POLICY)
        assert [c.code for c in checks] == ["groups_ok"]
        assert checks[0].ok and checks[0].figures == {"groups": 4, "total": 10, "max_pct": 30}

    def test_a_group_above_the_maximum_fails_with_the_smallest_remedy(self):
        seats_ = (seats(4, WOMAN, 1) + seats(2, MAN, 2) + seats(2, WOMAN, 3) + seats(2, MAN, 4))
        checks = rules.group_checks(seats_, self.GROUPS, POLICY)
        assert [c.code for c in checks] == ["group_over"]
        over = checks[0]
        assert over.figures == {"group": "Government", "count": 4, "total": 10, "pct": 40.0,
                                "max_pct": 30, "add": 4}
        # 4 / 14 = 28.6 % passes; 4 / 13 = 30.8 % would not.
        more = seats_ + seats(2, MAN, 2) + seats(2, MAN, 3)
        assert failing(rules.group_checks(more, self.GROUPS, POLICY)) == []
        less = seats_ + seats(1, MAN, 2) + seats(2, MAN, 3)
        assert "group_over" in failing(rules.group_checks(less, self.GROUPS, POLICY))

    def test_a_group_without_members_is_missing(self):
        seats_ = seats(3, WOMAN, 1) + seats(3, MAN, 2) + seats(3, MAN, 3)
        checks = rules.group_checks(seats_, self.GROUPS, Policy(group_max_pct=100))
        assert [(c.code, c.figures) for c in checks] == [
            ("group_missing", {"group": "Civil", "count": 0, "min": 1, "add": 1})]

    def test_a_group_below_its_minimum_is_low(self):
        groups = [Group(1, "Government", 1), Group(2, "Academia", 3)]
        seats_ = seats(1, WOMAN, 1) + seats(1, MAN, 2)
        codes = {(c.code, c.figures.get("group")): c for c in
                 rules.group_checks(seats_, groups, Policy(group_max_pct=100))}
        low = codes[("group_low", "Academia")]
        assert low.figures == {"group": "Academia", "count": 1, "min": 3, "add": 2}
        assert ("group_missing", "Government") not in codes

    def test_a_group_with_a_minimum_of_zero_may_be_empty(self):
        groups = [Group(1, "Government"), Group(2, "Optional", 0)]
        checks = rules.group_checks(seats(1, WOMAN, 1), groups, Policy(group_max_pct=100))
        assert [c.code for c in checks] == ["groups_ok"]

    def test_members_without_a_group_are_reported(self):
        seats_ = seats(1, WOMAN, 1) + seats(1, MAN, 2) + seats(1, MAN, 3) + seats(1, MAN, 4) \
            + seats(2, WOMAN, None)
        checks = rules.group_checks(seats_, self.GROUPS, Policy(group_max_pct=100))
        assert [(c.code, c.figures) for c in checks] == [("group_unassigned", {"count": 2})]

    def test_balance_checks_put_gender_then_groups(self):
        seats_ = seats(3, WOMAN, 1) + seats(9, MAN, 2)
        checks = rules.balance_checks(seats_, [Group(1, "Government"), Group(2, "Academia")],
                                      POLICY)
        assert [c.code for c in checks] == ["gender_women_low", "undisclosed_ok", "group_over"]
        assert checks[2].figures["group"] == "Academia" and checks[2].figures["add"] == 18


class TestServingOn:
    def test_a_term_that_ended_yesterday_is_not_serving(self):
        assert not rules.serving_on(Seat(1, WOMAN, ACTIVE, term_end=YESTERDAY), TODAY)

    def test_a_term_that_ends_today_is_serving(self):
        assert rules.serving_on(Seat(1, WOMAN, ACTIVE, term_end=TODAY), TODAY)

    def test_a_term_that_starts_tomorrow_is_not_serving_yet(self):
        seat = Seat(1, WOMAN, ACTIVE, term_start=TOMORROW)
        assert not rules.serving_on(seat, TODAY)
        assert rules.serving_on(seat, TOMORROW)

    def test_appointed_in_the_future(self):
        seat = Seat(1, WOMAN, ACTIVE, appointed_on=TOMORROW)
        assert not rules.serving_on(seat, TODAY)
        assert rules.serving_on(seat, TOMORROW)

    def test_a_nominee_never_serves(self):
        assert not rules.serving_on(Seat(1, WOMAN, NOMINEE), TODAY)
        assert not rules.serving_on(Seat(1, WOMAN, NOMINEE, appointed_on=YESTERDAY), TODAY)

    def test_stepping_down_ends_the_seat_on_that_day(self):
        seat = Seat(1, WOMAN, STEPPED_DOWN, appointed_on=date(2020, 1, 1), stepped_down_on=TODAY)
        assert rules.serving_on(seat, YESTERDAY)
        assert not rules.serving_on(seat, TODAY)
        assert not rules.serving_on(seat, TOMORROW)
        assert not rules.serving_on(seat, date(2019, 12, 31))   # before the appointment

    def test_stepped_down_without_a_date_is_not_serving(self):
        seat = Seat(1, WOMAN, STEPPED_DOWN, appointed_on=date(2020, 1, 1))
        assert not rules.serving_on(seat, date(2021, 1, 1))

    def test_a_nominee_who_withdrew_never_served(self):
        seat = Seat(1, WOMAN, STEPPED_DOWN, appointed_on=None, stepped_down_on=TODAY)
        assert not rules.serving_on(seat, YESTERDAY)

    def test_an_active_seat_without_dates_serves(self):
        assert rules.serving_on(Seat(1, WOMAN, ACTIVE), TODAY)


class TestComposition:
    SEATS = [
        Seat(1, WOMAN, ACTIVE, appointed_on=date(2020, 1, 1)),
        Seat(1, MAN, ACTIVE, appointed_on=date(2020, 1, 1), term_end=YESTERDAY),
        Seat(2, MAN, STEPPED_DOWN, appointed_on=date(2020, 1, 1), stepped_down_on=date(2022, 1, 1)),
        Seat(2, WOMAN, NOMINEE),
        Seat(2, MAN, ACTIVE, appointed_on=TOMORROW),
    ]

    def test_today(self):
        assert rules.composition(self.SEATS, TODAY) == [self.SEATS[0]]

    def test_as_of_a_past_date(self):
        assert rules.composition(self.SEATS, date(2021, 6, 1)) == self.SEATS[:3]
        assert rules.composition(self.SEATS, YESTERDAY) == self.SEATS[:2]

    def test_projection_adds_the_current_nominees(self):
        assert rules.composition(self.SEATS, TODAY, with_nominees=True) == [
            self.SEATS[0], self.SEATS[3]]

    def test_projection_with_nominees_fixes_the_balance(self):
        seats_ = board(women=3, men=9) + seats(3, WOMAN, 1, status=NOMINEE)
        now = rules.composition(seats_, TODAY)
        projected = rules.composition(seats_, TODAY, with_nominees=True)
        assert len(now) == 12 and len(projected) == 15
        assert "gender_women_low" in failing(rules.gender_checks(now, POLICY))
        assert failing(rules.gender_checks(projected, POLICY)) == []


class TestTable:
    def test_group_gender_table_with_totals(self):
        groups = [Group(1, "Government"), Group(2, "Academia"), Group(3, "Media")]
        seats_ = (seats(2, WOMAN, 1) + seats(3, MAN, 1) + seats(1, ANOTHER, 2)
                  + seats(1, None, 2) + seats(1, UNDISCLOSED, 2) + seats(1, MAN, None))
        table = rules.group_gender_table(seats_, groups)
        assert table.rows == [
            ("Government", {WOMAN: 2, MAN: 3, ANOTHER: 0, UNDISCLOSED: 0}, 5),
            ("Academia", {WOMAN: 0, MAN: 0, ANOTHER: 1, UNDISCLOSED: 2}, 3),
            ("Media", {WOMAN: 0, MAN: 0, ANOTHER: 0, UNDISCLOSED: 0}, 0),
            (None, {WOMAN: 0, MAN: 1, ANOTHER: 0, UNDISCLOSED: 0}, 1),
        ]
        assert table.totals == {WOMAN: 2, MAN: 4, ANOTHER: 1, UNDISCLOSED: 2}
        assert table.total == 9 == sum(total for _n, _c, total in table.rows)

    def test_no_row_for_no_group_when_everyone_has_one(self):
        table = rules.group_gender_table(seats(1, WOMAN, 1), [Group(1, "Government")])
        assert [name for name, _c, _t in table.rows] == ["Government"]


class TestSuppress:
    @pytest.mark.parametrize("n,shown", [(0, 0), (1, None), (2, None), (3, 3), (10, 10)])
    def test_small_cells_are_hidden_beyond_the_coordinator(self, n, shown):
        assert rules.suppress(n, full=False) == shown

    @pytest.mark.parametrize("n", [0, 1, 2, 3])
    def test_the_coordinator_sees_every_number(self, n):
        assert rules.suppress(n, full=True) == n


# --- gender editability ------------------------------------------------------------------------

@pytest.mark.parametrize("gender, by_coordinator, editable", [
    (None, False, True),          # nothing recorded yet
    ("woman", True, True),        # the coordinator recorded it: may correct it
    ("woman", False, False),      # the person described it: theirs alone
    ("prefer_not", False, False),
])
def test_the_coordinator_may_record_a_gender_only_until_the_person_describes_it(
        gender, by_coordinator, editable):
    from mab.board.rules import gender_editable
    assert gender_editable(gender, by_coordinator) is editable
