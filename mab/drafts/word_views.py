"""A Word document as the body of a draft's next version: upload, preview, save."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mab.assessments.access import assessment_view
from mab.boundary import add_field_error, domain_errors, form_errors
from mab.drafts import queries, services, word_services
from mab.drafts.files import RejectedFile
from mab.drafts.word_forms import WordSaveForm, WordUploadForm
from mab.markdown import render_markdown
from mab.permissions import Action

bp = Blueprint("word_import", __name__, url_prefix="/a/<slug>")


def _draft(assessment, draft_id):
    return queries.draft_or_404(assessment, draft_id, g.membership.role)


@bp.route("/drafts/<int:draft_id>/import", methods=["GET", "POST"])
@assessment_view(Action.EDIT_DRAFTS)
def upload(assessment, draft_id):
    """The upload form; posted: the preview of what would be saved (nothing is)."""
    draft = _draft(assessment, draft_id)
    current = services.latest(draft)
    form = WordUploadForm()
    if request.method == "GET":
        form.base_revision.data, form.base_number.data = current.revision, current.number
    elif form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        with domain_errors(RejectedFile) as checking:
            name = word_services.check(upload.filename or "", data)
            preview = word_services.preview(draft, assessment, data)
        if checking.error is None:
            staged = word_services.stage(
                draft, filename=name, data=data, actor=current_user,
                base_number=_int(form.base_number.data, current.number),
                base_revision=_int(form.base_revision.data, current.revision))
            return _preview_page(assessment, draft, staged, preview, WordSaveForm())
        add_field_error(form, "file", checking.error.message)
    return render_template("drafts/word_upload.html", assessment=assessment, draft=draft,
                           current=current, form=form), 422 if form.errors else 200


@bp.post("/drafts/<int:draft_id>/import/<key>/save")
@assessment_view(Action.EDIT_DRAFTS)
def save(assessment, draft_id, key):
    draft = _draft(assessment, draft_id)
    staged = word_services.staged(draft, key, current_user)
    if staged is None:
        flash(_("This upload is no longer waiting to be saved (it was saved already, or left "
                "for more than a day). Upload the document again."), "error")
        return redirect(url_for("word_import.upload", slug=assessment.slug, draft_id=draft.id))
    form = WordSaveForm()
    status = 422
    if form.validate_on_submit():
        with form_errors(form, "change_summary"), \
                domain_errors(services.EditConflict, RejectedFile) as saving:
            version = word_services.save(draft, assessment, staged,
                                         change_summary=form.change_summary.data or "",
                                         actor=current_user)
            flash(_("The Word document is saved as version %(n)d.", n=version.number),
                  "success")
            return redirect(url_for("drafts.show", slug=assessment.slug, draft_id=draft.id))
        if isinstance(saving.error, services.EditConflict):
            theirs = saving.error.version
            word_services.rebase(staged, theirs)
            add_field_error(form, "change_summary", _(
                "Someone else saved version %(n)d after you uploaded the document; nothing was "
                "overwritten. Look at the draft first: saving again replaces their text with "
                "this document.", n=theirs.number))
            status = 409
        elif saving.error is not None:
            add_field_error(form, "change_summary", saving.error.message)
    preview = word_services.preview(draft, assessment, staged.data())
    return _preview_page(assessment, draft, staged, preview, form, status=status)


def _preview_page(assessment, draft, staged, preview, form, status=200):
    return render_template("drafts/word_preview.html", assessment=assessment, draft=draft,
                           staged=staged, preview=preview, form=form,
                           rendered=render_markdown(preview.body)), status


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
