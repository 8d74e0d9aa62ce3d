from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from mab.assessments.access import menu_context
from mab.assessments.models import Assessment, Role
from mab.boundary import flash_errors, transactional
from mab.extensions import db
from mab.notify.models import OutboxMessage, OutboxStatus
from mab.forms import CsrfForm
from mab.notify.resend import resend_secret_message
from mab.notify.services import retry_message

bp = Blueprint("notify", __name__)



def _visible_assessment_ids() -> list[int] | None:
    """None means all (site admin); otherwise the assessments the user coordinates."""
    if current_user.is_site_admin:
        return None
    return [m.assessment_id for m in current_user.active_memberships
            if m.role == Role.COORDINATOR]


def _visible(query):
    ids = _visible_assessment_ids()
    if ids is None:
        return query
    if not ids:
        abort(403)
    return query.where(OutboxMessage.assessment_id.in_(ids))


@bp.get("/outbox")
@login_required
def outbox():
    status = request.args.get("status", "")
    query = _visible(select(OutboxMessage)).order_by(OutboxMessage.id.desc())
    if status in {s.value for s in OutboxStatus}:
        query = query.where(OutboxMessage.status == status)
    page = db.paginate(query, per_page=25, error_out=False)
    titles = dict(db.session.execute(
        select(Assessment.id, Assessment.title)
        .where(Assessment.id.in_({m.assessment_id for m in page.items if m.assessment_id}))).all())
    menu_context(request.args.get("a"))   # the menu of the assessment the reader came from
    return render_template("notify/outbox.html", page=page, status=status, titles=titles,
                           statuses=list(OutboxStatus), secrets_shown=_secrets_shown())


def _secrets_shown() -> bool:
    """Links that set a password are shown only on a developer's own machine with no mail
    server, to its site admin: that keeps the quick start usable and nothing else."""
    config = current_app.config
    return (current_user.is_site_admin and config["ENV_NAME"] == "development"
            and not config["MAIL_SERVER"])


@bp.post("/outbox/<int:message_id>/resend")
@login_required
@transactional
def resend(message_id):
    """A message with a hidden link: send the person a fresh link (the old one keeps working
    until it is used or expires)."""
    message = db.session.scalar(_visible(select(OutboxMessage))
                                .where(OutboxMessage.id == message_id))
    if message is None or not message.secret:
        abort(404)
    if CsrfForm().validate_on_submit():
        with flash_errors():
            resend_secret_message(message, actor=current_user)
            flash(_("A new link has been sent to %(email)s.", email=message.recipient), "success")
    return redirect(url_for("notify.outbox"))


@bp.post("/outbox/<int:message_id>/retry")
@login_required
@transactional
def retry(message_id):
    message = db.session.scalar(_visible(select(OutboxMessage))
                                .where(OutboxMessage.id == message_id))
    if message is None:
        abort(404)
    if message.status != OutboxStatus.FAILED:
        flash(_("Only a message that failed can be sent again."), "error")
    else:
        retry_message(message)
        flash(_("The message will be sent on the next delivery run."), "success")
    return redirect(url_for("notify.outbox"))
