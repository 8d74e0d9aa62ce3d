"""Use cases of publication (issue 20 item 4): publishing the report's validated state as a new
dated release, and hiding the public site. A release is never changed or deleted.

``plan`` assembles what a release would hold (used by the confirmation page and by ``publish``,
so the figures shown are the ones stored); refusals raise DomainError; nothing is committed here
(mab.boundary)."""
import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from mab.assessments.models import Assessment
from mab.audit.services import record_event
from mab.errors import DomainError
from mab.extensions import db
from mab.releases import rules
from mab.releases.models import Release
from mab.report import rules as report_rules
from mab.report.model import Report

NOTHING_VALIDATED = _l("Nothing is validated yet: a release carries validated content only.")
NOT_PUBLISHED = _l("The public site is not published.")


@dataclass
class Plan:
    """What publishing now would store: the public report in each content language (main
    first), each one's manifest hash, the release's manifest and the open data (in the main
    language; ``open_data_languages``: in each content language, for the public site)."""
    number: int
    reports: dict[str, Report]
    open_data: dict
    manifest_sha256: str
    findings: int
    recommendations: int
    open_data_languages: dict[str, dict] | None = None

    @property
    def languages(self) -> list[str]:
        return list(self.reports)

    @property
    def publishable(self) -> bool:
        return any(rules.has_validated_content(r) for r in self.reports.values())


def _assemble(assessment: Assessment, language: str) -> Report:
    from mab.report import assembly   # helper "assembly" (issue 20 item 2)
    return assembly.build(assessment, language, team=False)


def _open_data(assessment: Assessment, language: str) -> dict:
    from mab.report import opendata   # helper "docx" (issue 20 item 2)
    return opendata.collect(assessment, language=language)


def next_number(assessment: Assessment) -> int:
    latest = db.session.scalar(select(func.max(Release.number))
                               .where(Release.assessment_id == assessment.id))
    return (latest or 0) + 1


def plan(assessment: Assessment) -> Plan:
    reports: dict[str, Report] = {}
    for language in assessment.language_list:
        report = _assemble(assessment, language).public()
        report.manifest_sha256 = report_rules.manifest_hash(report)
        reports[language] = report
    main = next(iter(reports.values()), None)
    open_data = {language: _open_data(assessment, language) for language in reports}
    return Plan(
        number=next_number(assessment), reports=reports,
        open_data=open_data[assessment.language_list[0]], open_data_languages=open_data,
        manifest_sha256=rules.release_manifest({k: r.manifest_sha256 for k, r in reports.items()}),
        findings=rules.findings(main) if main else 0,
        recommendations=rules.recommendations(main) if main else 0)


def publish(assessment: Assessment, actor, *, prepared: Plan | None = None) -> Release:
    """Store the report's validated state as release n+1 and turn the public site on."""
    prepared = prepared or plan(assessment)
    if not prepared.publishable:
        raise DomainError(NOTHING_VALIDATED)
    # Two coordinators publishing at once: the second waits for the first's commit (PostgreSQL
    # locks the assessment's row; SQLite serialises writers) and takes the next number.
    db.session.execute(select(Assessment.id).where(Assessment.id == assessment.id)
                       .with_for_update())
    release = Release(
        assessment_id=assessment.id, number=next_number(assessment), published_by_id=actor.id,
        manifest_sha256=prepared.manifest_sha256, languages=",".join(prepared.languages),
        content=_json({"reports": {k: r.to_json() for k, r in prepared.reports.items()},
                       "open_data": prepared.open_data,
                       "open_data_languages": prepared.open_data_languages or {}}))
    db.session.add(release)
    assessment.site_published = True
    db.session.flush()
    record_event("report.published", assessment, actor=actor, assessment=assessment,
                 changes={"release": release.number, "manifest_sha256": release.manifest_sha256})
    return release


def _json(value: dict) -> dict:
    """The content as stored: plain JSON (a date the assembly left as an object becomes its ISO
    text), so the release reads back exactly as it was written."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def unpublish(assessment: Assessment, actor) -> None:
    """Hide the public site; every release stays on record (and is shown again on the next
    publication's site)."""
    if not assessment.site_published:
        raise DomainError(NOT_PUBLISHED)
    assessment.site_published = False
    db.session.flush()
    record_event("report.unpublished", assessment, actor=actor, assessment=assessment,
                 changes={"site_published": [True, False]})
