"""Helpers of the coverage tests: a team on the built-in framework with the sample indicators,
sources and data statuses written as rows (what the evidence register's services store), and
indicator drafts made through the drafts' services."""
import csv
import io

from sqlalchemy import func, select

from mab.evidence.models import DataStatus, IndicatorEvidence, Source
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from tests.drafts.support import A, import_sample, make_draft, setup  # noqa: F401

# The sample's indicators (tests.drafts.support.INDICATORS_CSV) in catalogue order; the core
# ones are R.5.1, R.7.1, A.3.1, A.6.1 (the assessment's default scope is core).
CORE = ["R.5.1", "R.7.1", "A.3.1", "A.6.1"]


def world():
    """A team on the built-in framework with the sample's six indicators (four core)."""
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])
    return assessment, people


def indicator(assessment, code) -> FrameworkItem:
    return db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.INDICATOR, FrameworkItem.code == code))


def add_source(assessment, codes, *, gender=False, title=None) -> Source:
    """A source serving the indicators of these codes, numbered next in the assessment."""
    number = (db.session.scalar(select(func.max(Source.number))
                                .where(Source.assessment_id == assessment.id)) or 0) + 1
    source = Source(assessment_id=assessment.id, number=number,
                    title=title or f"Source {number}", gender_disaggregated=gender,
                    indicators=[indicator(assessment, c) for c in codes])
    db.session.add(source)
    db.session.commit()
    return source


def set_status(assessment, code, status: str | None):
    item = indicator(assessment, code)
    row = db.session.scalar(select(IndicatorEvidence).where(
        IndicatorEvidence.assessment_id == assessment.id, IndicatorEvidence.item_id == item.id))
    if row is None:
        row = IndicatorEvidence(assessment_id=assessment.id, item_id=item.id)
        db.session.add(row)
    row.data_status = DataStatus(status) if status else None
    db.session.commit()
    return row


def indicator_draft(assessment, author, code, title=None):
    return make_draft(assessment, author, "A finding.", subject="indicator",
                      item_id=indicator(assessment, code).id, title=title or f"Finding {code}")


def many_indicators_csv(count: int) -> str:
    """``count`` core indicators spread over two themes of two categories."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["category", "theme", "question_code", "question", "indicator_code",
                     "indicator", "core"])
    for n in range(1, count + 1):
        theme = ("R", "R.B", "R.90") if n % 2 else ("A", "A.B", "A.90")
        writer.writerow([theme[0], theme[1], theme[2], f"Question {theme[2]}",
                         f"{theme[2]}.{n}", f"Indicator number {n}", "yes"])
    return out.getvalue()


def csv_rows(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))
