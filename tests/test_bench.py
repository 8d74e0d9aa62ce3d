"""The benchmark's data generator keeps working as the models change (``make bench`` uses it)."""
from datetime import datetime, time, timezone

from sqlalchemy import func, select

from bench.generate import SIZES, generate
from mab.assessments.models import BoardStatus, Membership, Role
from mab.auth.models import User
from mab.board.models import StakeholderGroup
from mab.comments.models import Comment, CommentRevision
from mab.comments.rules import plain_text, quote_in
from mab.extensions import db
from mab.markdown import render_markdown


def _board(dataset):
    return db.session.scalars(select(Membership).where(
        Membership.assessment_id == dataset.assessment_id,
        Membership.role == Role.BOARD_MEMBER)).all()


def test_generate_small_and_the_large_sizes_counts(app):
    # Generating national-large takes seconds (400 drafts x 4 versions, 20,000 comments):
    # `make bench` does it; here the small size runs the very same steps.
    small = generate("small")
    large = SIZES["national-large"]
    assert (large["board_members"], large["meetings"], large["invitees"]) == (60, 40, 60)
    assert (large["indicators"], large["drafts"], large["versions"]) == (303, 400, 4)
    assert (large["comments"], large["draft_comments"]) == (20_000, 500)

    assert len(_board(small)) == 15 == SIZES["small"]["board_members"]
    for dataset in (small,):
        board = _board(dataset)
        assert {m.board_status for m in board} == set(BoardStatus)
        assert {None, "undisclosed", "woman", "man"} <= {m.user.gender for m in board}
        assert any("а" <= ch <= "я" for m in board for ch in m.user.name.lower())
        assert any(m.user.name.isascii() for m in board)
        assert db.session.scalar(select(func.count()).select_from(StakeholderGroup).where(
            StakeholderGroup.assessment_id == dataset.assessment_id)) == 9
        roles = db.session.scalars(select(Membership.role).where(
            Membership.assessment_id == dataset.assessment_id)).all()
        assert (roles.count(Role.COORDINATOR), roles.count(Role.RESEARCHER),
                roles.count(Role.OBSERVER)) == (1, 3, 2)
        assert db.session.get(User, dataset.ids["coordinator_id"]).has_account
        assert db.session.get(Membership, dataset.ids["member_id"]).assessment_id == \
            dataset.assessment_id


def test_generated_comments_are_plausible(app):
    """Comments only on circulated versions, within their period, at a paragraph of the version
    commented on (its 1-based position), quoting it; replies in their root's version."""
    small = generate("small")
    comments = db.session.scalars(select(Comment).where(
        Comment.assessment_id == small.assessment_id)).all()
    assert len(comments) == SIZES["small"]["comments"]
    roots = [c for c in comments if c.parent_id is None]
    assert small.counts["matrix_rows"] == len(roots)
    on_draft = [c for c in comments if c.draft_id == small.ids["comments_draft_id"]]
    assert len(on_draft) == SIZES["small"]["draft_comments"]
    assert {c.author.user_id for c in on_draft} >= {small.ids["board_user_id"]}
    assert any(c.quote for c in roots) and any(c.block_id and not c.quote for c in roots)
    assert any(c.block_id is None for c in roots) and len(roots) < len(comments)
    assert any(c.disposition for c in roots) and any(c.addressed_in_id for c in roots)
    assert any(c.withdrawn_at for c in roots) and any(c.edited_at for c in comments)
    assert db.session.scalar(select(func.count()).select_from(CommentRevision)) > 0
    for comment in comments:
        version, circulation = comment.version, comment.version.circulation
        assert circulation is not None
        assert circulation.circulated_at <= comment.created_at <= datetime.now(timezone.utc)
        if comment.parent_id is None:
            assert comment.created_at <= datetime.combine(circulation.deadline, time.max,
                                                          timezone.utc)
        else:
            assert comment.parent.version_id == comment.version_id
            assert comment.disposition is None
        if comment.block_id:
            block = version.blocks[comment.paragraph - 1]
            assert block["id"] == comment.block_id
            assert quote_in(comment.quote, plain_text(str(render_markdown(block["text"]))),
                            block["text"])
        else:
            assert comment.paragraph is None and comment.quote == ""
        if comment.addressed_in_id:
            assert comment.addressed_in.draft_id == comment.draft_id
            assert comment.addressed_in.number > version.number
        if comment.edited_at:
            assert comment.revisions


def test_the_same_queries_check_takes_each_size_at_its_fewest():
    """A page whose request sometimes also records a visit (once a minute, so in a long run) keeps
    the same count; one that makes a query more on every request at the larger size fails."""
    from bench.run import PAGES, checks
    page = next(p for p in PAGES if p.same_queries)

    def run(small: int, large: list[int]) -> dict:
        figures = {"queries": max(large)}
        if len(set(large)) > 1:
            figures["queries_varied"] = sorted(set(large))
        return {"small": {"pages": {p.name: {"queries": small} for p in PAGES}},
                "xl": {"pages": {**{p.name: {"queries": small} for p in PAGES},
                                 page.name: figures}}}

    def verdict(runs):
        return next(c["ok"] for c in checks(["small", "xl"], runs) if c["page"] == page.name)

    assert verdict(run(14, [14, 15])) is True
    assert verdict(run(14, [15])) is False
    assert verdict(run(14, [15, 16])) is False
