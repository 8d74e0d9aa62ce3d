"""Ending a consultation early (issue 13): the pure rule of the days left, and the use case that
moves the deadline to today, keeps the first-given one, audits it and tells the readers."""
from datetime import date, timedelta

import pytest

from mab.drafts import rules
from mab.drafts.services import end_consultation
from mab.errors import DomainError
from mab.extensions import db
from tests.validation.support import as_request, events, fresh, last_mail_id, mail, world

TODAY = date(2026, 3, 10)


def status(deadline, **facts):
    return rules.version_status(rules.VersionFacts(circulated=True, deadline=deadline, **facts),
                                TODAY)


# --- the rule ----------------------------------------------------------------------------------

def test_on_the_deadline_day_the_consultation_is_still_open_with_no_day_after_it():
    assert rules.consultation_days_left(status(TODAY), TODAY) == 0


def test_the_day_before_the_deadline_one_day_remains():
    assert rules.consultation_days_left(status(TODAY + timedelta(days=1)), TODAY) == 1


def test_after_the_deadline_the_consultation_is_over():
    assert rules.consultation_days_left(status(TODAY - timedelta(days=1)), TODAY) is None


@pytest.mark.parametrize("facts", [
    {"round_open": True}, {"validated": True}, {"validated": False}, {"superseded": True}])
def test_a_version_in_validation_or_beyond_is_not_in_consultation(facts):
    assert rules.consultation_days_left(status(TODAY + timedelta(days=5), **facts), TODAY) is None


def test_an_uncirculated_version_has_no_consultation():
    drafting = rules.version_status(rules.VersionFacts(circulated=False), TODAY)
    assert rules.consultation_days_left(drafting, TODAY) is None


# --- the use case ------------------------------------------------------------------------------

@pytest.fixture
def w(app, request_context):
    return world(other=False)


def end(w):
    with as_request():
        end_consultation(w.version, w.assessment, actor=w.people["coordinator"])
    db.session.commit()


def test_ending_moves_the_deadline_to_today_and_keeps_the_first_one(w):
    first = w.version.circulation.deadline
    since = last_mail_id()
    end(w)
    circulation = fresh(w.version.circulation)
    assert circulation.deadline == w.assessment.today()
    assert circulation.original_deadline == first
    assert circulation.ended_early_at is not None
    [event] = events("draft.consultation_ended")
    assert event.changes["deadline"] == [first.isoformat(), w.assessment.today().isoformat()]
    assert event.changes["days_left"] == (first - w.assessment.today()).days
    sent = mail(since, kind="consultation_ended")
    # The people the version was circulated to: active board members and observers.
    assert sorted(m.recipient for m in sent) == sorted(
        w.people[who].email for who in ("board_member", "member2", "observer"))
    assert all("Policy findings" in m.body_text and "ended today" in m.body_text for m in sent)
    assert all(m.body_html for m in sent)


def test_an_extended_deadline_keeps_the_deadline_first_given(w):
    circulation = w.version.circulation
    given = circulation.deadline
    circulation.original_deadline, circulation.deadline = given, given + timedelta(days=7)
    db.session.commit()
    end(w)
    assert fresh(circulation).original_deadline == given


def test_a_consultation_already_over_cannot_be_ended(w):
    circulation = w.version.circulation
    circulation.deadline = w.assessment.today() - timedelta(days=1)
    db.session.commit()
    since = last_mail_id()
    with as_request(), pytest.raises(DomainError, match="already ended"):
        end_consultation(w.version, w.assessment, actor=w.people["coordinator"])
    db.session.rollback()
    assert fresh(circulation).ended_early_at is None
    assert fresh(circulation).original_deadline is None
    assert mail(since) == [] and events("draft.consultation_ended") == []
