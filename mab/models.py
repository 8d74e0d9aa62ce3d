"""Every model, imported in one place so metadata (and Alembic) sees the whole schema."""
from mab.assessments.models import Assessment, Membership  # noqa: F401
from mab.audit.models import AuditEvent  # noqa: F401
from mab.auth.models import AccountToken, User  # noqa: F401
from mab.board.models import StakeholderGroup  # noqa: F401
from mab.comments.models import Comment, CommentNotice, CommentRevision  # noqa: F401
from mab.drafts.models import Attachment, Circulation, Draft, DraftVersion, VersionView  # noqa: F401
from mab.editions.models import Edition  # noqa: F401
from mab.evidence.models import IndicatorEvidence, Source  # noqa: F401
from mab.framework.models import Framework, FrameworkItem  # noqa: F401
from mab.meetings.models import ActionItem, Invitation, Meeting, ReminderSent  # noqa: F401
from mab.notify.models import OutboxMessage  # noqa: F401
from mab.recommendations.models import (  # noqa: F401
    FollowUpUpdate, Recommendation, WorkshopItem)
from mab.releases.models import Release  # noqa: F401
from mab.validation.models import SignOff, ValidationRound  # noqa: F401
from mab.visits.models import Visit  # noqa: F401
