from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from mab.assessments.access import assessment_view
from mab.audit import queries
from mab.audit.labels import kind_label
from mab.audit.present import describe
from mab.audit.anchor import AnchorError, dump_anchor, load_anchor
from mab.audit.models import AuditEvent
from mab.audit.services import chain_head, check_against, verify_chain
from mab.boundary import add_field_error
from mab.auth.models import User
from mab.extensions import db
from mab.forms import int_or_none
from mab.permissions import Action, can

bp = Blueprint("audit", __name__, url_prefix="/a/<slug>")
PER_PAGE = 100



class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = SelectField(_l("Who"), coerce=int_or_none, validators=[Optional()])
    object_type = SelectField(_l("Kind of record"), validators=[Optional()])
    object_id = StringField(_l("Record number"), validators=[Optional(), Length(max=40)])
    start = DateField(_l("Start date"), validators=[Optional()])
    end = DateField(_l("End date"), validators=[Optional()])


class AnchorForm(FlaskForm):
    file = FileField(_l("Audit anchor file"),
                     validators=[FileRequired(_l("Choose an audit anchor file."))],
                     description=_l("A file named mab-audit-anchor-….json, downloaded earlier "
                                    "from this page."))


MAX_ANCHOR_BYTES = 4096     # an anchor is about 250 bytes


def _bounds(assessment, day, *, end=False):
    zone = ZoneInfo(assessment.timezone)
    moment = datetime.combine(day + timedelta(days=1) if end else day, time(0), tzinfo=zone)
    return moment


@bp.get("/audit")
@assessment_view(Action.VIEW_AUDIT)
def index(assessment):
    return _page(assessment)


def _page(assessment, *, anchor_form=None, anchor=None, anchor_check=None, status=200):
    role = g.membership.role
    visible = queries.visible_to(assessment, role)
    form = AuditFilterForm(request.args)
    actors = db.session.execute(
        select(User.id, User.name, User.email).where(User.id.in_(
            select(AuditEvent.actor_id).where(*visible).distinct()))
        .order_by(User.name, User.email)).all()
    form.actor.choices = [(None, _l("Anyone"))] + [(a.id, a.name or a.email) for a in actors]
    types = db.session.scalars(select(AuditEvent.object_type).where(*visible).distinct()
                               .order_by(AuditEvent.object_type)).all()
    # The values stay the stored class names (the query string); people read the kind's label.
    form.object_type.choices = [("", _l("Anything"))] + sorted(
        ((t, str(kind_label(t))) for t in types), key=lambda choice: choice[1].casefold())
    form.validate()
    query = queries.events(assessment, role)
    if form.actor.data and not form.actor.errors:
        query = query.where(AuditEvent.actor_id == form.actor.data)
    if form.object_type.data and not form.object_type.errors:
        query = query.where(AuditEvent.object_type == form.object_type.data)
    if form.object_id.data and not form.object_id.errors:
        query = query.where(AuditEvent.object_id == form.object_id.data.strip())
    if form.start.data and not form.start.errors:
        query = query.where(AuditEvent.created_at >= _bounds(assessment, form.start.data))
    if form.end.data and not form.end.errors:
        query = query.where(AuditEvent.created_at < _bounds(assessment, form.end.data, end=True))
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    chain = None
    if request.args.get("verify") == "1":
        broken = verify_chain()
        chain = {"ok": broken is None, "broken": broken}
    args = {k: v for k, v in request.args.items() if k in form._fields and v}
    personal = can(role, Action.MANAGE_BOARD)
    hides = queries.hides_uncirculated(role)
    described = describe(page.items, assessment, hide_uncirculated=hides, personal=personal)
    return render_template("audit/index.html", assessment=assessment, form=form, page=page,
                           chain=chain, args=args, partial=hides or not personal,
                           rows=list(zip(page.items, described)),
                           anchor_form=anchor_form or AnchorForm(formdata=None),
                           anchor=anchor, anchor_check=anchor_check,
                           may_anchor=can(role, Action.MANAGE_VALIDATION)), status


# The anchor covers the whole chain (one chain for every assessment): its head hash and length.
# The coordinator downloads it (the permission to close rounds, whose certificates print the
# same head); whoever may read the audit log may check one.
@bp.get("/audit/anchor")
@assessment_view(Action.MANAGE_VALIDATION)
def anchor_download(assessment):
    data = dump_anchor(chain_head(), current_app.config["SECRET_KEY"])
    name = f"mab-audit-anchor-{assessment.slug}-{assessment.today().isoformat()}.json"
    return Response(data, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/audit/anchor/check")
@assessment_view(Action.VIEW_AUDIT)
def anchor_check(assessment):
    form = AnchorForm()
    if not form.validate_on_submit():
        return _page(assessment, anchor_form=form, status=422)
    data = form.file.data.read(MAX_ANCHOR_BYTES + 1)
    try:
        if len(data) > MAX_ANCHOR_BYTES:
            raise AnchorError("not an audit anchor")
        anchor = load_anchor(data, current_app.config["SECRET_KEY"])
    except AnchorError as error:
        add_field_error(form, "file", _("This file is not accepted: its signature does not "
                                        "match. It was altered, or made by another "
                                        "installation.") if "signature" in str(error) else
                        _("This file is not an audit anchor."))
        return _page(assessment, anchor_form=form, status=422)
    return _page(assessment, anchor=anchor, anchor_check=check_against(anchor))
