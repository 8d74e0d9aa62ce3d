import base64

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from mab import i18n
from mab.assessments.access import assessment_view
from mab.assessments.models import BoardStatus, Membership, Role
from mab.auth.models import User
from mab.board import charts, csvio, queries, rules, services, tokens
from mab.board.explain import explain
from mab.board.forms import (
    AppointForm,
    BalanceForm,
    ConfirmImportForm,
    EditMemberForm,
    ImportForm,
    NewMemberForm,
    StepDownForm,
    group_form,
    policy_form,
)
from mab.board.models import StakeholderGroup
from mab.boundary import flash_errors, form_errors
from mab.confirmation import confirm_page, confirmed
from mab.csvio import iter_csv
from mab.downloads import csv_response
from mab.comments import participation
from mab.comments import queries as comment_queries
from mab.extensions import db
from mab.i18n import display_name
from mab.loaders import get_or_404
from mab.permissions import Action, can

bp = Blueprint("board", __name__, url_prefix="/a/<slug>")


def _manager() -> bool:
    return can(g.membership.role, Action.MANAGE_BOARD)


def _board_membership(assessment, membership_id) -> Membership:
    membership = get_or_404(Membership, membership_id, assessment)
    if membership.role != Role.BOARD_MEMBER:
        abort(404)
    return membership


def _group(assessment, group_id) -> StakeholderGroup:
    return get_or_404(StakeholderGroup, group_id, assessment)


# --- registry -------------------------------------------------------------------------------

@bp.get("/board")
@assessment_view(Action.VIEW_TEAM)
def index(assessment):
    manager = _manager()
    filters = {
        "group_id": request.args.get("group", type=int),
        "gender": request.args.get("gender", "") if manager else "",
        "status": request.args.get("status", "") if request.args.get("status") in set(
            BoardStatus) else "",
        "search": request.args.get("q", "")[:100],
        "sort": request.args.get("sort", "name"),
    }
    # Only the coordinator sees emails, so only the coordinator may search them.
    page = db.paginate(queries.board(assessment, **filters, search_emails=manager), per_page=25,
                       error_out=False)
    return render_template(
        "board/index.html", assessment=assessment, page=page, filters=filters, manager=manager,
        groups=queries.groups(assessment), counts=queries.status_counts(assessment),
        team=queries.team_by_role(assessment, [Role.COORDINATOR, Role.RESEARCHER, Role.OBSERVER]))


def _history(assessment, membership) -> list:
    """The member's recorded changes in words (the coordinator's view: personal details too)."""
    from mab.audit.present import describe
    events = queries.history(membership)
    return list(zip(events, describe(events, assessment, hide_uncirculated=False,
                                     personal=True)))


@bp.get("/board/<int:membership_id>")
@assessment_view(Action.VIEW_TEAM)
def show(assessment, membership_id):
    membership = _board_membership(assessment, membership_id)
    personal = _manager() or membership.user_id == current_user.id
    return render_template("board/show.html", assessment=assessment, m=membership,
                           personal=personal, manager=_manager(),
                           history=_history(assessment, membership) if _manager() else [],
                           step_down=StepDownForm(on=assessment.today()),
                           appoint=AppointForm(on=assessment.today()))


@bp.route("/board/new", methods=["GET", "POST"])
@assessment_view(Action.MANAGE_BOARD)
def new(assessment):
    groups = queries.groups(assessment)
    form = NewMemberForm(language=assessment.language_list[0]).set_choices(groups)
    if form.validate_on_submit():
        with form_errors(form, "email"):
            membership = services.add_board_member(
                assessment, email=form.email.data, name=form.name.data,
                language=form.language.data, status=form.status.data, actor=current_user,
                gender=form.gender.data or None, **_board_fields(form))
            flash(_("%(name)s has been added to the board and invited by email.",
                    name=membership.user.display_name), "success")
            return redirect(url_for("board.show", slug=assessment.slug, membership_id=membership.id))
    status = 422 if form.errors else 200
    return render_template("board/form.html", assessment=assessment, form=form, membership=None), status


@bp.route("/board/<int:membership_id>/edit", methods=["GET", "POST"])
@assessment_view(Action.MANAGE_BOARD)
def edit(assessment, membership_id):
    membership = _board_membership(assessment, membership_id)
    groups = queries.groups(assessment)
    form = EditMemberForm(obj=membership)
    if request.method == "GET":
        form.gender.data = membership.user.gender or ""
    form.set_choices(groups, current=membership.group_id)
    if form.validate_on_submit():
        with form_errors(form, "group_id"):
            services.update_board_member(membership, actor=current_user, **_board_fields(form))
            user = membership.user
            if (rules.gender_editable(user.gender, user.gender_recorded_by_coordinator)
                    and form.gender.data != (user.gender or "")):
                services.record_gender(membership, form.gender.data or None, actor=current_user)
            flash(_("The member's details have been saved."), "success")
            return redirect(url_for("board.show", slug=assessment.slug, membership_id=membership.id))
    status = 422 if form.errors else 200
    return render_template("board/form.html", assessment=assessment, form=form,
                           membership=membership, gender_editable=rules.gender_editable(
                               membership.user.gender,
                               membership.user.gender_recorded_by_coordinator)), status


def _board_fields(form) -> dict:
    return {name: getattr(form, name).data for name in services.BOARD_FIELDS}


@bp.post("/board/<int:membership_id>/step-down")
@assessment_view(Action.MANAGE_BOARD)
def step_down(assessment, membership_id):
    """Without ``confirm=1``: the confirmation page (the balance after, open rounds); with it:
    recorded."""
    membership = _board_membership(assessment, membership_id)
    form = StepDownForm()
    back = url_for("board.show", slug=assessment.slug, membership_id=membership.id)
    if not form.validate_on_submit():
        flash(_("Give the date on which the member stepped down."), "error")
        return redirect(back)
    name = membership.user.display_name
    if confirmed():
        with flash_errors():
            services.step_down(membership, form.on.data, actor=current_user,
                               reason=form.reason.data)
            flash(_("%(name)s has stepped down; the record is kept.", name=name), "success")
        return redirect(back)
    with flash_errors() as ok:
        preview = services.step_down_preview(membership, form.on.data)
    if not ok:
        return redirect(back)
    return confirm_page(
        title=_("Record that %(name)s stepped down?", name=name), assessment=assessment,
        consequences=_step_down_consequences(name, form.on.data, preview),
        action=url_for("board.step_down", slug=assessment.slug, membership_id=membership.id),
        hidden={"on": form.on.data.isoformat(), "reason": form.reason.data or ""},
        confirm_label=_("Record stepping down"), back_url=back)


def _step_down_consequences(name, on, preview) -> list[str]:
    lines = [_("%(name)s is recorded as having stepped down on %(date)s: from now on they no "
               "longer count as an active member, and they are signed out.",
               name=name, date=i18n.date_filter(on))]
    if not preview.serving:
        lines.append(_("%(name)s is not serving on that date: the balance does not change.",
                       name=name))
    else:
        if preview.group_name:
            lines.append(ngettext(
                "%(group)s will then have %(num)d active member (its minimum is %(min)d).",
                "%(group)s will then have %(num)d active members (its minimum is %(min)d).",
                preview.group_active, group=preview.group_name, min=preview.group_min))
        lines += [_("New balance problem: %(finding)s", finding=explain(check)[0])
                  for check in preview.new_problems]
        if not preview.new_problems:
            lines.append(_("No new balance problem arises."))
    for round_, decided in preview.open_rounds:
        values = {"title": round_.version.draft.title, "n": round_.version.number}
        lines.append(_("Their decision in the open validation round on “%(title)s” (version "
                       "%(n)d) will no longer count.", **values) if decided else
                     _("They will no longer be awaited in the open validation round on "
                       "“%(title)s” (version %(n)d).", **values))
    lines.append(_("Their comments and earlier decisions stay in the record."))
    return lines


@bp.post("/board/<int:membership_id>/appoint")
@assessment_view(Action.MANAGE_BOARD)
def appoint(assessment, membership_id):
    membership = _board_membership(assessment, membership_id)
    form = AppointForm()
    if form.validate_on_submit():
        with flash_errors():
            services.appoint(membership, form.on.data, actor=current_user)
            flash(_("%(name)s is now an active member.", name=membership.user.display_name),
                  "success")
    return redirect(url_for("board.show", slug=assessment.slug, membership_id=membership.id))


# --- CSV --------------------------------------------------------------------------------------

@bp.get("/board.csv")
@assessment_view(Action.EXPORT)
def export(assessment):
    manager = _manager()
    header = ["name", "group", "organisation", "position", "status", "term_start", "term_end",
              "appointed_on", "stepped_down_on", "coi_declaration"]
    if manager:
        header[1:1] = ["email", "gender", "language"]
        header += ["notes"]
    rows = []
    for m in db.session.scalars(queries.board(assessment, sort="group")):
        row = [m.user.name, m.group.name if m.group else "", m.organisation, m.position,
               m.board_status, m.term_start, m.term_end, m.appointed_on, m.stepped_down_on,
               m.coi_declaration]
        if manager:
            row[1:1] = [m.user.email, m.user.gender or "", m.user.language]
            row += [m.notes]
        rows.append([str(v) if isinstance(v, BoardStatus) else v for v in row])
    return csv_response(iter_csv(header, rows), f"{assessment.slug}-board.csv")




def _parse(assessment, data: bytes):
    # A group is found by its name or by its name in any language ("Правительство").
    groups = {}
    for g in queries.groups(assessment):
        if not g.retired:
            for name in [*(g.names or {}).values(), g.name]:
                groups[name.lower()] = (g.id, display_name(g, assessment))
    existing = set(db.session.scalars(
        db.select(User.email).join(Membership.user)
        .where(Membership.assessment_id == assessment.id)))
    return csvio.parse_board_file(data, groups=groups, existing_emails=existing)


def _import_page(assessment, checked, confirm, form=None, status=200):
    rows = checked.rows if confirm else []
    return render_template(
        "board/import.html", assessment=assessment, form=form or ImportForm(), rows=rows,
        errors=checked.errors, confirm=confirm, columns=csvio.COLUMNS,
        left_out=_left_out(checked) if confirm else [],
        consequences=_import_consequences(services.import_preview(rows)) if confirm else []
    ), status


def _left_out(checked) -> list[str]:
    """What the preview says is not imported on purpose (a board export imports as it is)."""
    notes = []
    if checked.ignored_columns:
        notes.append(_("Not imported: the column(s) %(columns)s of the board export (a "
                       "conflict-of-interest declaration is made anew in each assessment; a "
                       "stepping-down date belongs to the assessment where it happened).",
                       columns=", ".join(checked.ignored_columns)))
    if checked.stepped_down_lines:
        lines = ", ".join(str(n) for n in checked.stepped_down_lines)
        notes.append(ngettext("Not imported: %(num)d person who stepped down (line %(lines)s).",
                              "Not imported: %(num)d people who stepped down (lines %(lines)s).",
                              len(checked.stepped_down_lines), lines=lines))
    return notes


def _import_consequences(preview) -> list[str]:
    lines = [ngettext("%(num)d person will be added to the board.",
                      "%(num)d people will be added to the board.", preview.added)]
    if preview.nominees:
        lines.append(ngettext("%(num)d of them as a nominee (not yet counted in the balance).",
                              "%(num)d of them as nominees (not yet counted in the balance).",
                              preview.nominees))
    if preview.invitations:
        lines.append(ngettext(
            "%(num)d invitation to create an account will be emailed.",
            "%(num)d invitations to create an account will be emailed.", preview.invitations))
    if preview.notices:
        lines.append(ngettext(
            "%(num)d person who already has an account will be emailed that they were added.",
            "%(num)d people who already have an account will be emailed that they were added.",
            preview.notices))
    return lines


@bp.route("/board/import", methods=["GET", "POST"])
@assessment_view(Action.MANAGE_BOARD)
def import_board(assessment):
    form = ImportForm()
    checked, confirm = csvio.BoardFile(), None
    if form.validate_on_submit():
        data = form.file.data.read()
        checked = _parse(assessment, data)
        if not checked.errors:
            payload = base64.b64encode(data).decode("ascii")
            confirm = ConfirmImportForm(payload=payload,
                                        digest=tokens.sign_preview(payload, assessment.id))
    return _import_page(assessment, checked, confirm, form,
                        422 if (form.errors or checked.errors) else 200)


@bp.post("/board/import/confirm")
@assessment_view(Action.MANAGE_BOARD)
def confirm_import(assessment):
    """Imports the previewed file only: its signed digest and ``confirm=1`` are required (without
    ``confirm`` the preview is shown again and nothing is saved)."""
    form = ConfirmImportForm()
    if not form.validate_on_submit() or not tokens.preview_is_genuine(
            form.payload.data, form.digest.data, assessment.id):
        abort(400)
    checked = _parse(assessment, base64.b64decode(form.payload.data))
    rows = checked.rows
    if checked.errors:   # the board changed since the preview: show why, import nothing
        return _import_page(assessment, checked, None, status=422)
    if not confirmed():
        return _import_page(assessment, checked, form)
    with flash_errors() as imported:
        for row in rows:
            services.add_board_member(
                assessment, email=row.email, name=row.name, language=row.language,
                status=row.status, actor=current_user, gender=row.gender, group_id=row.group_id,
                organisation=row.organisation, position=row.position,
                term_start=row.term_start, term_end=row.term_end,
                appointed_on=row.appointed_on, notes=row.notes)
    if not imported:
        return redirect(url_for("board.import_board", slug=assessment.slug))
    flash(_("%(n)d members imported and invited.", n=len(rows)), "success")
    return redirect(url_for("board.index", slug=assessment.slug))


# --- groups and policy ------------------------------------------------------------------------

@bp.route("/groups", methods=["GET", "POST"])
@assessment_view(Action.VIEW_TEAM)
def groups(assessment):
    form = group_form(assessment.language_list)
    if request.method == "POST":
        if not _manager():
            abort(403)
        if form.validate_on_submit():
            with form_errors(form, "name"):
                services.save_group(assessment, None, actor=current_user, **_group_fields(form))
                flash(_("The group has been added."), "success")
                return redirect(url_for("board.groups", slug=assessment.slug))
    return _groups_page(assessment, form)


def _group_fields(form) -> dict:
    return {"name": form.name.data, "description": form.description.data or "",
            "min_members": form.min_members.data, "position": form.position.data,
            "retired": form.retired.data, "names": form.names()}


def _groups_page(assessment, form, editing=None):
    status = 422 if form.errors else 200
    return render_template("board/groups.html", assessment=assessment, form=form,
                           groups=queries.groups(assessment), editing=editing,
                           counts=queries.group_member_counts(assessment),
                           manager=_manager()), status


@bp.route("/groups/<int:group_id>", methods=["GET", "POST"])
@assessment_view(Action.MANAGE_BOARD)
def edit_group(assessment, group_id):
    group = _group(assessment, group_id)
    form = group_form(assessment.language_list, group)
    if form.validate_on_submit():
        with form_errors(form, "name"):
            services.save_group(assessment, group, actor=current_user, **_group_fields(form))
            flash(_("The group has been saved."), "success")
            return redirect(url_for("board.groups", slug=assessment.slug))
    return _groups_page(assessment, form, editing=group)


@bp.post("/groups/<int:group_id>/delete")
@assessment_view(Action.MANAGE_BOARD)
def delete_group(assessment, group_id):
    """A group with members is refused at once; without ``confirm=1`` the confirmation page."""
    group = _group(assessment, group_id)
    back = url_for("board.groups", slug=assessment.slug)
    with flash_errors() as ok:
        services.check_deletable(group)
    if not ok:
        return redirect(back)
    if confirmed():
        with flash_errors():
            services.delete_group(group, actor=current_user)
            flash(_("The group has been deleted."), "success")
        return redirect(back)
    lines = [_("“%(name)s” has no members: it is deleted for good.",
               name=display_name(group, assessment))]
    if not group.retired and group.min_members:
        lines.append(ngettext("The balance will no longer ask for %(num)d member of this group.",
                              "The balance will no longer ask for %(num)d members of this group.",
                              group.min_members))
    lines.append(_("The audit log keeps its name."))
    return confirm_page(
        title=_("Delete the group “%(name)s”?", name=display_name(group, assessment)),
        assessment=assessment,
        consequences=lines,
        action=url_for("board.delete_group", slug=assessment.slug, group_id=group.id),
        confirm_label=_("Delete the group"), back_url=back)


@bp.route("/policy", methods=["GET", "POST"])
@assessment_view(Action.VIEW_TEAM)
def policy(assessment):
    form = policy_form(assessment)
    if request.method == "POST":
        if not _manager():
            abort(403)
        if form.validate_on_submit():
            with form_errors(form, "gender_min_pct"):
                services.update_policy(assessment, actor=current_user, **form.data)
                flash(_("The policy has been saved."), "success")
                return redirect(url_for("board.policy", slug=assessment.slug))
    status = 422 if form.errors else 200
    return render_template("board/policy.html", assessment=assessment, form=form,
                           manager=_manager()), status


# --- balance ----------------------------------------------------------------------------------

def _balance(assessment):
    form = BalanceForm(request.args)
    form.validate()
    on = form.on.data or queries.today_in(assessment)
    projection = bool(form.projection.data)
    seats = queries.seats(assessment)
    board = rules.composition(seats, on, with_nominees=projection)
    groups = queries.rule_groups(assessment)
    policy = rules.Policy.of(assessment)
    checks = rules.balance_checks(board, groups, policy)
    # Retired groups no longer count, but members still in one are shown under its name.
    seated = {s.group_id for s in board}
    shown_groups = groups + [rules.Group(g.id, display_name(g, assessment), 0)
                             for g in queries.groups(assessment)
                             if g.retired and g.id in seated]
    table = rules.group_gender_table(board, shown_groups)
    research = queries.research_team_genders(assessment)
    return {"form": form, "on": on, "projection": projection, "checks": checks,
            "explained": [(c, *explain(c)) for c in checks], "table": table,
            "full": _manager(), "policy": policy, "board_size": len(board),
            "nominees": sum(1 for s in seats if s.status == rules.NOMINEE),
            "research": rules.gender_checks(research, policy) if research else [],
            "research_table": rules.group_gender_table(research, []), "groups": groups}


@bp.get("/balance")
@assessment_view(Action.VIEW_BALANCE)
def balance(assessment):
    data = _balance(assessment)
    data["charts"] = charts.balance_charts(data["table"], data["policy"], full=data["full"])
    voices = comment_queries.board_voices(assessment)
    data["comments_table"] = participation.comment_table(voices, data["groups"])
    data["commenters_table"] = participation.commenter_table(voices, data["groups"])
    return render_template("board/balance.html", assessment=assessment, **data)


@bp.get("/balance.csv")
@assessment_view(Action.VIEW_BALANCE)
def balance_csv(assessment):
    data = _balance(assessment)
    table, full = data["table"], data["full"]
    header = ["group", *table.genders, "total"]
    rows = csvio.table_rows(table, full)
    rows.append(["total", *csvio.gender_cells(table.totals, table.genders, full), table.total])
    return csv_response(iter_csv(header, rows),
                         f"{assessment.slug}-balance-{data['on'].isoformat()}.csv")

