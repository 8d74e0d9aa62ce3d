"""The bench's report (issue 20): many indicator findings validated in bulk (a closed, passed
round with its sign-offs on each one's latest circulated version), so the assembled report has
content; its release 1 published through the app; and the report's pages in the bench (the page,
the DOCX, the open-data ZIP, the public site read by no one signed in)."""
from sqlalchemy import func, select

from bench import run
from bench.generate import SIZES, generate
from mab.assessments.models import Assessment
from mab.drafts.models import Draft, DraftVersion, Subject
from mab.extensions import db
from mab.releases.models import Release
from mab.report import assembly
from mab.report.model import INDICATOR, Report
from mab.validation.models import SignOff, ValidationRound


def test_the_sizes_validate_a_good_share_of_the_findings():
    for size in ("small", "national-large", "national-large-3"):
        counts = SIZES[size]
        assert counts["drafts"] / 2 <= counts["validated_findings"] < counts["drafts"], size
    # xl's board signs as many times more as the rest of its data grows (90,000 sign-offs).
    signoffs = {size: SIZES[size]["validated_findings"] * SIZES[size]["board_members"]
                for size in ("national-large", "xl")}
    assert signoffs["xl"] >= 6 * signoffs["national-large"]
    assert SIZES["national-large"]["indicators"] == 303


def test_the_findings_are_validated_by_every_active_member(app):
    small = generate("small")
    assessment = db.session.get(Assessment, small.assessment_id)
    assert small.ids["validated_findings"] == SIZES["small"]["validated_findings"]
    rounds = db.session.execute(
        select(ValidationRound, DraftVersion).join(DraftVersion).join(Draft)
        .where(ValidationRound.assessment_id == assessment.id,
               Draft.subject == Subject.INDICATOR, ValidationRound.passed.is_(True))).all()
    # add_validation's closed rounds may pass too; the bulk ones all do.
    assert len(rounds) >= SIZES["small"]["validated_findings"]
    for round_, version in rounds:
        assert round_.closed_at is not None and round_.result is not None
        assert round_.version_sha256 == version.sha256 and version.circulation is not None
        assert version.number == max(v.number for v in version.draft.versions
                                     if v.circulation is not None)
    assert len({version.id for _, version in rounds}) == len(rounds)   # one round a version
    signed = dict(db.session.execute(
        select(SignOff.round_id, func.count()).where(SignOff.round_id.in_(
            [r.id for r, _ in rounds])).group_by(SignOff.round_id)).all())
    assert all(signed.get(r.id, 0) > 0 for r, _ in rounds)


def test_the_report_has_the_findings_and_release_1_is_published(app):
    small = generate("small")
    assessment = db.session.get(Assessment, small.assessment_id)
    report = assembly.build(assessment, "ru", team=False)
    findings = [s for s in report.sections if s.kind == INDICATOR and s.provenance]
    assert len(findings) >= SIZES["small"]["validated_findings"]
    assert all(s.paragraphs for s in findings)
    release = db.session.scalars(select(Release).where(
        Release.assessment_id == assessment.id)).one()
    assert (release.number, small.ids["release_number"]) == (1, 1)
    assert assessment.site_published
    stored = Report.from_json(release.content["reports"]["ru"])
    assert len([s for s in stored.sections if s.kind == INDICATOR]) == len(findings)


def test_the_report_s_pages_are_measured_with_their_limits():
    pages = {page.path: page for page in run.PAGES}
    assert pages["/a/{slug}/report"].target_ms == 2000
    assert pages["/a/{slug}/report.docx"].target_ms == 10_000
    for path in ("/a/{slug}/report", "/a/{slug}/report.docx", "/a/{slug}/report-data.zip",
                 "/p/{slug}/", "/p/{slug}/recommendations"):
        assert pages[path].same_queries, path
    assert pages["/p/{slug}/"].user == "" and "anonymous" in run.shown_page(pages["/p/{slug}/"])
