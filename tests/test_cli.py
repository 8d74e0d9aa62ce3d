from sqlalchemy import func, select

from mab.assessments.models import Assessment, Membership, Role
from mab.auth.models import User
from mab.extensions import db
from tests.factories import PASSWORD, make_user


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_admin_is_idempotent(runner):
    args = ["mab", "create-admin", "--email", "Admin@Example.org", "--password", "steppe-wind-2022"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0 and "Created" in first.output
    second = runner.invoke(args=args)
    assert second.exit_code == 0 and "Updated" in second.output
    admin = db.session.scalars(select(User)).one()
    assert admin.email == "admin@example.org" and admin.is_site_admin


def test_create_admin_applies_the_password_policy(runner):
    result = runner.invoke(args=["mab", "create-admin", "--email", "a@example.org",
                                 "--password", "password"])
    assert result.exit_code != 0 and count(User) == 0


def test_create_admin_promotes_existing_account_keeping_its_password(runner):
    make_user(email="p@example.org")
    db.session.commit()
    result = runner.invoke(args=["mab", "create-admin", "--email", "p@example.org",
                                 "--password", ""])
    assert result.exit_code == 0
    user = db.session.scalars(select(User)).one()
    assert user.is_site_admin


def test_seed_demo_matches_the_design_and_is_idempotent(runner, client):
    result = runner.invoke(args=["mab", "seed-demo"])
    assert result.exit_code == 0 and "demo-pass-123" in result.output
    for email in ["admin@example.org", "coordinator@example.org", "researcher@example.org",
                  "member01@example.org", "member14@example.org", "observer@example.org"]:
        assert email in result.output
    assessment = db.session.scalar(select(Assessment))
    assert (assessment.slug, assessment.timezone) == ("kz-2022", "Asia/Almaty")
    board = db.session.scalars(select(Membership).where(Membership.role == Role.BOARD_MEMBER)).all()
    assert len(board) == 14
    women = sum(m.user.gender == "woman" for m in board)
    assert women / len(board) < 0.4   # deliberately imperfect
    users = count(User)
    again = runner.invoke(args=["mab", "seed-demo"])
    assert again.exit_code == 0 and "there already" in again.output and count(User) == users
    assert runner.invoke(args=["mab", "seed-demo", "--if-empty"]).exit_code == 0
    assert count(User) == users
    # The demo login works.
    response = client.post("/login", data={"email": "coordinator@example.org",
                                           "password": "demo-pass-123"})
    assert response.status_code == 302


def test_seed_demo_refused_in_production(runner, app):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["mab", "seed-demo"])
    assert result.exit_code != 0 and "never" in result.output and count(User) == 0


def test_seed_if_empty_leaves_a_used_database_alone(runner):
    make_user(password=PASSWORD)
    db.session.commit()
    result = runner.invoke(args=["mab", "seed-demo", "--if-empty"])
    assert "not loaded" in result.output and count(Assessment) == 0


def test_send_reminders_builds_its_links_outside_a_request(runner, app):
    """Cron runs the command with no request: the mail links must still be built."""
    from datetime import timedelta

    from mab.meetings import services as meetings
    from mab.notify.models import OutboxMessage
    from mab.types import utcnow
    from tests.factories import team

    assessment, people = team()
    start = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    with app.test_request_context("/"):
        meetings.schedule_meeting(
            assessment, actor=people["coordinator"],
            invitees=meetings.default_invitees(assessment), kind="board_meeting",
            title="Board meeting", starts_at=start, ends_at=start + timedelta(hours=2),
            place="Almaty", online_url="", agenda="")
    db.session.commit()
    result = runner.invoke(args=["mab", "send-reminders", "--days", "7"])
    assert result.exit_code == 0, repr(result.exception)
    reminders = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "meeting_reminder")).all()
    assert reminders and all("http://localhost/" in m.body_text for m in reminders)
