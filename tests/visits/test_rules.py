"""Issue 15 item 7: when a view starts a new visit, and from when "new" counts (pure)."""
from datetime import datetime, timedelta, timezone

import pytest

from mab.visits.rules import (
    HOME,
    SAME_VISIT,
    TOUCH_EVERY,
    NewSince,
    VisitState,
    after_view,
    draft_place,
)

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)
EARLIER = NOW - timedelta(days=2)


def test_a_first_view_starts_a_visit_with_nothing_to_compare():
    state = after_view(None, None, NOW)
    assert state == VisitState(NOW, None, write=True) and state.since is None


@pytest.mark.parametrize("gap", [SAME_VISIT, SAME_VISIT + timedelta(seconds=1), timedelta(days=9)])
def test_a_view_after_a_pause_starts_a_new_visit_counting_from_the_last_view(gap):
    last = NOW - gap
    state = after_view(last, EARLIER, NOW)
    assert state == VisitState(NOW, last, write=True) and state.since == last


@pytest.mark.parametrize("gap", [TOUCH_EVERY, SAME_VISIT - timedelta(seconds=1)])
def test_a_view_within_the_visit_keeps_the_counts_and_moves_the_last_view(gap):
    state = after_view(NOW - gap, EARLIER, NOW)
    assert state == VisitState(NOW, EARLIER, write=True) and state.since == EARLIER


@pytest.mark.parametrize("gap", [timedelta(0), TOUCH_EVERY - timedelta(seconds=1)])
def test_a_reload_keeps_everything_and_writes_nothing(gap):
    last = NOW - gap
    assert after_view(last, EARLIER, NOW) == VisitState(last, EARLIER, write=False)


def test_the_second_visit_of_a_newcomer_counts_from_their_first():
    first = after_view(None, None, NOW)
    second = after_view(first.last_at, first.previous_at, NOW + SAME_VISIT)
    assert second.since == NOW
    # Reloading within the first visit still has nothing to compare with.
    assert after_view(first.last_at, first.previous_at, NOW + TOUCH_EVERY).since is None


def test_places_and_news():
    assert HOME == "home" and draft_place(12) == "draft:12"
    news = NewSince(comments=3, replies=1) + NewSince(responses=2, versions=1)
    assert news == NewSince(3, 1, 2, 1) and news.total == 7
    assert NewSince().total == 0
