"""The demo's published report (issue 20 item 5): kz-2022 has release 1, published by the
coordinator through the publication use case, with its public site on; it holds the validated
finding(s), the validated recommendations (version 2 of "Policy recommendations") and the
annex, and nothing that was not validated. Seeding again makes no second release."""
from sqlalchemy import func, select

from mab.audit.models import AuditEvent
from mab.demo import release as demo_release
from mab.demo import seed
from mab.demo.recommendations import AMENDED, RECOMMENDATIONS, RECOMMENDATIONS_TITLE
from mab.drafts.models import Draft
from mab.extensions import db
from mab.releases.models import Release
from mab.report.model import ANNEX, INDICATOR, RECOMMENDATIONS as RECOMMENDATIONS_KIND
from mab.report.model import Report
from mab.validation.models import ValidationRound

VALIDATED = "The Internet-related laws are listed in the national legal database"
NEVER_VALIDATED = "Interviews with journalists describe self-censorship on social networks."


def _release(assessment) -> Release:
    return db.session.scalars(select(Release).where(Release.assessment_id == assessment.id)).one()


def _report(release: Release, language: str) -> Report:
    return Report.from_json(release.content["reports"][language])


def _text(report: Report) -> str:
    return "\n".join(p.text for s in report.sections for p in s.paragraphs) + "\n".join(
        r.text for s in report.sections for r in s.recommendations)


def test_the_demo_has_release_1_published_by_the_coordinator(demo):
    release = _release(demo)
    assert release.number == 1 and demo.site_published
    assert release.published_by.email == "coordinator@example.org"
    assert release.languages == "ru,kk,en"
    assert len(release.manifest_sha256) == 64
    assert set(release.content["reports"]) == {"ru", "kk", "en"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.published"))
    assert event.assessment_id == demo.id and event.changes["release"] == 1


def test_its_report_holds_the_validated_finding_recommendations_and_annex(demo):
    report = _report(_release(demo), "ru")
    findings = [s for s in report.sections if s.kind == INDICATOR and s.provenance]
    assert findings and not any(s.placeholder for s in report.sections)
    # Every finding the release holds comes from a version whose round passed.
    passed = set(db.session.scalars(select(ValidationRound.id)
                                    .where(ValidationRound.passed.is_(True))))
    assert all(s.provenance.passed for s in findings)
    assert {s.provenance.round_id for s in findings} <= passed
    text = _text(report)
    assert VALIDATED in text
    assert NEVER_VALIDATED not in text   # circulated and commented, never validated
    # The validated version 2 of the recommendations: the workshop's amended wording of 3.
    recommendations = [r for s in report.sections if s.kind == RECOMMENDATIONS_KIND
                       for r in s.recommendations]
    assert AMENDED[1] in [r.text for r in recommendations]
    assert RECOMMENDATIONS[AMENDED[0]][0] not in [r.text for r in recommendations]
    assert len(recommendations) == len(RECOMMENDATIONS)
    version_two = db.session.scalar(select(Draft).where(
        Draft.assessment_id == demo.id, Draft.title == RECOMMENDATIONS_TITLE)).versions[1]
    assert version_two.number == 2
    annex = [s for s in report.sections if s.kind == ANNEX]
    assert len(annex) == 1 and annex[0].annex


def test_seeding_again_makes_no_second_release(app, demo):
    with app.test_request_context("/"):
        seed()
        assert demo_release.seed(demo) is None
    db.session.commit()
    assert db.session.scalar(select(func.count(Release.id))) == 1


def test_the_public_site_answers_anonymously(demo, client):
    for path in ("/p/kz-2022/", "/p/kz-2022/kk/", "/p/kz-2022/recommendations",
                 "/p/kz-2022/board", "/p/kz-2022/data.zip"):
        response = client.get(path)
        assert response.status_code == 200, path
    page = client.get("/p/kz-2022/ru/").get_data(as_text=True)
    assert VALIDATED in page and NEVER_VALIDATED not in page
    assert "@example.org" not in page
