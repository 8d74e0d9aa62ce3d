import functools
from datetime import timezone

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from mab import i18n
from mab.assessments.access import assessment_view
from mab.board import queries as board_queries
from mab.boundary import add_field_error, domain_errors, flash_errors, form_errors
from mab.comments import matrix as matrix_rules
from mab.comments import participation, queries, rules, services
from mab.comments.forms import (
    DISPOSITION_LABELS,
    CommentForm,
    DeadlineForm,
    DispositionForm,
    EditCommentForm,
    MatrixForm,
    ReplyForm,
    TranslationForm,
    VerdictForm,
)
from mab.comments.models import Comment
from mab.comments.queries import Pending
from mab.drafts import queries as draft_queries
from mab.drafts.models import Draft, DraftVersion
from mab.editions import queries as edition_queries
from mab.downloads import csv_response, html_response
from mab.extensions import db
from mab.loaders import get_or_404
from mab.forms import CsrfForm
from mab.permissions import Action, can

bp = Blueprint("comments", __name__, url_prefix="/a/<slug>")

MATRIX_PER_PAGE = 100
TABLE_PER_PAGE = 50


def _page_again(assessment, draft, number, pending: Pending):
    """Re-render the version page with the failed form open and the input kept (422); what
    a refused service wrote is rolled back already (mab.boundary). The drafts feature builds
    the page."""
    # On the edition the form was posted from (its ``language``), as the reader had it.
    edition = request.form.get("language") or request.args.get("edition")
    return render_template("drafts/show.html", **draft_queries.version_page(
        assessment, g.membership, draft, number, pending=pending, edition=edition)), 422


def _comment(assessment, comment_id) -> Comment:
    comment = get_or_404(Comment, comment_id, assessment)
    if comment.version.circulation is None and not can(g.membership.role,
                                                       Action.READ_UNCIRCULATED):
        abort(404)
    return comment


def _draft_version(assessment, draft_id, number) -> tuple[Draft, DraftVersion]:
    draft = draft_queries.draft_or_404(assessment, draft_id, g.membership.role)
    return draft, draft_queries.version_or_404(draft, number, g.membership.role)


def _viewed_number(comment: Comment) -> int:
    """The version page the form was on (carried comments show on later versions too)."""
    try:
        number = int(request.values.get("v", ""))
    except ValueError:
        return comment.version.number
    numbers = {v.number for v in comment.draft.versions}
    return number if number in numbers and number >= comment.version.number else \
        comment.version.number


def _back_to(assessment, comment: Comment, number: int | None = None, anchor=None,
             edition: str | None = None):
    return redirect(url_for("drafts.version", slug=assessment.slug, draft_id=comment.draft_id,
                            number=number or comment.version.number, edition=edition,
                            _anchor=anchor or f"c{comment.id}"))


def _edition_of(assessment, comment: Comment) -> str | None:
    """The edition to go back to after posting: the one the comment was written on, when it
    is a translation (the source is the page's own)."""
    source = edition_queries.source_language(comment.draft, assessment)
    return comment.language if comment.language and comment.language != source else None


@bp.post("/drafts/<int:draft_id>/v/<int:number>/comments")
@assessment_view(Action.COMMENT)
def create(assessment, draft_id, number):
    draft, version = _draft_version(assessment, draft_id, number)
    form = CommentForm()
    target = form.block_id.data or "general"
    if form.validate_on_submit():
        with domain_errors() as posting:
            comment = services.add_comment(version, assessment, g.membership,
                                           body=form.body.data, block_id=form.block_id.data or None,
                                           quote=form.quote.data or "",
                                           language=form.language.data or None)
            flash(_("Your comment is posted."), "success")
            return _back_to(assessment, comment, edition=_edition_of(assessment, comment))
        error = posting.error
        if error.field in ("body", "quote"):
            add_field_error(form, error.field, error.message)
            return _page_again(assessment, draft, number, Pending(target, form))
        if error.field == "block_id":   # no such paragraph: offer the general form
            return _page_again(assessment, draft, number,
                               Pending("general", form, [error.message]))
        return _page_again(assessment, draft, number, Pending(target, form, [error.message]))
    return _page_again(assessment, draft, number, Pending(target, form))


def _thread_page(assessment, root: Comment, kind: str, number: int):
    """The thread of ``root`` as on version ``number``, with its response form (``kind``
    "dispose") or reply form rendered in it: where a thread's "Record the response" or "Reply
    in the thread" leads without the page's script (which moves the page's one form instead)."""
    draft = root.draft
    version = draft_queries.version_or_404(draft, number, g.membership.role)
    here = f"{kind}-{root.id}"
    context = queries.version_context(assessment, g.membership, draft, version, here=here)
    placed = queries.placed_of(context["placement"], root.id)
    if placed is None:
        abort(404)
    return render_template("comments/thread.html", assessment=assessment, draft=draft,
                           version=version, placed=placed, kind=kind,
                           form_shown=here in context["shown_forms_here"], **context)


@bp.route("/comments/<int:comment_id>/replies", methods=["GET", "POST"])
@assessment_view(Action.COMMENT)
def reply(assessment, comment_id):
    parent = _comment(assessment, comment_id)
    root = parent.parent or parent
    number = _viewed_number(root)
    if request.method == "GET":
        return _thread_page(assessment, root, "reply", number)
    form = ReplyForm()
    target = f"reply-{root.id}"
    if form.validate_on_submit():
        with domain_errors() as replying:
            comment = services.reply(parent, assessment, g.membership, body=form.body.data,
                                     language=form.language.data or None)
            flash(_("Your reply is posted."), "success")
            return _back_to(assessment, comment, number,
                            edition=_edition_of(assessment, comment))
        return _page_again(assessment, root.draft, number,
                           Pending(target, form, [replying.error.message]))
    return _page_again(assessment, root.draft, number, Pending(target, form))


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@assessment_view(Action.COMMENT)
def edit(assessment, comment_id):
    comment = _comment(assessment, comment_id)
    problem = services.edit_problem(comment, g.membership, assessment.today())
    if problem == rules.NOT_AUTHOR:
        abort(403)
    form = EditCommentForm(obj=comment) if request.method == "GET" else EditCommentForm()
    if problem is None and form.validate_on_submit():
        with form_errors(form, "body"):
            services.edit(comment, assessment, g.membership, body=form.body.data,
                          quote=form.quote.data if comment.block_id else None)
            flash(_("Your comment is saved; the earlier wording stays in its history."),
                  "success")
            return _back_to(assessment, comment)
    withdraw_problem = services.withdraw_problem(comment, g.membership)
    status = 422 if form.errors else 200
    return render_template("comments/edit.html", assessment=assessment, comment=comment,
                           form=form, problem=services.PROBLEMS.get(problem),
                           can_withdraw=withdraw_problem is None,
                           withdraw_form=CsrfForm()), status


@bp.post("/comments/<int:comment_id>/withdraw")
@assessment_view(Action.COMMENT)
def withdraw(assessment, comment_id):
    comment = _comment(assessment, comment_id)
    if comment.author_id != g.membership.id:
        abort(403)
    if CsrfForm().validate_on_submit():
        with flash_errors():
            services.withdraw(comment, assessment, g.membership)
            flash(_("Your comment is withdrawn; a note stays in its place."), "success")
    return _back_to(assessment, comment)


@bp.route("/comments/<int:comment_id>/disposition", methods=["GET", "POST"])
@assessment_view(Action.DISPOSE_COMMENTS)
def dispose(assessment, comment_id):
    comment = _comment(assessment, comment_id)
    number = _viewed_number(comment)
    if request.method == "GET":
        if comment.parent_id is not None:
            abort(404)   # replies have no response of their own
        return _thread_page(assessment, comment, "dispose", number)
    form = DispositionForm()
    form.addressed_in.choices = [(None, "—")] + [
        (v.id, str(v.number)) for v in comment.draft.versions if v.number > comment.version.number]
    target = f"dispose-{comment.id}"
    if form.validate_on_submit():
        addressed = db.session.get(DraftVersion, form.addressed_in.data) \
            if form.addressed_in.data else None
        with domain_errors() as disposing:
            services.dispose(comment, assessment, g.membership,
                             disposition=form.disposition.data, response=form.response.data,
                             addressed_in=addressed)
            flash(_("The response is saved and the commenter is told."), "success")
            return _back_to(assessment, comment, number)
        error = disposing.error
        if error.field in ("disposition", "response", "addressed_in"):
            add_field_error(form, error.field, error.message)
            return _page_again(assessment, comment.draft, number, Pending(target, form))
        return _page_again(assessment, comment.draft, number,
                           Pending(target, form, [error.message]))
    return _page_again(assessment, comment.draft, number, Pending(target, form))


@bp.route("/comments/<int:comment_id>/translation", methods=["GET", "POST"])
@assessment_view(Action.DISPOSE_COMMENTS)
def translation(assessment, comment_id):
    """The research team's translation of a comment or a reply: a page of its own (no script
    needed), back to the version page once saved."""
    comment = _comment(assessment, comment_id)
    number = _viewed_number(comment.parent or comment)
    written = services.written_in(comment, assessment)
    languages = rules.translation_languages(assessment.language_list, written)
    form = TranslationForm(obj=comment) if request.method == "GET" else TranslationForm()
    form.translation_language.choices = [("", "—")] + [
        (code, i18n.LANGUAGE_NAMES.get(code, code)) for code in languages]
    if request.method == "GET" and not comment.translation_language:
        # The reader's own language if the comment may be put into it, else the first one.
        mine = str(get_locale())
        form.translation_language.data = mine if mine in languages else \
            (languages[0] if languages else "")
    if languages and not comment.withdrawn and form.validate_on_submit():
        with form_errors(form, "translation"):
            services.translate(comment, assessment, g.membership, text=form.translation.data,
                               language=form.translation_language.data or None)
            flash(_("The translation of the comment is saved."), "success")
            return _back_to(assessment, comment, number)
    status = 422 if form.errors else 200
    return render_template("comments/translation.html", assessment=assessment, comment=comment,
                           form=form, written=written, languages=languages, number=number,
                           draft=comment.draft), status


@bp.post("/comments/<int:comment_id>/verdict")
@assessment_view(Action.COMMENT)
def verdict(assessment, comment_id):
    comment = _comment(assessment, comment_id)
    form = VerdictForm()
    if comment.author_id != g.membership.id:
        abort(403)
    if form.validate_on_submit() and form.satisfied.data in ("yes", "no"):
        with flash_errors():
            services.set_verdict(comment, assessment, g.membership,
                                 satisfied=form.satisfied.data == "yes")
            flash(_("Thank you; the researchers see your view of their response."), "success")
    return _back_to(assessment, comment, _viewed_number(comment))


@bp.post("/drafts/<int:draft_id>/v/<int:number>/deadline")
@assessment_view(Action.EXTEND_DEADLINE)
def extend(assessment, draft_id, number):
    draft, version = _draft_version(assessment, draft_id, number)
    if version.circulation is None:
        abort(404)
    form = DeadlineForm()
    if form.validate_on_submit():
        with form_errors(form, "deadline"):
            services.extend_deadline(version.circulation, assessment, deadline=form.deadline.data,
                                     actor=current_user)
            flash(_("Comments are now due by %(date)s; the board is told.",
                    date=i18n.date_filter(form.deadline.data)), "success")
            return redirect(url_for("drafts.version", slug=assessment.slug, draft_id=draft.id,
                                    number=number))
    return _page_again(assessment, draft, number, Pending("deadline", form))


# Disposing of many comments at once ----------------------------------------------------------

@bp.route("/drafts/<int:draft_id>/responses", methods=["GET", "POST"])
@assessment_view(Action.DISPOSE_COMMENTS)
def responses(assessment, draft_id):
    draft = draft_queries.draft_or_404(assessment, draft_id, g.membership.role)
    show_all = request.values.get("all") == "1"
    page = db.paginate(queries.to_dispose(draft, only_open=not show_all),
                       per_page=TABLE_PER_PAGE, error_out=False)
    rows = page.items
    values, errors = {}, {}
    if request.method == "POST":
        if not CsrfForm().validate_on_submit():
            abort(400)
        chosen = []
        for comment in rows:
            key = str(comment.id)
            value = {"disposition": request.form.get(f"disposition-{key}", ""),
                     "response": request.form.get(f"response-{key}", "").strip(),
                     "addressed_in": request.form.get(f"addressed-{key}", "")}
            values[comment.id] = value
            if not value["disposition"] and not value["response"]:
                continue
            addressed = next((v for v in draft.versions if str(v.id) == value["addressed_in"]),
                             None)
            chosen.append((comment, value["disposition"], value["response"], addressed))
        if chosen:
            # Nothing half-saves: one refused row keeps them all (the boundary rolls back).
            with domain_errors(services.SomeRefused) as saving:
                saved = services.dispose_each(chosen, assessment, g.membership)
                flash(_("%(n)d responses saved; the commenters are told.", n=len(saved)),
                      "success")
                return redirect(url_for("comments.responses", slug=assessment.slug,
                                        draft_id=draft.id, all="1" if show_all else None))
            errors = saving.error.problems
            rows = db.paginate(queries.to_dispose(draft, only_open=not show_all),
                               per_page=TABLE_PER_PAGE, page=page.page, error_out=False).items
        else:
            flash(_("Choose a disposition and write a response for at least one comment."),
                  "error")
    status = 422 if errors or (request.method == "POST") else 200
    return render_template("comments/responses.html", assessment=assessment, draft=draft,
                           page=page, rows=rows, values=values, errors=errors, show_all=show_all,
                           form=CsrfForm(), disposition_labels=DISPOSITION_LABELS), status


# The comment-resolution matrix -------------------------------------------------------------

def _matrix_filters(assessment) -> tuple[MatrixForm, queries.MatrixFilters]:
    form = MatrixForm(request.args)
    form.draft.choices = [(None, _("All drafts"))] + [
        (draft_id, title) for draft_id, title in queries.drafts_with_comments(assessment)]
    form.group.choices = [(None, _("All groups"))] + [
        (grp.id, i18n.display_name(grp, assessment)) for grp in board_queries.groups(assessment)]
    languages = assessment.language_list
    form.language.choices = [("", _("Any language"))] + [
        (code, i18n.LANGUAGE_NAMES.get(code, code)) for code in languages]
    form.validate()
    draft_ids = {c[0] for c in form.draft.choices}
    group_ids = {c[0] for c in form.group.choices}
    return form, queries.MatrixFilters(
        draft_id=form.draft.data if form.draft.data in draft_ids else None,
        group_id=form.group.data if form.group.data in group_ids else None,
        disposition=form.disposition.data if not form.disposition.errors else "",
        language=form.language.data if form.language.data in languages else "",
        main_language=languages[0])


def _row_formats() -> dict:
    """What every matrix row formats (its day, "version N", "N replies"), made once per value:
    the print view has thousands of rows and few distinct values."""
    zone = get_timezone()
    days: dict = {}

    def day(value) -> str:
        local = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(zone)
        if local.date() not in days:
            days[local.date()] = i18n.date_filter(local.date())
        return days[local.date()]
    return {"day": day, "version": functools.cache(lambda n: _("version %(n)d", n=n)),
            "replies": functools.cache(
                lambda n: ngettext("%(num)d reply", "%(num)d replies", n))}


@bp.get("/comments")
@assessment_view(Action.EXPORT)
def matrix(assessment):
    form, filters = _matrix_filters(assessment)
    if request.args.get("print") == "1":
        # Every row, for paper: streamed as the rows come from the database (the screen's
        # pages below are for reading).
        return html_response(
            "comments/print.html", assessment=assessment, filters=filters,
            count=queries.matrix_count(assessment, filters),
            rows=queries.matrix_rows(assessment, filters, html=True), fmt=_row_formats(),
            disposition_labels={key: str(label) for key, label in DISPOSITION_LABELS.items()})
    # paginate() yields the first column only: the page's reply counts come in one small
    # query, rather than running the whole sorted query a second time.
    page = db.paginate(queries.matrix(assessment, filters).with_only_columns(Comment),
                       per_page=MATRIX_PER_PAGE, error_out=False)
    replies = queries.reply_counts([comment.id for comment in page.items])
    rows = matrix_rules.rows_of(((comment, replies.get(comment.id, 0)) for comment in page.items),
                                main_language=assessment.language_list[0])
    return render_template("comments/matrix.html",
                           assessment=assessment, form=form, filters=filters, rows=rows,
                           page=page, disposition_labels=DISPOSITION_LABELS, fmt=_row_formats(),
                           open_count=queries.open_count(assessment))


@bp.get("/comments.csv")
@assessment_view(Action.EXPORT)
def matrix_csv(assessment):
    _form, filters = _matrix_filters(assessment)
    return csv_response(queries.matrix_csv(assessment, filters), f"{assessment.slug}-comments.csv")


# Participation -------------------------------------------------------------------------------

@bp.get("/participation")
@assessment_view(Action.VIEW_BALANCE_PERSONAL)
def participation_page(assessment):
    drafts = queries.drafts_with_comments(assessment)
    try:
        draft_id = int(request.args.get("draft", ""))
    except ValueError:
        draft_id = None
    if draft_id not in {d[0] for d in drafts}:
        draft_id = None
    voices = queries.board_voices(assessment, draft_id)
    groups = board_queries.rule_groups(assessment)
    return render_template(
        "comments/participation.html", assessment=assessment, drafts=drafts, draft_id=draft_id,
        comments_table=participation.comment_table(voices, groups),
        commenters_table=participation.commenter_table(voices, groups),
        silent=participation.silent(voices),
        silent_indicators=queries.silent_indicators(assessment) if draft_id is None else [],
        group_names={grp.id: grp.name for grp in groups})

