"""mab.loaders: an object is found only through its own assessment, for every kind of object.

Each kind is made in kz-2022 and asked for through uz-2023 (a foreign id): the loader finds
nothing (404 in a view), and the same id through kz-2022 finds the object. Then the pages that
take such an id in their URL answer 404 to uz-2023's coordinator.
"""
import pytest
from werkzeug.exceptions import NotFound

from mab.board.models import StakeholderGroup
from mab.comments import services as comment_services
from mab.comments.models import Comment, CommentRevision
from mab.drafts.models import Attachment, Circulation, Draft, DraftVersion
from mab.extensions import db
from mab.loaders import PARENTS, belongs_to, get_or_404, get_scoped, in_assessment
from mab.assessments.models import Membership
from mab.evidence.models import IndicatorEvidence, Source
from mab.meetings.models import ActionItem, Invitation, Meeting
from mab.recommendations.models import FollowUpUpdate, Recommendation, WorkshopItem
from mab.types import utcnow
from mab.validation.models import SignOff, ValidationRound
from tests.validation.support import as_request, open_round, sign, world


def _objects(w) -> dict[type, object]:
    """One object of each kind in kz-2022."""
    board = w.m("board_member")
    invitation = Invitation(meeting=w.workshop, membership=board)
    item = ActionItem(meeting=w.workshop, text="Send the figures")
    attachment = Attachment(version=w.version, filename="data.pdf", content_type="application/pdf",
                            size=3, sha256="0" * 64, storage_key="k" * 32)
    db.session.add_all([invitation, item, attachment])
    db.session.commit()
    with as_request():
        comment = comment_services.add_comment(w.version, w.assessment, board, body="A comment.",
                                               block_id=None, quote="")
    revision = CommentRevision(comment=comment, body="Earlier words.", written_at=utcnow())
    db.session.add(revision)
    w.assessment.require_dispositions = False     # the comment stays open on purpose
    db.session.commit()
    round_ = open_round(w)
    signoff = sign(w, round_)
    # Issue 19: evidence and recommendations (the draft stands in for a recommendations draft).
    source = Source(assessment_id=w.assessment.id, number=1, title="ICT survey")
    evidence = IndicatorEvidence(assessment_id=w.assessment.id,
                                 item_id=_an_item(w.assessment))
    details = Recommendation(version=w.version, block_id="p1")
    workshop_item = WorkshopItem(meeting=w.workshop, draft=w.draft, block_id="p1",
                                 version=w.version)
    update = FollowUpUpdate(assessment_id=w.assessment.id, draft_id=w.draft.id, block_id="p1",
                            status="in_progress", reported_on=w.assessment.today())
    db.session.add_all([source, evidence, details, workshop_item, update])
    db.session.commit()
    return {
        Source: source, IndicatorEvidence: evidence, Recommendation: details,
        WorkshopItem: workshop_item, FollowUpUpdate: update,
        Membership: board, StakeholderGroup: w.groups[0], Meeting: w.workshop,
        Invitation: invitation, ActionItem: item, Draft: w.draft, DraftVersion: w.version,
        Circulation: w.version.circulation, Attachment: attachment,
        Comment: comment, CommentRevision: revision, ValidationRound: round_, SignOff: signoff,
    }


KINDS = [Membership, StakeholderGroup, Meeting, Invitation, ActionItem, Draft, DraftVersion,
         Circulation, Attachment, Comment, CommentRevision, ValidationRound, SignOff,
         Source, IndicatorEvidence, Recommendation, WorkshopItem, FollowUpUpdate]


def _an_item(assessment) -> int:
    from sqlalchemy import select
    from mab.framework.models import FrameworkItem
    return db.session.scalar(select(FrameworkItem.id).where(
        FrameworkItem.framework_id == assessment.framework_id).limit(1))


@pytest.fixture
def made(app):
    w = world()
    return w, _objects(w)


@pytest.mark.parametrize("model", KINDS, ids=lambda m: m.__name__)
def test_a_foreign_id_is_not_found(made, model):
    w, objects = made
    obj = objects[model]
    ident = obj.id
    db.session.expire_all()
    with pytest.raises(NotFound):
        get_or_404(model, ident, w.other)
    assert get_scoped(model, ident, w.other) is None
    found = get_or_404(model, ident, w.assessment)
    assert found.id == ident
    assert in_assessment(found, w.assessment) and not in_assessment(found, w.other)


def test_a_missing_id_and_no_id_are_not_found(made):
    w, _ = made
    with pytest.raises(NotFound):
        get_or_404(Meeting, 10_000, w.assessment)
    assert get_scoped(Meeting, None, w.assessment) is None


def test_every_child_path_leads_to_an_assessment(app):
    """Each entry of PARENTS names a relationship of the model; a model with no way to its
    assessment is refused rather than loaded unchecked."""
    by_name = {m.__name__: m for m in KINDS}
    for name in PARENTS:
        assert belongs_to(by_name[name], type("A", (), {"id": 1})) is not None
    from mab.auth.models import User
    with pytest.raises(TypeError):
        belongs_to(User, type("A", (), {"id": 1}))


def test_the_pages_answer_404_to_a_foreign_id(made, client, login):
    """uz-2023's coordinator, with every right there, names kz-2022's objects in uz's URLs."""
    w, objects = made
    login(w.people["other_coordinator"])
    uz = f"/a/{w.other.slug}"
    gets = [
        f"{uz}/board/{objects[Membership].id}",
        f"{uz}/board/{objects[Membership].id}/edit",
        f"{uz}/groups/{objects[StakeholderGroup].id}",
        f"{uz}/meetings/{objects[Meeting].id}",
        f"{uz}/meetings/{objects[Meeting].id}/edit",
        f"{uz}/drafts/{objects[Draft].id}",
        f"{uz}/drafts/{objects[Draft].id}/v/{objects[DraftVersion].number}",
        f"{uz}/attachments/{objects[Attachment].id}",
        f"{uz}/comments/{objects[Comment].id}/edit",
        f"{uz}/validation/{objects[ValidationRound].id}",
    ]
    posts = [
        f"{uz}/people/{objects[Membership].id}/resend",
        f"{uz}/groups/{objects[StakeholderGroup].id}/delete",
        f"{uz}/meetings/{objects[Meeting].id}/cancel",
        f"{uz}/comments/{objects[Comment].id}/withdraw",
        f"{uz}/validation/{objects[ValidationRound].id}/close",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url).status_code == 404, url
    # The same ids through their own assessment: the pages are there (the comment's edit page
    # is its author's: 403 to the coordinator).
    login(w.people["coordinator"])
    kz = f"/a/{w.assessment.slug}"
    for url in gets:
        if "/attachments/" not in url:   # its file was never stored
            assert client.get(url.replace(uz, kz)).status_code in (200, 403), url
