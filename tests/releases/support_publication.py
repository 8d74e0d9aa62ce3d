"""Helpers of the publication tests (issue 20 item 4): a world with validated recommendations
and an unvalidated, commented finding (tests/recommendations/support_followup.py), open data made
by hand (for the board's small cells), and publishing through the service."""
from flask import current_app
from sqlalchemy import select

from mab.assessments.models import Assessment
from mab.comments.services import add_comment
from mab.extensions import db
from tests.drafts.support import circulate, make_draft, membership_of
from tests.recommendations import support_followup as followup
from tests.validation import support as validation

FINDING = "Mobile broadband reaches most towns of the country."   # validated
UNVALIDATED = "Policy is sound."            # the circulated, never validated finding
COMMENT = "Secret remark only the team should read about the policy."
UNCIRCULATED = "A confidential working paragraph never circulated."
EMAIL_PATTERN = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"


def hand_open_data(assessment: Assessment, language: str) -> dict:
    return {"assessment": assessment.slug, "title": assessment.title, "language": language,
            "generated_on": assessment.today().isoformat(), "indicators": [], "sources": [],
            "recommendations": [],
            "board": {"on": assessment.today().isoformat(),
                      "groups": [{"group": "Government", "women": 4, "men": 3,
                                  "other_or_undisclosed": 0, "total": 7},
                                 {"group": "Academia", "women": 1, "men": 5,
                                  "other_or_undisclosed": 0, "total": 6}],
                      "totals": {"women": 5, "men": 8, "other_or_undisclosed": 0,
                                 "total": 13}}}


def world():
    """The follow-up world (validated recommendations of kz-2022, an update confirmed later by
    the tests), with its circulated but unvalidated finding commented by the board member, and
    a draft never circulated."""
    f = followup.world()
    w = f.w
    with current_app.test_request_context("/"):
        add_comment(w.version, w.assessment, membership_of(w.people["board_member"],
                                                           w.assessment), body=COMMENT)
    make_draft(w.assessment, w.people["researcher"], UNCIRCULATED, title="Working notes")
    validated_finding(w, "R.5.1", FINDING)
    db.session.commit()
    return f


def validated_finding(w, code: str, text: str):
    """An indicator's finding, circulated and validated (the serving members endorse)."""
    item = followup.indicators(w.assessment)[code]
    draft = make_draft(w.assessment, w.people["researcher"], text, title=f"Finding {code}",
                       subject="indicator", item_id=item.id)
    version = circulate(draft, w.assessment, w.people["researcher"])
    round_ = validation.open_round(w, version)
    for who in ("board_member", "member2"):
        validation.sign(w, round_, who)
    validation.close(w, round_)
    assert round_.passed
    return draft


def publish(assessment: Assessment, actor):
    from mab.releases import services
    with current_app.test_request_context("/"):
        release = services.publish(assessment, actor)
    db.session.commit()
    return release


def sweep_release(assessment: Assessment, actor) -> dict:
    """The URL-map sweep's public site: kz-2022 published with a release 1 (the demo's when it
    has one, else published now), in its languages ru, kk and en."""
    from mab.releases import services
    from mab.releases.models import Release
    if db.session.scalar(select(Release.id).where(Release.assessment_id == assessment.id)):
        assessment.site_published = True
    else:
        services.publish(assessment, actor)
    db.session.flush()
    return {}
