"""Exchange with professional translators: an edition exported as XLIFF 2.0 or CSV, and the
translated file imported back (mab.editions.exchange, exchange_services)."""
from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from mab.assessments.access import assessment_view
from mab.boundary import form_errors
from mab.downloads import attachment, csv_response
from mab.drafts.models import Draft, DraftVersion
from mab.editions import exchange, exchange_services, queries
from mab.editions.exchange_forms import ImportForm
from mab.editions.services import edition_for, is_frozen
from mab.loaders import get_or_404
from mab.permissions import Action

bp = Blueprint("exchange", __name__, url_prefix="/a/<slug>")

XLIFF_TYPE = "application/xliff+xml; charset=utf-8"


def _load(assessment, draft_id, number, language) -> tuple[Draft, DraftVersion]:
    """The draft and its version ``number`` (any, circulated or not: translators translate
    before circulation), and a language it is translated into; 404 otherwise."""
    draft = get_or_404(Draft, draft_id, assessment,
                       selectinload(Draft.versions).selectinload(DraftVersion.editions))
    version = next((v for v in draft.versions if v.number == number), None)
    if version is None or language not in queries.target_languages(draft, assessment):
        abort(404)
    return draft, version


def _filename(draft, version, source, language, extension) -> str:
    return f"draft-{draft.id}-v{version.number}-{source}-{language}.{extension}"


@bp.get("/drafts/<int:draft_id>/v/<int:number>/translate/<language>.xlf")
@assessment_view(Action.EDIT_TRANSLATIONS)
def xliff(assessment, draft_id, number, language):
    draft, version = _load(assessment, draft_id, number, language)
    source = queries.source_language(draft, assessment)
    data = exchange.build_xliff(
        source, language, version.blocks or [],
        exchange_services.export_blocks(version, language),
        original=f"{assessment.slug}/drafts/{draft.id}/v/{version.number}")
    return Response(data, content_type=XLIFF_TYPE,
                    headers=attachment(_filename(draft, version, source, language, "xlf")))


@bp.get("/drafts/<int:draft_id>/v/<int:number>/translate/<language>.csv")
@assessment_view(Action.EDIT_TRANSLATIONS)
def csv(assessment, draft_id, number, language):
    draft, version = _load(assessment, draft_id, number, language)
    source = queries.source_language(draft, assessment)
    data = exchange.build_csv(version.blocks or [],
                              exchange_services.export_blocks(version, language))
    return csv_response(data, _filename(draft, version, source, language, "csv"))


@bp.route("/drafts/<int:draft_id>/v/<int:number>/translate/<language>/import",
          methods=["GET", "POST"])
@assessment_view(Action.EDIT_TRANSLATIONS)
def import_file(assessment, draft_id, number, language):
    """The exchange page: the two exports, and the upload of the translated file; after an
    import, what was applied and what was refused, paragraph by paragraph."""
    draft, version = _load(assessment, draft_id, number, language)
    form = ImportForm() if request.method == "POST" else ImportForm(formdata=None)
    result, status = None, 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            upload = form.file.data
            with form_errors(form, "file"):
                result = exchange_services.import_file(
                    version, assessment, language, upload.read(), upload.filename or "",
                    actor=current_user)
                status = 200
    return render_template(
        "editions/exchange.html", assessment=assessment, draft=draft, version=version,
        language=language, source_language=queries.source_language(draft, assessment),
        form=form, result=result, frozen=is_frozen(version, edition_for(version, language))), status
