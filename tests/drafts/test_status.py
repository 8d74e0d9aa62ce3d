"""Issue 13, item 5: one status per version and per draft, from facts, the same for every role."""
from datetime import date

import pytest

from mab.drafts.rules import (
    CONSULTATION_CLOSED, DRAFTING, IN_CONSULTATION, IN_VALIDATION, NOT_VALIDATED, SUPERSEDED,
    VALIDATED, VersionFacts, draft_status, version_status)

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize("facts, code, until", [
    (VersionFacts(circulated=False), DRAFTING, None),
    (VersionFacts(circulated=True, deadline=date(2026, 12, 18)), IN_CONSULTATION,
     date(2026, 12, 18)),
    (VersionFacts(circulated=True, deadline=TODAY), IN_CONSULTATION, TODAY),   # the last day
    (VersionFacts(circulated=True, deadline=date(2026, 12, 3)), CONSULTATION_CLOSED, None),
    (VersionFacts(circulated=True, deadline=date(2026, 12, 18), round_open=True), IN_VALIDATION,
     None),
    (VersionFacts(circulated=True, deadline=date(2026, 11, 1), validated=True), VALIDATED, None),
    (VersionFacts(circulated=True, deadline=date(2026, 11, 1), validated=False), NOT_VALIDATED,
     None),
    (VersionFacts(circulated=True, deadline=date(2026, 12, 18), superseded=True), SUPERSEDED,
     None),
    # A round settles the status even when a later version came: the record stays true.
    (VersionFacts(circulated=True, validated=True, superseded=True), VALIDATED, None),
    (VersionFacts(circulated=True, round_open=True, validated=False), IN_VALIDATION, None),
])
def test_version_status(facts, code, until):
    status = version_status(facts, TODAY)
    assert (status.code, status.until) == (code, until)
    assert status.open_for_comments is (code == IN_CONSULTATION)


def test_draft_status_ignores_versions_only_the_team_sees():
    circulated = VersionFacts(circulated=True, deadline=date(2026, 12, 1))
    in_the_works = VersionFacts(circulated=False)
    # The researcher (who sees both) and a member (who sees the first) read the same status.
    assert draft_status([circulated, in_the_works], TODAY) == draft_status([circulated], TODAY)
    assert draft_status([circulated, in_the_works], TODAY).code == CONSULTATION_CLOSED
    assert draft_status([], TODAY).code == DRAFTING
    assert draft_status([in_the_works], TODAY).code == DRAFTING


def test_draft_status_follows_the_newest_circulated_version():
    first = VersionFacts(circulated=True, deadline=date(2026, 11, 1), superseded=True)
    second = VersionFacts(circulated=True, deadline=date(2026, 12, 20))
    assert draft_status([first, second], TODAY).code == IN_CONSULTATION
