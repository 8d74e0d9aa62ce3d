import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import select

from mab.assessments.models import Assessment, Role
from mab.extensions import db
from mab.notify.models import OutboxMessage, OutboxStatus
from mab.notify.services import retry_message

bp = Blueprint("notify", __name__)

URL_RE = re.compile(r"https?://[^\s<>\"']+")


def _visible_assessment_ids() -> list[int] | None:
    """None means all (site admin); otherwise the assessments the user coordinates."""
    if current_user.is_site_admin:
        return None
    return [m.assessment_id for m in current_user.memberships if m.role == Role.COORDINATOR]


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
    return render_template("notify/outbox.html", page=page, status=status, titles=titles,
                           statuses=list(OutboxStatus))


@bp.post("/outbox/<int:message_id>/retry")
@login_required
def retry(message_id):
    message = db.session.scalar(_visible(select(OutboxMessage))
                                .where(OutboxMessage.id == message_id))
    if message is None:
        abort(404)
    if message.status != OutboxStatus.FAILED:
        flash(_("Only a message that failed can be sent again."), "error")
    else:
        retry_message(message)
        db.session.commit()
        flash(_("The message will be sent on the next delivery run."), "success")
    return redirect(url_for("notify.outbox"))


@bp.app_template_filter("linkify")
def linkify(text: str) -> Markup:
    """Plain text with its web addresses made clickable (everything else escaped)."""
    # As plain text even when it comes as Markup: a {% filter linkify %} block in an HTML email
    # hands over the included .txt template's output (user input unescaped) marked safe.
    text = str(text or "")
    parts, last = [], 0
    for match in URL_RE.finditer(text or ""):
        parts.append(escape(text[last:match.start()]))
        url = match.group(0)
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = match.end()
    parts.append(escape((text or "")[last:]))
    return Markup("").join(parts)
