"""Helpers of the report assembly tests: the sample framework (tests.drafts.support), indicator,
chapter and whole-report drafts validated through plain rounds, editions, sources."""
from datetime import timedelta

from mab.editions.models import Edition
from mab.editions.rules import paragraph_hash
from mab.extensions import db
from mab.types import utcnow
from mab.validation.models import ValidationRound
from tests.drafts.support import A, circulate, import_sample, make_draft, new_version, setup  # noqa: F401
from tests.evidence.support_coverage import (add_source, indicator,  # noqa: F401
                                             many_indicators_csv, set_status)


def world():
    """A team on the built-in framework with the sample's six indicators (four core: R.5.1,
    R.7.1, A.3.1, A.6.1; the scope is core)."""
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])
    return assessment, people


def validate(assessment, version, *, passed=True, editions=None, closed=True):
    """A closed round on ``version`` (passed unless told), with ``editions`` as its manifest."""
    round_ = ValidationRound(
        assessment_id=assessment.id, version_id=version.id,
        version_sha256=version.sha256 or "0" * 64, editions=editions,
        deadline=assessment.today() + timedelta(days=7), rule={},
        closed_at=utcnow() if closed else None, passed=passed if closed else None)
    if version.sha256 is None:
        version.sha256 = ("%064x" % version.id)
    db.session.add(round_)
    db.session.commit()
    return round_


def finding(assessment, people, code, body="A finding.", *, title=None, validated=True):
    """An indicator draft on ``code`` with one version, circulated and validated (unless told)."""
    from tests.drafts.support import make_draft
    draft = make_draft(assessment, people["researcher"], body, subject="indicator",
                       item_id=indicator(assessment, code).id, title=title or f"Finding {code}")
    if validated:
        version = circulate(draft, assessment, people["researcher"])
        validate(assessment, version)
    return draft


def chapter(assessment, people, code, body, *, subject="chapter", kind="category"):
    from sqlalchemy import select
    from mab.framework.models import FrameworkItem
    item = db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id, FrameworkItem.kind == kind,
        FrameworkItem.code == code)) if code else None
    draft = make_draft(assessment, people["researcher"], body, subject=subject,
                       item_id=item.id if item is not None else None, title=f"Chapter {code}")
    version = circulate(draft, assessment, people["researcher"])
    validate(assessment, version)
    return draft


def translate(version, language, texts: dict[str, str], sha256="e" * 64) -> Edition:
    """An edition of ``version`` with these paragraphs translated (current: made from the
    source paragraph as it is now)."""
    source = {b["id"]: b["text"] for b in version.blocks}
    edition = Edition(version_id=version.id, language=language, sha256=sha256,
                      blocks=[{"id": bid, "text": text, "source_hash": paragraph_hash(source[bid]),
                               "basis": source[bid]} for bid, text in texts.items()])
    db.session.add(edition)
    db.session.commit()
    return edition
