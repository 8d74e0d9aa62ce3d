"""The demo's published report (issue 20 item 5): the coordinator publishes what the board
validated -- the validated finding(s), the validated version 2 of "Policy recommendations" and the
annex -- as release 1 of kz-2022, and the public site /p/kz-2022/ is on.

Through the use case itself (mab.releases.services.publish), so the release holds exactly what
publishing from the releases page would. Idempotent: an assessment that has a release already
gets no second one."""
from sqlalchemy import select

from mab.assessments.models import Assessment
from mab.auth.models import User
from mab.extensions import db
from mab.releases.models import Release


def seed(assessment: Assessment):
    """Publish release 1 of the demo assessment unless it has a release; return the release
    made, or None."""
    from mab.releases import services

    if db.session.scalar(select(Release.id).where(Release.assessment_id == assessment.id)
                         .limit(1)) is not None:
        return None
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    db.session.flush()
    return services.publish(assessment, coordinator)
