"""The translators' pages: the drafts to translate, a version's editions, the side-by-side editor.

A translator reads a draft's source here only (any version, circulated or not); the draft pages,
comments and the rest stay closed to them (mab.permissions)."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from mab.assessments.access import assessment_view
from mab.boundary import domain_errors
from mab.drafts.models import Draft, DraftVersion
from mab.editions import pages, queries, rules, services
from mab.editions.models import Edition
from mab.editions.forms import (
    PARAGRAPH_STATUS_LABELS,
    MachineForm,
    ParagraphForm,
    revision_of,
    summary_text,
)
from mab.loaders import get_or_404
from mab.permissions import Action

bp = Blueprint("editions", __name__, url_prefix="/a/<slug>")


def _version(assessment, draft_id, number) -> tuple[Draft, DraftVersion]:
    draft = get_or_404(Draft, draft_id, assessment,
                       selectinload(Draft.versions).selectinload(DraftVersion.editions)
                       .joinedload(Edition.updated_by))   # who saved last, on the versions page
    version = next((v for v in draft.versions if v.number == number), None)
    if version is None:
        abort(404)
    return draft, version


def _language(draft, assessment, language) -> str:
    if language not in queries.target_languages(draft, assessment):
        abort(404)
    return language


@bp.get("/translations")
@assessment_view(Action.EDIT_TRANSLATIONS)
def index(assessment):
    """Every draft's latest version and how far each translation has come."""
    return render_template("editions/index.html", assessment=assessment,
                           rows=pages.drafts_to_translate(assessment), summary_text=summary_text)


@bp.get("/drafts/<int:draft_id>/v/<int:number>/translations")
@assessment_view(Action.EDIT_TRANSLATIONS)
def version(assessment, draft_id, number):
    draft, version = _version(assessment, draft_id, number)
    editions = {e.language: e for e in version.editions}
    return render_template(
        "editions/version.html", assessment=assessment, draft=draft, version=version,
        latest=draft.versions[-1], editions=editions, summary_text=summary_text,
        summaries=queries.summaries(version, draft, assessment, editions),
        frozen={code: services.is_frozen(version, editions.get(code))
                for code in queries.target_languages(draft, assessment)})


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


@bp.route("/drafts/<int:draft_id>/v/<int:number>/translate/<language>",
          methods=["GET", "POST"])
@assessment_view(Action.EDIT_TRANSLATIONS)
def editor(assessment, draft_id, number, language):
    """Source on the left, translation on the right, one paragraph saved at a time; without
    JavaScript each Save posts its paragraph and comes back to it."""
    draft, version = _version(assessment, draft_id, number)
    language = _language(draft, assessment, language)
    here = url_for("editions.editor", slug=assessment.slug, draft_id=draft.id,
                   number=version.number, language=language)
    failed = None   # (block id, text sent, message) of a save that was refused
    status = 200
    if request.method == "POST":
        if request.form.get("form") == "machine":
            return _save_machine(assessment, version, language, here)
        form = ParagraphForm()
        block_id = form.block_id.data or ""
        if not form.validate_on_submit():
            message = _("The translation could not be read; reload the page and try again.")
            if _wants_json():
                return jsonify(ok=False, message=message), 400
            flash(message, "error")
            return redirect(here)
        with domain_errors() as saving:
            edition = services.save_paragraph(version, language, block_id, form.text.data or "",
                                              revision=revision_of(form), actor=current_user,
                                              assessment=assessment)
            return _saved(version, edition, block_id, here)
        error = saving.error
        status = 409 if isinstance(error, services.EditionConflict) else 422
        # Read again what the others saved: the rows show it, the text sent stays in its box.
        draft, version = _version(assessment, draft_id, number)
        theirs = services.edition_for(version, language)
        if _wants_json():
            mine = next((b for b in (theirs.blocks if theirs else []) if b["id"] == block_id),
                        None)
            return jsonify(ok=False, message=str(error.message),
                           revision=theirs.revision if theirs else 0,
                           theirs=mine["text"] if mine else ""), status
        failed = (block_id, form.text.data or "", str(error.message))
    edition = services.edition_for(version, language)
    summary = rules.summary(language, version.blocks or [], edition.blocks if edition else [])
    return render_template(
        "editions/editor.html", assessment=assessment, draft=draft, version=version,
        latest=draft.versions[-1], language=language, edition=edition,
        source_language=queries.source_language(draft, assessment),
        rows=pages.editor_rows(version, edition), failed=failed,
        frozen=services.is_frozen(version, edition), summary=summary,
        summary_text=summary_text, status_labels=PARAGRAPH_STATUS_LABELS,
        machine_form=MachineForm(machine_assisted=edition.machine_assisted if edition else False,
                                 revision=edition.revision if edition else 0),
        form=ParagraphForm(formdata=None)), status


def _saved(version, edition, block_id, here):
    number = next(n for n, b in enumerate(version.blocks or [], start=1) if b["id"] == block_id)
    block = next(b for b in version.blocks if b["id"] == block_id)
    mine = next((b for b in edition.blocks if b["id"] == block_id), None)
    status = rules.paragraph_status(block, mine)
    message = _("Paragraph %(n)d is saved.", n=number)
    if _wants_json():
        summary = rules.summary(edition.language, version.blocks or [], edition.blocks)
        return jsonify(ok=True, message=message, revision=edition.revision, status=status,
                       status_label=str(PARAGRAPH_STATUS_LABELS[status]),
                       summary=summary_text(summary))
    flash(message, "success")
    return redirect(f"{here}#paragraph-{block_id}")


def _save_machine(assessment, version, language, here):
    form = MachineForm()
    if form.validate_on_submit():
        with domain_errors() as saving:
            services.set_machine_assisted(version, language, form.machine_assisted.data,
                                          revision=revision_of(form), actor=current_user,
                                          assessment=assessment)
            flash(_("Saved: machine translation was used.") if form.machine_assisted.data
                  else _("Saved: a human translation, without machine translation."), "success")
        if saving.error is not None:
            flash(str(saving.error.message), "error")
    return redirect(f"{here}#machine")

