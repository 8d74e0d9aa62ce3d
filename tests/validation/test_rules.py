"""The validation rule (DESIGN section 4) at its edges, as a plain function."""
from datetime import datetime, timedelta, timezone

import pytest

from mab.validation.rules import Decision, Rule, Voter, as_dict, current, outcome

T0 = datetime(2022, 11, 1, 9, 0, tzinfo=timezone.utc)
GOV, ACADEMIA, MEDIA = 1, 2, 3
NAMES = {GOV: "Government", ACADEMIA: "Academia", MEDIA: "Media and journalists"}


def voters(n, groups=(GOV,)):
    """``n`` active members spread round-robin over ``groups``; ids 1..n."""
    return [Voter(i, groups[(i - 1) % len(groups)]) for i in range(1, n + 1)]


def decide(ids, decision="endorse", minutes=0):
    return [Decision(i, decision, T0 + timedelta(minutes=minutes), row_id=1000 * minutes + i)
            for i in ids]


def conditions(result):
    return {c.code: c for c in result.conditions}


# --- responses ---------------------------------------------------------------------------------

def test_exactly_half_responded_passes_and_one_fewer_fails():
    board = voters(14)
    half = outcome(Rule(), board, decide(range(1, 8)), NAMES)
    responded = conditions(half)["responded"]
    assert responded.ok and half.passed
    assert responded.figures == {"responded": 7, "active": 14, "pct": 50, "needs_pct": 50}

    short = outcome(Rule(), board, decide(range(1, 7)), NAMES)
    assert not conditions(short)["responded"].ok and not short.passed
    assert conditions(short)["responded"].figures["responded"] == 6
    # The other conditions were met: only the response rate failed.
    assert conditions(short)["endorsed"].ok and conditions(short)["groups"].ok


def test_half_of_an_odd_board_needs_the_larger_half():
    board = voters(9)
    assert not conditions(outcome(Rule(), board, decide(range(1, 5)), NAMES))["responded"].ok
    assert conditions(outcome(Rule(), board, decide(range(1, 6)), NAMES))["responded"].ok


# --- endorsement -------------------------------------------------------------------------------

def test_exactly_two_thirds_endorsed_passes_and_five_of_nine_fails():
    board = voters(9)
    passing = decide(range(1, 7)) + decide(range(7, 10), "object")
    result = outcome(Rule(), board, passing, NAMES)
    endorsed = conditions(result)["endorsed"]
    assert endorsed.ok and result.passed
    assert endorsed.figures == {"endorsed": 6, "responded": 9, "pct": 67, "needs_pct": 67,
                                "reservations": 0, "objected": 3}

    failing = decide(range(1, 6)) + decide(range(6, 10), "object")
    result = outcome(Rule(), board, failing, NAMES)
    assert not conditions(result)["endorsed"].ok and not result.passed
    assert conditions(result)["endorsed"].figures["endorsed"] == 5
    assert conditions(result)["endorsed"].figures["objected"] == 4


def test_the_share_is_exact_not_a_rounded_percentage():
    # 66 of 100 is 66 %, below two thirds; 67 of 100 is above: no float rounding to 67 %.
    board = voters(100)
    below = decide(range(1, 67)) + decide(range(67, 101), "object")
    above = decide(range(1, 68)) + decide(range(68, 101), "object")
    assert not conditions(outcome(Rule(), board, below, NAMES))["endorsed"].ok
    assert conditions(outcome(Rule(), board, above, NAMES))["endorsed"].ok


def test_reservations_count_as_endorsement_and_objections_do_not():
    board = voters(3)
    with_reservations = decide([1]) + decide([2, 3], "reservations")
    result = outcome(Rule(), board, with_reservations, NAMES)
    endorsed = conditions(result)["endorsed"]
    assert endorsed.ok and endorsed.figures["endorsed"] == 3
    assert endorsed.figures["reservations"] == 2 and endorsed.figures["objected"] == 0

    objections = decide([1]) + decide([2, 3], "object")
    endorsed = conditions(outcome(Rule(), board, objections, NAMES))["endorsed"]
    assert not endorsed.ok
    assert endorsed.figures["endorsed"] == 1 and endorsed.figures["objected"] == 2


# --- groups ------------------------------------------------------------------------------------

def test_a_group_without_active_members_is_not_required():
    # Media exists (it is named in ``groups``) but nobody active sits in it.
    board = voters(4, groups=(GOV, ACADEMIA))
    result = outcome(Rule(), board, decide(range(1, 5)), NAMES)
    groups = conditions(result)["groups"]
    assert groups.ok and result.passed
    assert groups.figures == {"responding": 2, "groups": 2, "missing": []}


def test_a_group_that_did_not_respond_is_named():
    board = voters(6, groups=(GOV, ACADEMIA, MEDIA))     # Media: members 3 and 6
    result = outcome(Rule(), board, decide([1, 2, 4, 5]), NAMES)
    groups = conditions(result)["groups"]
    assert not groups.ok and not result.passed
    assert groups.figures == {"responding": 2, "groups": 3, "missing": ["Media and journalists"]}
    # Responses and endorsements were enough: the missing group alone fails the round.
    assert conditions(result)["responded"].ok and conditions(result)["endorsed"].ok


def test_members_without_a_group_do_not_make_a_group_required():
    board = [Voter(1, GOV), Voter(2, None)]
    result = outcome(Rule(), board, decide([1]), NAMES)
    assert conditions(result)["groups"].ok
    assert conditions(result)["groups"].figures["groups"] == 1


# --- superseded and ignored decisions ----------------------------------------------------------

def test_a_changed_decision_counts_once_as_the_latest():
    board = voters(2)
    history = decide([1], "object", minutes=0) + decide([1], "endorse", minutes=5)
    assert current(history)[1].decision == "endorse"
    result = outcome(Rule(), board, history, NAMES)
    responded, endorsed = conditions(result)["responded"], conditions(result)["endorsed"]
    assert responded.figures["responded"] == 1           # not 2
    assert endorsed.figures == {"endorsed": 1, "responded": 1, "pct": 100, "needs_pct": 67,
                                "reservations": 0, "objected": 0}
    assert result.passed


def test_the_latest_decision_wins_whatever_the_order_given():
    later_first = decide([1], "endorse", minutes=5) + decide([1], "object", minutes=0)
    assert current(later_first)[1].decision == "endorse"
    # Two rows in the same instant: the later row (higher id) is the current one.
    same_time = [Decision(1, "endorse", T0, row_id=8), Decision(1, "object", T0, row_id=7)]
    assert current(same_time)[1].decision == "endorse"


def test_decisions_of_members_no_longer_active_are_ignored():
    board = voters(3)       # ids 1..3 active; 4 and 5 stepped down or never active
    rows = decide([1, 2]) + decide([4, 5], "object")
    result = outcome(Rule(), board, rows, NAMES)
    assert conditions(result)["responded"].figures["responded"] == 2
    assert conditions(result)["endorsed"].figures["objected"] == 0
    assert result.passed


# --- nothing at all ----------------------------------------------------------------------------

def test_no_response_fails_every_condition_with_its_figures():
    board = voters(5, groups=(GOV, ACADEMIA))
    result = outcome(Rule(), board, [], NAMES)
    assert not result.passed
    c = conditions(result)
    assert [code for code, cond in c.items() if cond.ok] == []
    assert c["responded"].figures == {"responded": 0, "active": 5, "pct": 0, "needs_pct": 50}
    assert c["endorsed"].figures["responded"] == 0 and c["endorsed"].figures["pct"] == 0
    assert c["groups"].figures == {"responding": 0, "groups": 2,
                                   "missing": ["Academia", "Government"]}


def test_an_empty_board_never_passes():
    result = outcome(Rule(), [], [], NAMES)
    assert not result.passed
    assert conditions(result)["responded"].figures["active"] == 0


# --- the rule in force -------------------------------------------------------------------------

def test_a_rule_with_other_figures_from_the_snapshot():
    rule = Rule.from_snapshot({"response_pct": 75, "endorse_num": 3, "endorse_den": 4,
                               "all_groups": False, "something_else": 1})
    assert rule == Rule(75, 3, 4, False) and rule.endorse_pct == 75
    assert Rule.from_snapshot(rule.snapshot()) == rule
    board = voters(8, groups=(GOV, ACADEMIA))          # academia: even ids
    # 6 of 8 responded (75 %) from both groups; 4 of 6 endorse (below 3/4).
    rows = decide([1, 2, 3, 4]) + decide([5, 7], "object")
    result = outcome(rule, board, rows, NAMES)
    c = conditions(result)
    assert c["responded"].ok and c["responded"].figures["needs_pct"] == 75
    assert not c["endorsed"].ok and c["endorsed"].figures["needs_pct"] == 75
    # Under the default rule the same decisions pass (2/3 of 6 is 4).
    assert outcome(Rule(), board, rows, NAMES).passed
    # 5 of 8 responded is below 75 %.
    assert not conditions(outcome(rule, board, decide([1, 2, 3, 4, 5]), NAMES))["responded"].ok


def test_a_rule_that_does_not_require_every_group():
    rule = Rule(all_groups=False)
    board = voters(4, groups=(GOV, ACADEMIA))
    result = outcome(rule, board, decide([1, 3]), NAMES)     # government only
    groups = conditions(result)["groups"]
    assert groups.ok and groups.figures["missing"] == ["Academia"]
    assert result.passed
    assert not outcome(Rule(), board, decide([1, 3]), NAMES).passed


def test_an_older_snapshot_without_all_groups_requires_every_group():
    assert Rule.from_snapshot({"response_pct": 50, "endorse_num": 2, "endorse_den": 3}) == Rule()


@pytest.mark.parametrize("num, den, pct", [(2, 3, 67), (1, 2, 50), (3, 4, 75), (1, 1, 100)])
def test_the_endorsement_share_in_whole_percent_rounds_up(num, den, pct):
    assert Rule(endorse_num=num, endorse_den=den).endorse_pct == pct


def test_the_stored_form_keeps_every_condition_and_figure():
    result = outcome(Rule(), voters(2), decide([1]), NAMES)
    stored = as_dict(result)
    assert stored["passed"] is True
    assert [c["code"] for c in stored["conditions"]] == ["responded", "endorsed", "groups"]
    assert stored["conditions"][0] == {"code": "responded", "ok": True,
                                       "figures": {"responded": 1, "active": 2, "pct": 50,
                                                   "needs_pct": 50}}


# --- which versions may be validated ----------------------------------------------------------

def test_validation_candidates_are_the_latest_circulated_version_of_each_draft_without_a_round():
    from mab.validation.rules import VersionFacts, validation_candidates
    a1, a2 = VersionFacts(1, 10, 1, True), VersionFacts(2, 10, 2, True)
    a3 = VersionFacts(3, 10, 3, False)                  # written, not circulated
    b1 = VersionFacts(4, 20, 1, True, has_round=True)   # already validated
    c1 = VersionFacts(5, 30, 1, True)
    assert validation_candidates([a1, a2, a3, b1, c1]) == [a2, c1]
    assert validation_candidates([]) == []


def test_validation_blocker_says_why():
    from mab.validation.rules import (
        HAS_ROUND,
        NOT_CIRCULATED,
        SUPERSEDED,
        Blocker,
        VersionFacts,
        validation_blocker,
    )
    v1, v2, v3 = (VersionFacts(1, 10, 1, True), VersionFacts(2, 10, 2, True),
                  VersionFacts(3, 10, 3, True))
    other = VersionFacts(9, 99, 5, True)
    assert validation_blocker(v1, [v1, v2, v3, other]) == Blocker(SUPERSEDED, 2)
    assert validation_blocker(v3, [v1, v2, v3, other]) is None
    assert validation_blocker(VersionFacts(4, 10, 4, False), [v1]) == Blocker(NOT_CIRCULATED)
    assert validation_blocker(VersionFacts(3, 10, 3, True, True), [v1, v3]) == Blocker(HAS_ROUND)
