"""Pages of a validation workshop's recommendations and the board's positions (issue 19)."""
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import joinedload

from mab.assessments.access import assessment_view
from mab.boundary import flash_errors, form_errors
from mab.confirmation import confirm_page, confirmed
from mab.drafts.models import DraftVersion
from mab.drafts.queries import sees_uncirculated
from mab.forms import CsrfForm
from mab.loaders import get_or_404
from mab.meetings.models import Meeting, MeetingKind, MeetingStatus
from mab.permissions import Action, can
from mab.recommendations import workshop_services as services
from mab.recommendations.models import (
    POSITION_LABELS,
    PRIORITY_LABELS,
    TIME_FRAME_LABELS,
    WorkshopItem,
)
from mab.recommendations.workshop_forms import AgendaForm, PositionForm, key_value
from mab.types import utcnow

bp = Blueprint("workshop", __name__, url_prefix="/a/<slug>")


def _workshop(assessment, meeting_id) -> Meeting:
    """The assessment's validation workshop (404 for any other meeting)."""
    meeting = get_or_404(Meeting, meeting_id, assessment)
    if meeting.kind != MeetingKind.VALIDATION_WORKSHOP:
        abort(404)
    return meeting


def _item(assessment, meeting, item_id) -> WorkshopItem:
    item = get_or_404(WorkshopItem, item_id, assessment,
                      joinedload(WorkshopItem.version).joinedload(DraftVersion.draft))
    if item.meeting_id != meeting.id:
        abort(404)
    return item


def _page_url(assessment, meeting, anchor=None) -> str:
    return url_for("workshop.show", slug=assessment.slug, meeting_id=meeting.id,
                   _anchor=anchor)


def _position_form(item) -> PositionForm:
    return PositionForm(formdata=None, prefix=f"i{item.id}",
                        position=item.position.value if item.position else None,
                        amended_text=item.amended_text or "")


def _render(assessment, meeting, *, failed_item=None, failed_form=None, status=200):
    entries = services.agenda(meeting)
    items = [entry.item for entry in entries]
    manager = can(g.membership.role, Action.MANAGE_MEETINGS)
    applied = services.applied(items)
    started = meeting.starts_at <= utcnow()
    cancelled = meeting.status == MeetingStatus.CANCELLED
    data = {"assessment": assessment, "meeting": meeting, "entries": entries,
            "manager": manager, "applied": applied, "started": started,
            "cancelled": cancelled, "position_labels": POSITION_LABELS,
            "priority_labels": PRIORITY_LABELS, "time_frame_labels": TIME_FRAME_LABELS,
            "sees_uncirculated": sees_uncirculated(g.membership.role),
            "any_position": any(item.position for item in items),
            "applied_versions": {}}
    if applied:
        versions = {v.id: v for entry in entries for v in entry.draft.versions}
        data["applied_versions"] = {entry.item.id: versions.get(entry.item.applied_version_id)
                                    for entry in entries}
    if manager and not cancelled and not applied:
        listed = {entry.key for entry in entries}
        rows = [(entry.draft, entry.version, entry.item.block_id, entry.text,
                 entry.item.position) for entry in entries]   # even from an older version
        rows += [(item.draft, item.version, item.block_id, item.text, None)
                 for item in services.candidates(assessment) if item.key not in listed]
        rows.sort(key=lambda r: (r[0].title, r[0].id, r[1].number, _block_order(r[1], r[2])))
        options = []
        for draft, version, block_id, text, position in rows:
            if not options or options[-1]["version"].id != version.id:
                options.append({"draft": draft, "version": version, "rows": []})
            options[-1]["rows"].append((block_id, text, position))
        form = AgendaForm(formdata=None)
        form.keys.choices = [(key_value(r[0].id, r[2]), r[3]) for r in rows]
        form.keys.data = [key_value(*key) for key in listed]
        data.update(agenda_form=form, options=options, key_value=key_value,
                    apply_form=CsrfForm(formdata=None))
        if started:
            data["position_forms"] = {
                entry.item.id: failed_form if entry.item.id == failed_item
                else _position_form(entry.item) for entry in entries}
    return render_template("recommendations/workshop.html", **data), status


def _block_order(version, block_id) -> int:
    ids = [b["id"] for b in version.blocks or []]
    return ids.index(block_id) if block_id in ids else len(ids)


@bp.get("/meetings/<int:meeting_id>/recommendations")
@assessment_view(Action.READ_EVIDENCE)
def show(assessment, meeting_id):
    return _render(assessment, _workshop(assessment, meeting_id))


@bp.post("/meetings/<int:meeting_id>/recommendations/agenda")
@assessment_view(Action.MANAGE_MEETINGS)
def agenda(assessment, meeting_id):
    meeting = _workshop(assessment, meeting_id)
    form = AgendaForm()
    pairs = form.pairs() if form.validate_on_submit() else None
    if pairs is None:
        abort(400)
    with flash_errors():
        change = services.set_agenda(meeting, assessment, pairs, actor=current_user)
        if change.added or change.removed:
            flash(_("The agenda is updated: %(added)s, %(removed)s.",
                    added=ngettext("%(num)d recommendation added",
                                   "%(num)d recommendations added", change.added),
                    removed=ngettext("%(num)d taken off", "%(num)d taken off",
                                     change.removed)), "success")
        else:
            flash(_("The agenda is unchanged."), "success")
    return redirect(_page_url(assessment, meeting, "agenda-heading"))


@bp.post("/meetings/<int:meeting_id>/recommendations/<int:item_id>/position")
@assessment_view(Action.MANAGE_MEETINGS)
def position(assessment, meeting_id, item_id):
    meeting = _workshop(assessment, meeting_id)
    item = _item(assessment, meeting, item_id)
    back = _page_url(assessment, meeting, f"item-{item.id}")
    with flash_errors() as ok:   # the form is not shown then: say why in a message
        services.check_recordable(item, assessment)
    if not ok:
        return redirect(back)
    form = PositionForm(prefix=f"i{item.id}")
    if form.validate_on_submit():
        with form_errors(form, "position"):
            services.record_position(item, assessment, form.position.data,
                                     form.amended_text.data or "", actor=current_user)
            flash(_("The position is recorded: %(position)s.",
                    position=POSITION_LABELS[form.position.data]), "success")
            return redirect(back)
    return _render(assessment, meeting, failed_item=item.id, failed_form=form, status=422)


@bp.post("/meetings/<int:meeting_id>/recommendations/apply")
@assessment_view(Action.MANAGE_MEETINGS)
def apply(assessment, meeting_id):
    """Without ``confirm=1``: what will be started (the confirmation page); with it: done."""
    meeting = _workshop(assessment, meeting_id)
    back = _page_url(assessment, meeting)
    form = CsrfForm()
    if not form.validate_on_submit():
        abort(400)
    if confirmed():
        with flash_errors():
            carried = services.apply_positions(meeting, assessment, actor=current_user)
            for done in carried:
                flash(_("Version %(n)d of “%(title)s” is started with the workshop's positions.",
                        n=done.version.number, title=done.plan.draft.title), "success")
        return redirect(back)
    sentences = []
    with flash_errors() as ok:
        sentences = services.preview(meeting, assessment)
    if not ok:
        return redirect(back)
    return confirm_page(
        title=_("Carry the positions of “%(title)s” into new versions?", title=meeting.title),
        assessment=assessment,
        consequences=[*sentences,
                      _("An amended recommendation keeps its details and its follow-up; a "
                        "rejected one is removed from the new version."),
                      _("The positions can no longer be changed afterwards. The new version is "
                        "a working version: circulate it as usual.")],
        action=url_for("workshop.apply", slug=assessment.slug, meeting_id=meeting.id),
        confirm_label=_("Start the new versions"), back_url=back, danger=False)
