from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from mab import i18n
from mab.assessments.access import assessment_view
from mab.assessments.models import Membership, Role
from mab.boundary import domain_errors, flash_errors, form_errors
from mab.confirmation import confirm_page, confirmed
from mab.drafts import queries, services
from mab.drafts.diff import diff_blocks
from mab.drafts.files import RejectedFile
from mab.drafts.forms import (
    AttachmentForm,
    CirculateForm,
    DiffForm,
    DraftForm,
    EditForm,
)
from mab.drafts.models import Attachment, Draft, DraftVersion
from mab.editions import labels as edition_labels
from mab.editions import queries as edition_queries
from mab.evidence import citations
from mab.extensions import db
from mab.loaders import get_or_404
from mab.framework.models import FrameworkItem, ItemKind
from mab.markdown import render_markdown
from mab.permissions import Action, can
from mab.visits import services as visit_services

bp = Blueprint("drafts", __name__, url_prefix="/a/<slug>")


def _editor() -> bool:
    return can(g.membership.role, Action.EDIT_DRAFTS)


def _sees_uncirculated() -> bool:
    return queries.sees_uncirculated(g.membership.role)


def _draft(assessment, draft_id) -> Draft:
    return queries.draft_or_404(assessment, draft_id, g.membership.role)


def _visible_versions(draft) -> list[DraftVersion]:
    return queries.visible_versions(draft, g.membership.role)


def _version(draft, number) -> DraftVersion:
    return queries.version_or_404(draft, number, g.membership.role)


def _items(assessment):
    if assessment.framework_id is None:
        return [(None, _("No framework chosen yet"))]
    rows = db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id)
        .order_by(FrameworkItem.position, FrameworkItem.code)).all()
    return [(None, "—")] + [(i.id, f"{i.code} · {i18n.display_name(i, assessment)[:90]}")
                            for i in rows
                            if not assessment.core_only or i.kind != ItemKind.INDICATOR or i.core]


@bp.get("/drafts")
@assessment_view(Action.READ_CIRCULATED)
def index(assessment):
    filters = {"subject": request.args.get("subject", ""), "search": request.args.get("q", "")[:100]}
    page = db.paginate(queries.drafts(assessment, circulated_only=not _sees_uncirculated(),
                                      **filters), per_page=50, error_out=False)
    return render_template("drafts/index.html", assessment=assessment, page=page, filters=filters,
                           editor=_editor(),
                           statuses=queries.draft_statuses(page.items, assessment.today()),
                           versions_of=_visible_versions,
                           editions=queries.edition_summaries(
                               assessment, page.items,
                               lambda d: (_visible_versions(d) or [None])[-1]))


@bp.route("/drafts/new", methods=["GET", "POST"])
@assessment_view(Action.EDIT_DRAFTS)
def new(assessment):
    form = DraftForm()
    form.item_id.choices = _items(assessment)
    form.owner_id.choices = queries.owner_choices(assessment)
    form.source_language.choices = [(code, i18n.LANGUAGE_NAMES.get(code, code))
                                    for code in assessment.language_list]
    if request.method == "GET":
        form.source_language.data = assessment.language_list[0]
    if request.method == "GET" and g.membership.role == Role.RESEARCHER:
        form.owner_id.data = g.membership.id
    if form.validate_on_submit():
        owner = db.session.get(Membership, form.owner_id.data) if form.owner_id.data else None
        with form_errors(form, "title"):
            draft = services.create_draft(assessment, subject=form.subject.data,
                                          item_id=form.item_id.data, title=form.title.data,
                                          owner=owner, body=form.body.data or "",
                                          actor=current_user,
                                          source_language=form.source_language.data or None)
            flash(_("The draft is created."), "success")
            return redirect(url_for("drafts.show", slug=assessment.slug, draft_id=draft.id))
    return render_template("drafts/new.html", assessment=assessment, form=form), (
        422 if form.errors else 200)


@bp.get("/drafts/<int:draft_id>")
@assessment_view(Action.READ_CIRCULATED)
def show(assessment, draft_id):
    return version_page(assessment, _draft(assessment, draft_id))


@bp.get("/drafts/<int:draft_id>/v/<int:number>")
@assessment_view(Action.READ_CIRCULATED)
def version(assessment, draft_id, number):
    return version_page(assessment, _draft(assessment, draft_id), number)


def version_page(assessment, draft, number=None):
    """A version with its comments; a board member's or observer's first opening is recorded."""
    context = queries.version_page(
        assessment, g.membership, draft, number, edition=request.args.get("edition"),
        side=request.args.get("side"), compare=request.args.get("compare") == "1")
    new_since = visit_services.visit_draft(g.membership, draft)   # bookkeeping too (mab.boundary)
    page = render_template("drafts/show.html", new_since=new_since, **context)
    if g.membership.role in (Role.BOARD_MEMBER, Role.OBSERVER):
        # Bookkeeping in its own short transaction, once the page is built (mab.boundary).
        services.record_view(context["version"], g.membership)
    return page


@bp.route("/drafts/<int:draft_id>/edit", methods=["GET", "POST"])
@assessment_view(Action.EDIT_DRAFTS)
def edit(assessment, draft_id):
    draft = _draft(assessment, draft_id)
    current = draft.versions[-1]
    form = EditForm()
    conflict = None
    preview = cites = None
    if request.method == "GET":
        form.body.data = current.body
        form.base_revision.data = current.revision
        form.base_number.data = current.number
    elif form.validate_on_submit():
        if "preview" in request.form:
            # Source references as the version page will show them, unknown ones as [?].
            cites = citations.of_texts(assessment, [form.body.data])
            preview = cites.html(render_markdown(form.body.data))
        else:
            with form_errors(form, "body"), domain_errors(services.EditConflict) as saving:
                saved = services.save_body(
                    draft, assessment, body=form.body.data or "",
                    change_summary=form.change_summary.data or "",
                    base_revision=int(form.base_revision.data or 0),
                    base_number=int(form.base_number.data or 0), actor=current_user)
                flash(_("Version %(n)d is saved.", n=saved.number), "success")
                return redirect(url_for("drafts.show", slug=assessment.slug, draft_id=draft.id))
            if saving.error is not None:
                theirs = saving.error.version
                conflict = {"message": saving.error.message, "theirs": theirs, "changes": diff_blocks(
                    theirs.blocks or [], services.assign_ids(
                        services.split_blocks(form.body.data or ""), theirs.blocks))}
                form.base_revision.data = theirs.revision
                form.base_number.data = theirs.number
    status = 409 if conflict else 422 if form.errors else 200
    return render_template("drafts/edit.html", assessment=assessment, draft=draft, form=form,
                           current=current, conflict=conflict, preview=preview,
                           citations=cites), status


@bp.get("/drafts/<int:draft_id>/diff")
@assessment_view(Action.READ_CIRCULATED)
def diff(assessment, draft_id):
    draft = _draft(assessment, draft_id)
    versions = _visible_versions(draft)
    form = DiffForm(request.args)
    numbers = [v.number for v in versions]
    b = form.b.data if form.b.data in numbers else numbers[-1]
    a = form.a.data if form.a.data in numbers else (numbers[-2] if len(numbers) > 1 else b)
    old, new = _version(draft, a), _version(draft, b)
    return render_template("drafts/diff.html", assessment=assessment, draft=draft, old=old,
                           new=new, versions=versions,
                           changes=diff_blocks(old.blocks or [], new.blocks or []))


@bp.post("/drafts/<int:draft_id>/attachments")
@assessment_view(Action.EDIT_DRAFTS)
def upload(assessment, draft_id):
    draft = _draft(assessment, draft_id)
    form = AttachmentForm()
    target = url_for("drafts.show", slug=assessment.slug, draft_id=draft.id)
    if not form.validate_on_submit():
        flash(_("Choose a file to attach."), "error")
        return redirect(target)
    upload = form.file.data
    with flash_errors(), domain_errors(RejectedFile) as attaching:
        services.add_attachment(draft.versions[-1], assessment, filename=upload.filename or "",
                                data=upload.read(), actor=current_user)
        flash(_("The file is attached."), "success")
    if isinstance(attaching.error, RejectedFile):
        flash(_("“%(name)s” was not attached: %(reason)s", name=upload.filename,
                reason=attaching.error.message), "error")
    return redirect(target)


@bp.get("/attachments/<int:attachment_id>")
@assessment_view(Action.READ_CIRCULATED)
def download(assessment, attachment_id):
    attachment = get_or_404(Attachment, attachment_id, assessment)
    if attachment.version.circulation is None and not _sees_uncirculated():
        abort(404)
    response = send_file(services.attachment_path(attachment), mimetype=attachment.content_type,
                         as_attachment=True, download_name=attachment.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/drafts/<int:draft_id>/circulate")
@assessment_view(Action.EDIT_DRAFTS)
def circulate(assessment, draft_id):
    """Without ``confirm=1``: the confirmation page (the hash it is frozen with, who is
    emailed); with it and the hash that page showed: circulated."""
    draft = _draft(assessment, draft_id)
    form = CirculateForm()
    version = draft.versions[-1]
    back = url_for("drafts.show", slug=assessment.slug, draft_id=draft.id)
    if not form.validate_on_submit():
        flash(_("Give the date by which comments are due."), "error")
        return redirect(back)
    notice = ""
    if confirmed():
        with domain_errors() as done:
            circulation = services.circulate(
                version, assessment, deadline=form.deadline.data, actor=current_user,
                message=form.message.data or "", seen_sha256=request.form.get("sha256", ""))
            flash(_("Version %(n)d is circulated to %(count)d people; comments are due by "
                    "%(date)s.", n=version.number, count=len(services.recipients(assessment)),
                    date=i18n.date_filter(circulation.deadline)), "success")
            return redirect(back)
        if done.error.field != "confirm":
            flash(str(done.error.message), "error")
            return redirect(back)
        notice = str(done.error.message)
    with flash_errors() as ok:
        preview = services.circulation_preview(version, assessment, form.deadline.data)
    if not ok:
        return redirect(back)
    return confirm_page(
        title=_("Circulate version %(n)d of “%(title)s”?", n=version.number, title=draft.title),
        assessment=assessment, notice=notice,
        consequences=_circulate_consequences(version, form.deadline.data, preview),
        action=url_for("drafts.circulate", slug=assessment.slug, draft_id=draft.id),
        hidden={"deadline": form.deadline.data.isoformat(), "sha256": preview.sha256},
        fields=[form.message], confirm_label=_("Freeze and circulate"), back_url=back,
        danger=False)


def _circulate_consequences(version, deadline, preview) -> list[str]:
    members = ngettext("%(num)d active board member", "%(num)d active board members",
                       preview.board_members)
    observers = ngettext("%(num)d observer", "%(num)d observers", preview.observers)
    if preview.board_members and preview.observers:
        sent = _("It is emailed to %(members)s and %(observers)s.", members=members,
                 observers=observers)
    elif preview.recipients:
        sent = _("It is emailed to %(people)s.",
                 people=members if preview.board_members else observers)
    else:
        sent = _("Nobody is emailed: the board has no active member and there is no observer.")
    return [_("Version %(n)d will be frozen with SHA-256 %(hash)s…: it can no longer be edited; "
              "later changes start a new version.", n=version.number, hash=preview.sha256[:12]),
            sent, *_circulated_editions(version, preview),
            _("Comments are taken until %(date)s.", date=i18n.date_filter(deadline)),
            _("Your message to the board, if you write one, is included in the email.")]


def _circulated_editions(version, preview) -> list[str]:
    """Which translations go out with the source, and which do not (with their status)."""
    if not preview.editions and not preview.withheld:
        return []     # one content language: nothing to say
    source = edition_labels.language_name(
        edition_queries.source_language(version.draft, g.assessment))
    lines = [_("It goes out in %(languages)s.", languages=", ".join(
        [_("%(language)s (the source)", language=source)]
        + [edition_labels.language_name(s.language) for s in preview.editions]))]
    if preview.withheld:
        lines.append(_("Not circulated, not complete yet: %(editions)s. Readers are offered a "
                       "translation once it is complete.",
                       editions=edition_labels.named(preview.withheld)))
    return lines


@bp.post("/drafts/<int:draft_id>/owner")
@assessment_view(Action.MANAGE_BOARD)
def reassign(assessment, draft_id):
    draft = _draft(assessment, draft_id)
    form = queries.owner_form(assessment, draft)
    if form.validate_on_submit():
        owner = db.session.get(Membership, form.owner_id.data)
        with flash_errors():
            services.reassign(draft, assessment, owner, actor=current_user)
            flash(_("The owner is changed."), "success")
    else:
        flash(_("The owner must be a researcher of this assessment."), "error")
    return redirect(url_for("drafts.show", slug=assessment.slug, draft_id=draft.id))
