"""Helpers of the publication tests (issue 20 item 4): a world with validated recommendations
and an unvalidated, commented finding (tests/recommendations/support_followup.py), a report made
by hand when mab.report.assembly is not there yet, and publishing through the service."""
from flask import current_app
from sqlalchemy import select

from mab.assessments.models import Assessment
from mab.comments.services import add_comment
from mab.drafts.models import Draft, DraftVersion
from mab.extensions import db
from mab.report import rules as report_rules
from mab.report.model import (
    ANNEX,
    INDICATOR,
    RECOMMENDATIONS,
    Paragraph,
    Provenance,
    Recommendation,
    Report,
    Section,
)
from mab.validation.models import ValidationRound
from tests.drafts.support import make_draft, membership_of
from tests.recommendations import support_followup as followup

UNVALIDATED = "Policy is sound."            # the circulated, never validated finding
COMMENT = "Secret remark only the team should read about the policy."
UNCIRCULATED = "A confidential working paragraph never circulated."
EMAIL_PATTERN = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"


def hand_report(assessment: Assessment, language: str, *, team: bool) -> Report:
    """A report as mab.report.assembly.build makes it, from the validated versions (the round
    passed): each validated draft a finding with its provenance, the recommendations of a
    validated recommendations draft, a placeholder for the team, an annex."""
    rows = db.session.execute(
        select(DraftVersion, ValidationRound).join(ValidationRound,
                                                   ValidationRound.version_id == DraftVersion.id)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .where(Draft.assessment_id == assessment.id, ValidationRound.passed.is_(True))
        .order_by(Draft.id)).all()
    sections, recommendations = [], []
    for version, round_ in rows:
        if version.draft.subject == "recommendations":
            recommendations += [Recommendation(version.draft_id, b["id"], b["text"],
                                               groups=["Government"], priority="high",
                                               time_frame="short")
                                for b in version.blocks]
            continue
        sections.append(Section(
            INDICATOR, version.draft.title, level=1,
            paragraphs=[Paragraph(b["id"], b["text"]) for b in version.blocks],
            provenance=Provenance(version.draft_id, version.number,
                                  round_.closed_at.date().isoformat(), True,
                                  version.sha256 or "0" * 64,
                                  round_.id)))
    sections.append(Section(INDICATOR, "An indicator not yet validated", placeholder=True))
    if recommendations:
        sections.append(Section(RECOMMENDATIONS, "Recommendations",
                                recommendations=recommendations))
    sections.append(Section(ANNEX, "Annex", annex={"members": 2}))
    report = Report(assessment.slug, f"{assessment.title} ({language})", language,
                    report_rules.number_sections(sections))
    if not team:
        report = report.public()
    report.manifest_sha256 = report_rules.manifest_hash(report)
    return report


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


def has_assembly() -> bool:
    try:
        from mab.report import assembly  # noqa: F401
    except ImportError:
        return False
    return True


def stub(monkeypatch) -> None:
    """Make the services use the hand-made report (and open data) instead of the assembly's."""
    from mab.releases import services
    monkeypatch.setattr(services, "_assemble",
                        lambda assessment, language: hand_report(assessment, language, team=False))
    monkeypatch.setattr(services, "_open_data", hand_open_data)


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
    db.session.commit()
    return f


def publish(assessment: Assessment, actor):
    from mab.releases import services
    with current_app.test_request_context("/"):
        release = services.publish(assessment, actor)
    db.session.commit()
    return release


def sweep_release(assessment: Assessment, actor) -> dict:
    """The URL-map sweep's public site: kz-2022 published with a release 1 (the demo's when it
    has one; else published now, through the assembly when it is there, else from the hand-made
    report), in its languages ru, kk and en."""
    from mab.releases import services
    from mab.releases.models import Release
    if db.session.scalar(select(Release.id).where(Release.assessment_id == assessment.id)):
        assessment.site_published = True
    elif has_assembly():
        services.publish(assessment, actor)
    else:
        reports = {language: hand_report(assessment, language, team=False)
                   for language in assessment.language_list}
        services.publish(assessment, actor, prepared=services.Plan(
            number=services.next_number(assessment), reports=reports,
            open_data=hand_open_data(assessment, assessment.language_list[0]),
            manifest_sha256="0" * 64, findings=0, recommendations=0))
    db.session.flush()
    return {}
